namespace Failover.Local.Models;

/// <summary>The replication a database replica uses, as far as its lag metric behaves differently (see <see cref="ReplicaLagModel"/>).</summary>
public enum ReplicaEngine
{
    /// <summary>RDS for MySQL: ReplicaLag is Seconds_Behind_Master.</summary>
    MySql,

    /// <summary>RDS for MariaDB: ReplicaLag is Seconds_Behind_Master.</summary>
    MariaDb,

    /// <summary>RDS for PostgreSQL: ReplicaLag is now() − pg_last_xact_replay_timestamp().</summary>
    PostgreSql,

    /// <summary>RDS for Oracle: ReplicaLag is the apply lag plus the time since DATUM_TIME.</summary>
    Oracle,

    /// <summary>RDS for SQL Server: ReplicaLag is the largest secondary_lag_seconds.</summary>
    SqlServer,

    /// <summary>An Aurora global database's secondary cluster: AuroraGlobalDBReplicationLag, in milliseconds.</summary>
    AuroraGlobal,

    /// <summary>A cross-region Aurora MySQL replica cluster (binary log replication): AuroraBinlogReplicaLag, in seconds,
    /// reports Seconds_Behind_Master as RDS for MySQL's ReplicaLag does.</summary>
    AuroraMySqlBinlog,
}
