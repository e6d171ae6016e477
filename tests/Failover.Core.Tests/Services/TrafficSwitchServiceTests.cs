using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Core.Tests.Support;

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
        Assert.Equal(plan.Build().Switches, _switch.Switched);
        Assert.All(result.Switches, s => Assert.Equal(("switched", (DateTimeOffset?)_clock.GetUtcNow()), (s.Status, s.SwitchedAt)));
        Assert.Equal("Failover/ApiSwitch = 1", result.Switches[1].Detail);
        Assert.Equal(_clock.GetUtcNow(), result.TrafficSwitchedAt);
        Assert.Equal(run.Databases, result.Databases);
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
        Assert.Equal(_clock.GetUtcNow(), result.TrafficSwitchedAt);
    }

    private TrafficSwitchService Service(PlanBuilder plan) => new(plan.Build(), _switch, _clock);
}
