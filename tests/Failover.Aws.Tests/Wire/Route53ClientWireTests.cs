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

    [Fact]
    public async Task GetHealthCheckStatusAsync_WhenHealthCheckExists_ShouldReturnTheCheckersObservations()
    {
        using var cts = TestTimeout.Create();
        var route53 = moto.Clients().Route53;
        var id = await route53.CreateAlarmHealthCheckAsync("hc-" + Guid.NewGuid(), "us-west-2", "orders-switch", "Unhealthy", cts.Token);

        var observations = await route53.GetHealthCheckStatusAsync(id, cts.Token);

        // moto 5.2.1 answers one fixed observation; AWS answers one per checker region.
        var observation = Assert.Single(observations);
        Assert.Equal("us-east-1", observation.Region);
        Assert.False(string.IsNullOrEmpty(observation.IPAddress));
        Assert.StartsWith("Success", observation.StatusReport!.Status, StringComparison.Ordinal);
        Assert.NotNull(observation.StatusReport.CheckedTime);
    }

    [Fact]
    public async Task GetHealthCheckStatusAsync_WhenHealthCheckMissing_ShouldThrowNotFound()
    {
        using var cts = TestTimeout.Create();

        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() => moto.Clients().Route53.GetHealthCheckStatusAsync("00000000-0000-0000-0000-000000000000", cts.Token));

        Assert.Equal(("NoSuchHealthCheck", "GetHealthCheckStatus"), (ex.ErrorCode, ex.Operation));
    }

    [Fact]
    public async Task UpdateHealthCheckAsync_WhenDisabledAndInverted_ShouldReturnAndKeepTheNewFlags()
    {
        using var cts = TestTimeout.Create();
        var route53 = moto.Clients().Route53;
        var id = await route53.CreateAlarmHealthCheckAsync("hc-" + Guid.NewGuid(), "us-west-2", "orders-switch", "Healthy", cts.Token);
        var before = await route53.GetHealthCheckAsync(id, cts.Token);

        var updated = await route53.UpdateHealthCheckAsync(new UpdateHealthCheckRequest(id) { HealthCheckVersion = before.HealthCheckVersion, Inverted = true, Disabled = true }, cts.Token);
        var after = await route53.GetHealthCheckAsync(id, cts.Token);

        Assert.Equal(id, updated.Id);
        Assert.True(updated.Inverted);
        Assert.True(updated.Disabled);
        Assert.True(after.Inverted);
        Assert.True(after.Disabled);
    }

    [Fact]
    public async Task UpdateHealthCheckAsync_WhenOnlyInvertedGiven_ShouldLeaveDisabledUnchanged()
    {
        using var cts = TestTimeout.Create();
        var route53 = moto.Clients().Route53;
        var id = await route53.CreateAlarmHealthCheckAsync("hc-" + Guid.NewGuid(), "us-west-2", "orders-switch", "Healthy", cts.Token);
        await route53.UpdateHealthCheckAsync(new UpdateHealthCheckRequest(id) { Disabled = true }, cts.Token);

        var updated = await route53.UpdateHealthCheckAsync(new UpdateHealthCheckRequest(id) { Inverted = true }, cts.Token);

        Assert.Equal((true, true), (updated.Inverted, updated.Disabled));
    }

    [Fact]
    public async Task UpdateHealthCheckAsync_WhenHealthCheckMissing_ShouldThrowNotFound()
    {
        using var cts = TestTimeout.Create();

        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() =>
            moto.Clients().Route53.UpdateHealthCheckAsync(new UpdateHealthCheckRequest("00000000-0000-0000-0000-000000000000") { Disabled = true }, cts.Token));

        Assert.Equal(("NoSuchHealthCheck", HttpStatusCode.NotFound, "UpdateHealthCheck"), (ex.ErrorCode, ex.StatusCode, ex.Operation));
    }

    [Fact]
    public async Task ChangeResourceRecordSetsAsync_WhenCreatingThenDeleting_ShouldChangeWhatListResourceRecordSetsReturns()
    {
        using var cts = TestTimeout.Create();
        var route53 = moto.Clients().Route53;
        var zoneId = await route53.CreateHostedZoneAsync("example.net.", "ref-" + Guid.NewGuid(), cts.Token);
        var blue = new ResourceRecordSet("app.example.net.", "A") { SetIdentifier = "blue", Weight = 90, TTL = 60, ResourceRecords = [new("192.0.2.1")] };
        var green = new ResourceRecordSet("app.example.net.", "A") { SetIdentifier = "green", Weight = 10, TTL = 60, ResourceRecords = [new("192.0.2.2"), new("192.0.2.3")] };

        var created = await route53.ChangeResourceRecordSetsAsync(zoneId, new ChangeBatch([new Change("CREATE", blue), new Change("CREATE", green)]) { Comment = "weighted" }, cts.Token);
        var afterCreate = await route53.ListResourceRecordSetsAsync(zoneId, null, null, null, cts.Token);
        await route53.ChangeResourceRecordSetsAsync(zoneId, new ChangeBatch([new Change("DELETE", green)]), cts.Token);
        var afterDelete = await route53.ListResourceRecordSetsAsync(zoneId, null, null, null, cts.Token);

        Assert.False(string.IsNullOrEmpty(created.Id));
        var weighted = afterCreate.Where(r => r.Name == "app.example.net.").OrderBy(r => r.SetIdentifier, StringComparer.Ordinal).ToList();
        Assert.Equal(["blue", "green"], weighted.Select(r => r.SetIdentifier));
        Assert.Equal([90L, 10L], weighted.Select(r => r.Weight!.Value));
        Assert.Equal(["192.0.2.2", "192.0.2.3"], weighted[1].ResourceRecords.Select(v => v.Value));
        Assert.Equal(60, weighted[0].TTL);
        Assert.Contains(afterCreate, r => r.Type == "SOA");
        Assert.Equal(["blue"], afterDelete.Where(r => r.Name == "app.example.net.").Select(r => r.SetIdentifier));
    }

    [Fact]
    public async Task ChangeResourceRecordSetsAsync_WhenCreatingARecordThatExists_ShouldThrowInvalidChangeBatch()
    {
        using var cts = TestTimeout.Create();
        var route53 = moto.Clients().Route53;
        var zoneId = await route53.CreateHostedZoneAsync("example.net.", "ref-" + Guid.NewGuid(), cts.Token);
        var batch = new ChangeBatch([new Change("CREATE", new ResourceRecordSet("db.example.net.", "CNAME") { TTL = 30, ResourceRecords = [new("db.us-west-2.example.net")] })]);
        await route53.ChangeResourceRecordSetsAsync(zoneId, batch, cts.Token);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => route53.ChangeResourceRecordSetsAsync(zoneId, batch, cts.Token));

        Assert.Equal(("InvalidChangeBatch", HttpStatusCode.BadRequest), (ex.ErrorCode, ex.StatusCode));
    }

    [Fact]
    public async Task ChangeResourceRecordSetsAsync_WhenZoneMissing_ShouldThrowNotFound()
    {
        using var cts = TestTimeout.Create();
        var batch = new ChangeBatch([new Change("UPSERT", new ResourceRecordSet("a.example.net.", "A") { TTL = 30, ResourceRecords = [new("192.0.2.1")] })]);

        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() => moto.Clients().Route53.ChangeResourceRecordSetsAsync("/hostedzone/ZNOSUCHZONE", batch, cts.Token));

        Assert.Equal("NoSuchHostedZone", ex.ErrorCode);
    }

    [Fact]
    public async Task ListResourceRecordSetsAsync_WhenMoreRecordsThanOnePage_ShouldFollowNextRecordNameAndType()
    {
        // 301 records + NS + SOA: more than the 300 a page holds by default.
        using var cts = TestTimeout.Create();
        var route53 = moto.Clients().Route53;
        var zoneId = await route53.CreateHostedZoneAsync("example.com.", "ref-" + Guid.NewGuid(), cts.Token);
        var names = Enumerable.Range(1, 301).Select(i => $"host{i:000}.example.com.").ToList();
        await route53.ChangeResourceRecordSetsAsync(zoneId,
            new ChangeBatch([.. names.Select(n => new Change("CREATE", new ResourceRecordSet(n, "A") { TTL = 60, ResourceRecords = [new("192.0.2.1")] }))]), cts.Token);

        var all = await route53.ListResourceRecordSetsAsync(zoneId, null, null, maxItems: null, cts.Token);

        Assert.Equal(303, all.Count);
        Assert.Equal(all.Count, all.Select(r => (r.Name, r.Type)).Distinct().Count());
        Assert.Equal(names, all.Where(r => r.Type == "A").Select(r => r.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListRecordSetsNamedAsync_WhenTheNameHasMoreRecordsThanAPage_ShouldReturnThemAllAndNoneOfTheNextName()
    {
        // 9 record sets named app (4 weighted A, 4 weighted AAAA, a TXT): more than a page of 8, with names on either side.
        using var cts = TestTimeout.Create();
        var route53 = moto.Clients().Route53;
        var zoneId = await route53.CreateHostedZoneAsync("example.org.", "ref-" + Guid.NewGuid(), cts.Token);
        var app = Enumerable.Range(1, 4).SelectMany(i => new[]
        {
            new ResourceRecordSet("app.example.org.", "A") { SetIdentifier = $"a{i}", Weight = 1, TTL = 60, ResourceRecords = [new($"192.0.2.{i}")] },
            new ResourceRecordSet("app.example.org.", "AAAA") { SetIdentifier = $"b{i}", Weight = 1, TTL = 60, ResourceRecords = [new($"2001:db8::{i}")] },
        }).Append(new ResourceRecordSet("app.example.org.", "TXT") { TTL = 60, ResourceRecords = [new("\"v=1\"")] }).ToList();
        var neighbours = ((string[])["aaa", "apq", "apz", "b"]).Select(n => new ResourceRecordSet($"{n}.example.org.", "A") { TTL = 60, ResourceRecords = [new("192.0.2.9")] });
        await route53.ChangeResourceRecordSetsAsync(zoneId, new ChangeBatch([.. app.Concat(neighbours).Select(r => new Change("CREATE", r))]), cts.Token);

        var named = await route53.ListRecordSetsNamedAsync(zoneId, "APP.example.org", cts.Token);

        Assert.True(app.Count > Route53Client.NamedRecordsPageSize);
        Assert.Equal(app.Select(r => (r.Type, r.SetIdentifier)).Order(), named.Select(r => (r.Type, r.SetIdentifier)).Order());
        Assert.All(named, r => Assert.Equal("app.example.org.", r.Name));
    }

    [Fact]
    public async Task ListRecordSetsNamedAsync_WhenNoRecordHasTheName_ShouldReturnNone()
    {
        using var cts = TestTimeout.Create();
        var route53 = moto.Clients().Route53;
        var zoneId = await route53.CreateHostedZoneAsync("example.org.", "ref-" + Guid.NewGuid(), cts.Token);
        await route53.ChangeResourceRecordSetsAsync(zoneId,
            new ChangeBatch([new Change("CREATE", new ResourceRecordSet("web.example.org.", "A") { TTL = 60, ResourceRecords = [new("192.0.2.1")] })]), cts.Token);

        var named = await route53.ListRecordSetsNamedAsync(zoneId, "api.example.org.", cts.Token);

        Assert.Empty(named);
    }

    [Fact]
    public async Task ListResourceRecordSetsAsync_WhenStartAndMaxItemsGiven_ShouldReturnAtMostThatManyFromTheStart()
    {
        using var cts = TestTimeout.Create();
        var route53 = moto.Clients().Route53;
        var zoneId = await route53.CreateHostedZoneAsync("example.com.", "ref-" + Guid.NewGuid(), cts.Token);
        var names = Enumerable.Range(1, 5).Select(i => $"host{i}.example.com.").ToList();
        await route53.ChangeResourceRecordSetsAsync(zoneId,
            new ChangeBatch([.. names.Select(n => new Change("CREATE", new ResourceRecordSet(n, "A") { TTL = 60, ResourceRecords = [new("192.0.2.1")] }))]), cts.Token);

        var fromHost3 = await route53.ListResourceRecordSetsAsync(zoneId, "host3.example.com.", "A", maxItems: 2, cts.Token);

        Assert.Equal(["host3.example.com.", "host4.example.com."], fromHost3.Select(r => r.Name));
    }

    [Fact]
    public async Task ListResourceRecordSetsAsync_WhenZoneMissing_ShouldThrowNotFound()
    {
        using var cts = TestTimeout.Create();

        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() => moto.Clients().Route53.ListResourceRecordSetsAsync("ZNOSUCHZONE", null, null, null, cts.Token));

        Assert.Equal(("NoSuchHostedZone", "ListResourceRecordSets"), (ex.ErrorCode, ex.Operation));
    }
}
