using System.Globalization;

namespace Failover.Core.Rpo;

/// <summary>
/// Estimates the data at risk of a database from its lag datapoints up to the moment the outage began. Lag read after
/// the source went dark is -1 or grows with the clock (aws-facts §20; USER_ReadRepl.Monitoring.html,
/// USER_PostgreSQL.Replication.ReadReplicas.html), so it is never taken at face value.
/// </summary>
public static class RpoEstimator
{
    /// <summary>How far back before the outage a datapoint still counts as evidence.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromMinutes(15);

    /// <summary>Steady engines: the window of healthy datapoints whose largest lag is the estimate.</summary>
    public static readonly TimeSpan SteadyWindow = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Clock-driven engines: a replay that has not advanced for longer than this is a stalled replica, not an idle
    /// source (an idle RDS for PostgreSQL source still replays a WAL switch every 300 s), so the estimate falls back
    /// to the upper bound.
    /// </summary>
    public static readonly TimeSpan StalledAfter = TimeSpan.FromSeconds(360);

    // Two datapoints replayed the same transaction when their replay positions differ by less than this.
    private const double SameReplaySeconds = 2;

    /// <summary>The estimate for a lag series read up to <paramref name="outageBeganAt"/>.</summary>
    /// <param name="behaviour">How the engine's lag metric behaves after its source goes dark.</param>
    /// <param name="metric">The metric's name, for the evidence text.</param>
    /// <param name="datapoints">One-minute maxima, any order; datapoints after the outage began are ignored.</param>
    /// <param name="outageBeganAt">The alarm's transition time for automatic runs; the start for manual ones.</param>
    public static RpoEstimate Estimate(LagBehaviour behaviour, string metric, IReadOnlyList<LagDatapoint> datapoints, DateTimeOffset outageBeganAt)
    {
        var before = datapoints.Where(d => d.Timestamp <= outageBeganAt).OrderBy(d => d.Timestamp).ToList();
        var valid = before.Where(d => d.Seconds >= 0).ToList();
        if (valid.Count == 0 || outageBeganAt - valid[^1].Timestamp > Freshness)
        {
            var stop = before.FirstOrDefault(d => d.Seconds < 0 && (valid.Count == 0 || d.Timestamp > valid[^1].Timestamp));
            var stoppedSince = stop is null ? "" : $"; -1 (not replicating) since {Stamp(stop.Timestamp)}";
            return Unknown(valid.Count == 0
                ? $"no {metric} in the {Freshness.TotalMinutes:0} min before {Stamp(outageBeganAt)}{stoppedSince}"
                : $"newest {metric} {Stamp(valid[^1].Timestamp)}, over {Freshness.TotalMinutes:0} min before {Stamp(outageBeganAt)}{stoppedSince}");
        }

        return behaviour == LagBehaviour.StopsAtMinusOne ? Steady(metric, before, valid, outageBeganAt) : ClockDriven(metric, valid, outageBeganAt);
    }

    private static RpoEstimate Steady(string metric, List<LagDatapoint> before, List<LagDatapoint> valid, DateTimeOffset outageBeganAt)
    {
        var newest = valid[^1];
        var window = valid.Where(d => d.Timestamp >= newest.Timestamp - SteadyWindow).ToList();
        var largest = window.Max(d => d.Seconds);
        var stop = before.FirstOrDefault(d => d.Seconds < 0 && d.Timestamp > newest.Timestamp);
        var stopped = stop is null ? $"up to {Stamp(outageBeganAt)}" : $"-1 from {Stamp(stop.Timestamp)}";
        return new RpoEstimate
        {
            Seconds = largest,
            Evidence = $"{metric} max {Seconds(largest)}, {window.Count} pt {Stamp(window[0].Timestamp)} to {Stamp(newest.Timestamp)}; {stopped}",
        };
    }

    private static RpoEstimate ClockDriven(string metric, List<LagDatapoint> valid, DateTimeOffset outageBeganAt)
    {
        // Each datapoint says up to which commit time the replica had replayed: its timestamp minus its lag.
        static DateTimeOffset Replayed(LagDatapoint d) => d.Timestamp - TimeSpan.FromSeconds(d.Seconds);

        var last = Replayed(valid[^1]);
        var firstFrozen = valid.Count - 1;
        while (firstFrozen > 0 && Math.Abs((Replayed(valid[firstFrozen - 1]) - last).TotalSeconds) < SameReplaySeconds)
        {
            firstFrozen--;
        }

        var frozenSince = valid[firstFrozen];
        var bound = (outageBeganAt - last).TotalSeconds;
        if (valid[^1].Timestamp - frozenSince.Timestamp > StalledAfter)
        {
            return new RpoEstimate
            {
                Seconds = Math.Round(bound, 3),
                Evidence = $"{metric} replay stalled at {Stamp(last)} since {Stamp(frozenSince.Timestamp)}; all to {Stamp(outageBeganAt)} at risk",
            };
        }

        // The lag when the replay was first seen to stop, or the last healthy lag before it, whichever is smaller: an
        // idle source's saw-tooth peaks just before a WAL switch, a dark source's lag grows just after it went dark.
        var lastHealthy = firstFrozen > 0 ? valid[firstFrozen - 1] : null;
        var estimate = lastHealthy is null ? frozenSince.Seconds : Math.Min(frozenSince.Seconds, lastHealthy.Seconds);
        return new RpoEstimate
        {
            Seconds = estimate,
            Evidence = $"{metric} replayed to {Stamp(last)}, frozen from {Stamp(frozenSince.Timestamp)} at {Seconds(frozenSince.Seconds)}" +
                (lastHealthy is null ? "" : $", {Seconds(lastHealthy.Seconds)} before") +
                $"; at most {Seconds(bound)} if writes went on to {Stamp(outageBeganAt)}",
        };
    }

    private static RpoEstimate Unknown(string why) => new() { Seconds = null, Evidence = why };

    // Times of day: the evidence spans the 20 minutes before the outage, whose date the run document holds.
    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Seconds(double s) => s.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
