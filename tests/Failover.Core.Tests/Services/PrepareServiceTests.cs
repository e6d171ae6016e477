using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Core.Tests.Support;

namespace Failover.Core.Tests.Services;

public sealed class PrepareServiceTests
{
    private readonly FakeDatabaseInstances _databases = new();
    private readonly FakeReplicaLagReader _lag = new();
    private readonly ManualClock _clock = new();

    [Fact]
    public async Task PrepareAsync_WhenReplicaIsReady_ShouldReturnAReadyRunWithLag()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId, source: Samples.PrimaryId);
        _lag.SetLag(Samples.ReplicaId, 4.5);
        var service = Service(PlanBuilder.Sample());
        var trigger = new TriggerInfo { AlarmArn = Samples.AlarmArn, AlarmName = Samples.AlarmName, AlarmTime = Samples.AlarmTime };

        // Act
        var run = await service.PrepareAsync(new StartRequest { Mode = RunModes.Failover, Reason = "drill", Trigger = trigger }, CancellationToken.None);

        // Assert
        Assert.Equal(Samples.PlanName, run.Plan);
        Assert.Equal(RunModes.Failover, run.Mode);
        Assert.Equal("drill", run.Reason);
        Assert.Equal(trigger, run.Trigger);
        Assert.Equal(_clock.GetUtcNow(), run.PreparedAt);
        var db = Assert.Single(run.Databases);
        Assert.Equal(Samples.ReplicaId, db.Id);
        Assert.Equal(DatabaseStatuses.Ready, db.Status);
        Assert.True(db.Critical);
        Assert.Equal(4.5, db.LagSeconds);
        Assert.Contains(Samples.PrimaryId, db.Detail, StringComparison.Ordinal);
        Assert.False(run.DatabasesWritable);
        var sw = Assert.Single(run.Switches);
        Assert.Equal((Samples.SwitchId, "pending"), (sw.Id, sw.Status));
        Assert.Null(run.TrafficSwitchedAt);
        Assert.Empty(_databases.PromoteCalls);
    }

    [Fact]
    public async Task PrepareAsync_WhenLagIsUnknown_ShouldRecordMinusOne()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        var service = Service(PlanBuilder.Sample());

        // Act
        var run = await service.PrepareAsync(new StartRequest(), CancellationToken.None);

        // Assert
        Assert.Equal(-1, Assert.Single(run.Databases).LagSeconds);
    }

    [Fact]
    public async Task PrepareAsync_WhenReplicasAreMissingOrNotReplicas_ShouldListEveryProblemAndChangeNothing()
    {
        // Arrange
        _databases.AddReplica("orders-replica");
        _databases.AddStandalone("billing-db", status: "modifying");
        var plan = PlanBuilder.Sample().WithDatabases(
            PlanBuilder.Database("orders-replica"),
            PlanBuilder.Database("users-replica"),
            PlanBuilder.Database("billing-db"),
            PlanBuilder.Database("audit-replica", critical: false));
        var service = Service(plan);

        // Act
        var ex = await Assert.ThrowsAsync<ReadinessFailedException>(() => service.PrepareAsync(new StartRequest { Reason = "drill" }, CancellationToken.None));

        // Assert
        Assert.Equal(3, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.Contains("'users-replica' does not exist in us-west-2", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("'billing-db' is not a read replica (status modifying)", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("'audit-replica' does not exist", StringComparison.Ordinal));
        foreach (var problem in ex.Problems)
        {
            Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        }

        Assert.Empty(_databases.PromoteCalls);
    }

    [Fact]
    public async Task PrepareAsync_WhenDatabaseIsAlreadyStandaloneAndAvailable_ShouldRecordItAsWritable()
    {
        // Arrange
        _databases.AddStandalone(Samples.ReplicaId);
        var service = Service(PlanBuilder.Sample());

        // Act
        var run = await service.PrepareAsync(new StartRequest(), CancellationToken.None);

        // Assert
        var db = Assert.Single(run.Databases);
        Assert.Equal(DatabaseStatuses.Writable, db.Status);
        Assert.Equal("already standalone", db.Detail);
        Assert.True(run.DatabasesWritable);
        Assert.Empty(_databases.PromoteCalls);
    }

    [Fact]
    public async Task PrepareAsync_WhenOnlyANonCriticalDatabaseIsAReplica_ShouldReportDatabasesWritable()
    {
        // Arrange
        _databases.AddStandalone("orders-replica");
        _databases.AddReplica("reports-replica");
        var service = Service(PlanBuilder.Sample().WithDatabases(PlanBuilder.Database("orders-replica"), PlanBuilder.Database("reports-replica", critical: false)));

        // Act
        var run = await service.PrepareAsync(new StartRequest(), CancellationToken.None);

        // Assert
        Assert.True(run.DatabasesWritable);
        Assert.Equal([DatabaseStatuses.Writable, DatabaseStatuses.Ready], run.Databases.Select(d => d.Status));
    }

    [Fact]
    public async Task PrepareAsync_WhenPlanHasOnlySwitches_ShouldReportDatabasesWritable()
    {
        // Arrange
        var service = Service(PlanBuilder.Sample().WithDatabases());

        // Act
        var run = await service.PrepareAsync(new StartRequest(), CancellationToken.None);

        // Assert
        Assert.Empty(run.Databases);
        Assert.True(run.DatabasesWritable);
        Assert.Empty(_databases.DescribeCalls);
    }

    [Theory]
    [InlineData(RunModes.Drill)]
    [InlineData(RunModes.Switchover)]
    [InlineData("")]
    [InlineData("FAILOVER")]
    public async Task PrepareAsync_WhenModeIsNotFailover_ShouldRejectTheInputBeforeReadingAnything(string mode)
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        var service = Service(PlanBuilder.Sample());

        // Act
        var ex = await Assert.ThrowsAsync<InvalidRunInputException>(() => service.PrepareAsync(new StartRequest { Mode = mode }, CancellationToken.None));

        // Assert
        Assert.Contains($"'{mode}'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_databases.DescribeCalls);
        Assert.Empty(_lag.Calls);
    }

    [Fact]
    public async Task PrepareAsync_WhenDescribeFails_ShouldLetTheErrorThrough()
    {
        // Arrange
        _databases.FailDescribe(Samples.ReplicaId, new SimulatedAwsException("Throttling", "Rate exceeded"));
        var service = Service(PlanBuilder.Sample());

        // Act
        var ex = await Assert.ThrowsAsync<SimulatedAwsException>(() => service.PrepareAsync(new StartRequest(), CancellationToken.None));

        // Assert
        Assert.Equal("Throttling", ex.Code);
    }

    [Fact]
    public async Task PrepareAsync_WhenCancelled_ShouldStop()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        var service = Service(PlanBuilder.Sample());
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        // Act
        var ex = await Record.ExceptionAsync(() => service.PrepareAsync(new StartRequest(), cancellation.Token));

        // Assert
        Assert.IsAssignableFrom<OperationCanceledException>(ex);
    }

    private PrepareService Service(PlanBuilder plan) => new(plan.Build(), _databases, _lag, _clock);
}
