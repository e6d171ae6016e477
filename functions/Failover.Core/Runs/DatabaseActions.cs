namespace Failover.Core.Runs;

/// <summary>Values of <see cref="DatabaseRun.Action"/>.</summary>
public static class DatabaseActions
{
    /// <summary>PromoteReadReplica (RDS instance replica).</summary>
    public const string PromoteInstance = "promote-read-replica";

    /// <summary>PromoteReadReplicaDBCluster (Aurora cross-region replica cluster).</summary>
    public const string PromoteCluster = "promote-read-replica-db-cluster";

    /// <summary>SwitchoverGlobalCluster: no data loss, needs the primary region.</summary>
    public const string GlobalSwitchover = "switchover-global-cluster";

    /// <summary>FailoverGlobalCluster with AllowDataLoss: the primary region does not answer.</summary>
    public const string GlobalFailover = "failover-global-cluster";
}
