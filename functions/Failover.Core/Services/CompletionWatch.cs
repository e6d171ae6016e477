using Failover.Core.Runs;

namespace Failover.Core.Services;

/// <summary>
/// Keeps looking at operations in progress within one invocation, so the moment they complete is seen within
/// <see cref="Interval"/> instead of within the workflow's poll (a Wait state, then a new invocation: at least a whole
/// second, and a state transition plus an invocation each time). Looks are spaced so that the calls each one makes
/// stay within a share of the service's own request rate (<see cref="Spacing"/>).
/// </summary>
/// <param name="clock">Spaces the looks and bounds the window.</param>
/// <param name="interval">The shortest time between two looks.</param>
/// <param name="window">How long one invocation may keep looking: the function's timeout less the time its work needs.</param>
public sealed class CompletionWatch(TimeProvider clock, TimeSpan interval, TimeSpan window)
{
    /// <summary>Half of Amazon RDS's default sustained rate of 12 requests per second per account and Region
    /// ("Request throttling for the Amazon RDS API"), the other half left to the team's own tools.</summary>
    public const double RdsCallsPerSecond = 6;

    /// <summary>Half of Route 53's default account-wide rate of 10 requests per second ("Throttling for Amazon Route 53
    /// API requests"), the other half left to the team's own tools.</summary>
    public const double Route53CallsPerSecond = 5;

    /// <summary>The shortest time between two looks.</summary>
    public TimeSpan Interval { get; } = interval > TimeSpan.Zero ? interval : throw new ArgumentOutOfRangeException(nameof(interval), interval, "must be positive");

    /// <summary>How long one invocation may keep looking.</summary>
    public TimeSpan Window { get; } = window;

    /// <summary>
    /// Looks again at <paramref name="run"/> (the state after a first look) with <paramref name="look"/> until
    /// <paramref name="done"/> holds or the next look would end past the window; returns the last state seen.
    /// </summary>
    /// <param name="run">The run after the caller's first look.</param>
    /// <param name="look">One look: reads the operations in progress and records what it saw.</param>
    /// <param name="done">Whether the workflow may go on (the condition its Choice state tests).</param>
    /// <param name="spacing">The least pause before the next look so that its calls stay within the service's rate
    /// (<see cref="Spacing"/>); zero for a look of one call.</param>
    /// <param name="cancellationToken">Stops waiting and looking.</param>
    public async Task<RunState> KeepLookingAsync(
        RunState run,
        Func<RunState, CancellationToken, Task<RunState>> look,
        Func<RunState, bool> done,
        Func<RunState, TimeSpan> spacing,
        CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var longestLook = TimeSpan.Zero;
        while (!done(run))
        {
            var pause = Max(Interval, spacing(run));
            if (clock.GetElapsedTime(started) + pause + longestLook > Window)
            {
                break;
            }

            await Task.Delay(pause, clock, cancellationToken);
            var lookStarted = clock.GetTimestamp();
            run = await look(run, cancellationToken);
            longestLook = Max(longestLook, clock.GetElapsedTime(lookStarted));
        }

        return run;
    }

    /// <summary>The pause a look of <paramref name="calls"/> API calls needs to stay within <paramref name="callsPerSecond"/>.</summary>
    public static TimeSpan Spacing(int calls, double callsPerSecond) => TimeSpan.FromSeconds(calls / callsPerSecond);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
