using Failover.Aws.Clients;
using Failover.Aws.Transport;
using Failover.Core.Ports;

namespace Failover.Aws.Adapters;

/// <summary>RDS instances in the recovery region.</summary>
public sealed class RdsDatabaseInstances(RdsClient rds) : IDatabaseInstances
{
    /// <inheritdoc />
    public async Task<DatabaseInstanceState?> DescribeAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var instances = await rds.DescribeDBInstancesAsync(id, cancellationToken);
            var instance = instances.Count > 0 ? instances[0] : null;
            return instance is null ? null : new DatabaseInstanceState(instance.DBInstanceIdentifier, instance.DBInstanceStatus, instance.ReadReplicaSourceDBInstanceIdentifier);
        }
        catch (AwsNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task PromoteAsync(string id, CancellationToken cancellationToken) =>
        await rds.PromoteReadReplicaAsync(id, backupRetentionPeriod: null, cancellationToken);
}
