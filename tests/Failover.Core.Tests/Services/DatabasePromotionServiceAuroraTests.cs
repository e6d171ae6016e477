using Failover.Core.Plans;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Testing;

namespace Failover.Core.Tests.Services;

/// <summary>DatabasePromotionService for Aurora: replica clusters, global databases (switchover and failover), bounded concurrency.</summary>
public sealed class DatabasePromotionServiceAuroraTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);
    private readonly FakeDatabaseInstances _databases = new();
    private readonly FakeAuroraClusters _aurora = new();
    private readonly FakeReplicaLagReader _lag = new();
    private readonly ManualClock _clock = new();
    private readonly DatabasePromotionService _service;

    public DatabasePromotionServiceAuroraTests() =>
        _service = new DatabasePromotionService(new DatabasePorts(_databases, _aurora, _lag, new FakeDrillResources(_databases), Samples.RecoveryRegion, _ => DrillMethods.Verify), _clock, Timeout);

    // ---- Aurora replica cluster ----

    [Fact]
    public async Task PromoteAsync_WhenReplicaClusterIsAvailable_ShouldPromoteItOnceWithItsLag()
    {
        // Arrange
        _aurora.AddReplicaCluster(Samples.ReplicaClusterId);
        _lag.SetLag(Samples.ReplicaClusterId, 1.25);
        var run = RunBuilder.Prepared().WithReplicaCluster(lagSeconds: 9).Build();

        // Act
        var result = await _service.PromoteAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal([Samples.ReplicaClusterId], _aurora.PromoteClusterCalls);
        var db = Assert.Single(result.Databases);
        Assert.Equal((DatabaseStatuses.Promoting, 1.25, "cluster promotion requested"), (db.Status, db.Rpo?.Seconds, db.Detail));
        Assert.Equal(_clock.GetUtcNow(), db.PromotionStartedAt);
        Assert.Equal([(DatabaseKinds.AuroraClusterReplica, Samples.ReplicaClusterId)], _lag.ClusterCalls);
        Assert.Empty(_databases.DescribeCalls);
    }

    [Fact]
    public async Task PromoteAsync_WhenRetriedWhileTheClusterIsStillPromoting_ShouldNotPromoteAgain()
    {
        // Arrange
        _aurora.DescribesWhilePromoting = 5;
        _aurora.AddReplicaCluster(Samples.ReplicaClusterId);
        var run = RunBuilder.Prepared().WithReplicaCluster().Build();
        await _service.PromoteAsync(run, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(3));

        // Act: a Retry or redrive sends the same input, where the cluster is still "ready".
        var again = await _service.PromoteAsync(run, CancellationToken.None);

        // Assert
        Assert.Single(_aurora.PromoteClusterCalls);
        var db = Assert.Single(again.Databases);
        Assert.Equal(DatabaseStatuses.Promoting, db.Status);
        Assert.Equal("promotion underway (status promoting)", db.Detail);
    }

    [Fact]
    public async Task PromoteAsync_WhenTheClusterWasAlreadyPromoted_ShouldNotPromoteAgain()
    {
        // Arrange
        _aurora.AddStandaloneCluster(Samples.ReplicaClusterId);
        var run = RunBuilder.Prepared().WithReplicaCluster().Build();

        // Act
        var result = await _service.PromoteAsync(run, CancellationToken.None);

        // Assert
        Assert.Empty(_aurora.PromoteClusterCalls);
        Assert.Equal("already promoted by an earlier attempt", Assert.Single(result.Databases).Detail);
    }

    [Fact]
    public async Task CheckAsync_WhenClusterPromotionCompletes_ShouldMarkItWritable()
    {
        // Arrange
        _aurora.DescribesWhilePromoting = 1;
        _aurora.AddReplicaCluster(Samples.ReplicaClusterId);
        var run = await _service.PromoteAsync(RunBuilder.Prepared().WithReplicaCluster().Build(), CancellationToken.None);

        // Act
        _clock.Advance(TimeSpan.FromSeconds(30));
        var first = await _service.CheckAsync(run, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var second = await _service.CheckAsync(first, CancellationToken.None);

        // Assert
        Assert.False(first.DatabasesWritable);
        Assert.Equal("status promoting", first.Databases[0].Detail);
        Assert.True(second.DatabasesWritable);
        Assert.Equal(ManualClock.DefaultStart.AddSeconds(60), second.Databases[0].WritableAt);
    }

    [Fact]
    public async Task CheckAsync_WhenCriticalClusterFails_ShouldThrowPromotionFailed()
    {
        // Arrange
        _aurora.AddReplicaCluster(Samples.ReplicaClusterId);
        var run = await _service.PromoteAsync(RunBuilder.Prepared().WithReplicaCluster().Build(), CancellationToken.None);
        _aurora.SetClusterStatus(Samples.ReplicaClusterId, "failed");

        // Act
        var ex = await Assert.ThrowsAsync<DatabasePromotionFailedException>(() => _service.CheckAsync(run, CancellationToken.None));

        // Assert
        Assert.Contains($"{Samples.ReplicaClusterId} (status failed)", ex.Message, StringComparison.Ordinal);
    }

    // ---- Aurora global database ----

    [Fact]
    public async Task PromoteAsync_WhenSwitchoverWasChosen_ShouldSwitchOverOnceAndKeepThePreparedLag()
    {
        // Arrange
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        var run = RunBuilder.Prepared().WithGlobalDatabase(action: DatabaseActions.GlobalSwitchover, lagSeconds: 0.5).Build();

        // Act
        var result = await _service.PromoteAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal([(Samples.GlobalClusterId, Samples.SecondaryClusterArn)], _aurora.SwitchoverCalls);
        Assert.Empty(_aurora.FailoverCalls);
        var db = Assert.Single(result.Databases);
        Assert.Equal((DatabaseStatuses.Promoting, "switchover requested", 0.5), (db.Status, db.Detail, db.Rpo?.Seconds));
        Assert.Equal([(Samples.GlobalClusterId, Samples.RecoveryRegion)], _aurora.DescribeGlobalCalls);
    }

    [Fact]
    public async Task PromoteAsync_WhenFailoverWasChosen_ShouldFailOverOnceReadingTheLagJustBefore()
    {
        // Arrange
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn).MakeUnreachable(Samples.PrimaryRegion);
        _lag.SetLag(Samples.SecondaryClusterId, 3);
        var run = RunBuilder.Prepared().WithGlobalDatabase(action: DatabaseActions.GlobalFailover, lagSeconds: 1).Build();

        // Act
        var result = await _service.PromoteAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal([(Samples.GlobalClusterId, Samples.SecondaryClusterArn)], _aurora.FailoverCalls);
        Assert.Empty(_aurora.SwitchoverCalls);
        var db = Assert.Single(result.Databases);
        Assert.Equal((3.0, "failover with data loss requested"), (db.Rpo?.Seconds, db.Detail));
        Assert.Equal([(DatabaseKinds.AuroraGlobal, Samples.SecondaryClusterId)], _lag.ClusterCalls);
    }

    [Theory]
    [InlineData(DatabaseActions.GlobalSwitchover)]
    [InlineData(DatabaseActions.GlobalFailover)]
    public async Task PromoteAsync_WhenRetriedWhileTheFailoverIsUnderway_ShouldNotAskAgain(string action)
    {
        // Arrange
        _aurora.DescribesWhileFailingOver = 5;
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        var run = RunBuilder.Prepared().WithGlobalDatabase(action: action).Build();
        await _service.PromoteAsync(run, CancellationToken.None);

        // Act
        var again = await _service.PromoteAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal(1, _aurora.ChangeCalls);
        var db = Assert.Single(again.Databases);
        Assert.Equal(DatabaseStatuses.Promoting, db.Status);
        Assert.EndsWith("underway", db.Detail, StringComparison.Ordinal);
        Assert.Contains(action == DatabaseActions.GlobalSwitchover ? "switching-over" : "failing-over", db.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromoteAsync_WhenRedrivenAfterTheTargetBecameTheWriter_ShouldNotAskAgainAndCheckShouldFindItWritable()
    {
        // Arrange
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.SecondaryClusterArn, Samples.PrimaryClusterArn);
        var run = RunBuilder.Prepared().WithGlobalDatabase().Build();

        // Act
        var promoted = await _service.PromoteAsync(run, CancellationToken.None);
        var checkedRun = await _service.CheckAsync(promoted, CancellationToken.None);

        // Assert
        Assert.Equal(0, _aurora.ChangeCalls);
        Assert.Equal("target already the writer", promoted.Databases[0].Detail);
        Assert.True(checkedRun.DatabasesWritable);
    }

    [Fact]
    public async Task CheckAsync_WhenSwitchoverIsUnderwayAndThenDone_ShouldWaitThenDetectTheNewWriter()
    {
        // Arrange
        _aurora.DescribesWhileFailingOver = 1;
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        var run = await _service.PromoteAsync(RunBuilder.Prepared().WithGlobalDatabase().Build(), CancellationToken.None);

        // Act
        _clock.Advance(TimeSpan.FromSeconds(20));
        var first = await _service.CheckAsync(run, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(20));
        var second = await _service.CheckAsync(first, CancellationToken.None);

        // Assert
        Assert.Equal((DatabaseStatuses.Promoting, "status switching-over"), (first.Databases[0].Status, first.Databases[0].Detail));
        Assert.False(first.DatabasesWritable);
        Assert.Equal(DatabaseStatuses.Writable, second.Databases[0].Status);
        Assert.Equal(ManualClock.DefaultStart.AddSeconds(40), second.Databases[0].WritableAt);
        Assert.True(second.DatabasesWritable);
        Assert.Equal(Samples.SecondaryClusterArn, _aurora.WriterOf(Samples.GlobalClusterId));
    }

    [Fact]
    public async Task CheckAsync_WhenTheFailoverIsCancelling_ShouldFailTheCriticalDatabase()
    {
        // Arrange
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        var run = await _service.PromoteAsync(RunBuilder.Prepared().WithGlobalDatabase(action: DatabaseActions.GlobalFailover).Build(), CancellationToken.None);
        _aurora.SetFailoverStatus(Samples.GlobalClusterId, "cancelling");

        // Act
        var ex = await Assert.ThrowsAsync<DatabasePromotionFailedException>(() => _service.CheckAsync(run, CancellationToken.None));

        // Assert
        Assert.Contains($"{Samples.GlobalClusterId} (status cancelling)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_WhenANonCriticalGlobalDatabaseIsCancelling_ShouldMarkItFailedAndGoOn()
    {
        // Arrange
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        var run = await _service.PromoteAsync(RunBuilder.Prepared().WithGlobalDatabase(action: DatabaseActions.GlobalFailover, critical: false).Build(), CancellationToken.None);
        _aurora.SetFailoverStatus(Samples.GlobalClusterId, "cancelling");

        // Act
        var result = await _service.CheckAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal((DatabaseStatuses.Failed, "status cancelling"), (result.Databases[0].Status, result.Databases[0].Detail));
        Assert.True(result.DatabasesWritable);
    }

    [Fact]
    public async Task CheckAsync_WhenTheFailoverEndsWithoutANewWriter_ShouldTimeOut()
    {
        // Arrange: no failover is underway any more and the old writer stays; there is nothing to fall back to.
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        var run = await _service.PromoteAsync(RunBuilder.Prepared().WithGlobalDatabase(action: DatabaseActions.GlobalFailover).Build(), CancellationToken.None);
        _aurora.SetFailoverStatus(Samples.GlobalClusterId, null);
        run = await _service.CheckAsync(run, CancellationToken.None);
        _clock.Advance(Timeout + TimeSpan.FromSeconds(1));

        // Act
        var ex = await Assert.ThrowsAsync<DatabasePromotionTimeoutException>(() => _service.CheckAsync(run, CancellationToken.None));

        // Assert
        Assert.Equal("status not the writer", run.Databases[0].Detail);
        Assert.Contains("not writable after 1800 s (status not the writer)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromoteAsync_WhenTheSwitchoverIsRefusedInFailoverMode_ShouldFailOverWithDataLossAtOnce()
    {
        // Arrange: the regional API answers but the primary is impaired; RDS refuses the switchover.
        _aurora.Switchovers = SwitchoverBehaviour.Refuse;
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        _lag.SetLag(Samples.SecondaryClusterId, 2);
        var run = RunBuilder.Prepared().WithGlobalDatabase(lagSeconds: 0.5, fallBackToFailover: true).Build();

        // Act
        var result = await _service.PromoteAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal([(Samples.GlobalClusterId, Samples.SecondaryClusterArn)], _aurora.SwitchoverCalls);
        Assert.Equal([(Samples.GlobalClusterId, Samples.SecondaryClusterArn)], _aurora.FailoverCalls);
        var db = Assert.Single(result.Databases);
        Assert.Equal((DatabaseStatuses.Promoting, DatabaseActions.GlobalFailover, 0.5), (db.Status, db.Action, db.Rpo?.Seconds));
        Assert.StartsWith("switchover refused (InvalidGlobalClusterStateFault: ", db.Detail, StringComparison.Ordinal);
        Assert.EndsWith("failover with data loss requested", db.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromoteAsync_WhenTheSwitchoverIsRefusedInSwitchoverMode_ShouldFailTheDatabaseWithTheReasonAndNeverFailOver()
    {
        // Arrange
        _aurora.Switchovers = SwitchoverBehaviour.Refuse;
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        var run = RunBuilder.Prepared().WithGlobalDatabase(fallBackToFailover: false).Build() with { Mode = RunModes.Switchover };

        // Act
        var promoted = await _service.PromoteAsync(run, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<DatabasePromotionFailedException>(() => _service.CheckAsync(promoted, CancellationToken.None));

        // Assert
        Assert.Empty(_aurora.FailoverCalls);
        var db = Assert.Single(promoted.Databases);
        Assert.Equal((DatabaseStatuses.Failed, DatabaseActions.GlobalSwitchover), (db.Status, db.Action));
        Assert.Contains("switchover refused (InvalidGlobalClusterStateFault: ", db.Detail, StringComparison.Ordinal);
        Assert.Contains("a switchover never loses data: start a failover to accept the loss", ex.Message, StringComparison.Ordinal);
        Assert.False(promoted.DatabasesWritable);
    }

    [Fact]
    public async Task CheckAsync_WhenTheSwitchoverIsCancelledInFailoverMode_ShouldWaitForTheOldWriterThenFailOver()
    {
        // Arrange: RDS accepts the switchover, cancels it ("cancelling"), then the old writer is back.
        _aurora.Switchovers = SwitchoverBehaviour.Cancel;
        _aurora.DescribesWhileFailingOver = 1;
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        var run = await _service.PromoteAsync(RunBuilder.Prepared().WithGlobalDatabase(fallBackToFailover: true).Build(), CancellationToken.None);

        // Act
        _clock.Advance(TimeSpan.FromSeconds(10));
        var cancelling = await _service.CheckAsync(run, CancellationToken.None);
        var failoverCallsWhileCancelling = _aurora.FailoverCalls.Count;
        _clock.Advance(TimeSpan.FromSeconds(10));
        var fellBack = await _service.CheckAsync(cancelling, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(10));
        var failingOver = await _service.CheckAsync(fellBack, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(10));
        var done = await _service.CheckAsync(failingOver, CancellationToken.None);

        // Assert
        Assert.Equal(0, failoverCallsWhileCancelling);
        Assert.Equal((DatabaseStatuses.Promoting, DatabaseActions.GlobalSwitchover), (cancelling.Databases[0].Status, cancelling.Databases[0].Action));
        Assert.Contains("switchover is being cancelled", cancelling.Databases[0].Detail, StringComparison.Ordinal);
        Assert.Equal([(Samples.GlobalClusterId, Samples.SecondaryClusterArn)], _aurora.FailoverCalls);
        Assert.Equal((DatabaseStatuses.Promoting, DatabaseActions.GlobalFailover), (fellBack.Databases[0].Status, fellBack.Databases[0].Action));
        Assert.Equal("switchover cancelled, the old writer kept: failover with data loss requested", fellBack.Databases[0].Detail);
        Assert.Equal(ManualClock.DefaultStart, fellBack.Databases[0].PromotionStartedAt);
        Assert.Equal(DatabaseStatuses.Writable, done.Databases[0].Status);
        Assert.True(done.DatabasesWritable);
        Assert.Equal(Samples.SecondaryClusterArn, _aurora.WriterOf(Samples.GlobalClusterId));
    }

    [Fact]
    public async Task CheckAsync_WhenTheSwitchoverEndedWithTheOldWriterInFailoverMode_ShouldFailOver()
    {
        // Arrange: no "cancelling" was seen, but the switchover is over and the writer did not change.
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        var run = await _service.PromoteAsync(RunBuilder.Prepared().WithGlobalDatabase(fallBackToFailover: true).Build(), CancellationToken.None);
        _aurora.SetFailoverStatus(Samples.GlobalClusterId, null);

        // Act
        var result = await _service.CheckAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal([(Samples.GlobalClusterId, Samples.SecondaryClusterArn)], _aurora.FailoverCalls);
        Assert.Equal((DatabaseStatuses.Promoting, DatabaseActions.GlobalFailover), (result.Databases[0].Status, result.Databases[0].Action));
    }

    [Fact]
    public async Task CheckAsync_WhenTheSwitchoverIsCancelledInSwitchoverMode_ShouldFailTheDatabaseWithoutFailingOver()
    {
        // Arrange
        _aurora.Switchovers = SwitchoverBehaviour.Cancel;
        _aurora.DescribesWhileFailingOver = 1;
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        var run = await _service.PromoteAsync(RunBuilder.Prepared().WithGlobalDatabase(fallBackToFailover: false).Build() with { Mode = RunModes.Switchover }, CancellationToken.None);

        // Act
        var ex = await Assert.ThrowsAsync<DatabasePromotionFailedException>(() => _service.CheckAsync(run, CancellationToken.None));

        // Assert
        Assert.Empty(_aurora.FailoverCalls);
        Assert.Contains($"{Samples.GlobalClusterId} (switchover cancelled by RDS (status cancelling); a switchover never loses data: start a failover to accept the loss)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_WhenTheSwitchoverEndedWithTheOldWriterInSwitchoverMode_ShouldFailTheDatabase()
    {
        // Arrange
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        var run = await _service.PromoteAsync(RunBuilder.Prepared().WithGlobalDatabase().Build() with { Mode = RunModes.Switchover }, CancellationToken.None);
        _aurora.SetFailoverStatus(Samples.GlobalClusterId, null);

        // Act
        var ex = await Assert.ThrowsAsync<DatabasePromotionFailedException>(() => _service.CheckAsync(run, CancellationToken.None));

        // Assert
        Assert.Empty(_aurora.FailoverCalls);
        Assert.Contains("switchover ended with the old writer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_WhenTheGlobalDatabaseDisappears_ShouldFail()
    {
        // Arrange
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        var run = await _service.PromoteAsync(RunBuilder.Prepared().WithGlobalDatabase().Build(), CancellationToken.None);
        _aurora.Remove(Samples.GlobalClusterId);

        // Act
        var ex = await Assert.ThrowsAsync<DatabasePromotionFailedException>(() => _service.CheckAsync(run, CancellationToken.None));

        // Assert
        Assert.Contains($"{Samples.GlobalClusterId} (no longer exists)", ex.Message, StringComparison.Ordinal);
    }

    // ---- Bounded concurrency ----

    [Fact]
    public async Task PromoteAsync_WhenManyDatabases_ShouldWorkOnExactlyDatabaseConcurrencyAtOnce()
    {
        // Arrange
        var ids = Enumerable.Range(1, 8).Select(i => $"cluster-{i}").ToList();
        var builder = RunBuilder.Prepared().WithConcurrency(3);
        foreach (var id in ids)
        {
            _aurora.AddReplicaCluster(id);
            builder.WithReplicaCluster(id);
        }

        _aurora.Probe = new ConcurrencyProbe(barrier: 3);

        // Act
        var result = await _service.PromoteAsync(builder.Build(), CancellationToken.None);

        // Assert
        Assert.Equal(3, _aurora.Probe.MaxInFlight);
        Assert.Equal(ids, _aurora.PromoteClusterCalls.Order(StringComparer.Ordinal));
        Assert.Equal(ids, result.Databases.Select(d => d.Id));
        Assert.All(result.Databases, d => Assert.Equal(DatabaseStatuses.Promoting, d.Status));
    }

    [Fact]
    public async Task CheckAsync_WhenManyDatabasesArePromoting_ShouldReadExactlyDatabaseConcurrencyAtOnce()
    {
        // Arrange
        _aurora.DescribesWhilePromoting = 0;
        var builder = RunBuilder.Prepared().WithConcurrency(4);
        for (var i = 1; i <= 9; i++)
        {
            _aurora.AddReplicaCluster($"cluster-{i}");
            builder.WithReplicaCluster($"cluster-{i}");
        }

        var run = await _service.PromoteAsync(builder.Build(), CancellationToken.None);
        _aurora.Probe = new ConcurrencyProbe(barrier: 4);

        // Act
        var result = await _service.CheckAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal(4, _aurora.Probe.MaxInFlight);
        Assert.Equal(9, _aurora.Probe.Calls);
        Assert.True(result.DatabasesWritable);
    }
}
