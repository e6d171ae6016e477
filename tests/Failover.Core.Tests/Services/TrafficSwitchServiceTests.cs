using Failover.Core.Plans;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Testing;

namespace Failover.Core.Tests.Services;

public sealed class TrafficSwitchServiceTests
{
    private readonly FakeTrafficSwitch _switch = new();
    private readonly ManualClock _clock = new();

    [Fact]
    public async Task SwitchAsync_WhenCriticalDatabasesAreNotWritable_ShouldRefuseAndSwitchNothing()
    {
        // Arrange
        var service = Service(PlanBuilder.Sample());
        var run = RunBuilder.Prepared()
            .WithDatabase("orders-replica", status: DatabaseStatuses.Promoting)
            .WithDatabase("users-replica", status: DatabaseStatuses.Writable)
            .WithDatabase("reports-replica", status: DatabaseStatuses.Promoting, critical: false)
            .WithSwitch(Samples.SwitchId)
            .Writable(false)
            .Build();

        // Act
        var ex = await Assert.ThrowsAsync<TrafficSwitchRefusedException>(() => service.SwitchAsync(run, CancellationToken.None));

        // Assert
        Assert.Empty(_switch.Switched);
        Assert.Contains("orders-replica (promoting)", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("users-replica", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("reports-replica", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SwitchAsync_WhenWritable_ShouldFlipEachSwitchOnce()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithSwitches(PlanBuilder.Switch("orders-web"), PlanBuilder.Switch("orders-api", metricName: "ApiSwitch"));
        var service = Service(plan);
        var run = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId, status: DatabaseStatuses.Writable)
            .WithSwitch("orders-web").WithSwitch("orders-api").Writable().Build();

        // Act
        var result = await service.SwitchAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal(plan.Build().Switches.Select(s => s.Id).Order(StringComparer.Ordinal), _switch.Switched.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.All(result.Switches, s => Assert.Equal(("switched", (DateTimeOffset?)_clock.GetUtcNow()), (s.Status, s.SwitchedAt)));
        Assert.Equal("Failover/ApiSwitch = 1", result.Switches[1].Detail);
        Assert.Equal(_clock.GetUtcNow(), result.TrafficSwitchedAt);
        Assert.Equal(run.Databases, result.Databases);
    }

    [Fact]
    public async Task SwitchAsync_WhenManySwitchMetricsAndARecord_ShouldSendTheMetricsAsOneBatchAndUpsertTheRecordOnItsOwn()
    {
        // Arrange
        var metrics = Enumerable.Range(1, 100).Select(i => PlanBuilder.Switch($"web-{i:000}")).ToArray();
        var service = Service(PlanBuilder.Sample().WithSwitches([.. metrics, PlanBuilder.RecordSwitch("www")]));
        var run = metrics.Aggregate(RunBuilder.Prepared(), (builder, sw) => builder.WithSwitch(sw.Id))
            .WithSwitch("www", kind: SwitchKinds.RecordUpsert).Writable().Build();

        // Act
        var result = await service.SwitchAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal(metrics.Select(m => m.Id), Assert.Single(_switch.MetricBatches));
        Assert.Equal(101, _switch.Switched.Count);
        Assert.Equal(Enumerable.Repeat(SwitchStatuses.Switched, 100).Append(SwitchStatuses.Propagating), result.Switches.Select(s => s.Status));
        Assert.Equal("C-www", result.Switches[^1].ChangeId);
    }

    [Fact]
    public async Task SwitchAsync_WhenRunAgainAfterSwitching_ShouldNotFlipAgainNorMoveTheSwitchTime()
    {
        // Arrange
        var service = Service(PlanBuilder.Sample());
        var run = RunBuilder.Prepared().WithSwitch(Samples.SwitchId).Writable().Build();
        var switched = await service.SwitchAsync(run, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(3));

        // Act
        var again = await service.SwitchAsync(switched, CancellationToken.None);

        // Assert
        Assert.Single(_switch.Switched);
        Assert.Equal(ManualClock.DefaultStart, again.TrafficSwitchedAt);
        Assert.Equal(switched.Switches, again.Switches);
    }

    [Fact]
    public async Task SwitchAsync_WhenSomeSwitchesWereFlippedBefore_ShouldFlipOnlyTheOthers()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithSwitches(PlanBuilder.Switch("orders-web"), PlanBuilder.Switch("orders-api"));
        var service = Service(plan);
        var earlier = ManualClock.DefaultStart.AddMinutes(-1);
        var run = RunBuilder.Prepared().WithSwitch("orders-web", "switched", earlier).WithSwitch("orders-api").Writable().Build();

        // Act
        var result = await service.SwitchAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal(["orders-api"], _switch.Switched.Select(s => s.Id));
        Assert.Equal([earlier, _clock.GetUtcNow()], result.Switches.Select(s => s.SwitchedAt!.Value));
        Assert.Equal(_clock.GetUtcNow(), result.TrafficSwitchedAt);
    }

    [Fact]
    public async Task SwitchAsync_WhenASwitchFails_ShouldLetTheErrorThroughForTheRetry()
    {
        // Arrange
        var service = Service(PlanBuilder.Sample());
        _switch.FailFor(Samples.SwitchId, new SimulatedAwsException("Throttling", "Rate exceeded"));
        var run = RunBuilder.Prepared().WithSwitch(Samples.SwitchId).Writable().Build();

        // Act
        var ex = await Assert.ThrowsAsync<SimulatedAwsException>(() => service.SwitchAsync(run, CancellationToken.None));

        // Assert
        Assert.Equal("Throttling", ex.Code);
        Assert.Empty(_switch.Switched);
    }

    // The RTO ends when traffic is switched; a plan (or a scoped run) without switches still recovers, and its
    // RTO must end when the traffic step ran, as it did before the switch kinds were added.
    [Fact]
    public async Task SwitchAsync_WhenPlanHasNoSwitches_ShouldRecordTheTimeAnyway()
    {
        // Arrange
        var service = Service(PlanBuilder.Sample().WithSwitches());
        var run = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId, status: DatabaseStatuses.Writable).Writable().Build();

        // Act
        var result = await service.SwitchAsync(run, CancellationToken.None);

        // Assert
        Assert.Empty(result.Switches);
        Assert.True(result.TrafficInSync);
        Assert.Equal(_clock.GetUtcNow(), result.TrafficSwitchedAt);
    }

    [Fact]
    public async Task SwitchAsync_WhenRecordUpsert_ShouldLeaveItPropagatingUntilRoute53ReportsInSync()
    {
        // Arrange
        var service = Service(PlanBuilder.Sample().WithSwitches(PlanBuilder.RecordSwitch("www")));
        var run = RunBuilder.Prepared().WithSwitch("www", kind: SwitchKinds.RecordUpsert).Writable().Build();

        // Act
        var result = await service.SwitchAsync(run, CancellationToken.None);

        // Assert
        var sw = Assert.Single(result.Switches);
        Assert.Equal((SwitchStatuses.Propagating, "C-www"), (sw.Status, sw.ChangeId));
        Assert.Null(sw.SwitchedAt);
        Assert.Equal("UPSERT www.example.com. CNAME in zone Z0123456789ABCDEFGHIJ (us-east-1 control plane)", sw.Detail);
        Assert.False(result.TrafficInSync);
        Assert.Null(result.TrafficSwitchedAt);
    }

    [Fact]
    public async Task CheckAsync_WhenTheRecordChangeBecomesInSync_ShouldMarkTheSwitchSwitchedAtThatCheck()
    {
        // Arrange: INSYNC on the third look (the first is right after the UPSERT).
        _switch.ChecksUntilInSync = 2;
        var service = Service(PlanBuilder.Sample().WithSwitches(PlanBuilder.Switch("orders-web"), PlanBuilder.RecordSwitch("www")));
        var run = await service.SwitchAsync(
            RunBuilder.Prepared().WithSwitch("orders-web").WithSwitch("www", kind: SwitchKinds.RecordUpsert).Writable().Build(), CancellationToken.None);

        // Act
        _clock.Advance(TimeSpan.FromSeconds(10));
        var first = await service.CheckAsync(run, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(10));
        var second = await service.CheckAsync(first, CancellationToken.None);

        // Assert
        Assert.Equal([SwitchStatuses.Switched, SwitchStatuses.Propagating], first.Switches.Select(s => s.Status));
        Assert.False(first.TrafficInSync);
        Assert.Null(first.TrafficSwitchedAt);
        Assert.Equal([SwitchStatuses.Switched, SwitchStatuses.Switched], second.Switches.Select(s => s.Status));
        Assert.True(second.TrafficInSync);
        Assert.Equal(ManualClock.DefaultStart.AddSeconds(20), second.Switches[1].SwitchedAt);
        Assert.Equal(ManualClock.DefaultStart.AddSeconds(20), second.TrafficSwitchedAt);
        Assert.EndsWith("(INSYNC)", second.Switches[1].Detail, StringComparison.Ordinal);
        Assert.Equal(["C-www", "C-www", "C-www"], _switch.InSyncCalls);
    }

    [Fact]
    public async Task SwitchAsync_WhenRunAgainWhileARecordChangePropagates_ShouldNotUpsertAgain()
    {
        // Arrange: Route 53 does not report the change INSYNC yet.
        _switch.ChecksUntilInSync = int.MaxValue;
        var service = Service(PlanBuilder.Sample().WithSwitches(PlanBuilder.RecordSwitch("www")));
        var propagating = await service.SwitchAsync(RunBuilder.Prepared().WithSwitch("www", kind: SwitchKinds.RecordUpsert).Writable().Build(), CancellationToken.None);

        // Act
        var again = await service.SwitchAsync(propagating, CancellationToken.None);

        // Assert
        Assert.Single(_switch.Switched);
        Assert.Equal(propagating.Switches, again.Switches);
    }

    [Fact]
    public async Task SwitchAsync_WhenHealthCheckInvert_ShouldBeSwitchedAtOnceAndNamedControlPlane()
    {
        // Arrange
        var service = Service(PlanBuilder.Sample().WithSwitches(PlanBuilder.HealthCheckSwitch("primary-check", "hc-1")));
        var run = RunBuilder.Prepared().WithSwitch("primary-check", kind: SwitchKinds.HealthCheckInvert).Writable().Build();

        // Act
        var result = await service.SwitchAsync(run, CancellationToken.None);

        // Assert
        var sw = Assert.Single(result.Switches);
        Assert.Equal(SwitchStatuses.Switched, sw.Status);
        Assert.Null(sw.ChangeId);
        Assert.Equal("health check hc-1 disabled and inverted (us-east-1 control plane)", sw.Detail);
        Assert.True(result.TrafficInSync);
        Assert.Equal(_clock.GetUtcNow(), result.TrafficSwitchedAt);
    }

    [Fact]
    public async Task SwitchAsync_WhenUpsertingARecord_ShouldCommentWithTheExecutionAndPlan()
    {
        // Arrange: the comment goes on the Route 53 change (ChangeBatch Comment)
        var service = Service(PlanBuilder.Sample().WithSwitches(PlanBuilder.RecordSwitch("www")));
        var run = RunBuilder.Prepared().WithSwitch("www", kind: SwitchKinds.RecordUpsert).Writable().Build();

        // Act
        await service.SwitchAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal([$"Failover {Samples.ExecutionName}: failover of plan orders"], _switch.Comments);
    }

    [Fact]
    public async Task SwitchAsync_WhenTheRunNamesASwitchThePlanDoesNotHave_ShouldRejectTheInput()
    {
        // Arrange
        var service = Service(PlanBuilder.Sample());
        var run = RunBuilder.Prepared().WithSwitch("payments-web").Writable().Build();

        // Act
        var ex = await Assert.ThrowsAsync<InvalidRunInputException>(() => service.SwitchAsync(run, CancellationToken.None));

        // Assert
        Assert.Contains("'payments-web' is not in plan 'orders'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_switch.Switched);
    }

    [Fact]
    public async Task CheckAsync_WhenNothingPropagates_ShouldAskRoute53Nothing()
    {
        // Arrange
        var service = Service(PlanBuilder.Sample());
        var run = await service.SwitchAsync(RunBuilder.Prepared().WithSwitch(Samples.SwitchId).Writable().Build(), CancellationToken.None);

        // Act
        var result = await service.CheckAsync(run, CancellationToken.None);

        // Assert
        Assert.Empty(_switch.InSyncCalls);
        Assert.True(result.TrafficInSync);
        Assert.Equal(run.TrafficSwitchedAt, result.TrafficSwitchedAt);
    }

    [Fact]
    public async Task CheckAsync_WhenTheSwitchMetricGuardsAHealthCheck_ShouldCountTrafficMovedOnlyWhenRoute53ReportsItUnhealthy()
    {
        // Arrange: Route 53 sees the check unhealthy on the third look (the first is right after the datapoint went
        // in), 10 s after it.
        var guarded = PlanBuilder.Switch(Samples.SwitchId) with { HealthCheckId = "hc-orders-web" };
        var service = Service(PlanBuilder.Sample().WithSwitches(guarded));
        _switch.ChecksUntilInSync = 2;
        var run = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId, status: DatabaseStatuses.Writable).WithSwitch(Samples.SwitchId).Writable().Build();
        var requestedAt = _clock.GetUtcNow();

        // Act
        var switched = await service.SwitchAsync(run, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var first = await service.CheckAsync(switched, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var second = await service.CheckAsync(first, CancellationToken.None);

        // Assert
        Assert.Equal((SwitchStatuses.Propagating, false), (Assert.Single(first.Switches).Status, first.TrafficInSync));
        var sw = Assert.Single(second.Switches);
        Assert.Equal((SwitchStatuses.Switched, requestedAt, requestedAt.AddSeconds(10)), (sw.Status, sw.RequestedAt!.Value, sw.SwitchedAt!.Value));
        Assert.EndsWith("(Route 53 reports health check hc-orders-web unhealthy: answering with the recovery region)", sw.Detail, StringComparison.Ordinal);
        Assert.Equal(requestedAt.AddSeconds(10), second.TrafficSwitchedAt);
    }

    [Fact]
    public async Task SwitchAsync_WhenRoute53ReportsTheSwitchInEffectAtOnce_ShouldConfirmItInTheSameStep()
    {
        // Arrange: a health check that follows its switch datapoint at once, and a record change INSYNC at once.
        var guarded = PlanBuilder.Switch(Samples.SwitchId) with { HealthCheckId = "hc-orders-web" };
        var service = Service(PlanBuilder.Sample().WithSwitches(guarded, PlanBuilder.RecordSwitch("www")));
        _switch.ChecksUntilInSync = 0;
        var run = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId, status: DatabaseStatuses.Writable)
            .WithSwitch(Samples.SwitchId).WithSwitch("www", kind: SwitchKinds.RecordUpsert).Writable().Build();

        // Act
        var result = await service.SwitchAsync(run, CancellationToken.None);

        // Assert: no poll needed; the time traffic moved is when it was seen.
        Assert.All(result.Switches, s => Assert.Equal((SwitchStatuses.Switched, (DateTimeOffset?)_clock.GetUtcNow()), (s.Status, s.SwitchedAt)));
        Assert.True(result.TrafficInSync);
        Assert.Equal(_clock.GetUtcNow(), result.TrafficSwitchedAt);
        Assert.Equal(["C-www", "healthcheck/hc-orders-web"], _switch.InSyncCalls.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CheckAsync_WhenRoute53NeverConfirms_ShouldGoOnAfterTheConfirmationTimeoutSayingItIsUnconfirmed()
    {
        // Arrange
        var guarded = PlanBuilder.Switch(Samples.SwitchId) with { HealthCheckId = "hc-orders-web" };
        var service = Service(PlanBuilder.Sample().WithSwitches(guarded));
        _switch.ChecksUntilInSync = int.MaxValue;
        var run = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId, status: DatabaseStatuses.Writable).WithSwitch(Samples.SwitchId).Writable().Build();
        var requestedAt = _clock.GetUtcNow();

        // Act
        var switched = await service.SwitchAsync(run, CancellationToken.None);
        _clock.Advance(TrafficSwitchService.ConfirmationTimeout + TimeSpan.FromSeconds(1));
        var result = await service.CheckAsync(switched, CancellationToken.None);

        // Assert
        var sw = Assert.Single(result.Switches);
        Assert.Equal((SwitchStatuses.Switched, requestedAt), (sw.Status, sw.SwitchedAt!.Value));
        Assert.Contains("Route 53 did not confirm it within 300 s", sw.Detail, StringComparison.Ordinal);
        Assert.True(result.TrafficInSync);
    }

    private TrafficSwitchService Service(PlanBuilder plan) => new(plan.Build(), _switch, _clock);
}
