using Failover.Core.Ports;
using Failover.Core.Services;
using Failover.Testing;

namespace Failover.Core.Tests.Services;

/// <summary>
/// What the drill cleanup removes, how many DRS jobs it takes (each TerminateRecoveryInstances call is one; at most
/// 20 run at once and each holds at most 100 servers), and how it waits for drill launches still in progress.
/// A wait of 45 s unless a test says otherwise.
/// </summary>
public sealed class DrillCleanupServiceTests
{
    private const string Execution = "orders-drill-20260801T120000Z-manual";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    private readonly ManualClock _clock = new();
    private readonly FakeDrillResources _resources;

    public DrillCleanupServiceTests()
    {
        _resources = new FakeDrillResources(clock: _clock);
    }

    [Fact]
    public async Task CleanupAsync_WhenADrillLeft150Instances_ShouldTerminateThemInTwoCalls()
    {
        // Arrange
        var ids = Instances(150);
        foreach (var id in ids)
        {
            _resources.With(new DrillResource(DrillResourceKinds.RecoveryInstance, id), Execution);
        }

        // Act
        var cleanup = await Service().CleanupAsync(Execution, CancellationToken.None);

        // Assert
        Assert.Equal([100, 50], _resources.TerminateCalls.Select(c => c.Count));
        Assert.Equal(ids, _resources.TerminateCalls.SelectMany(c => c));
        Assert.Equal(150, cleanup.Removed.Count);
        Assert.Empty(cleanup.Problems);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(100, 1)]
    [InlineData(101, 2)]
    [InlineData(2000, 20)]
    public async Task CleanupAsync_WhenInstancesAreLeft_ShouldUseAsFewJobsAsTheQuotaAllows(int instances, int calls)
    {
        // Arrange
        foreach (var id in Instances(instances))
        {
            _resources.With(new DrillResource(DrillResourceKinds.RecoveryInstance, id), Execution);
        }

        // Act
        await Service().CleanupAsync(Execution, CancellationToken.None);

        // Assert
        Assert.Equal(calls, _resources.TerminateCalls.Count);
        Assert.All(_resources.TerminateCalls, c => Assert.InRange(c.Count, 1, DrillCleanupService.MaxInstancesPerTerminateJob));
    }

    [Fact]
    public async Task CleanupAsync_WhenCopiesAndInstancesAreLeft_ShouldRemoveEachCopyAndTheInstancesInOneJob()
    {
        // Arrange
        _resources
            .With(new DrillResource(DrillResourceKinds.DatabaseCopy, "drill-1a2b3c4d-orders-replica"), Execution)
            .With(new DrillResource(DrillResourceKinds.RecoveryInstance, "i-00000000000000001"), Execution)
            .With(new DrillResource(DrillResourceKinds.RecoveryInstance, "i-00000000000000002"), Execution)
            .With(new DrillResource(DrillResourceKinds.RecoveryInstance, "i-00000000000000009"), "orders-drill-other");

        // Act
        var cleanup = await Service().CleanupAsync(Execution, CancellationToken.None);

        // Assert
        Assert.Equal(["database-copy drill-1a2b3c4d-orders-replica", "recovery-instance i-00000000000000001", "recovery-instance i-00000000000000002"], cleanup.Removed);
        Assert.Equal(["i-00000000000000001", "i-00000000000000002"], Assert.Single(_resources.TerminateCalls));
        Assert.Equal(_clock.GetUtcNow(), cleanup.CompletedAt);
    }

    [Fact]
    public async Task CleanupAsync_WhenAnInstanceIsStillLaunching_ShouldWaitAndTerminateItOnceLaunched()
    {
        // Arrange: one instance is up; the launch of another completes 12 s from now.
        _resources
            .With(new DrillResource(DrillResourceKinds.RecoveryInstance, "i-00000000000000001"), Execution)
            .WithLaunch(Execution, "drsjob-00000000000000002", _clock.GetUtcNow().AddSeconds(12), "i-00000000000000002");

        // Act
        var pending = Service().CleanupAsync(Execution, CancellationToken.None);
        await _clock.RunUntilAsync(pending, TimeSpan.FromSeconds(1));
        var cleanup = await pending;

        // Assert: read after 1, 3, 7 and 12 s; the last read finds it launched.
        Assert.Equal(["i-00000000000000001", "i-00000000000000002"], Assert.Single(_resources.TerminateCalls));
        Assert.Equal(2, cleanup.Removed.Count);
        Assert.Empty(cleanup.Problems);
        Assert.Equal(5, _resources.LaunchReads.Count);
        Assert.Equal(ManualClock.DefaultStart.AddSeconds(12), cleanup.CompletedAt);
    }

    [Fact]
    public async Task CleanupAsync_WhenTheWaitEndsWhileALaunchIsInProgress_ShouldRemoveTheRestAndSayWhatIsStillLaunching()
    {
        // Arrange: a launch that takes longer than the cleanup may wait.
        _resources
            .With(new DrillResource(DrillResourceKinds.RecoveryInstance, "i-00000000000000001"), Execution)
            .WithLaunch(Execution, "drsjob-00000000000000002", _clock.GetUtcNow().AddMinutes(10), "i-00000000000000002", "i-00000000000000003");

        // Act
        var pending = Service().CleanupAsync(Execution, CancellationToken.None);
        await _clock.RunUntilAsync(pending, TimeSpan.FromSeconds(1));
        var ex = await Assert.ThrowsAsync<DrillLaunchesInProgressException>(() => pending);

        // Assert
        Assert.Equal(["recovery-instance i-00000000000000001"], ex.Cleanup.Removed);
        var problem = Assert.Single(ex.Cleanup.Problems);
        Assert.Equal(
            "DRS drill job drsjob-00000000000000002 is still launching 2 server(s) after 45 s (s-00000000000000002, s-00000000000000003): " +
            "the recovery instances it launches are not terminated; clean up again once the job has completed",
            problem);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<DrillCleanupFailedException>(ex);
    }

    [Fact]
    public async Task CleanupAsync_WhenRunAgainAfterTheLaunchCompleted_ShouldTerminateWhatItLaunched()
    {
        // Arrange: the first cleanup gave up waiting.
        _resources.WithLaunch(Execution, "drsjob-00000000000000002", _clock.GetUtcNow().AddMinutes(10), "i-00000000000000002");
        var first = Service().CleanupAsync(Execution, CancellationToken.None);
        await _clock.RunUntilAsync(first, TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<DrillLaunchesInProgressException>(() => first);

        // Act
        _clock.Advance(TimeSpan.FromMinutes(10));
        var second = await Service().CleanupAsync(Execution, CancellationToken.None);

        // Assert
        Assert.Equal(["recovery-instance i-00000000000000002"], second.Removed);
    }

    [Fact]
    public async Task CleanupAsync_WhenTheCleanupMayNotWait_ShouldReportTheLaunchAtOnce()
    {
        // Arrange
        _resources.WithLaunch(Execution, "drsjob-00000000000000002", _clock.GetUtcNow().AddSeconds(1), "i-00000000000000002");

        // Act
        var ex = await Assert.ThrowsAsync<DrillLaunchesInProgressException>(() => Service(TimeSpan.Zero).CleanupAsync(Execution, CancellationToken.None));

        // Assert
        Assert.StartsWith("DRS drill job drsjob-00000000000000002 is still launching 1 server(s) after 0 s", Assert.Single(ex.Cleanup.Problems), StringComparison.Ordinal);
        Assert.Single(_resources.LaunchReads);
    }

    [Fact]
    public async Task CleanupAsync_WhileALaunchIsInProgress_ShouldReadAfterOneTwoAndFourSecondsThenEveryFiveUntilTheWaitEnds()
    {
        // Arrange
        _resources.WithLaunch(Execution, "drsjob-00000000000000002", _clock.GetUtcNow().AddHours(1), "i-00000000000000002");
        var start = _clock.GetUtcNow();

        // Act
        var pending = Service().CleanupAsync(Execution, CancellationToken.None);
        await _clock.RunUntilAsync(pending, TimeSpan.FromSeconds(1));

        // Assert
        await Assert.ThrowsAsync<DrillLaunchesInProgressException>(() => pending);
        Assert.Equal([0, 1, 3, 7, 12, 17, 22, 27, 32, 37, 42, 45], _resources.LaunchReads.Select(t => (t - start).TotalSeconds));
    }

    [Fact]
    public async Task CleanupEndedDrillsAsync_WhenADrillIsStillRunning_ShouldLeaveItsCopyInstancesAndLaunchesAndRemoveTheRest()
    {
        // Arrange: the running drill has a copy, an instance and a launch in progress; an ended drill left a copy and an instance.
        const string running = "orders-drill-20260801T130000Z-manual";
        var runningCopy = DatabasePromotionService.DrillCopyId(running, "orders-replica");
        var endedCopy = DatabasePromotionService.DrillCopyId(Execution, "orders-replica");
        _resources.With(new DrillResource(DrillResourceKinds.DatabaseCopy, runningCopy), running)
            .With(new DrillResource(DrillResourceKinds.RecoveryInstance, "i-0000000000000000a"), running)
            .WithLaunch(running, "drsjob-0000000000000000a", _clock.GetUtcNow().AddHours(1), "i-0000000000000000b")
            .With(new DrillResource(DrillResourceKinds.DatabaseCopy, endedCopy), Execution)
            .With(new DrillResource(DrillResourceKinds.RecoveryInstance, "i-0000000000000000c"), Execution);

        // Act
        var cleanup = await Service().CleanupEndedDrillsAsync(null, [running], CancellationToken.None);

        // Assert: nothing waited for the running drill's launch, and only the ended drill's resources went.
        Assert.Equal([$"database-copy {endedCopy}", "recovery-instance i-0000000000000000c"], cleanup.Removed);
        Assert.Equal([$"database-copy {runningCopy} (drill {running})", $"recovery-instance i-0000000000000000a (drill {running})"], cleanup.LeftForRunningDrills);
        Assert.Single(_resources.LaunchReads);
        Assert.Empty(cleanup.Problems);
    }

    [Fact]
    public async Task CleanupEndedDrillsAsync_WhenTheNamedDrillIsStillRunning_ShouldRefuseAndRemoveNothing()
    {
        // Arrange
        _resources.With(new DrillResource(DrillResourceKinds.DatabaseCopy, DatabasePromotionService.DrillCopyId(Execution, "orders-replica")), Execution);

        // Act
        var refusal = await Assert.ThrowsAsync<DrillStillRunningException>(() => Service().CleanupEndedDrillsAsync(Execution, [Execution], CancellationToken.None));

        // Assert
        Assert.Contains($"drill {Execution} is still running", refusal.Message, StringComparison.Ordinal);
        Assert.Empty(_resources.Removed);
    }

    [Fact]
    public async Task CleanupAsync_WhenOtherDrillsAreLaunching_ShouldNotWaitForThem()
    {
        // Arrange
        _resources.WithLaunch("orders-drill-other", "drsjob-00000000000000009", _clock.GetUtcNow().AddHours(1), "i-00000000000000009");

        // Act
        var cleanup = await Service().CleanupAsync(Execution, CancellationToken.None);

        // Assert
        Assert.Empty(cleanup.Removed);
        Assert.Single(_resources.LaunchReads);
    }

    [Fact]
    public async Task CleanupAsync_WhenABatchIsRefused_ShouldTerminateTheOtherBatchesAndFailNamingIt()
    {
        // Arrange
        var ids = Instances(250);
        foreach (var id in ids)
        {
            _resources.With(new DrillResource(DrillResourceKinds.RecoveryInstance, id), Execution);
        }

        _resources.FailTerminationOf(ids[150]);

        // Act
        var ex = await Assert.ThrowsAsync<DrillCleanupFailedException>(() => Service().CleanupAsync(Execution, CancellationToken.None));

        // Assert
        Assert.Equal(3, _resources.TerminateCalls.Count);
        Assert.Equal(150, ex.Cleanup.Removed.Count);
        Assert.Equal(
            $"100 recovery-instances ({ids[100]} … {ids[199]}): SimulatedAwsException: ConflictException: Recovery instance {ids[150]} is in a job that is still running",
            Assert.Single(ex.Cleanup.Problems));
    }

    [Fact]
    public async Task CleanupAsync_WhenCancelledWhileWaiting_ShouldStopWithoutRemovingAnything()
    {
        // Arrange
        _resources
            .With(new DrillResource(DrillResourceKinds.RecoveryInstance, "i-00000000000000001"), Execution)
            .WithLaunch(Execution, "drsjob-00000000000000002", _clock.GetUtcNow().AddMinutes(10), "i-00000000000000002");
        using var cts = new CancellationTokenSource();

        // Act
        var pending = Service().CleanupAsync(Execution, cts.Token);
        await cts.CancelAsync();

        // Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.Empty(_resources.TerminateCalls);
    }

    private DrillCleanupService Service(TimeSpan? wait = null) => new(_resources, _clock, wait ?? Wait);

    private static List<string> Instances(int count) => [.. Enumerable.Range(1, count).Select(i => $"i-{i:x17}")];
}
