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
    int? BackupRetentionPeriod);

/// <summary>Parameters of CreateDBInstance that the local environment needs.</summary>
public sealed record CreateDBInstanceRequest(string DBInstanceIdentifier, string Engine, string DBInstanceClass, int AllocatedStorage, string MasterUsername, string MasterUserPassword)
{
    public int? BackupRetentionPeriod { get; init; }
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>Amazon RDS over the query protocol (Version 2014-10-31).</summary>
public sealed class RdsClient
{
    private const string Version = "2014-10-31";
    private readonly AwsTransport _transport;

    internal RdsClient(AwsTransport transport) => _transport = transport;

    /// <summary>Promotes a read replica to a standalone instance. Not idempotent: read the instance first.</summary>
    public async Task<DBInstance> PromoteReadReplicaAsync(string dbInstanceIdentifier, int? backupRetentionPeriod, CancellationToken cancellationToken)
    {
        var result = await CallAsync("PromoteReadReplica", new QueryParameters()
            .Add("DBInstanceIdentifier", dbInstanceIdentifier)
            .Add("BackupRetentionPeriod", backupRetentionPeriod), retrySafe: false, cancellationToken);
        return ParseInstance(result.Child("DBInstance") ?? throw QueryProtocol.Malformed(AwsService.Rds, "PromoteReadReplica", "no DBInstance"));
    }

    /// <summary>Describes one instance (by identifier or ARN), or all when null; follows every page.</summary>
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

    /// <summary>Creates a DB instance.</summary>
    public async Task<DBInstance> CreateDBInstanceAsync(CreateDBInstanceRequest request, CancellationToken cancellationToken)
    {
        var parameters = new QueryParameters()
            .Add("DBInstanceIdentifier", request.DBInstanceIdentifier)
            .Add("Engine", request.Engine)
            .Add("DBInstanceClass", request.DBInstanceClass)
            .Add("AllocatedStorage", request.AllocatedStorage)
            .Add("MasterUsername", request.MasterUsername)
            .Add("MasterUserPassword", request.MasterUserPassword)
            .Add("BackupRetentionPeriod", request.BackupRetentionPeriod);
        AddTags(parameters, request.Tags);
        var result = await CallAsync("CreateDBInstance", parameters, retrySafe: false, cancellationToken);
        return ParseInstance(result.Child("DBInstance") ?? throw QueryProtocol.Malformed(AwsService.Rds, "CreateDBInstance", "no DBInstance"));
    }

    /// <summary>Creates a read replica of <paramref name="sourceDBInstanceIdentifier"/> (an ARN when the source is in another region).</summary>
    public async Task<DBInstance> CreateDBInstanceReadReplicaAsync(string dbInstanceIdentifier, string sourceDBInstanceIdentifier, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        var parameters = new QueryParameters()
            .Add("DBInstanceIdentifier", dbInstanceIdentifier)
            .Add("SourceDBInstanceIdentifier", sourceDBInstanceIdentifier);
        AddTags(parameters, tags ?? new Dictionary<string, string>());
        var result = await CallAsync("CreateDBInstanceReadReplica", parameters, retrySafe: false, cancellationToken);
        return ParseInstance(result.Child("DBInstance") ?? throw QueryProtocol.Malformed(AwsService.Rds, "CreateDBInstanceReadReplica", "no DBInstance"));
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
        e.Int("BackupRetentionPeriod"));

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
