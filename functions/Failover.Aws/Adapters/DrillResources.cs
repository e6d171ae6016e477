using Failover.Aws.Clients;
using Failover.Aws.Transport;
using Failover.Core.Ports;
using Failover.Core.Services;

namespace Failover.Aws.Adapters;

/// <summary>
/// What drills create: temporary RDS copies (named drill-HASH-replica and tagged with the execution) and DRS drill
/// instances (launched by jobs tagged with the execution). DRS never terminates drill instances itself.
/// </summary>
public sealed class DrillResources(RdsClient rds, DrsClient drs) : IDrillResources
{
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
            .Select(i => new DrillResource(DrillResourceKinds.DatabaseCopy, i.DBInstanceIdentifier));

        // An instance of a launch job still in progress is left to a later cleanup (the job may still be working on it);
        // one a terminate job is working on is going already, like a copy that is "deleting".
        var jobs = await drs.DescribeJobsAsync(null, cancellationToken);
        var executionOfJob = jobs.Where(j => j.Tags.ContainsKey(ServerRecoveryService.ExecutionTag)).ToDictionary(j => j.JobID, j => j.Tags[ServerRecoveryService.ExecutionTag], StringComparer.Ordinal);
        string? ExecutionOf(string? jobId) => jobId is not null && executionOfJob.TryGetValue(jobId, out var name) ? name : null;
        var launches = DrillLaunchJobs(jobs, executionName);
        var launching = launches.Where(j => !IsCompleted(j)).Select(j => j.JobID).ToHashSet(StringComparer.Ordinal);
        var ofExecution = launches.Select(j => j.JobID).ToHashSet(StringComparer.Ordinal);
        var terminating = jobs.Where(j => j.Type == "TERMINATE" && !IsCompleted(j))
            .SelectMany(j => j.ParticipatingServers).Select(p => p.RecoveryInstanceID).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var instances = (await drs.DescribeRecoveryInstancesAsync(null, cancellationToken))
            .Where(r => r.IsDrill == true && !IsTerminated(r.Ec2InstanceState) && !terminating.Contains(r.RecoveryInstanceID)
                && (executionName is null || (r.JobID is not null && ofExecution.Contains(r.JobID)))
                && (r.JobID is null || !launching.Contains(r.JobID)))
            .Select(r => new DrillResource(DrillResourceKinds.RecoveryInstance, r.RecoveryInstanceID, ExecutionOf(r.JobID)));
        return [.. copies, .. instances];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DrillLaunch>> FindLaunchesInProgressAsync(string? executionName, CancellationToken cancellationToken) =>
        [.. DrillLaunchJobs(await drs.DescribeJobsAsync(null, cancellationToken), executionName)
            .Where(j => !IsCompleted(j))
            .Select(j => new DrillLaunch(j.JobID, [.. j.ParticipatingServers
                .Where(p => p.LaunchStatus is null or "PENDING" or "IN_PROGRESS")
                .Select(p => p.SourceServerID ?? "(unnamed server)")], j.Tags.GetValueOrDefault(ServerRecoveryService.ExecutionTag)))];

    /// <inheritdoc />
    public async Task RemoveDatabaseCopyAsync(string copyId, CancellationToken cancellationToken)
    {
        try
        {
            await rds.DeleteDBInstanceAsync(copyId, skipFinalSnapshot: true, finalDBSnapshotIdentifier: null, deleteAutomatedBackups: true, cancellationToken);
        }
        catch (AwsNotFoundException)
        {
            // Already gone: the cleanup's goal.
        }
    }

    /// <inheritdoc />
    public async Task TerminateRecoveryInstancesAsync(IReadOnlyList<string> recoveryInstanceIds, CancellationToken cancellationToken)
    {
        try
        {
            await drs.TerminateRecoveryInstancesAsync(recoveryInstanceIds, cancellationToken);
        }
        catch (AwsNotFoundException)
        {
            // One of them is gone already and the call fails as a whole: terminate the ones still there.
            var left = (await drs.DescribeRecoveryInstancesAsync(new DescribeRecoveryInstancesRequestFilters { RecoveryInstanceIDs = recoveryInstanceIds }, cancellationToken))
                .Where(r => !IsTerminated(r.Ec2InstanceState))
                .Select(r => r.RecoveryInstanceID)
                .ToList();
            if (left.Count > 0)
            {
                await drs.TerminateRecoveryInstancesAsync(left, cancellationToken);
            }
        }
    }

    // Drill launch jobs: of one execution (its jobs carry the execution tag), or every drill's (initiated by START_DRILL).
    private static List<Job> DrillLaunchJobs(IEnumerable<Job> jobs, string? executionName) =>
        [.. jobs.Where(j => j.Type == "LAUNCH" && (executionName is null
            ? j.InitiatedBy == "START_DRILL"
            : j.Tags.TryGetValue(ServerRecoveryService.ExecutionTag, out var tagged) && tagged == executionName))];

    private static bool IsCompleted(Job job) => job.Status == "COMPLETED";

    private static bool IsTerminated(string? state) => state is not null && (state.Equals("TERMINATED", StringComparison.OrdinalIgnoreCase) || state.Equals("SHUTTING-DOWN", StringComparison.OrdinalIgnoreCase));
}
