namespace Failover.Local.Models;

/// <summary>
/// The figures <see cref="ReplicaLagModel"/> uses where no AWS page states one; each default says where it comes from.
/// </summary>
public sealed record ReplicaLagSettings
{
    /// <summary>
    /// ReplicaLag of a healthy replica of a busy source, in seconds (MySQL, MariaDB, SQL Server, Oracle, and
    /// PostgreSQL when <see cref="SourceIsIdle"/> is false). No AWS page gives a figure; default 1 s.
    /// </summary>
    public double SteadyLagSeconds { get; init; } = 1;

    /// <summary>
    /// AuroraGlobalDBReplicationLag of a healthy Aurora global database, in milliseconds. AWS describes the lag as
    /// typically under a second without a figure; default 100 ms.
    /// </summary>
    public double AuroraGlobalLagMilliseconds { get; init; } = 100;

    /// <summary>
    /// True when no user transactions run on a PostgreSQL source: the replica then "reports a replication lag of up
    /// to five minutes" (USER_PostgreSQL.Replication.ReadReplicas.html), a saw-tooth that grows with the clock and
    /// drops to 0 at each WAL switch. Default false: a source worth failing over is busy.
    /// </summary>
    public bool SourceIsIdle { get; init; }

    /// <summary>How often an idle PostgreSQL source switches WAL files (PostgreSQL archive_timeout); default 300 s, which gives the "up to five minutes" above.</summary>
    public TimeSpan WalSwitchPeriod { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>The period of the published datapoints; default 60 s (RDS publishes instance metrics every minute).</summary>
    public TimeSpan DatapointPeriod { get; init; } = TimeSpan.FromSeconds(60);
}
