namespace Failover.Core.Runs;

/// <summary>The recovery time and data-loss window a run achieved.</summary>
/// <param name="RtoSeconds">Alarm (or manual start) to traffic switched; null when traffic was not switched.</param>
/// <param name="RpoSeconds">Largest replica lag at promotion; null when nothing was promoted, -1 when a lag was unknown.</param>
public sealed record RecoveryFigures(double? RtoSeconds, double? RpoSeconds)
{
    /// <summary>Computes the figures from a run's state.</summary>
    public static RecoveryFigures From(RunState run)
    {
        var start = run.Trigger?.AlarmTime ?? run.PreparedAt;
        double? rto = run.TrafficSwitchedAt is { } end && start is { } begin ? Math.Round((end - begin).TotalSeconds, 3) : null;
        var promoted = run.Databases.Where(d => d.PromotionStartedAt is not null).ToList();
        // A global switchover synchronises before it switches: it loses nothing, whatever the lag was.
        static double Loss(DatabaseRun d) => d.Action == DatabaseActions.GlobalSwitchover ? 0 : d.LagSeconds;
        double? rpo = promoted.Count == 0 ? null
            : promoted.Any(d => Loss(d) < 0) ? -1
            : promoted.Max(Loss);
        return new RecoveryFigures(rto, rpo);
    }
}
