namespace Failover.Local.Models;

/// <summary>
/// The replica-lag datapoints a database replica publishes in its own (recovery) region before and after its
/// source's region goes dark: RDS User Guide "Monitoring read replication" (USER_ReadRepl.Monitoring.html),
/// "Working with PostgreSQL read replicas in Amazon RDS" (USER_PostgreSQL.Replication.ReadReplicas.html) and Aurora
/// User Guide "Monitoring an Amazon Aurora global database" (aurora-global-database-monitoring.html) and "Amazon
/// CloudWatch metrics for Amazon Aurora" (Aurora.AuroraMonitoring.Metrics.html: AuroraBinlogReplicaLag reports
/// Seconds_Behind_Master, so an Aurora MySQL replica cluster's lag behaves as an RDS for MySQL replica's).
/// </summary>
/// <remarks>
/// <para>Before the outage: MySQL, MariaDB, SQL Server and Oracle show a steady lag; PostgreSQL too when its source
/// is busy, and with an idle source a saw-tooth that grows one second per second and drops at each WAL switch
/// ("up to five minutes"); Aurora global a steady lag in milliseconds. See <see cref="ReplicaLagSettings"/>.</para>
/// <para>From the outage on: MySQL, MariaDB and Aurora MySQL replica clusters report -1, "replication is currently not active"
/// (Seconds_Behind_Master = NULL); SQL Server reports -1 when "RDS can't determine the lag". PostgreSQL
/// (now() − pg_last_xact_replay_timestamp()) and Oracle (apply lag + now − DATUM_TIME) grow with the clock from the
/// lag at the outage, since nothing more is replayed. For Aurora global no page says what
/// AuroraGlobalDBReplicationLag does when the primary region is dark; the model publishes nothing more.</para>
/// <para>From the promotion on nothing is published: the replica reboots, and a promoted instance is no replica.
/// The series is deterministic: timestamps are multiples of the datapoint period (Unix time).</para>
/// </remarks>
public static class ReplicaLagModel
{
    /// <summary>
    /// The datapoints between <paramref name="from"/> and <paramref name="to"/> (both included): ReplicaLag in seconds,
    /// or for <see cref="ReplicaEngine.AuroraGlobal"/> AuroraGlobalDBReplicationLag in milliseconds.
    /// </summary>
    /// <param name="engine">The replica's engine.</param>
    /// <param name="from">Start of the series.</param>
    /// <param name="to">End of the series.</param>
    /// <param name="outageStart">When the source's region went dark; null when it did not.</param>
    /// <param name="promotionStart">When the replica's promotion began; null when it was not promoted.</param>
    /// <param name="settings">The figures no AWS page states.</param>
    /// <exception cref="ArgumentException">A setting is out of range, or <paramref name="to"/> is before <paramref name="from"/>.</exception>
    public static IReadOnlyList<MetricPoint> Series(ReplicaEngine engine, DateTimeOffset from, DateTimeOffset to,
        DateTimeOffset? outageStart, DateTimeOffset? promotionStart, ReplicaLagSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Validate(settings, from, to);
        var step = settings.DatapointPeriod;
        var sinceEpoch = (from - DateTimeOffset.UnixEpoch).Ticks;
        var first = DateTimeOffset.UnixEpoch + TimeSpan.FromTicks((sinceEpoch + step.Ticks - 1) / step.Ticks * step.Ticks);
        var series = new List<MetricPoint>();
        for (var at = first; at <= to && (promotionStart is null || at < promotionStart); at += step)
        {
            if (outageStart is not { } outage || at < outage)
            {
                series.Add(new MetricPoint(at, HealthyLag(engine, at, settings)));
            }
            else if (engine is ReplicaEngine.MySql or ReplicaEngine.MariaDb or ReplicaEngine.SqlServer or ReplicaEngine.AuroraMySqlBinlog)
            {
                series.Add(new MetricPoint(at, -1));
            }
            else if (engine is ReplicaEngine.PostgreSql or ReplicaEngine.Oracle)
            {
                series.Add(new MetricPoint(at, HealthyLag(engine, outage, settings) + (at - outage).TotalSeconds));
            }
        }

        return series;
    }

    /// <summary>The engine an RDS Engine name (DescribeDBInstances, DescribeDBClusters) replicates with.</summary>
    /// <param name="rdsEngineName">mysql, mariadb, postgres, oracle-*, sqlserver-*, aurora-mysql or aurora-postgresql.</param>
    /// <exception cref="ArgumentException">The name is not an engine whose replicas the model knows (RDS Custom and Db2 included).</exception>
    public static ReplicaEngine EngineOf(string rdsEngineName)
    {
        ArgumentNullException.ThrowIfNull(rdsEngineName);
        var name = rdsEngineName.ToLowerInvariant();
        return name switch
        {
            "mysql" => ReplicaEngine.MySql,
            "mariadb" => ReplicaEngine.MariaDb,
            "postgres" => ReplicaEngine.PostgreSql,
            "aurora-mysql" or "aurora-postgresql" => ReplicaEngine.AuroraGlobal,
            _ when name.StartsWith("oracle-", StringComparison.Ordinal) => ReplicaEngine.Oracle,
            _ when name.StartsWith("sqlserver-", StringComparison.Ordinal) => ReplicaEngine.SqlServer,
            _ => throw new ArgumentException($"RDS engine '{rdsEngineName}' is not one whose replica lag is modelled (mysql, mariadb, postgres, oracle-*, sqlserver-*, aurora-mysql, aurora-postgresql).", nameof(rdsEngineName)),
        };
    }

    private static double HealthyLag(ReplicaEngine engine, DateTimeOffset at, ReplicaLagSettings settings) => engine switch
    {
        ReplicaEngine.AuroraGlobal => settings.AuroraGlobalLagMilliseconds,
        ReplicaEngine.PostgreSql when settings.SourceIsIdle => TimeSpan.FromTicks((at - DateTimeOffset.UnixEpoch).Ticks % settings.WalSwitchPeriod.Ticks).TotalSeconds,
        _ => settings.SteadyLagSeconds,
    };

    private static void Validate(ReplicaLagSettings settings, DateTimeOffset from, DateTimeOffset to)
    {
        var problem = settings switch
        {
            { DatapointPeriod.Ticks: <= 0 } => $"DatapointPeriod {settings.DatapointPeriod} is not positive",
            { WalSwitchPeriod.Ticks: <= 0 } => $"WalSwitchPeriod {settings.WalSwitchPeriod} is not positive",
            { SteadyLagSeconds: < 0 } => $"SteadyLagSeconds {settings.SteadyLagSeconds} is negative",
            { AuroraGlobalLagMilliseconds: < 0 } => $"AuroraGlobalLagMilliseconds {settings.AuroraGlobalLagMilliseconds} is negative",
            _ when to < from => $"the series ends ({to:O}) before it starts ({from:O})",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ArgumentException($"Replica lag: {problem}.", nameof(settings));
        }
    }
}
