using Failover.Aws.Clients;
using Failover.Aws.Transport;
using Failover.Core.Ports;

namespace Failover.Aws.Adapters;

/// <summary>Elastic Disaster Recovery in the recovery region.</summary>
public sealed class DrsRecoveryServers(DrsClient drs, TimeProvider clock) : IRecoveryServers
{
    // DescribeSourceServers takes at most 200 ids per filter; DescribeJobs at most 1,000.
    private const int SourceServerFilterLimit = 200;
    private const int JobFilterLimit = 1000;

    /// <inheritdoc />
    public async Task<IReadOnlyList<SourceServerState>> DescribeSourceServersAsync(IReadOnlyList<string> ids, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, SourceServer>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(SourceServerFilterLimit))
        {
            foreach (var server in await drs.DescribeSourceServersAsync(new DescribeSourceServersRequestFilters { SourceServerIDs = chunk }, cancellationToken))
            {
                found[server.SourceServerID] = server;
            }
        }

        if (tags.Count > 0)
        {
            // DRS cannot filter by tag: read all servers and keep those carrying every tag.
            foreach (var server in await drs.DescribeSourceServersAsync(null, cancellationToken))
            {
                if (tags.All(t => server.Tags.TryGetValue(t.Key, out var v) && v == t.Value))
                {
                    found[server.SourceServerID] = server;
                }
            }
        }

        return [.. found.Values.Select(s => new SourceServerState(s.SourceServerID, s.DataReplicationInfo?.DataReplicationState ?? "UNKNOWN", s.DataReplicationInfo?.LagDuration?.TotalSeconds))];
    }

    /// <inheritdoc />
    public async Task<StartRecoveryOutcome> StartRecoveryAsync(IReadOnlyList<string> sourceServerIds, bool isDrill, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        try
        {
            var job = await drs.StartRecoveryAsync([.. sourceServerIds.Select(id => new StartRecoveryRequestSourceServer(id))], isDrill, tags, cancellationToken);
            return StartRecoveryOutcome.Started(job.JobID);
        }
        catch (AwsServiceException ex) when (ex is AwsServiceQuotaExceededException or AwsConflictException or AwsThrottlingException)
        {
            // Each passes once a job ends: 402 a quota (StartRecovery errors, DRS API reference), 409 a server already in a job.
            var quota = (ex as AwsServiceQuotaExceededException)?.QuotaCode is { } code ? $" ({code})" : "";
            return StartRecoveryOutcome.Refused($"{ex.ErrorCode}{quota}: {ex.ServiceMessage}");
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RecoveryJobState>> DescribeActiveJobsAsync(CancellationToken cancellationToken)
    {
        // DescribeJobs has no status filter; a job older than a day still in progress is not a case DRS documents.
        var jobs = await drs.DescribeJobsAsync(new DescribeJobsRequestFilters { FromDate = clock.GetUtcNow().AddDays(-1) }, cancellationToken);
        return [.. jobs.Where(j => j.Status != "COMPLETED").Select(ToState)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RecoveryJobState>> FindJobsAsync(DateTimeOffset since, string tagKey, string tagValue, CancellationToken cancellationToken)
    {
        var jobs = await drs.DescribeJobsAsync(new DescribeJobsRequestFilters { FromDate = since.AddMinutes(-5) }, cancellationToken);
        return [.. jobs.Where(j => j.Tags.TryGetValue(tagKey, out var v) && v == tagValue).Select(ToState)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RecoveryJobState>> DescribeJobsAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        var states = new List<RecoveryJobState>();
        foreach (var chunk in jobIds.Chunk(JobFilterLimit))
        {
            states.AddRange((await drs.DescribeJobsAsync(new DescribeJobsRequestFilters { JobIDs = chunk }, cancellationToken)).Select(ToState));
        }

        return states;
    }

    private static RecoveryJobState ToState(Job job) => new(
        job.JobID,
        job.Status ?? "PENDING",
        job.ParticipatingServers.Where(p => p.SourceServerID is not null).ToDictionary(p => p.SourceServerID!, p => p.LaunchStatus ?? "PENDING", StringComparer.Ordinal),
        job.Tags);
}
