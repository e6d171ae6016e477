using Failover.Core.Plans;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Testing;

namespace Failover.Core.Tests.Services;

public sealed class CapacityServiceTests
{
    private static readonly CapacityTarget Web = new() { Kind = CapacityKinds.AutoScalingGroup, Id = "web", Name = "orders-web", DesiredCapacity = 4 };
    private static readonly CapacityTarget Api = new() { Kind = CapacityKinds.EcsService, Id = "api", Cluster = "orders", Service = "api", DesiredCount = 3 };

    private readonly ManualClock _clock = new();
    private readonly FakeCapacity _capacity;

    public CapacityServiceTests() => _capacity = new FakeCapacity(_clock);

    [Fact]
    public async Task ScaleAsync_WhenBelowTarget_ShouldRaiseDesiredAndMinAndMaxOnceAndWaitForService()
    {
        // Arrange
        _capacity.With(Web, desired: 1, minSize: 1, maxSize: 2);
        var (service, run) = await PreparedAsync(Web);

        // Act
        var started = await service.ScaleAsync(run, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var checkedAgain = await service.ScaleAsync(started, CancellationToken.None);

        // Assert
        var update = Assert.Single(_capacity.Updates);
        Assert.Equal(new Ports.CapacitySize(4, 4, 4), update.Size);
        var entry = Assert.Single(checkedAgain.Capacity);
        Assert.Equal(CapacityStatuses.Scaling, entry.Status);
        Assert.Equal(1, entry.Reached);
        Assert.False(checkedAgain.CapacityReady);
    }

    [Fact]
    public async Task ScaleAsync_WhenTheTargetArrives_ShouldReportInServiceWithTheTimeToReachIt()
    {
        // Arrange
        _capacity.With(Web, desired: 1).With(Api, desired: 1);
        var (service, run) = await PreparedAsync(Web, Api);
        run = await service.ScaleAsync(run, CancellationToken.None);

        // Act
        _clock.Advance(TimeSpan.FromMinutes(3));
        var ready = await service.ScaleAsync(run, CancellationToken.None);

        // Assert
        Assert.True(ready.CapacityReady);
        Assert.All(ready.Capacity, c => Assert.Equal(CapacityStatuses.InService, c.Status));
        Assert.Equal([4, 3], ready.Capacity.Select(c => c.Reached));
        Assert.All(ready.Capacity, c => Assert.Equal(TimeSpan.FromMinutes(3), c.ReadyAt - c.StartedAt));
        Assert.Equal(2, _capacity.Updates.Count);
    }

    [Fact]
    public async Task ScaleAsync_WhenAlreadyAtTarget_ShouldChangeNothing()
    {
        // Arrange
        _capacity.With(Web, desired: 6, minSize: 6, maxSize: 10);
        var (service, run) = await PreparedAsync(Web);

        // Act
        var ready = await service.ScaleAsync(run, CancellationToken.None);

        // Assert
        Assert.Empty(_capacity.Updates);
        Assert.True(ready.CapacityReady);
        Assert.Equal(CapacityStatuses.InService, Assert.Single(ready.Capacity).Status);
    }

    [Fact]
    public async Task ScaleAsync_WhenAFractionIsEnough_ShouldBeReadyAtThatFraction()
    {
        // Arrange: 2 of 4 stay in service (the rest never arrives), and half the target is enough.
        _capacity.With(Web, desired: 2);
        _capacity.ArrivalTime = null;
        var (service, run) = await PreparedAsync(Web with { MinReadyFraction = 0.5 });

        // Act
        var ready = await service.ScaleAsync(run, CancellationToken.None);

        // Assert
        var entry = Assert.Single(ready.Capacity);
        Assert.Equal(2, entry.MinReady);
        Assert.Equal(CapacityStatuses.InService, entry.Status);
        Assert.Single(_capacity.Updates);
    }

    [Fact]
    public async Task ScaleAsync_WhenCriticalCapacityNeverArrives_ShouldFailPastItsWindow()
    {
        // Arrange
        _capacity.With(Web, desired: 1);
        _capacity.ArrivalTime = null;
        var (service, run) = await PreparedAsync(Web with { ReadyWithinSeconds = 120 });
        run = await service.ScaleAsync(run, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(120));
        run = await service.ScaleAsync(run, CancellationToken.None);

        // Act
        _clock.Advance(TimeSpan.FromSeconds(1));
        var ex = await Assert.ThrowsAsync<CapacityNotReadyException>(() => service.ScaleAsync(run, CancellationToken.None));

        // Assert
        Assert.Equal(CapacityStatuses.Scaling, Assert.Single(run.Capacity).Status);
        Assert.Contains("capacity 'web' is critical", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1 of 4 in service", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScaleAsync_WhenNonCriticalCapacityNeverArrives_ShouldEndNotInServiceAndLeaveThePartialRun()
    {
        // Arrange
        _capacity.With(Api, desired: 1);
        _capacity.ArrivalTime = null;
        var (service, run) = await PreparedAsync(Api with { Critical = false, ReadyWithinSeconds = 60 });
        run = await service.ScaleAsync(run, CancellationToken.None);

        // Act
        _clock.Advance(TimeSpan.FromSeconds(61));
        var ended = await service.ScaleAsync(run, CancellationToken.None);

        // Assert
        Assert.True(ended.CapacityReady);
        Assert.Equal(CapacityStatuses.NotInService, Assert.Single(ended.Capacity).Status);
        Assert.True(ended.HasFindings);
    }

    [Fact]
    public async Task ScaleAsync_WhenTheRunIsADrill_ShouldScaleNothing()
    {
        // Arrange
        _capacity.With(Web, desired: 1, maxSize: 2);
        var (service, run) = await PreparedAsync(RunModes.Drill, Web);

        // Act
        var drilled = await service.ScaleAsync(run, CancellationToken.None);

        // Assert
        Assert.Empty(_capacity.Updates);
        Assert.True(drilled.CapacityReady);
        var entry = Assert.Single(drilled.Capacity);
        Assert.Equal(CapacityStatuses.Verified, entry.Status);
        Assert.Contains("max size 2 is below the target: the run raises it to 4", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_WhenMatchingADarkPrimary_ShouldFallBackToThePlanAndSaySo()
    {
        // Arrange
        _capacity.With(Web, desired: 1);
        _capacity.PrimaryDark = true;
        var plan = Plan(Web with { MatchPrimary = true });

        // Act
        var read = await new CapacityReadiness(plan, _capacity, _clock).ReadAsync(RunModes.Failover, [], CancellationToken.None);

        // Assert
        var entry = Assert.Single(read);
        Assert.Equal(4, entry.Target);
        Assert.Contains("primary region us-east-1 does not answer", entry.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8, 8)]
    [InlineData(2, 4)]
    public async Task ReadAsync_WhenMatchingAnAnsweringPrimary_ShouldTakeTheLargerOfItAndThePlan(int primaryDesired, int expected)
    {
        // Arrange
        _capacity.With(Web, desired: 1).With(Web, desired: primaryDesired, primary: true);
        var plan = Plan(Web with { MatchPrimary = true });

        // Act
        var read = await new CapacityReadiness(plan, _capacity, _clock).ReadAsync(RunModes.Failover, [], CancellationToken.None);

        // Assert
        Assert.Equal(expected, Assert.Single(read).Target);
    }

    [Fact]
    public async Task ReadAsync_WhenAGroupIsMissingOrCannotLaunch_ShouldListEachProblem()
    {
        // Arrange
        _capacity.With(Web, desired: 1, launchSource: null);
        var problems = new List<string>();

        // Act
        var read = await new CapacityReadiness(Plan(Web, Api), _capacity, _clock).ReadAsync(RunModes.Drill, problems, CancellationToken.None);

        // Assert
        Assert.Single(read);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("capacity 'web': Auto Scaling group orders-web has no launch template", StringComparison.Ordinal));
        Assert.Contains("capacity 'api': ECS service orders/api does not exist in us-west-2", problems);
    }

    [Fact]
    public async Task PrepareAsync_WhenThePlanHasCapacity_ShouldCarryItIntoTheRunNotReadyYet()
    {
        // Arrange
        _capacity.With(Web, desired: 1).With(Api, desired: 3);
        var prepare = Prepare(Web, Api);

        // Act
        var run = await prepare.PrepareAsync(new PrepareRequest { Request = new StartRequest { Reason = "outage" }, ExecutionName = "orders-failover-1" }, CancellationToken.None);

        // Assert
        Assert.Equal([("web", CapacityStatuses.Pending, 4), ("api", CapacityStatuses.InService, 3)], run.Capacity.Select(c => (c.Id, c.Status, c.Target)));
        Assert.False(run.CapacityReady);
        Assert.Empty(_capacity.Updates);
    }

    [Fact]
    public async Task PrepareAsync_WhenAGroupIsMissing_ShouldRefuseTheRunAsNotReady()
    {
        // Arrange
        var prepare = Prepare(Web);

        // Act
        var ex = await Assert.ThrowsAsync<ReadinessFailedException>(() => prepare.PrepareAsync(new PrepareRequest { Request = new StartRequest { Reason = "outage" } }, CancellationToken.None));

        // Assert
        Assert.Equal(["capacity 'web': Auto Scaling group orders-web does not exist in us-west-2"], ex.Problems);
    }

    [Fact]
    public async Task SwitchAsync_WhenCriticalCapacityIsNotInService_ShouldRefuseAndSwitchNothing()
    {
        // Arrange: the databases are writable; the critical group is still scaling, the non-critical service ended short.
        var trafficSwitch = new FakeTrafficSwitch();
        var run = RunBuilder.Prepared().WithSwitch(Samples.SwitchId).Writable().Change(r => r with
        {
            Capacity =
            [
                new CapacityRun { Id = "web", Critical = true, Target = 4, Reached = 1, Status = CapacityStatuses.Scaling },
                new CapacityRun { Id = "api", Critical = false, Target = 3, Reached = 1, Status = CapacityStatuses.NotInService },
            ],
        }).Build();

        // Act
        var ex = await Assert.ThrowsAsync<TrafficSwitchRefusedException>(() => new TrafficSwitchService(PlanBuilder.Sample().Build(), trafficSwitch, _clock).SwitchAsync(run, CancellationToken.None));

        // Assert
        Assert.Equal("critical capacity is not in service yet: web (1 of 4, scaling)", ex.Message);
        Assert.Empty(trafficSwitch.Switched);
    }

    private PrepareService Prepare(params CapacityTarget[] capacity) => new(
        Plan(capacity) with { Databases = [], Switches = [] },
        new PreparePorts(new FakeDatabaseInstances(), new FakeAuroraClusters(), new FakeReplicaLagReader(), new FakeRecoveryServers(_clock), new FakeTrafficSwitch(), _capacity),
        _clock);

    private static RecoveryPlan Plan(params CapacityTarget[] capacity) => PlanBuilder.Sample().Change(p => p with { Capacity = capacity }).Build();

    private Task<(CapacityService Service, RunState Run)> PreparedAsync(params CapacityTarget[] capacity) => PreparedAsync(RunModes.Failover, capacity);

    private async Task<(CapacityService Service, RunState Run)> PreparedAsync(string mode, params CapacityTarget[] capacity)
    {
        var plan = Plan(capacity);
        var problems = new List<string>();
        var entries = await new CapacityReadiness(plan, _capacity, _clock).ReadAsync(mode, problems, CancellationToken.None);
        Assert.Empty(problems);
        var run = RunBuilder.Prepared().Change(r => r with { Mode = mode, Capacity = entries, CapacityReady = entries.All(e => e.Ended) }).Build();
        return (new CapacityService(plan, _capacity, _clock), run);
    }
}
