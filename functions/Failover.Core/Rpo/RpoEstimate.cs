namespace Failover.Core.Rpo;

/// <summary>
/// The data at risk of one database: the window of writes the replica may not hold, judged from evidence taken before
/// the outage began, never from values the outage itself corrupts.
/// </summary>
public sealed record RpoEstimate
{
    /// <summary>Estimated seconds of writes at risk; null when the evidence does not say (reported as unknown).</summary>
    public double? Seconds { get; set; }

    /// <summary>What the estimate rests on, in few words (it travels in the run document once per database): the metric,
    /// its datapoints and their times of day (UTC) up to the run's <see cref="Runs.RunState.OutageBeganAt"/>.</summary>
    public string Evidence { get; set; } = "";

    /// <summary>True when the estimate is known and within <paramref name="objectiveSeconds"/>.</summary>
    public bool Meets(int objectiveSeconds) => Seconds is { } s && s <= objectiveSeconds;
}

/// <summary>One datapoint of a replica's lag metric, in seconds (a one-minute maximum as CloudWatch returns it).</summary>
public sealed record LagDatapoint(DateTimeOffset Timestamp, double Seconds);

/// <summary>How an engine's lag metric behaves once its source region goes dark (aws-facts §20; RDS User Guide,
/// "Monitoring read replication", USER_ReadRepl.Monitoring.html).</summary>
public enum LagBehaviour
{
    /// <summary>MySQL, MariaDB, SQL Server, Aurora (binlog and global): lag is reported while replication runs and
    /// reads -1 once replication is not active (the source is unreachable).</summary>
    StopsAtMinusOne,

    /// <summary>PostgreSQL and Oracle: lag is "now minus the commit time of the last replayed transaction", so it grows
    /// with the wall clock while nothing is replayed — whether the source is dark or merely idle (an idle PostgreSQL
    /// source shows a saw-tooth of up to 300 s, one WAL switch every 5 minutes).</summary>
    GrowsWithClock,
}
