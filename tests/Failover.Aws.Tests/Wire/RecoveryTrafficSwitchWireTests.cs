using Failover.Aws.Adapters;
using Failover.Aws.Clients;
using Failover.Core.Plans;

namespace Failover.Aws.Tests.Wire;

/// <summary>
/// The readiness of a health-check switch, read from Route 53 (moto): the failover record the plan names must be a PRIMARY
/// record guarded by the switch's health check (Route 53 Developer Guide, "Configuring DNS failover").
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class RecoveryTrafficSwitchWireTests(MotoServer moto) : IAsyncLifetime
{
    private const string RecordName = "web.example.com.";

    public async Task InitializeAsync()
    {
        using var cts = TestTimeout.Create();
        await moto.ResetAsync(cts.Token);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(SwitchKinds.SwitchMetric)]
    [InlineData(SwitchKinds.HealthCheckInvert)]
    public async Task CheckReadyAsync_WhenThePrimaryRecordIsGuardedByTheSwitchsHealthCheck_ShouldFindNothingMissing(string kind)
    {
        using var cts = TestTimeout.Create();
        var (zoneId, healthCheckId) = await FailoverRecordsAsync(guardedBySwitch: true, cts.Token);

        var missing = (await Switch().CheckReadyAsync([Target(kind, zoneId, healthCheckId, RecordName)], cts.Token)).Single();

        Assert.Null(missing);
    }

    [Theory]
    [InlineData(SwitchKinds.SwitchMetric)]
    [InlineData(SwitchKinds.HealthCheckInvert)]
    public async Task CheckReadyAsync_WhenThePrimaryRecordIsGuardedByAnotherHealthCheck_ShouldSayWhichGuardsIt(string kind)
    {
        using var cts = TestTimeout.Create();
        var (zoneId, healthCheckId) = await FailoverRecordsAsync(guardedBySwitch: false, cts.Token);

        var missing = (await Switch().CheckReadyAsync([Target(kind, zoneId, healthCheckId, RecordName)], cts.Token)).Single();

        Assert.NotNull(missing);
        Assert.StartsWith($"the PRIMARY failover record {RecordName} in zone {zoneId} is guarded by health check ", missing, StringComparison.Ordinal);
        Assert.EndsWith($"not by the switch's health check {healthCheckId}", missing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckReadyAsync_WhenTheZoneHasNoSuchFailoverRecord_ShouldSayTheHealthCheckMovesNoTraffic()
    {
        using var cts = TestTimeout.Create();
        var (zoneId, healthCheckId) = await FailoverRecordsAsync(guardedBySwitch: true, cts.Token);

        var missing = (await Switch().CheckReadyAsync([Target(SwitchKinds.SwitchMetric, zoneId, healthCheckId, "api.example.com.")], cts.Token)).Single();

        Assert.Equal($"zone {zoneId} has no PRIMARY failover record named api.example.com.: the health check would move no traffic", missing);
    }

    // Switches of one zone share its reads: in one page when it fits, record by record when it does not.
    [Theory]
    [InlineData(0)]
    [InlineData(Route53Client.MaxPageSize)]
    public async Task CheckReadyAsync_WhenSwitchesShareAZone_ShouldSayForEachWhatIsMissing(int moreRecords)
    {
        using var cts = TestTimeout.Create();
        var (zoneId, healthCheckId) = await FailoverRecordsAsync(guardedBySwitch: true, cts.Token);
        if (moreRecords > 0)
        {
            await moto.Clients().Route53.ChangeResourceRecordSetsAsync(zoneId, new ChangeBatch([.. Enumerable.Range(1, moreRecords)
                .Select(i => new Change("CREATE", new ResourceRecordSet($"host{i:000}.example.com.", "A") { TTL = 60, ResourceRecords = [new("192.0.2.1")] }))]), cts.Token);
        }

        var missing = await Switch().CheckReadyAsync(
            [Target(SwitchKinds.SwitchMetric, zoneId, healthCheckId, RecordName) with { Id = "web" }, Target(SwitchKinds.SwitchMetric, zoneId, healthCheckId, "api.example.com.") with { Id = "api" }],
            cts.Token);

        Assert.Equal([null, $"zone {zoneId} has no PRIMARY failover record named api.example.com.: the health check would move no traffic"], missing);
    }

    private RecoveryTrafficSwitch Switch()
    {
        var clients = moto.Clients();
        return new RecoveryTrafficSwitch(clients.CloudWatch, clients.Route53);
    }

    private static TrafficSwitchTarget Target(string kind, string zoneId, string healthCheckId, string recordName) => new()
    {
        Kind = kind,
        Id = "web",
        Namespace = "Failover/Test",
        MetricName = "Switch",
        AlarmName = "web-switch",
        HealthCheckId = healthCheckId,
        HostedZoneId = zoneId,
        RecordName = recordName,
    };

    // A zone with web.example.com.'s failover pair; the PRIMARY is guarded by the switch's health check or by another one.
    private async Task<(string ZoneId, string HealthCheckId)> FailoverRecordsAsync(bool guardedBySwitch, CancellationToken cancellationToken)
    {
        var route53 = moto.Clients().Route53;
        var zoneId = await route53.CreateHostedZoneAsync("example.com.", "ref-" + Guid.NewGuid(), cancellationToken);
        var switchCheck = await route53.CreateAlarmHealthCheckAsync("hc-" + Guid.NewGuid(), "us-west-2", "web-switch", "LastKnownStatus", cancellationToken);
        var otherCheck = await route53.CreateAlarmHealthCheckAsync("hc-" + Guid.NewGuid(), "us-west-2", "web-other", "LastKnownStatus", cancellationToken);
        await route53.UpsertFailoverRecordsAsync(zoneId, "failover for web",
        [
            new FailoverRecord(RecordName, "CNAME", "primary", "PRIMARY", 60, "web.us-east-1.example.com", guardedBySwitch ? switchCheck : otherCheck),
            new FailoverRecord(RecordName, "CNAME", "secondary", "SECONDARY", 60, "web.us-west-2.example.com", null),
        ], cancellationToken);
        return (zoneId, switchCheck);
    }
}
