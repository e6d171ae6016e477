using Failover.Aws;
using Failover.Aws.Clients;
using Failover.Core;
using Failover.Core.Plans;
using Failover.Core.Reports;

namespace Failover.Local;

/// <summary>
/// What the local deployment makes for a plan's Aurora entries. For aurora-global entries: in moto, the primary cluster
/// (<c>{id}-primary</c>, primary region), the global database on it, and the secondary cluster named by the entry's
/// targetClusterArn (recovery region) joined to it; the global database registered in the gateway's
/// <see cref="Models.AuroraGlobalModel"/>, which answers its switchover and failover. Lag metrics are the caller's to
/// publish (<see cref="Models.AuroraGlobalModel.LagOf"/>). For aurora-cluster-replica entries: a source cluster
/// (<c>{id}-primary</c>, primary region) and the entry's cluster in the recovery region replicating it
/// (ReplicationSourceIdentifier, Aurora MySQL: cross-region read replica clusters use binary log replication,
/// AuroraMySQL.Replication.CrossRegion.html), registered in the gateway's <see cref="Models.AuroraReplicaClusterModel"/>,
/// which times its promotion.
/// </summary>
public static class AuroraDeployment
{
    /// <summary>The engine of the clusters the local AWS creates.</summary>
    public const string Engine = "aurora-postgresql";

    /// <summary>Deploys every aurora-global entry of <paramref name="plan"/>; the plan was validated (each has a targetClusterArn in the recovery region).</summary>
    public static async Task DeployAsync(LocalAws aws, RecoveryPlan plan, IReadOnlyDictionary<string, string> tags, TimeProvider clock, CancellationToken cancellationToken)
    {
        var primary = aws.Clients(plan.PrimaryRegion, clock).Rds;
        var recovery = aws.Clients(plan.RecoveryRegion, clock).Rds;
        foreach (var (db, index) in plan.Databases.Select((d, i) => (d, i)).Where(p => p.d.Kind == DatabaseKinds.AuroraGlobal))
        {
            var targetArn = db.TargetClusterArn!;
            // moto keeps global databases in us-east-1 and looks a source cluster up there only: the global database is
            // created empty with its engine, and the primary joins it like the secondary.
            await primary.CreateGlobalClusterAsync(db.Id, null, Engine, cancellationToken);
            var writer = await primary.CreateDBClusterAsync(Cluster($"{db.Id}-primary", tags) with { GlobalClusterIdentifier = db.Id }, cancellationToken);
            var secondary = await recovery.CreateDBClusterAsync(Cluster(Arn.Parse(targetArn).ResourceId, tags) with { GlobalClusterIdentifier = db.Id }, cancellationToken);
            if (secondary.DBClusterArn != targetArn)
            {
                throw new LocalAwsException($"$.databases[{index}].targetClusterArn: the local AWS has account {LocalAws.AccountId}; it created {secondary.DBClusterArn}, not {targetArn}");
            }

            aws.Gateway.AuroraGlobal.Register(db.Id, Engine, writer.DBClusterArn!, [targetArn]);
        }
    }

    /// <summary>The end-state check of an aurora-global entry: its target cluster is the global database's writer.</summary>
    public static async Task<CheckReport> CheckWriterAsync(AwsClients recovery, DatabaseTarget database, CancellationToken cancellationToken)
    {
        var name = $"database {database.Id}: {database.TargetClusterArn} is the writer";
        var global = (await recovery.Rds.DescribeGlobalClustersAsync(database.Id, cancellationToken)).FirstOrDefault(g => g.GlobalClusterIdentifier == database.Id);
        if (global is null)
        {
            return new CheckReport(name, false, "the global database does not exist", $"database-writable:{database.Id}");
        }

        var writer = global.GlobalClusterMembers.FirstOrDefault(m => m.IsWriter)?.DBClusterArn ?? "none";
        return new CheckReport(name, global.FailoverState is null && writer == database.TargetClusterArn,
            $"writer {writer}{(global.FailoverState is { } underway ? $", FailoverState {underway.Status}" : "")}; members {string.Join(", ", global.GlobalClusterMembers.Select(m => $"{m.DBClusterArn} ({m.SynchronizationStatus})"))}",
            $"database-writable:{database.Id}");
    }

    /// <summary>The engine of the replica clusters the local AWS creates: cross-region read replica clusters are Aurora MySQL's.</summary>
    public const string ReplicaClusterEngine = "aurora-mysql";

    /// <summary>Deploys every aurora-cluster-replica entry of <paramref name="plan"/>, returning the replica clusters' identifiers.</summary>
    public static async Task<IReadOnlyList<string>> DeployReplicaClustersAsync(LocalAws aws, RecoveryPlan plan, IReadOnlyDictionary<string, string> tags, TimeProvider clock, CancellationToken cancellationToken)
    {
        var primary = aws.Clients(plan.PrimaryRegion, clock).Rds;
        var recovery = aws.Clients(plan.RecoveryRegion, clock).Rds;
        var deployed = new List<string>();
        foreach (var db in plan.Databases.Where(d => d.Kind == DatabaseKinds.AuroraClusterReplica))
        {
            var source = await primary.CreateDBClusterAsync(Cluster($"{db.Id}-primary", tags, ReplicaClusterEngine), cancellationToken);
            await recovery.CreateDBClusterAsync(Cluster(db.Id, tags, ReplicaClusterEngine) with { ReplicationSourceIdentifier = source.DBClusterArn }, cancellationToken);
            aws.Gateway.AuroraReplicaClusters.Register(plan.RecoveryRegion, db.Id, source.DBClusterArn!);
            deployed.Add(db.Id);
        }

        return deployed;
    }

    /// <summary>The end-state check of an aurora-cluster-replica entry: the cluster is standalone (no replication source) and available.</summary>
    public static async Task<CheckReport> CheckStandaloneAsync(AwsClients recovery, DatabaseTarget database, CancellationToken cancellationToken)
    {
        var name = $"database {database.Id} is standalone and writable";
        try
        {
            var clusters = await recovery.Rds.DescribeDBClustersAsync(database.Id, cancellationToken);
            var cluster = clusters.Count == 0 ? null : clusters[0];
            return cluster is null
                ? new CheckReport(name, false, "no such DB cluster in the recovery region", $"database-writable:{database.Id}")
                : new CheckReport(name, cluster.ReplicationSourceIdentifier is null && cluster.Status == "available",
                    $"cluster status {cluster.Status}, replication source {cluster.ReplicationSourceIdentifier ?? "none"}", $"database-writable:{database.Id}");
        }
        catch (Failover.Aws.Transport.AwsNotFoundException)
        {
            return new CheckReport(name, false, "no such DB cluster in the recovery region", $"database-writable:{database.Id}");
        }
    }

    private static CreateDBClusterRequest Cluster(string id, IReadOnlyDictionary<string, string> tags, string engine = Engine) =>
        new(id, engine) { MasterUsername = "failover", MasterUserPassword = "local-password-1", Tags = tags };
}
