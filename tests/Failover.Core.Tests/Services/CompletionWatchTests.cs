using Failover.Core.Plans;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Testing;

namespace Failover.Core.Tests.Services;

public sealed class CompletionWatchTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
    private readonly ManualClock _clock = new();
    private readonly List<TimeSpan> _looks = [];

    [Fact]
    public async Task KeepLookingAsync_WhenTheThirdLookSeesItDone_ShouldReturnThatLookAtOnce()
    {
        // Arrange: the caller's first look saw it in progress; done on the third.
        var watch = new CompletionWatch(_clock, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(45));
        var started = _clock.GetTimestamp();

        // Act
        var result = await RunAsync(watch, InProgress(), doneOnLook: 2, _ => TimeSpan.Zero);

        // Assert
        Assert.True(result.TrafficInSync);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], _looks);
        Assert.Equal(TimeSpan.FromSeconds(2), _clock.GetElapsedTime(started));
        Assert.Equal(0, _clock.ActiveTimers);
    }

    [Fact]
    public async Task KeepLookingAsync_WhenItNeverCompletes_ShouldStopBeforeTheWindowEnds()
    {
        // Arrange
        var watch = new CompletionWatch(_clock, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

        // Act
        var result = await RunAsync(watch, InProgress(), doneOnLook: int.MaxValue, _ => TimeSpan.Zero);

        // Assert: ten more looks, the last one at the window's end, none past it.
        Assert.False(result.TrafficInSync);
        Assert.Equal(10, _looks.Count);
        Assert.Equal(TimeSpan.FromSeconds(10), _looks[^1]);
    }

    [Fact]
    public async Task KeepLookingAsync_WhenALookNeedsMoreCallsThanTheRateAllowsInAnInterval_ShouldSpaceTheLooksByTheRate()
    {
        // Arrange: 12 databases in progress, one call each, within 6 calls a second: 2 s between looks.
        var watch = new CompletionWatch(_clock, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(45));

        // Act
        await RunAsync(watch, InProgress(), doneOnLook: 3, _ => CompletionWatch.Spacing(12, CompletionWatch.RdsCallsPerSecond));

        // Assert
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6)], _looks);
    }

    [Fact]
    public async Task KeepLookingAsync_WhenTheWindowIsZero_ShouldReturnTheFirstLookUnchanged()
    {
        // Arrange: no CHECK_INTERVAL_MILLISECONDS: the workflow's poll takes the next look.
        var watch = new CompletionWatch(_clock, TimeSpan.FromSeconds(1), TimeSpan.Zero);
        var run = InProgress();

        // Act
        var result = await RunAsync(watch, run, doneOnLook: 1, _ => TimeSpan.Zero);

        // Assert
        Assert.Same(run, result);
        Assert.Empty(_looks);
    }

    [Fact]
    public async Task KeepLookingAsync_WhenAlreadyDone_ShouldNotLookOrWait()
    {
        // Arrange
        var watch = new CompletionWatch(_clock, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(45));

        // Act
        var result = await watch.KeepLookingAsync(InProgress() with { TrafficInSync = true }, (_, _) => throw new InvalidOperationException("looked"), r => r.TrafficInSync, _ => TimeSpan.Zero, CancellationToken.None);

        // Assert
        Assert.True(result.TrafficInSync);
        Assert.Equal(0, _clock.ActiveTimers);
    }

    [Fact]
    public void Constructor_WhenTheIntervalIsNotPositive_ShouldRefuse()
    {
        // Act
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new CompletionWatch(_clock, TimeSpan.Zero, TimeSpan.FromSeconds(45)));

        // Assert
        Assert.Equal("interval", ex.ParamName);
    }

    [Fact]
    public async Task SwitchWatchedAsync_WhenRoute53ConfirmsOnTheFourthLook_ShouldReturnInSyncFromTheSameInvocation()
    {
        // Arrange: a record change Route 53 reports INSYNC on the fourth look (the first is right after the UPSERT).
        var route53 = new FakeTrafficSwitch { ChecksUntilInSync = 3 };
        var service = new TrafficSwitchService(PlanBuilder.Sample().WithSwitches(PlanBuilder.RecordSwitch("www")).Build(), route53, _clock);
        var run = RunBuilder.Prepared().WithSwitch("www", kind: SwitchKinds.RecordUpsert).Writable().Build();
        var watch = new CompletionWatch(_clock, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(45));
        var started = _clock.GetUtcNow();

        // Act
        var task = service.SwitchWatchedAsync(run, watch, CancellationToken.None);
        await _clock.RunUntilAsync(task, Step);
        var result = await task;

        // Assert
        Assert.True(result.TrafficInSync);
        Assert.Equal(4, route53.InSyncCalls.Count);
        Assert.Equal(started + TimeSpan.FromSeconds(3), result.TrafficSwitchedAt);
    }

    private async Task<RunState> RunAsync(CompletionWatch watch, RunState run, int doneOnLook, Func<RunState, TimeSpan> spacing)
    {
        var started = _clock.GetTimestamp();
        Task<RunState> Look(RunState current, CancellationToken cancellationToken)
        {
            _looks.Add(_clock.GetElapsedTime(started));
            return Task.FromResult(current with { TrafficInSync = _looks.Count >= doneOnLook });
        }

        var task = watch.KeepLookingAsync(run, Look, r => r.TrafficInSync, spacing, CancellationToken.None);
        await _clock.RunUntilAsync(task, Step);
        return await task;
    }

    private static RunState InProgress() => RunBuilder.Prepared().WithSwitch("www", kind: SwitchKinds.RecordUpsert).Writable().Build() with { TrafficInSync = false };
}
