namespace Failover.Core.Runs;

/// <summary>The recovery time and data-loss window a run achieved.</summary>
/// <param name="RtoSeconds">Alarm (or manual start) to traffic switched; null when traffic was not switched.</param>
/// <param name="RpoSeconds">Largest estimate of writes at risk among the promoted databases (judged from evidence before the
/// outage); null when nothing was promoted or no promoted database's data at risk could be estimated.</param>
public sealed record RecoveryFigures(double? RtoSeconds, double? RpoSeconds)
{
    /// <summary>Computes the figures from a run's state.</summary>
    public static RecoveryFigures From(RunState run)
    {
        var start = run.Trigger?.AlarmTime ?? run.PreparedAt;
        double? rto = run.TrafficSwitchedAt is { } end && start is { } begin ? Math.Round((end - begin).TotalSeconds, 3) : null;
        // A global switchover synchronises before it switches: it loses nothing, whatever the lag was.
        var losses = run.Databases.Where(d => d.PromotionStartedAt is not null)
            .Select(d => d.Action == DatabaseActions.GlobalSwitchover ? 0 : d.Rpo?.Seconds)
            .OfType<double>()
            .ToList();
        return new RecoveryFigures(rto, losses.Count == 0 ? null : losses.Max());
    }
}
