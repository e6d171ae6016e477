using Failover.Core.Plans;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Testing;

namespace Failover.Core.Tests.Services;

public sealed class DatabasePromotionServiceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);
    private readonly FakeDatabaseInstances _databases = new();
    private readonly FakeAuroraClusters _aurora = new();
    private readonly FakeReplicaLagReader _lag = new();
    private readonly ManualClock _clock = new();
    private readonly DatabasePromotionService _service;

    public DatabasePromotionServiceTests() =>
        _service = new DatabasePromotionService(new DatabasePorts(_databases, _aurora, _lag, new FakeDrillResources(_databases), Samples.RecoveryRegion, _ => DrillMethods.Verify), _clock, Timeout);

    [Fact]
    public async Task PromoteAsync_WhenDatabasesAreReady_ShouldPromoteOnlyTheReplicas()
    {
        // Arrange
        _databases.AddReplica("orders-replica").AddStandalone("users-db").AddReplica("done-replica");
        _lag.SetLag("orders-replica", 2.25).SetLag("users-db", 3);
        var run = RunBuilder.Prepared()
            .WithDatabase("orders-replica", lagSeconds: 9)
            .WithDatabase("users-db", lagSeconds: 3)
            .WithDatabase("done-replica", status: DatabaseStatuses.Writable)
            .Build();

        // Act
        var result = await _service.PromoteAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal(["orders-replica"], _databases.PromoteCalls);
        var orders = result.Databases[0];
        Assert.Equal(DatabaseStatuses.Promoting, orders.Status);
        Assert.Equal(2.25, orders.Rpo?.Seconds);
        Assert.Equal(_clock.GetUtcNow(), orders.PromotionStartedAt);
        Assert.Equal("promotion requested", orders.Detail);
        var users = result.Databases[1];
        Assert.Equal(DatabaseStatuses.Promoting, users.Status);
        Assert.Equal(3, users.Rpo?.Seconds);
        Assert.Equal("already promoted by an earlier attempt", users.Detail);
        Assert.Equal(run.Databases[2], result.Databases[2]);
        Assert.Equal(["orders-replica", "users-db"], _lag.Calls);
    }

    [Fact]
    public async Task PromoteAsync_WhenTheFreshReadFindsNoDatapoint_ShouldKeepTheEvidencePrepareTook()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        var run = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId, lagSeconds: 7).Build();

        // Act
        var result = await _service.PromoteAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal(7, Assert.Single(result.Databases).Rpo?.Seconds);
    }

    [Fact]
    public async Task PromoteAsync_WhenRunIsAlreadyPromoting_ShouldNotPromoteAgain()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        var run = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId).Build();
        var promoting = await _service.PromoteAsync(run, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(10));

        // Act
        var again = await _service.PromoteAsync(promoting, CancellationToken.None);

        // Assert
        Assert.Single(_databases.PromoteCalls);
        Assert.Equal(promoting.Databases, again.Databases);
        Assert.Equal(ManualClock.DefaultStart, Assert.Single(again.Databases).PromotionStartedAt);
    }

    // A Step Functions Retry (after throttling) or a redrive re-sends the *input* of Promote databases: the run
    // still says "ready" for a replica the first attempt already promoted. RDS reports that instance as
    // "modifying" and still names its source while the promotion runs, and refuses a second PromoteReadReplica
    // (InvalidDBInstanceState). DESIGN decision 5: every step reads the current state first and acts only
    // when needed, so the retry must not promote again.
    [Fact]
    public async Task PromoteAsync_WhenRetriedWhileAnEarlierPromotionIsStillRunning_ShouldNotPromoteAgain()
    {
        // Arrange
        _databases.DescribesWhileModifying = 5;
        _databases.AddReplica("orders-replica").AddReplica("users-replica");
        var run = RunBuilder.Prepared().WithDatabase("orders-replica").WithDatabase("users-replica").Build();
        _databases.FailDescribe("users-replica", new SimulatedAwsException("Throttling", "Rate exceeded"), times: 1);
        await Assert.ThrowsAsync<SimulatedAwsException>(() => _service.PromoteAsync(run, CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(2));

        // Act
        var ex = await Record.ExceptionAsync(() => _service.PromoteAsync(run, CancellationToken.None));

        // Assert
        Assert.Null(ex);
        Assert.Equal(["orders-replica", "users-replica"], _databases.PromoteCalls);
    }

    [Fact]
    public async Task PromoteAsync_WhenDatabaseDisappeared_ShouldFailNamingIt()
    {
        // Arrange
        var run = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId).Build();

        // Act
        var ex = await Assert.ThrowsAsync<DatabasePromotionFailedException>(() => _service.PromoteAsync(run, CancellationToken.None));

        // Assert
        Assert.Contains($"'{Samples.ReplicaId}'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_databases.PromoteCalls);
    }

    [Fact]
    public async Task PromoteAsync_WhenPromoteIsThrottled_ShouldLetTheErrorThroughForTheRetry()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        _databases.PromoteFailure = new SimulatedAwsException("Throttling", "Rate exceeded");
        var run = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId).Build();

        // Act
        var ex = await Assert.ThrowsAsync<SimulatedAwsException>(() => _service.PromoteAsync(run, CancellationToken.None));

        // Assert
        Assert.Equal("Throttling", ex.Code);
    }

    [Fact]
    public async Task CheckAsync_WhenPromotionCompletes_ShouldMarkWritableOnTheFirstCheckThatSeesIt()
    {
        // Arrange
        _databases.DescribesWhileModifying = 2;
        _databases.AddReplica(Samples.ReplicaId);
        var run = await _service.PromoteAsync(RunBuilder.Prepared().WithDatabase(Samples.ReplicaId).Build(), CancellationToken.None);

        // Act
        var states = new List<RunState>();
        for (var i = 0; i < 3; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(30));
            run = await _service.CheckAsync(run, CancellationToken.None);
            states.Add(run);
        }

        // Assert
        Assert.Equal([false, false, true], states.Select(s => s.DatabasesWritable));
        Assert.Equal("status modifying", states[0].Databases[0].Detail);
        Assert.Equal(DatabaseStatuses.Promoting, states[1].Databases[0].Status);
        var db = Assert.Single(run.Databases);
        Assert.Equal(DatabaseStatuses.Writable, db.Status);
        Assert.Equal(ManualClock.DefaultStart.AddSeconds(90), db.WritableAt);
        Assert.Equal("writable", db.Detail);
        Assert.Single(_databases.PromoteCalls);
    }

    [Fact]
    public async Task CheckAsync_WhenToldPromotionIsComplete_ShouldMarkWritable()
    {
        // Arrange
        _databases.DescribesWhileModifying = 100;
        _databases.AddReplica(Samples.ReplicaId);
        var run = await _service.PromoteAsync(RunBuilder.Prepared().WithDatabase(Samples.ReplicaId).Build(), CancellationToken.None);
        _databases.CompletePromotion(Samples.ReplicaId);

        // Act
        var result = await _service.CheckAsync(run, CancellationToken.None);

        // Assert
        Assert.True(result.DatabasesWritable);
        Assert.Equal(DatabaseStatuses.Writable, Assert.Single(result.Databases).Status);
    }

    [Fact]
    public async Task CheckAsync_WhenNoDatabaseIsPromoting_ShouldNotDescribeAnything()
    {
        // Arrange
        var run = RunBuilder.Prepared().WithDatabase("a", status: DatabaseStatuses.Writable).WithDatabase("b", status: DatabaseStatuses.Writable).Build();

        // Act
        var result = await _service.CheckAsync(run, CancellationToken.None);

        // Assert
        Assert.Empty(_databases.DescribeCalls);
        Assert.True(result.DatabasesWritable);
    }

    [Theory]
    [InlineData("failed")]
    [InlineData("incompatible-parameters")]
    [InlineData("storage-full")]
    [InlineData("inaccessible-encryption-credentials")]
    [InlineData("deleting")]
    public async Task CheckAsync_WhenCriticalDatabaseReachesATerminalStatus_ShouldThrowPromotionFailed(string status)
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        var run = await _service.PromoteAsync(RunBuilder.Prepared().WithDatabase(Samples.ReplicaId).Build(), CancellationToken.None);
        _databases.SetStatus(Samples.ReplicaId, status);

        // Act
        var ex = await Assert.ThrowsAsync<DatabasePromotionFailedException>(() => _service.CheckAsync(run, CancellationToken.None));

        // Assert
        Assert.Contains($"{Samples.ReplicaId} (status {status})", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_WhenCriticalDatabaseNoLongerExists_ShouldThrowPromotionFailed()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        var run = await _service.PromoteAsync(RunBuilder.Prepared().WithDatabase(Samples.ReplicaId).Build(), CancellationToken.None);
        _databases.Remove(Samples.ReplicaId);

        // Act
        var ex = await Assert.ThrowsAsync<DatabasePromotionFailedException>(() => _service.CheckAsync(run, CancellationToken.None));

        // Assert
        Assert.Contains($"{Samples.ReplicaId} (no longer exists)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_WhenPromotionExceedsTheTimeout_ShouldThrowPromotionTimeout()
    {
        // Arrange
        _databases.DescribesWhileModifying = int.MaxValue;
        _databases.AddReplica(Samples.ReplicaId);
        var run = await _service.PromoteAsync(RunBuilder.Prepared().WithDatabase(Samples.ReplicaId).Build(), CancellationToken.None);
        _clock.Advance(Timeout);
        run = await _service.CheckAsync(run, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));

        // Act
        var ex = await Assert.ThrowsAsync<DatabasePromotionTimeoutException>(() => _service.CheckAsync(run, CancellationToken.None));

        // Assert
        Assert.False(run.DatabasesWritable);
        Assert.Equal(DatabaseStatuses.Promoting, run.Databases[0].Status);
        Assert.Contains($"{Samples.ReplicaId} (not writable after 1800 s (status modifying))", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_WhenNonCriticalDatabaseFails_ShouldNotBlockTheRun()
    {
        // Arrange
        _databases.AddReplica("orders-replica").AddReplica("reports-replica");
        var run = await _service.PromoteAsync(
            RunBuilder.Prepared().WithDatabase("orders-replica").WithDatabase("reports-replica", critical: false).Build(), CancellationToken.None);
        _databases.CompletePromotion("orders-replica");
        _databases.SetStatus("reports-replica", "incompatible-network");

        // Act
        var result = await _service.CheckAsync(run, CancellationToken.None);

        // Assert
        Assert.True(result.DatabasesWritable);
        Assert.Equal([DatabaseStatuses.Writable, DatabaseStatuses.Failed], result.Databases.Select(d => d.Status));
        Assert.Equal("status incompatible-network", result.Databases[1].Detail);
    }

    [Fact]
    public async Task CheckAsync_WhenNonCriticalDatabaseTimesOut_ShouldNotThrow()
    {
        // Arrange
        _databases.DescribesWhileModifying = int.MaxValue;
        _databases.AddReplica("orders-replica").AddReplica("reports-replica");
        var run = await _service.PromoteAsync(
            RunBuilder.Prepared().WithDatabase("orders-replica").WithDatabase("reports-replica", critical: false).Build(), CancellationToken.None);
        _databases.CompletePromotion("orders-replica");
        _clock.Advance(Timeout + TimeSpan.FromSeconds(1));

        // Act
        var result = await _service.CheckAsync(run, CancellationToken.None);

        // Assert
        Assert.True(result.DatabasesWritable);
        Assert.Equal(DatabaseStatuses.Failed, result.Databases[1].Status);
        Assert.StartsWith("not writable after 1800 s", result.Databases[1].Detail, StringComparison.Ordinal);
    }

    // RunState.DatabasesWritable is documented as "True once every critical database is writable", and
    // DatabaseTarget.Critical as the databases traffic waits for; PrepareService computes it that way too. A
    // non-critical replica that is still promoting must not hold traffic back (up to the promotion timeout).
    [Fact]
    public async Task CheckAsync_WhenEveryCriticalDatabaseIsWritableAndANonCriticalIsStillPromoting_ShouldReportDatabasesWritable()
    {
        // Arrange
        _databases.DescribesWhileModifying = int.MaxValue;
        _databases.AddReplica("orders-replica").AddReplica("reports-replica");
        var run = await _service.PromoteAsync(
            RunBuilder.Prepared().WithDatabase("orders-replica").WithDatabase("reports-replica", critical: false).Build(), CancellationToken.None);
        _databases.CompletePromotion("orders-replica");

        // Act
        var result = await _service.CheckAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal([DatabaseStatuses.Writable, DatabaseStatuses.Promoting], result.Databases.Select(d => d.Status));
        Assert.True(result.DatabasesWritable);
    }

    [Fact]
    public async Task CheckAsync_WhenSeveralCriticalDatabasesFail_ShouldNameThemAll()
    {
        // Arrange
        _databases.AddReplica("a-replica").AddReplica("b-replica");
        var run = await _service.PromoteAsync(RunBuilder.Prepared().WithDatabase("a-replica").WithDatabase("b-replica").Build(), CancellationToken.None);
        _databases.SetStatus("a-replica", "failed");
        _databases.Remove("b-replica");

        // Act
        var ex = await Assert.ThrowsAsync<DatabasePromotionFailedException>(() => _service.CheckAsync(run, CancellationToken.None));

        // Assert
        Assert.Contains("a-replica (status failed)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("b-replica (no longer exists)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromoteAsync_WhenTheDataAtRiskGrewBeyondWhatWasApproved_ShouldBlockBeforePromotingAnything()
    {
        // Arrange: a person approved 90 s at risk; the evidence read right before promotion now says 120 s.
        _databases.AddReplica(Samples.ReplicaId).AddReplica("users-replica");
        _lag.SetLag(Samples.ReplicaId, 120).SetLag("users-replica", 1);
        var run = RunBuilder.Prepared()
            .WithDatabase(Samples.ReplicaId, lagSeconds: 90)
            .WithDatabase("users-replica", lagSeconds: 1)
            .Change(r => r with { Trigger = new TriggerInfo { AlarmArn = Samples.AlarmArn, AlarmName = Samples.AlarmName, AlarmTime = ManualClock.DefaultStart }, ApprovalRequired = true })
            .Build();

        // Act
        var ex = await Assert.ThrowsAsync<RpoGateBlockedException>(() => _service.PromoteAsync(run, CancellationToken.None));

        // Assert
        Assert.EndsWith("more than was approved", Assert.Single(ex.Violations), StringComparison.Ordinal);
        Assert.Empty(_databases.PromoteCalls);
    }

    [Fact]
    public async Task PromoteAsync_WhenAnUnattendedRunsDataAtRiskExceedsTheBudgetOnlyNow_ShouldBlockAsNobodyApprovedIt()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        _lag.SetLag(Samples.ReplicaId, 300);
        var run = RunBuilder.Prepared()
            .WithDatabase(Samples.ReplicaId, lagSeconds: 10)
            .Change(r => r with { Trigger = new TriggerInfo { AlarmArn = Samples.AlarmArn, AlarmName = Samples.AlarmName, AlarmTime = ManualClock.DefaultStart } })
            .Build();

        // Act
        var ex = await Assert.ThrowsAsync<RpoGateBlockedException>(() => _service.PromoteAsync(run, CancellationToken.None));

        // Assert
        Assert.EndsWith("no person approved it before promotion", Assert.Single(ex.Violations), StringComparison.Ordinal);
        Assert.Empty(_databases.PromoteCalls);
    }

}
