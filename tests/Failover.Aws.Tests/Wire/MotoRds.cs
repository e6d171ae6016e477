using System.Xml.Linq;
using Amazon.Runtime;
using Failover.Aws.Transport;

namespace Failover.Aws.Tests.Wire;

/// <summary>RDS calls the product never makes but the wire tests need to set moto up (clusters, global databases, snapshots).</summary>
internal static class MotoRds
{
    public const string Version = "2014-10-31";

    public static Task<XElement> CallAsync(MotoServer moto, string region, string action, QueryParameters parameters, CancellationToken cancellationToken)
    {
        var transport = new AwsTransport(moto.Http, moto.Options(region, new BasicAWSCredentials("test", "test")), TimeProvider.System);
        return QueryProtocol.CallAsync(transport, AwsService.Rds, Version, action, parameters, retrySafe: false, cancellationToken);
    }

    /// <summary>Creates an Aurora PostgreSQL cluster, optionally a replica of another cluster (ARN) or a member of a global database; returns its ARN.</summary>
    public static async Task<string> CreateClusterAsync(MotoServer moto, string region, string id, CancellationToken cancellationToken, string? replicationSourceIdentifier = null, string? globalClusterIdentifier = null)
    {
        var result = await CallAsync(moto, region, "CreateDBCluster", new QueryParameters()
            .Add("DBClusterIdentifier", id)
            .Add("Engine", "aurora-postgresql")
            .Add("MasterUsername", "admin")
            .Add("MasterUserPassword", "password-123")
            .Add("ReplicationSourceIdentifier", replicationSourceIdentifier)
            .Add("GlobalClusterIdentifier", globalClusterIdentifier), cancellationToken);
        return result.Child("DBCluster")!.Required("DBClusterArn");
    }

    public static Task<XElement> CreateGlobalClusterAsync(MotoServer moto, string region, string id, string sourceClusterArn, CancellationToken cancellationToken) =>
        CallAsync(moto, region, "CreateGlobalCluster", new QueryParameters().Add("GlobalClusterIdentifier", id).Add("SourceDBClusterIdentifier", sourceClusterArn), cancellationToken);

    /// <summary>(identifier, type) of every DB snapshot in the region.</summary>
    public static async Task<IReadOnlyList<(string Id, string Type)>> SnapshotsAsync(MotoServer moto, string region, CancellationToken cancellationToken)
    {
        var result = await CallAsync(moto, region, "DescribeDBSnapshots", new QueryParameters(), cancellationToken);
        return [.. result.Items("DBSnapshots").Select(s => (s.Required("DBSnapshotIdentifier"), s.Required("SnapshotType")))];
    }
}
