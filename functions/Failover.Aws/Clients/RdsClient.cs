using System.Xml.Linq;
using Failover.Aws.Transport;

namespace Failover.Aws.Clients;

/// <summary>An RDS DB instance, the members the product reads.</summary>
public sealed record DBInstance(
    string DBInstanceIdentifier,
    string? DBInstanceArn,
    string DBInstanceStatus,
    string? Engine,
    string? ReadReplicaSourceDBInstanceIdentifier,
    IReadOnlyList<string> ReadReplicaDBInstanceIdentifiers,
    int? BackupRetentionPeriod,
    string? EngineVersion = null)
{
    /// <summary>The Status of the StatusInfos entry whose StatusType is "read replication" (replicating, error, stopped,
    /// terminated, …); null when RDS reports none (API_DBInstanceStatusInfo.html).</summary>
    public string? ReadReplicationStatus { get; init; }
}

/// <summary>Parameters of CreateDBInstance that the local environment needs.</summary>
public sealed record CreateDBInstanceRequest(string DBInstanceIdentifier, string Engine, string DBInstanceClass, int AllocatedStorage, string MasterUsername, string MasterUserPassword)
{
    /// <summary>Days of automated backups to keep (0 disables them, and a source without backups cannot have read replicas); null leaves RDS's default (API_CreateDBInstance.html).</summary>
    public int? BackupRetentionPeriod { get; init; }

    /// <summary>Engine version to create (e.g. 8.0.35); null takes the engine's default version.</summary>
    public string? EngineVersion { get; init; }

    /// <summary>Tags to put on the instance (sent as Tags.Tag.N.Key/Value); empty puts none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>Parameters of CreateDBCluster that the local environment needs (an Aurora cluster, optionally joining a global database).</summary>
public sealed record CreateDBClusterRequest(string DBClusterIdentifier, string Engine)
{
    /// <summary>Master user of the cluster (1 to 16 letters or digits, starting with a letter); null sends none (a secondary cluster of a global database takes its users from the primary).</summary>
    public string? MasterUsername { get; init; }

    /// <summary>Master user's password (8 to 41 printable ASCII characters, no /, " or @); null whenever <see cref="MasterUsername"/> is.</summary>
    public string? MasterUserPassword { get; init; }

    /// <summary>The global database the cluster joins as a secondary.</summary>
    public string? GlobalClusterIdentifier { get; init; }

    /// <summary>The source cluster (its ARN) when the cluster is a cross-region read replica cluster.</summary>
    public string? ReplicationSourceIdentifier { get; init; }

    /// <summary>Tags to put on the cluster (sent as Tags.Tag.N.Key/Value); empty puts none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>An instance of an Aurora (or Multi-AZ) DB cluster and whether it is the writer.</summary>
public sealed record DBClusterMember(string DBInstanceIdentifier, bool IsClusterWriter);

/// <summary>An RDS DB cluster (Aurora or Multi-AZ), the members the product reads.</summary>
/// <param name="ReplicationSourceIdentifier">Set while the cluster is a cross-region read replica; absent once promoted.</param>
public sealed record DBCluster(
    string DBClusterIdentifier,
    string? DBClusterArn,
    string Status,
    string? Engine,
    string? Endpoint,
    string? ReaderEndpoint,
    string? ReplicationSourceIdentifier,
    string? GlobalClusterIdentifier)
{
    /// <summary>The cluster's cross-region read replica clusters (ReadReplicaIdentifiers, as RDS names them: ARNs for other regions); empty when it has none.</summary>
    public IReadOnlyList<string> ReadReplicaIdentifiers { get; init; } = [];

    /// <summary>The DB instances that make up the cluster, the writer flagged (DBClusterMembers); empty for a headless cluster, which has no instance to serve traffic.</summary>
    public IReadOnlyList<DBClusterMember> DBClusterMembers { get; init; } = [];
}

/// <summary>A regional cluster of an Aurora global database.</summary>
/// <param name="SynchronizationStatus">connected or pending-resync (AWS); absent on older replies.</param>
public sealed record GlobalClusterMember(string DBClusterArn, bool IsWriter, string? GlobalWriteForwardingStatus, string? SynchronizationStatus)
{
    /// <summary>ARNs of the read-only secondary clusters (Readers); filled on the writer's entry, empty on a secondary's.</summary>
    public IReadOnlyList<string> Readers { get; init; } = [];
}

/// <summary>A failover or switchover in progress on a global database.</summary>
/// <param name="Status">pending, failing-over, switching-over or cancelling.</param>
public sealed record FailoverState(string? Status, string? FromDbClusterArn, string? ToDbClusterArn, bool? IsDataLossAllowed);

/// <summary>An Aurora global database. <see cref="FailoverState"/> is null unless a failover or switchover is in progress.</summary>
public sealed record GlobalCluster(string GlobalClusterIdentifier, string? GlobalClusterArn, string? Status, string? Engine, string? EngineVersion, string? Endpoint, FailoverState? FailoverState)
{
    /// <summary>The primary and secondary clusters of the global database, one per region (GlobalClusterMembers); the writer is the one with IsWriter.</summary>
    public IReadOnlyList<GlobalClusterMember> GlobalClusterMembers { get; init; } = [];
}

/// <summary>Amazon RDS over the query protocol (Version 2014-10-31).</summary>
public sealed class RdsClient
{
    private const string Version = "2014-10-31";
    private readonly AwsTransport _transport;

    internal RdsClient(AwsTransport transport) => _transport = transport;

    /// <summary>Promotes a read replica to a standalone instance. Not idempotent: read the instance first.</summary>
    [IamAction("rds:PromoteReadReplica")]
    public async Task<DBInstance> PromoteReadReplicaAsync(string dbInstanceIdentifier, int? backupRetentionPeriod, CancellationToken cancellationToken)
    {
        var result = await CallAsync("PromoteReadReplica", new QueryParameters()
            .Add("DBInstanceIdentifier", dbInstanceIdentifier)
            .Add("BackupRetentionPeriod", backupRetentionPeriod), retrySafe: false, cancellationToken);
        return ParseInstance(result.Child("DBInstance") ?? throw QueryProtocol.Malformed(AwsService.Rds, "PromoteReadReplica", "no DBInstance"));
    }

    /// <summary>Describes one instance (by identifier or ARN), or all when null; follows every page.</summary>
    [IamAction("rds:DescribeDBInstances")]
    public async Task<IReadOnlyList<DBInstance>> DescribeDBInstancesAsync(string? dbInstanceIdentifier, CancellationToken cancellationToken)
    {
        var instances = new List<DBInstance>();
        string? marker = null;
        do
        {
            var result = await CallAsync("DescribeDBInstances", new QueryParameters()
                .Add("DBInstanceIdentifier", dbInstanceIdentifier)
                .Add("Marker", marker), retrySafe: true, cancellationToken);
            instances.AddRange(result.Items("DBInstances").Select(ParseInstance));
            marker = result.Text("Marker");
        }
        while (!string.IsNullOrEmpty(marker));

        return instances;
    }

    /// <summary>Most identifiers one DescribeDBInstances carries in its db-instance-id filter. API_DescribeDBInstances.html
    /// names no maximum for a filter's values; 100 is the most records one page returns (MaxRecords: minimum 20, maximum
    /// 100), so each call is answered in one page.</summary>
    public const int MaxInstanceIdsPerDescribe = 100;

    /// <summary>Describes the instances with these identifiers or ARNs (Filters db-instance-id, API_DescribeDBInstances.html),
    /// <see cref="MaxInstanceIdsPerDescribe"/> to a call; follows every page. An identifier that names no instance is
    /// left out of the answer, not an error.</summary>
    [IamAction("rds:DescribeDBInstances")]
    public async Task<IReadOnlyList<DBInstance>> DescribeDBInstancesByIdAsync(IReadOnlyList<string> dbInstanceIdentifiers, CancellationToken cancellationToken)
    {
        var instances = new List<DBInstance>();
        foreach (var chunk in dbInstanceIdentifiers.Chunk(MaxInstanceIdsPerDescribe))
        {
            string? marker = null;
            do
            {
                var parameters = new QueryParameters().Add("Filters.Filter.1.Name", "db-instance-id");
                for (var i = 0; i < chunk.Length; i++)
                {
                    parameters.Add($"Filters.Filter.1.Values.Value.{i + 1}", chunk[i]);
                }

                var result = await CallAsync("DescribeDBInstances", parameters.Add("MaxRecords", MaxInstanceIdsPerDescribe).Add("Marker", marker), retrySafe: true, cancellationToken);
                instances.AddRange(result.Items("DBInstances").Select(ParseInstance));
                marker = result.Text("Marker");
            }
            while (!string.IsNullOrEmpty(marker));
        }

        return instances;
    }

    /// <summary>Creates a DB instance.</summary>
    [IamAction("rds:CreateDBInstance", "rds:AddTagsToResource")]
    public async Task<DBInstance> CreateDBInstanceAsync(CreateDBInstanceRequest request, CancellationToken cancellationToken)
    {
        var parameters = new QueryParameters()
            .Add("DBInstanceIdentifier", request.DBInstanceIdentifier)
            .Add("Engine", request.Engine)
            .Add("DBInstanceClass", request.DBInstanceClass)
            .Add("AllocatedStorage", request.AllocatedStorage)
            .Add("MasterUsername", request.MasterUsername)
            .Add("MasterUserPassword", request.MasterUserPassword)
            .Add("BackupRetentionPeriod", request.BackupRetentionPeriod)
            .Add("EngineVersion", request.EngineVersion);
        AddTags(parameters, request.Tags);
        var result = await CallAsync("CreateDBInstance", parameters, retrySafe: false, cancellationToken);
        return ParseInstance(result.Child("DBInstance") ?? throw QueryProtocol.Malformed(AwsService.Rds, "CreateDBInstance", "no DBInstance"));
    }

    /// <summary>Creates a read replica of <paramref name="sourceDBInstanceIdentifier"/> (an ARN when the source is in another region).</summary>
    [IamAction("rds:CreateDBInstanceReadReplica", "rds:AddTagsToResource")]
    public async Task<DBInstance> CreateDBInstanceReadReplicaAsync(string dbInstanceIdentifier, string sourceDBInstanceIdentifier, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        var parameters = new QueryParameters()
            .Add("DBInstanceIdentifier", dbInstanceIdentifier)
            .Add("SourceDBInstanceIdentifier", sourceDBInstanceIdentifier);
        AddTags(parameters, tags ?? new Dictionary<string, string>());
        var result = await CallAsync("CreateDBInstanceReadReplica", parameters, retrySafe: false, cancellationToken);
        return ParseInstance(result.Child("DBInstance") ?? throw QueryProtocol.Malformed(AwsService.Rds, "CreateDBInstanceReadReplica", "no DBInstance"));
    }

    /// <summary>Deletes a DB instance (e.g. a drill's temporary copy). Not retried on 5xx: a repeat of a delete that
    /// went through answers InvalidDBInstanceState or DBInstanceNotFound, so read the instance first.</summary>
    [IamAction("rds:DeleteDBInstance")]
    public async Task<DBInstance> DeleteDBInstanceAsync(string dbInstanceIdentifier, bool skipFinalSnapshot, string? finalDBSnapshotIdentifier, bool? deleteAutomatedBackups, CancellationToken cancellationToken)
    {
        var result = await CallAsync("DeleteDBInstance", new QueryParameters()
            .Add("DBInstanceIdentifier", dbInstanceIdentifier)
            .Add("SkipFinalSnapshot", skipFinalSnapshot)
            .Add("FinalDBSnapshotIdentifier", finalDBSnapshotIdentifier)
            .Add("DeleteAutomatedBackups", deleteAutomatedBackups), retrySafe: false, cancellationToken);
        return ParseInstance(result.Child("DBInstance") ?? throw QueryProtocol.Malformed(AwsService.Rds, "DeleteDBInstance", "no DBInstance"));
    }

    /// <summary>Describes one cluster (by identifier or ARN), or all when null; follows every page.</summary>
    [IamAction("rds:DescribeDBClusters")]
    public async Task<IReadOnlyList<DBCluster>> DescribeDBClustersAsync(string? dbClusterIdentifier, CancellationToken cancellationToken)
    {
        var clusters = new List<DBCluster>();
        string? marker = null;
        do
        {
            var result = await CallAsync("DescribeDBClusters", new QueryParameters()
                .Add("DBClusterIdentifier", dbClusterIdentifier)
                .Add("Marker", marker), retrySafe: true, cancellationToken);
            clusters.AddRange(result.Items("DBClusters").Select(ParseCluster));
            marker = result.Text("Marker");
        }
        while (!string.IsNullOrEmpty(marker));

        return clusters;
    }

    /// <summary>Creates a DB cluster.</summary>
    [IamAction("rds:CreateDBCluster", "rds:AddTagsToResource")]
    public async Task<DBCluster> CreateDBClusterAsync(CreateDBClusterRequest request, CancellationToken cancellationToken)
    {
        var parameters = new QueryParameters()
            .Add("DBClusterIdentifier", request.DBClusterIdentifier)
            .Add("Engine", request.Engine)
            .Add("MasterUsername", request.MasterUsername)
            .Add("MasterUserPassword", request.MasterUserPassword)
            .Add("ReplicationSourceIdentifier", request.ReplicationSourceIdentifier)
            .Add("GlobalClusterIdentifier", request.GlobalClusterIdentifier);
        AddTags(parameters, request.Tags);
        var result = await CallAsync("CreateDBCluster", parameters, retrySafe: false, cancellationToken);
        return ParseCluster(result.Child("DBCluster") ?? throw QueryProtocol.Malformed(AwsService.Rds, "CreateDBCluster", "no DBCluster"));
    }

    /// <summary>Creates a global database: from the existing cluster <paramref name="sourceDBClusterIdentifier"/> (its ARN),
    /// which becomes its primary, or empty with <paramref name="engine"/> (members join with CreateDBCluster's
    /// GlobalClusterIdentifier). Give one of the two (API_CreateGlobalCluster.html).</summary>
    [IamAction("rds:CreateGlobalCluster")]
    public async Task<GlobalCluster> CreateGlobalClusterAsync(string globalClusterIdentifier, string? sourceDBClusterIdentifier, string? engine, CancellationToken cancellationToken)
    {
        var result = await CallAsync("CreateGlobalCluster", new QueryParameters()
            .Add("GlobalClusterIdentifier", globalClusterIdentifier)
            .Add("SourceDBClusterIdentifier", sourceDBClusterIdentifier)
            .Add("Engine", engine), retrySafe: false, cancellationToken);
        return ParseGlobalCluster(result.Child("GlobalCluster") ?? throw QueryProtocol.Malformed(AwsService.Rds, "CreateGlobalCluster", "no GlobalCluster"));
    }

    /// <summary>Promotes a cross-region read replica cluster to a standalone cluster (not for global database secondaries:
    /// use <see cref="FailoverGlobalClusterAsync"/>). Not idempotent: read the cluster first.</summary>
    [IamAction("rds:PromoteReadReplicaDBCluster")]
    public async Task<DBCluster> PromoteReadReplicaDBClusterAsync(string dbClusterIdentifier, CancellationToken cancellationToken)
    {
        var result = await CallAsync("PromoteReadReplicaDBCluster", new QueryParameters().Add("DBClusterIdentifier", dbClusterIdentifier), retrySafe: false, cancellationToken);
        return ParseCluster(result.Child("DBCluster") ?? throw QueryProtocol.Malformed(AwsService.Rds, "PromoteReadReplicaDBCluster", "no DBCluster"));
    }

    /// <summary>Describes one global database, or all when null; follows every page.</summary>
    [IamAction("rds:DescribeGlobalClusters")]
    public async Task<IReadOnlyList<GlobalCluster>> DescribeGlobalClustersAsync(string? globalClusterIdentifier, CancellationToken cancellationToken)
    {
        var clusters = new List<GlobalCluster>();
        string? marker = null;
        do
        {
            var result = await CallAsync("DescribeGlobalClusters", new QueryParameters()
                .Add("GlobalClusterIdentifier", globalClusterIdentifier)
                .Add("Marker", marker), retrySafe: true, cancellationToken);

            // The model names these list items <GlobalClusterMember> (like the inner member list): read them by position.
            clusters.AddRange(result.Items("GlobalClusters").Select(ParseGlobalCluster));
            marker = result.Text("Marker");
        }
        while (!string.IsNullOrEmpty(marker));

        return clusters;
    }

    /// <summary>Fails a global database over to <paramref name="targetDbClusterIdentifier"/> (the secondary cluster's ARN).
    /// <paramref name="allowDataLoss"/> true = unplanned failover; otherwise a switchover (optionally <paramref name="switchover"/> true).
    /// The two flags can't be sent together. Not idempotent: read <see cref="DescribeGlobalClustersAsync"/> first.</summary>
    [IamAction("rds:FailoverGlobalCluster")]
    public async Task<GlobalCluster> FailoverGlobalClusterAsync(string globalClusterIdentifier, string targetDbClusterIdentifier, bool? allowDataLoss, bool? switchover, CancellationToken cancellationToken)
    {
        if (allowDataLoss is not null && switchover is not null)
        {
            throw new ArgumentException("FailoverGlobalCluster: AllowDataLoss and Switchover can't be specified together", nameof(switchover));
        }

        var result = await CallAsync("FailoverGlobalCluster", new QueryParameters()
            .Add("GlobalClusterIdentifier", globalClusterIdentifier)
            .Add("TargetDbClusterIdentifier", targetDbClusterIdentifier)
            .Add("AllowDataLoss", allowDataLoss)
            .Add("Switchover", switchover), retrySafe: false, cancellationToken);
        return ParseGlobalCluster(result.Child("GlobalCluster") ?? throw QueryProtocol.Malformed(AwsService.Rds, "FailoverGlobalCluster", "no GlobalCluster"));
    }

    /// <summary>Planned switchover of a global database to <paramref name="targetDbClusterIdentifier"/> (no data loss; topology kept).</summary>
    [IamAction("rds:SwitchoverGlobalCluster")]
    public async Task<GlobalCluster> SwitchoverGlobalClusterAsync(string globalClusterIdentifier, string targetDbClusterIdentifier, CancellationToken cancellationToken)
    {
        var result = await CallAsync("SwitchoverGlobalCluster", new QueryParameters()
            .Add("GlobalClusterIdentifier", globalClusterIdentifier)
            .Add("TargetDbClusterIdentifier", targetDbClusterIdentifier), retrySafe: false, cancellationToken);
        return ParseGlobalCluster(result.Child("GlobalCluster") ?? throw QueryProtocol.Malformed(AwsService.Rds, "SwitchoverGlobalCluster", "no GlobalCluster"));
    }

    private static void AddTags(QueryParameters parameters, IReadOnlyDictionary<string, string> tags)
    {
        var n = 0;
        foreach (var (key, value) in tags)
        {
            n++;
            parameters.Add($"Tags.Tag.{n}.Key", key).Add($"Tags.Tag.{n}.Value", value);
        }
    }

    private Task<XElement> CallAsync(string action, QueryParameters parameters, bool retrySafe, CancellationToken cancellationToken) =>
        QueryProtocol.CallAsync(_transport, AwsService.Rds, Version, action, parameters, retrySafe, cancellationToken);

    private static DBInstance ParseInstance(XElement e) => new(
        e.Required("DBInstanceIdentifier"),
        e.Text("DBInstanceArn"),
        e.Text("DBInstanceStatus") ?? "unknown",
        e.Text("Engine"),
        NullIfEmpty(e.Text("ReadReplicaSourceDBInstanceIdentifier")),
        [.. e.Items("ReadReplicaDBInstanceIdentifiers").Select(x => x.Value)],
        e.Int("BackupRetentionPeriod"),
        e.Text("EngineVersion"))
    {
        ReadReplicationStatus = e.Items("StatusInfos").FirstOrDefault(i => i.Text("StatusType") == "read replication")?.Text("Status"),
    };

    private static DBCluster ParseCluster(XElement e) => new(
        e.Required("DBClusterIdentifier"),
        e.Text("DBClusterArn"),
        e.Text("Status") ?? "unknown",
        e.Text("Engine"),
        e.Text("Endpoint"),
        e.Text("ReaderEndpoint"),
        NullIfEmpty(e.Text("ReplicationSourceIdentifier")),
        NullIfEmpty(e.Text("GlobalClusterIdentifier")))
    {
        ReadReplicaIdentifiers = [.. e.Items("ReadReplicaIdentifiers").Select(x => x.Value)],
        DBClusterMembers = [.. e.Items("DBClusterMembers").Select(m => new DBClusterMember(m.Required("DBInstanceIdentifier"), m.Bool("IsClusterWriter") ?? false))],
    };

    private static GlobalCluster ParseGlobalCluster(XElement e)
    {
        var failover = e.Child("FailoverState");
        return new GlobalCluster(
            e.Required("GlobalClusterIdentifier"),
            e.Text("GlobalClusterArn"),
            e.Text("Status"),
            e.Text("Engine"),
            e.Text("EngineVersion"),
            e.Text("Endpoint"),
            failover is null || !failover.HasElements ? null : new FailoverState(failover.Text("Status"), failover.Text("FromDbClusterArn"), failover.Text("ToDbClusterArn"), failover.Bool("IsDataLossAllowed")))
        {
            GlobalClusterMembers = [.. e.Items("GlobalClusterMembers").Select(m => new GlobalClusterMember(
                m.Required("DBClusterArn"), m.Bool("IsWriter") ?? false, m.Text("GlobalWriteForwardingStatus"), m.Text("SynchronizationStatus"))
            {
                Readers = [.. m.Items("Readers").Select(r => r.Value)],
            })],
        };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
