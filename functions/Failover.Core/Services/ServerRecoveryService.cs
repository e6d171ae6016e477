using System.Globalization;
using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Runs;

namespace Failover.Core.Services;

/// <summary>
/// Launches the plan's DRS source servers in batches and follows the jobs. Jobs are tagged with the
/// execution and batch, and looked up before starting, so a retried or redriven step never starts a
/// batch twice (StartRecovery has no idempotency token); a batch takes only servers in no job yet, so a
/// server tagged while batches run cannot be launched twice. DRS quotas (<see cref="DrsQuotas"/>) are respected
/// counting the jobs the account already runs; a refusal (quota, conflict, throttling) is waited out by the poll loop
/// until the launch timeout, never a failed run.
/// </summary>
public sealed class ServerRecoveryService(RecoveryPlan plan, IRecoveryServers servers, TimeProvider clock, TimeSpan launchTimeout)
{
    /// <summary>Tag carrying the execution name on every job the run starts.</summary>
    public const string ExecutionTag = "failover:execution";

    /// <summary>Tag carrying the batch index.</summary>
    public const string BatchTag = "failover:batch";

    private const int MaxListedFailures = 100;

    /// <summary>Starts batches of servers that are in no job yet, within the plan's MaxConcurrentJobs and the DRS quotas.</summary>
    public async Task<RunState> StartAsync(RunState run, CancellationToken cancellationToken)
    {
        if (run.Servers is not { } recovery)
        {
            return run with { ServersDone = true };
        }

        recovery = recovery with { StartedAt = recovery.StartedAt ?? clock.GetUtcNow() };
        var states = await DescribeAsync(recovery, cancellationToken);
        return run with { Servers = await StartPendingBatchesAsync(run, recovery, states, cancellationToken), ServersDone = false };
    }

    /// <summary>Reads the jobs once, starts batches that now have room, and summarises when all jobs are done.</summary>
    public async Task<RunState> CheckAsync(RunState run, CancellationToken cancellationToken)
    {
        if (run.Servers is not { } recovery)
        {
            return run with { ServersDone = true };
        }

        var states = await DescribeAsync(recovery, cancellationToken);
        recovery = recovery with { Jobs = [.. recovery.Jobs.Select(j => j with { Status = states.TryGetValue(j.JobId, out var s) ? s.Status : j.Status })] };
        recovery = await StartPendingBatchesAsync(run, recovery, states, cancellationToken);

        var notStarted = recovery.Total - LaunchStatus(states.Values).Count;
        var done = notStarted <= 0 && recovery.Jobs.All(j => j.Status == "COMPLETED");
        if (!done)
        {
            var elapsed = clock.GetUtcNow() - (recovery.StartedAt ?? clock.GetUtcNow());
            return elapsed > launchTimeout
                ? throw new ServerRecoveryTimeoutException($"{recovery.Jobs.Count(j => j.Status != "COMPLETED")} DRS job(s) unfinished and {Math.Max(0, notStarted)} server(s) not started after {launchTimeout.TotalSeconds:0} s")
                : run with { Servers = recovery, ServersDone = false };
        }

        // Jobs found by tag in this same check were not in the first read.
        if (recovery.Jobs.Any(j => !states.ContainsKey(j.JobId)))
        {
            states = await DescribeAsync(recovery, cancellationToken);
        }

        // A COMPLETED job can still hold FAILED servers: success is every participating server LAUNCHED.
        var launchStatus = LaunchStatus(states.Values);
        var failed = launchStatus.Where(kv => kv.Value != "LAUNCHED").Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
        var critical = recovery.CriticalServerIds.Count > 0 ? recovery.CriticalServerIds : [.. launchStatus.Keys];
        var outcome = failed.Count == 0 ? ServerOutcomes.Launched
            : critical.All(failed.Contains) ? ServerOutcomes.Failed
            : ServerOutcomes.Partial;
        var summary = recovery with
        {
            Total = launchStatus.Count,
            Launched = launchStatus.Count - failed.Count,
            Failed = failed.Count,
            FailedServerIds = [.. failed.Take(MaxListedFailures)],
            Outcome = outcome,
            CompletedAt = clock.GetUtcNow(),
        };
        return outcome == ServerOutcomes.Failed
            ? throw new ServerRecoveryFailedException($"every critical DRS source server failed to launch ({failed.Count} of {launchStatus.Count} failed): {string.Join(", ", failed.Take(20))}")
            : run with { Servers = summary, ServersDone = true };
    }

    // A server in several jobs (a relaunch) counts by its most recent launch.
    private static Dictionary<string, string> LaunchStatus(IEnumerable<RecoveryJobState> jobs) =>
        jobs.SelectMany(j => j.LaunchStatusByServer)
            .GroupBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);

    private async Task<Dictionary<string, RecoveryJobState>> DescribeAsync(ServersRun recovery, CancellationToken cancellationToken) =>
        recovery.Jobs.Count == 0
            ? []
            : (await servers.DescribeJobsAsync([.. recovery.Jobs.Select(j => j.JobId)], cancellationToken)).ToDictionary(s => s.JobId, StringComparer.Ordinal);

    private async Task<ServersRun> StartPendingBatchesAsync(RunState run, ServersRun recovery, Dictionary<string, RecoveryJobState> states, CancellationToken cancellationToken)
    {
        var jobs = recovery.Jobs.ToList();
        if (LaunchStatus(states.Values).Count >= recovery.Total || jobs.Count(j => j.Status != "COMPLETED") >= recovery.MaxConcurrentJobs || plan.Servers is not { } group)
        {
            return recovery;
        }

        // An earlier attempt (a retry or a redrive) may have started batches and failed before recording them.
        var existing = await servers.FindJobsAsync(run.PreparedAt ?? recovery.StartedAt ?? clock.GetUtcNow(), ExecutionTag, run.ExecutionName, cancellationToken);
        foreach (var job in existing.Where(j => jobs.All(known => known.JobId != j.JobId)))
        {
            var batch = job.Tags.TryGetValue(BatchTag, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b : jobs.Count;
            jobs.Add(new ServerJob { Batch = batch, JobId = job.JobId, Status = job.Status });
            states[job.JobId] = job;
        }

        var inJobs = LaunchStatus(states.Values).Keys.ToHashSet(StringComparer.Ordinal);
        var (found, _) = await ServerSelection.ResolveAsync(group, run.Scope, servers, cancellationToken);

        // DRS quotas count every job of the account, whoever started it; a server in another tool's job cannot join ours yet.
        var quotas = plan.DrsQuotas;
        var active = await servers.DescribeActiveJobsAsync(cancellationToken);
        var activeJobs = active.Count;
        var serversInActiveJobs = active.Sum(j => j.LaunchStatusByServer.Count);
        var busy = active.SelectMany(j => j.LaunchStatusByServer.Keys).ToHashSet(StringComparer.Ordinal);
        var remaining = found.Select(s => s.Id).Where(id => !inJobs.Contains(id) && !busy.Contains(id)).ToList();
        var refusal = (string?)null;
        while (remaining.Count > 0
            && jobs.Count(j => j.Status != "COMPLETED") < recovery.MaxConcurrentJobs
            && activeJobs < quotas.ConcurrentJobs
            && serversInActiveJobs < quotas.ServersInActiveJobs)
        {
            var batch = jobs.Count == 0 ? 0 : jobs.Max(j => j.Batch) + 1;
            var size = Math.Min(Math.Min(recovery.BatchSize, quotas.ServersPerJob), quotas.ServersInActiveJobs - serversInActiveJobs);
            var ids = remaining.Take(size).ToList();
            var tags = new Dictionary<string, string>
            {
                [ExecutionTag] = run.ExecutionName,
                [BatchTag] = batch.ToString(CultureInfo.InvariantCulture),
                ["failover:plan"] = run.Plan,
            };
            var started = await servers.StartRecoveryAsync(ids, isDrill: run.Mode == RunModes.Drill, tags, cancellationToken);
            if (started.JobId is not { } jobId)
            {
                // A quota, a conflict or throttling: nothing started; the next check tries again, within the launch timeout.
                refusal = started.Refusal;
                break;
            }

            jobs.Add(new ServerJob { Batch = batch, JobId = jobId, Status = "PENDING" });
            remaining.RemoveRange(0, ids.Count);
            activeJobs++;
            serversInActiveJobs += ids.Count;
        }

        // The selection may have changed since Prepare (servers tagged or untagged): count what there is now.
        return recovery with
        {
            Jobs = [.. jobs.OrderBy(j => j.Batch)],
            Total = inJobs.Count + found.Count(s => !inJobs.Contains(s.Id)),
            Refusals = recovery.Refusals + (refusal is null ? 0 : 1),
            LastRefusal = refusal ?? recovery.LastRefusal,
        };
    }
}
