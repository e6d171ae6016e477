using System.Xml.Linq;
using Amazon.Runtime;
using Failover.Aws.Clients;
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
        var cluster = await moto.Clients(region).Rds.CreateDBClusterAsync(
            new CreateDBClusterRequest(id, "aurora-postgresql")
            {
                MasterUsername = "admin",
                MasterUserPassword = "password-123",
                ReplicationSourceIdentifier = replicationSourceIdentifier,
                GlobalClusterIdentifier = globalClusterIdentifier,
            },
            cancellationToken);
        return cluster.DBClusterArn!;
    }

    public static Task<GlobalCluster> CreateGlobalClusterAsync(MotoServer moto, string region, string id, string sourceClusterArn, CancellationToken cancellationToken) =>
        moto.Clients(region).Rds.CreateGlobalClusterAsync(id, sourceClusterArn, null, cancellationToken);

    /// <summary>(identifier, type) of every DB snapshot in the region.</summary>
    public static async Task<IReadOnlyList<(string Id, string Type)>> SnapshotsAsync(MotoServer moto, string region, CancellationToken cancellationToken)
    {
        var result = await CallAsync(moto, region, "DescribeDBSnapshots", new QueryParameters(), cancellationToken);
        return [.. result.Items("DBSnapshots").Select(s => (s.Required("DBSnapshotIdentifier"), s.Required("SnapshotType")))];
    }
}
