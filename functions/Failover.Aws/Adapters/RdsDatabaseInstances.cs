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
            return instances.Count > 0 ? ToState(instances[0]) : null;
        }
        catch (AwsNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, DatabaseInstanceState>> DescribeManyAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        // RDS keeps identifiers in lower case and matches them without regard to case.
        var found = (await rds.DescribeDBInstancesByIdAsync(ids, cancellationToken))
            .ToDictionary(i => i.DBInstanceIdentifier, StringComparer.OrdinalIgnoreCase);
        var states = new Dictionary<string, DatabaseInstanceState>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in ids)
        {
            if (found.TryGetValue(id, out var instance))
            {
                states[id] = ToState(instance);
            }
        }

        return states;
    }

    /// <inheritdoc />
    public async Task PromoteAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await rds.PromoteReadReplicaAsync(id, backupRetentionPeriod: null, cancellationToken);
        }
        catch (AwsConflictException ex) when (ex.ErrorCode is "InvalidDBInstanceState" or "InvalidDBInstanceStateFault")
        {
            // An earlier attempt whose answer was lost may have got there first: then the promotion is
            // underway or done, which is what this call wanted.
            if (await DescribeAsync(id, cancellationToken) is { IsReplica: true, Status: "available" } or null)
            {
                throw;
            }
        }
    }

    private static DatabaseInstanceState ToState(DBInstance instance) => new(
        instance.DBInstanceIdentifier, instance.DBInstanceStatus, instance.ReadReplicaSourceDBInstanceIdentifier, instance.Engine, instance.EngineVersion, instance.BackupRetentionPeriod,
        instance.ReadReplicationStatus);
}
