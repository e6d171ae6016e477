using Failover.Aws.Clients;
using Failover.Aws.Transport;
using Failover.Core.Ports;
using Failover.Core.Services;

namespace Failover.Aws.Adapters;

/// <summary>
/// What drills create: temporary RDS copies (named drill-HASH-replica and tagged with the execution) and DRS
/// drill instances (launched by jobs tagged with the execution). DRS never terminates drill instances itself.
/// </summary>
public sealed class DrillResources(RdsClient rds, DrsClient drs) : IDrillResources
{
    /// <summary>Kind of a temporary database copy.</summary>
    public const string DatabaseCopy = "database-copy";

    /// <summary>Kind of a DRS drill recovery instance.</summary>
    public const string RecoveryInstance = "recovery-instance";

    /// <inheritdoc />
    public async Task CreateDatabaseCopyAsync(string copyId, string replicaId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        await rds.CreateDBInstanceReadReplicaAsync(copyId, replicaId, tags, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<DrillResource>> FindAsync(string? executionName, CancellationToken cancellationToken)
    {
        // Copies are named from the execution (DatabasePromotionService.DrillCopyId), so a prefix finds them.
        var prefix = executionName is null ? "drill-" : DatabasePromotionService.DrillCopyId(executionName, "");
        var copies = (await rds.DescribeDBInstancesAsync(null, cancellationToken))
            .Where(i => i.DBInstanceIdentifier.StartsWith(prefix, StringComparison.Ordinal) && i.DBInstanceStatus != "deleting")
            .Select(i => new DrillResource(DatabaseCopy, i.DBInstanceIdentifier));

        var drillJobs = executionName is null
            ? null
            : (await drs.DescribeJobsAsync(null, cancellationToken))
                .Where(j => j.Tags.TryGetValue(ServerRecoveryService.ExecutionTag, out var v) && v == executionName)
                .Select(j => j.JobID).ToHashSet(StringComparer.Ordinal);
        var instances = (await drs.DescribeRecoveryInstancesAsync(null, cancellationToken))
            .Where(r => r.IsDrill == true && !IsTerminated(r.Ec2InstanceState) && (drillJobs is null || (r.JobID is not null && drillJobs.Contains(r.JobID))))
            .Select(r => new DrillResource(RecoveryInstance, r.RecoveryInstanceID));
        return [.. copies, .. instances];
    }

    /// <inheritdoc />
    public async Task RemoveAsync(DrillResource resource, CancellationToken cancellationToken)
    {
        try
        {
            if (resource.Kind == DatabaseCopy)
            {
                await rds.DeleteDBInstanceAsync(resource.Id, skipFinalSnapshot: true, finalDBSnapshotIdentifier: null, deleteAutomatedBackups: true, cancellationToken);
            }
            else
            {
                await drs.TerminateRecoveryInstancesAsync([resource.Id], cancellationToken);
            }
        }
        catch (AwsNotFoundException)
        {
            // Already gone: the cleanup's goal.
        }
    }

    private static bool IsTerminated(string? state) => state is not null && (state.Equals("TERMINATED", StringComparison.OrdinalIgnoreCase) || state.Equals("SHUTTING-DOWN", StringComparison.OrdinalIgnoreCase));
}
