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
        double? rpo = promoted.Count == 0 ? null
            : promoted.Any(d => d.LagSeconds < 0) ? -1
            : promoted.Max(d => d.LagSeconds);
        return new RecoveryFigures(rto, rpo);
    }
}
