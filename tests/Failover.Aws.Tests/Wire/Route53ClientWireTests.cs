using System.Net;
using Failover.Aws.Clients;
using Failover.Aws.Transport;

namespace Failover.Aws.Tests.Wire;

[Collection(MotoCollection.Name)]
public sealed class Route53ClientWireTests(MotoServer moto) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        using var cts = TestTimeout.Create();
        await moto.ResetAsync(cts.Token);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CreateHostedZoneAsync_WhenNameIsNew_ShouldReturnTheBareId()
    {
        using var cts = TestTimeout.Create();
        var route53 = moto.Clients().Route53;

        var zoneId = await route53.CreateHostedZoneAsync("example.com.", "ref-" + Guid.NewGuid(), cts.Token);

        Assert.False(string.IsNullOrEmpty(zoneId));
        Assert.DoesNotContain('/', zoneId);
    }

    [Fact]
    public async Task GetHealthCheckAsync_WhenAlarmHealthCheckCreated_ShouldReturnItsAlarm()
    {
        using var cts = TestTimeout.Create();
        var route53 = moto.Clients().Route53;

        var id = await route53.CreateAlarmHealthCheckAsync("hc-" + Guid.NewGuid(), "us-west-2", "orders-switch", "Unhealthy", cts.Token);
        var check = await route53.GetHealthCheckAsync(id, cts.Token);

        Assert.Equal(id, check.Id);
        Assert.Equal("CLOUDWATCH_METRIC", check.Type);
        // AWS echoes HealthCheckConfig/AlarmIdentifier (and adds CloudWatchAlarmConfiguration); moto 5.2.1
        // drops both, so the alarm cannot be read back here. The parsing of the AWS shape is covered by
        // Route53ClientScriptedTests.
        Assert.Null(check.AlarmName);
        Assert.Null(check.AlarmRegion);
        Assert.False(check.Inverted);
        Assert.False(check.Disabled);
        Assert.True(check.HealthCheckVersion >= 1);
    }

    [Fact]
    public async Task UpsertFailoverRecordsAsync_WhenPrimaryHasHealthCheck_ShouldReturnAChangeThatGetChangeFinds()
    {
        using var cts = TestTimeout.Create();
        var route53 = moto.Clients().Route53;
        var zoneId = await route53.CreateHostedZoneAsync("example.com.", "ref-" + Guid.NewGuid(), cts.Token);
        var healthCheckId = await route53.CreateAlarmHealthCheckAsync("hc-" + Guid.NewGuid(), "us-west-2", "orders-switch", "Healthy", cts.Token);

        var change = await route53.UpsertFailoverRecordsAsync("/hostedzone/" + zoneId, "failover for orders",
            [
                new FailoverRecord("app.example.com.", "CNAME", "primary", "PRIMARY", 60, "app.us-east-1.example.com", healthCheckId),
                new FailoverRecord("app.example.com.", "CNAME", "secondary", "SECONDARY", 60, "app.us-west-2.example.com", null),
            ], cts.Token);
        var status = await route53.GetChangeAsync("/change/" + change.Id, cts.Token);

        Assert.DoesNotContain('/', change.Id);
        Assert.True(change.Status is "PENDING" or "INSYNC", change.Status);
        Assert.Equal(change.Id, status.Id);
        Assert.Equal("INSYNC", status.Status);
    }

    [Fact]
    public async Task UpsertFailoverRecordsAsync_WhenRepeated_ShouldSucceedAgain()
    {
        using var cts = TestTimeout.Create();
        var route53 = moto.Clients().Route53;
        var zoneId = await route53.CreateHostedZoneAsync("example.org.", "ref-" + Guid.NewGuid(), cts.Token);
        FailoverRecord[] records = [new("db.example.org.", "A", "secondary", "SECONDARY", 30, "192.0.2.10", null)];

        await route53.UpsertFailoverRecordsAsync(zoneId, "first", records, cts.Token);
        var second = await route53.UpsertFailoverRecordsAsync(zoneId, "second", records, cts.Token);

        Assert.False(string.IsNullOrEmpty(second.Id));
    }

    [Fact]
    public async Task GetHealthCheckAsync_WhenHealthCheckMissing_ShouldThrowNotFound()
    {
        using var cts = TestTimeout.Create();
        var route53 = moto.Clients().Route53;

        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() => route53.GetHealthCheckAsync("00000000-0000-0000-0000-000000000000", cts.Token));

        Assert.Equal("NoSuchHealthCheck", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal("route53", ex.Service);
        Assert.Equal("GetHealthCheck", ex.Operation);
    }
}
