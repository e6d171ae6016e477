using System.Globalization;
using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Runs;

namespace Failover.Core.Services;

/// <summary>
/// Launches the plan's DRS source servers wave by wave, each wave in batches, and follows the jobs. A wave starts
/// only once the previous one has launched (every server has a final launch status) and its wait has passed; a wave
/// whose critical servers all failed fails the run before later waves start. Jobs are tagged with the execution,
/// wave and batch, and looked up before starting, so a retried or redriven step never starts a batch twice
/// (StartRecovery has no idempotency token); a batch takes only servers in no job yet, so a server tagged while
/// batches run cannot be launched twice. DRS quotas (<see cref="DrsQuotas"/>) are respected counting the jobs the
/// account already runs; a refusal (quota, conflict, throttling) is waited out by the poll loop until the launch
/// timeout, never a failed run.
/// </summary>
public sealed class ServerRecoveryService(RecoveryPlan plan, IRecoveryServers servers, TimeProvider clock, TimeSpan launchTimeout)
{
    /// <summary>Tag carrying the execution name on every job the run starts.</summary>
    public const string ExecutionTag = "failover:execution";

    /// <summary>Tag carrying the wave index (from 0).</summary>
    public const string WaveTag = "failover:wave";

    /// <summary>Tag carrying the batch index within the wave.</summary>
    public const string BatchTag = "failover:batch";

    private const int MaxListedFailures = 100;
    private const int MaxListedWaveFailures = 20;

    /// <summary>Starts the first wave's batches of servers that are in no job yet, within the wave's MaxConcurrentJobs and the DRS quotas.</summary>
    public async Task<RunState> StartAsync(RunState run, CancellationToken cancellationToken)
    {
        if (run.Servers is not { } recovery)
        {
            return run with { ServersDone = true };
        }

        var now = clock.GetUtcNow();
        recovery = recovery with { StartedAt = recovery.StartedAt ?? now };
        if (recovery.Waves.Count == 0)
        {
            recovery = Begin(recovery, 0, now);
        }

        var states = await DescribeAsync(recovery, cancellationToken);
        return run with { Servers = await StartPendingBatchesAsync(run, recovery, states, new WaveReadings(), cancellationToken), ServersDone = false };
    }

    /// <summary>Check recovery, watched: one look, then more within <paramref name="watch"/>'s window until every wave
    /// is done (a wave's wait, and the start of the next wave, happen within the window too). A look is one paged
    /// DescribeJobs of the run's jobs; Elastic Disaster Recovery documents no request rate, so looks are spaced by the
    /// watch's interval only, and a ThrottlingException is retried by the transport. A wave's servers are read once in
    /// the window (<see cref="WaveReadings"/>).</summary>
    public async Task<RunState> CheckWatchedAsync(RunState run, CompletionWatch watch, CancellationToken cancellationToken)
    {
        var readings = new WaveReadings();
        return await watch.KeepLookingAsync(
            await CheckAsync(run, readings, cancellationToken),
            (current, token) => CheckAsync(current, readings, token),
            r => r.ServersDone,
            _ => TimeSpan.Zero,
            cancellationToken);
    }

    /// <summary>
    /// Reads the current wave's jobs once, starts batches that now have room, and when the wave has launched summarises
    /// it and starts the next wave (after its wait); done when the last wave has launched.
    /// </summary>
    public Task<RunState> CheckAsync(RunState run, CancellationToken cancellationToken) => CheckAsync(run, new WaveReadings(), cancellationToken);

    private async Task<RunState> CheckAsync(RunState run, WaveReadings readings, CancellationToken cancellationToken)
    {
        if (run.Servers is not { } recovery)
        {
            return run with { ServersDone = true };
        }

        var now = clock.GetUtcNow();
        if (recovery.Waves.Count == 0)
        {
            recovery = Begin(recovery with { StartedAt = recovery.StartedAt ?? now }, 0, now);
        }

        if (recovery.Waves[^1].CompletedAt is null)
        {
            var (progress, launched) = await FollowWaveAsync(run, recovery, readings, cancellationToken);
            if (!launched)
            {
                return run with { Servers = progress, ServersDone = false };
            }

            recovery = progress;
        }

        var wave = recovery.Waves[^1];
        if (wave.Index + 1 < plan.Waves.Count)
        {
            // The wait after a wave counts against the launch timeout like any other part of the recovery.
            if (now < wave.CompletedAt!.Value.AddSeconds(plan.Waves[wave.Index].WaitAfterSeconds))
            {
                ThrowIfPastTimeout(recovery, now, $"waiting after wave '{wave.Name}'");
                return run with { Servers = recovery, ServersDone = false };
            }

            recovery = Begin(recovery, wave.Index + 1, now);
            var states = await DescribeAsync(recovery, cancellationToken);
            return run with { Servers = await StartPendingBatchesAsync(run, recovery, states, readings, cancellationToken), ServersDone = false };
        }

        var failed = recovery.Waves.Sum(w => w.Failed);
        return run with
        {
            Servers = recovery with
            {
                Total = recovery.Waves.Sum(w => w.Total),
                Outcome = failed == 0 ? ServerOutcomes.Launched : ServerOutcomes.Partial,
                CompletedAt = now,
            },
            ServersDone = true,
        };
    }

    // Follows the current wave; returns the run's servers and whether the wave has launched (then summarised).
    private async Task<(ServersRun Recovery, bool Launched)> FollowWaveAsync(RunState run, ServersRun recovery, WaveReadings readings, CancellationToken cancellationToken)
    {
        var states = await DescribeAsync(recovery, cancellationToken);
        recovery = recovery with { Jobs = [.. recovery.Jobs.Select(j => j with { Status = states.TryGetValue(j.JobId, out var s) ? s.Status : j.Status })] };
        recovery = await StartPendingBatchesAsync(run, recovery, states, readings, cancellationToken);
        var wave = recovery.Waves[^1];

        var notStarted = wave.Total - LaunchStatus(states.Values).Count;
        if (notStarted > 0 || recovery.Jobs.Any(j => j.Status != "COMPLETED"))
        {
            ThrowIfPastTimeout(recovery, clock.GetUtcNow(),
                $"wave '{wave.Name}': {recovery.Jobs.Count(j => j.Status != "COMPLETED")} DRS job(s) unfinished and {Math.Max(0, notStarted)} server(s) not started");
            return (recovery, false);
        }

        // Jobs found by tag in this same check were not in the first read.
        if (recovery.Jobs.Any(j => !states.ContainsKey(j.JobId)))
        {
            states = await DescribeAsync(recovery, cancellationToken);
        }

        // A COMPLETED job can still hold FAILED servers: success is every participating server LAUNCHED.
        var launchStatus = LaunchStatus(states.Values);
        var failed = launchStatus.Where(kv => kv.Value != "LAUNCHED").Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
        var planned = plan.Waves[wave.Index].CriticalServerIds;
        var critical = planned.Count > 0 ? planned : [.. launchStatus.Keys];
        var outcome = failed.Count == 0 ? ServerOutcomes.Launched
            : critical.All(failed.Contains) ? ServerOutcomes.Failed
            : ServerOutcomes.Partial;
        if (outcome == ServerOutcomes.Failed)
        {
            var later = plan.Waves.Count - wave.Index - 1;
            throw new ServerRecoveryFailedException(
                $"wave '{wave.Name}': every critical DRS source server failed to launch ({failed.Count} of {launchStatus.Count} failed): {string.Join(", ", failed.Take(20))}"
                + (later > 0 ? $"; {later} later wave(s) not started" : ""));
        }

        var summary = wave with
        {
            Total = launchStatus.Count,
            Launched = launchStatus.Count - failed.Count,
            Failed = failed.Count,
            FailedServerIds = [.. failed.Take(MaxListedWaveFailures)],
            Outcome = outcome,
            CompletedAt = clock.GetUtcNow(),
        };
        return (recovery with
        {
            Waves = [.. recovery.Waves.SkipLast(1), summary],
            Launched = recovery.Launched + summary.Launched,
            Failed = recovery.Failed + summary.Failed,
            FailedServerIds = [.. recovery.FailedServerIds.Concat(failed).Take(MaxListedFailures)],
        }, true);
    }

    private void ThrowIfPastTimeout(ServersRun recovery, DateTimeOffset now, string what)
    {
        var elapsed = now - (recovery.StartedAt ?? now);
        if (elapsed > launchTimeout)
        {
            throw new ServerRecoveryTimeoutException($"{what} after {launchTimeout.TotalSeconds:0} s");
        }
    }

    // Opens wave <index>: its own batch settings, no jobs yet.
    private ServersRun Begin(ServersRun recovery, int index, DateTimeOffset now)
    {
        var wave = plan.Waves[index];
        return recovery with
        {
            BatchSize = wave.BatchSize,
            MaxConcurrentJobs = wave.MaxConcurrentJobs,
            Jobs = [],
            Waves = [.. recovery.Waves, new WaveRun { Index = index, Name = ServerWaves.Name(wave, index), StartedAt = now }],
        };
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

    private async Task<ServersRun> StartPendingBatchesAsync(RunState run, ServersRun recovery, Dictionary<string, RecoveryJobState> states, WaveReadings readings, CancellationToken cancellationToken)
    {
        var wave = recovery.Waves[^1];
        var jobs = recovery.Jobs.ToList();
        if ((wave.Total > 0 && LaunchStatus(states.Values).Count >= wave.Total) || jobs.Count(j => j.Status != "COMPLETED") >= recovery.MaxConcurrentJobs)
        {
            return recovery;
        }

        // DRS quotas count every job of the account, whoever started it. While they leave no room nothing can start, so
        // the wave's servers (by tag, a listing of every source server) are not read on every poll, only once there is
        // room again. A wave not counted yet (Total 0) is always read, so its servers are known before it can end: its
        // servers, the active jobs and this run's jobs are then read side by side (a wave's first round is on the way to
        // traffic moved, and the reads do not depend on one another).
        var quotas = plan.DrsQuotas;
        var waveText = wave.Index.ToString(CultureInfo.InvariantCulture);
        // An earlier attempt (a retry or a redrive) may have started batches and failed before recording them.
        Task<IReadOnlyList<RecoveryJobState>> FindRunJobsAsync() =>
            servers.FindJobsAsync(run.PreparedAt ?? recovery.StartedAt ?? clock.GetUtcNow(), ExecutionTag, run.ExecutionName, cancellationToken);
        Task<(IReadOnlyList<SourceServerState> Found, IReadOnlyList<string> Missing)> SelectAsync() =>
            readings.ReadAsync(wave.Index, () => ServerSelection.ResolveAsync(plan.Waves[wave.Index], run.Scope, servers, cancellationToken));
        var activeRead = servers.DescribeActiveJobsAsync(cancellationToken);
        var (runJobsRead, selectionRead) = wave.Total == 0 ? (FindRunJobsAsync(), SelectAsync()) : (null, null);
        if (runJobsRead is not null && selectionRead is not null)
        {
            await Task.WhenAll(activeRead, runJobsRead, selectionRead);
        }

        var active = await activeRead;
        var activeJobs = active.Count;
        var serversInActiveJobs = active.Sum(j => j.LaunchStatusByServer.Count);
        if (wave.Total > 0 && (activeJobs >= quotas.ConcurrentJobs || serversInActiveJobs >= quotas.ServersInActiveJobs))
        {
            return recovery;
        }

        var existing = await (runJobsRead ?? FindRunJobsAsync());
        foreach (var job in existing.Where(j => (j.Tags.GetValueOrDefault(WaveTag) ?? "0") == waveText && jobs.All(known => known.JobId != j.JobId)))
        {
            var batch = job.Tags.TryGetValue(BatchTag, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b : jobs.Count;
            jobs.Add(new ServerJob { Batch = batch, JobId = job.JobId, Status = job.Status });
            states[job.JobId] = job;
        }

        var inJobs = LaunchStatus(states.Values).Keys.ToHashSet(StringComparer.Ordinal);
        var (found, _) = await (selectionRead ?? SelectAsync());

        // A server in another tool's job cannot join ours yet.
        var busy = active.SelectMany(j => j.LaunchStatusByServer.Keys).ToHashSet(StringComparer.Ordinal);
        var remaining = found.Select(s => s.Id).Where(id => !inJobs.Contains(id) && !busy.Contains(id)).ToList();

        // The batches the quotas and MaxConcurrentJobs leave room for are planned first, then started together: a wave's
        // round of jobs costs one StartRecovery's time, not one per batch.
        var planned = new List<(int Batch, List<string> Ids)>();
        var nextBatch = jobs.Count == 0 ? 0 : jobs.Max(j => j.Batch) + 1;
        var offset = 0;
        while (offset < remaining.Count
            && jobs.Count(j => j.Status != "COMPLETED") + planned.Count < recovery.MaxConcurrentJobs
            && activeJobs < quotas.ConcurrentJobs
            && serversInActiveJobs < quotas.ServersInActiveJobs)
        {
            var size = Math.Min(Math.Min(recovery.BatchSize, quotas.ServersPerJob), quotas.ServersInActiveJobs - serversInActiveJobs);
            var ids = remaining.Skip(offset).Take(size).ToList();
            planned.Add((nextBatch++, ids));
            offset += ids.Count;
            activeJobs++;
            serversInActiveJobs += ids.Count;
        }

        // Each call is made in batch order; they run side by side.
        var isDrill = run.Mode == RunModes.Drill;
        var starts = planned.Select(b => servers.StartRecoveryAsync(b.Ids, isDrill, new Dictionary<string, string>
        {
            [ExecutionTag] = run.ExecutionName,
            [WaveTag] = waveText,
            [BatchTag] = b.Batch.ToString(CultureInfo.InvariantCulture),
            ["failover:plan"] = run.Plan,
        }, cancellationToken)).ToList();
        var outcomes = await Task.WhenAll(starts);

        // A quota, a conflict or throttling: that batch did not start; the next check tries its servers again, within the launch timeout.
        jobs.AddRange(planned.Zip(outcomes).Where(p => p.Second.JobId is not null).Select(p => new ServerJob { Batch = p.First.Batch, JobId = p.Second.JobId!, Status = "PENDING" }));
        var refusal = outcomes.FirstOrDefault(o => o.JobId is null)?.Refusal;

        // The selection may have changed since Prepare (servers tagged or untagged): count what was read now.
        var total = inJobs.Count + found.Count(s => !inJobs.Contains(s.Id));
        return recovery with
        {
            Jobs = [.. jobs.OrderBy(j => j.Batch)],
            Waves = [.. recovery.Waves.SkipLast(1), wave with { Total = total }],
            Refusals = recovery.Refusals + (refusal is null ? 0 : 1),
            LastRefusal = refusal ?? recovery.LastRefusal,
        };
    }

    /// <summary>
    /// The wave servers one invocation has read. A wave selected by tags is a listing of every source server in the
    /// account (DescribeSourceServers cannot filter by tag: 30 pages at 3,000 servers), and a wave of many batches starts
    /// a round each time jobs end; jobs started together end close together, so a round often starts with one ended job
    /// and the next look finds the rest. Within one invocation (one watch window, at most the functions' 45 s) a wave's
    /// later rounds start from the reading its first round made; the next invocation reads it again, so a server tagged
    /// meanwhile joins its wave if the wave has not launched by then. A batch never takes a server already in a job, so
    /// an older reading cannot launch a server twice.
    /// </summary>
    private sealed class WaveReadings
    {
        private int _wave = -1;
        private Task<(IReadOnlyList<SourceServerState> Found, IReadOnlyList<string> Missing)>? _reading;

        public Task<(IReadOnlyList<SourceServerState> Found, IReadOnlyList<string> Missing)> ReadAsync(
            int wave, Func<Task<(IReadOnlyList<SourceServerState> Found, IReadOnlyList<string> Missing)>> read)
        {
            // A failed read is not kept: the next round reads again.
            if (_wave != wave || _reading is not { IsCompletedSuccessfully: true })
            {
                _wave = wave;
                _reading = read();
            }

            return _reading;
        }
    }
}
