using Failover.Aws.Clients;
using Failover.Aws.Transport;
using Failover.Core.Ports;

namespace Failover.Aws.Adapters;

/// <summary>Aurora clusters through RDS: the recovery region for changes, the primary region only to see whether it answers.</summary>
public sealed class AuroraClusters(RdsClient recovery, string recoveryRegion, RdsClient primary) : IAuroraClusters
{
    /// <inheritdoc />
    public async Task<ClusterState?> DescribeClusterAsync(string clusterId, CancellationToken cancellationToken)
    {
        try
        {
            var clusters = await recovery.DescribeDBClustersAsync(clusterId, cancellationToken);
            return clusters.Count == 0 ? null : new ClusterState(clusters[0].DBClusterIdentifier, clusters[0].DBClusterArn, clusters[0].Status, clusters[0].ReplicationSourceIdentifier);
        }
        catch (AwsNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task PromoteClusterAsync(string clusterId, CancellationToken cancellationToken) =>
        await recovery.PromoteReadReplicaDBClusterAsync(clusterId, cancellationToken);

    /// <inheritdoc />
    public async Task<GlobalClusterState?> DescribeGlobalClusterAsync(string globalClusterId, string region, CancellationToken cancellationToken)
    {
        try
        {
            var clusters = await (region == recoveryRegion ? recovery : primary).DescribeGlobalClustersAsync(globalClusterId, cancellationToken);
            var global = clusters.FirstOrDefault(c => c.GlobalClusterIdentifier == globalClusterId);
            if (global is null)
            {
                return null;
            }

            var status = string.IsNullOrEmpty(global.FailoverState?.Status) ? null : global.FailoverState.Status;
            return new GlobalClusterState(global.GlobalClusterIdentifier, status, [.. global.GlobalClusterMembers.Select(m => new Core.Ports.GlobalClusterMember(m.DBClusterArn, m.IsWriter, m.SynchronizationStatus))]);
        }
        catch (AwsNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<SwitchoverRefusal?> SwitchoverGlobalClusterAsync(string globalClusterId, string targetClusterArn, CancellationToken cancellationToken)
    {
        try
        {
            await recovery.SwitchoverGlobalClusterAsync(globalClusterId, targetClusterArn, cancellationToken);
            return null;
        }
        catch (AwsConflictException ex)
        {
            // InvalidGlobalClusterStateFault / InvalidDBClusterStateFault: RDS refused and changed nothing
            // (API_SwitchoverGlobalCluster.html), so the caller may choose another way.
            return new SwitchoverRefusal($"{ex.ErrorCode}: {ex.ServiceMessage}");
        }
    }

    /// <inheritdoc />
    public async Task FailoverGlobalClusterAsync(string globalClusterId, string targetClusterArn, CancellationToken cancellationToken) =>
        await recovery.FailoverGlobalClusterAsync(globalClusterId, targetClusterArn, allowDataLoss: true, switchover: null, cancellationToken);
}
