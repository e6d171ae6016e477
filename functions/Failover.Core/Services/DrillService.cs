using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Runs;

namespace Failover.Core.Services;

/// <summary>What only drills do in the traffic phase: verify switches instead of flipping them.</summary>
public sealed class DrillService(RecoveryPlan plan, ISwitchVerifier verifier)
{
    /// <summary>Checks every switch is wired (never flips one). Wiring problems are findings of the drill, recorded per switch.</summary>
    public async Task<RunState> VerifyTrafficAsync(RunState run, CancellationToken cancellationToken)
    {
        if (!run.IsDrill)
        {
            throw new InvalidRunInputException($"switches are verified only in a drill; this run is a {run.Mode}");
        }

        var updated = new List<SwitchRun>();
        foreach (var sw in run.Switches)
        {
            var target = plan.Switches.FirstOrDefault(s => s.Id == sw.Id)
                ?? throw new InvalidRunInputException($"switch '{sw.Id}' is not in plan '{plan.Name}'");
            var problems = await verifier.VerifyAsync(target, cancellationToken);
            updated.Add(sw with
            {
                Status = problems.Count == 0 ? SwitchStatuses.Verified : SwitchStatuses.NotWired,
                Detail = problems.Count == 0 ? "drill: wired, not switched" : "drill: " + string.Join("; ", problems),
            });
        }

        return run with { Switches = updated, TrafficInSync = true };
    }
}

/// <summary>
/// Removes what drills created; used by the workflow (every exit) and by <c>failover drill cleanup</c>. DRS drill
/// launches still in progress are waited for first, up to <paramref name="launchWait"/>: a recovery instance that
/// appears after the cleanup would otherwise run on, unnoticed.
/// </summary>
/// <param name="resources">Finds and removes drill resources.</param>
/// <param name="clock">Times the wait.</param>
/// <param name="launchWait">The longest the cleanup waits for launches in progress; past it, the cleanup removes what it
/// can and fails with <see cref="DrillLaunchesInProgressException"/>, naming the launches.</param>
public sealed class DrillCleanupService(IDrillResources resources, TimeProvider clock, TimeSpan launchWait)
{
    /// <summary>
    /// Most recovery instances one TerminateRecoveryInstances call names. Each call is a DRS job, and a job holds at most
    /// 100 source servers: "Max source servers in a single Job" (L-B827C881, not adjustable), AWS General Reference,
    /// "AWS Elastic Disaster Recovery endpoints and quotas" (https://docs.aws.amazon.com/general/latest/gr/drs.html). The
    /// API itself takes 1-200 ids (botocore drs 2020-02-26, RecoveryInstancesForTerminationRequest). Full batches keep a
    /// large drill's cleanup within the 20 "Concurrent jobs in progress" (L-D88FAC3A) of the same page.
    /// </summary>
    public const int MaxInstancesPerTerminateJob = 100;

    /// <summary>
    /// The longest pause between two reads of DRS while drill launches are in progress. The first pause is a second and
    /// each next one doubles up to this: a launch about to finish is seen at once, a long one is not read needlessly often.
    /// </summary>
    public static readonly TimeSpan LaunchPollInterval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan FirstLaunchPoll = TimeSpan.FromSeconds(1);

    // Server ids listed per unfinished launch; the rest are counted.
    private const int MaxListedServers = 10;

    /// <summary>Removes what the drill of <paramref name="executionName"/> created (every drill's leftovers when null). Safe to repeat.</summary>
    /// <exception cref="DrillLaunchesInProgressException">A launch had not completed when the wait ended.</exception>
    /// <exception cref="DrillCleanupFailedException">Some resources could not be removed.</exception>
    public Task<DrillCleanup> CleanupAsync(string? executionName, CancellationToken cancellationToken) =>
        CleanupAsync(executionName, [], cancellationToken);

    /// <summary>
    /// What an operator's cleanup does: removes what ended drills left (of <paramref name="executionName"/>, or of every
    /// drill when null) and leaves alone the resources of <paramref name="runningDrills"/>, which are still using them and
    /// remove them themselves when they end (<see cref="DrillCleanup.LeftForRunningDrills"/> lists them).
    /// </summary>
    /// <exception cref="DrillStillRunningException"><paramref name="executionName"/> is one of <paramref name="runningDrills"/>.</exception>
    /// <exception cref="DrillLaunchesInProgressException">A launch had not completed when the wait ended.</exception>
    /// <exception cref="DrillCleanupFailedException">Some resources could not be removed.</exception>
    public Task<DrillCleanup> CleanupEndedDrillsAsync(string? executionName, IReadOnlyCollection<string> runningDrills, CancellationToken cancellationToken) =>
        executionName is not null && runningDrills.Contains(executionName)
            ? throw new DrillStillRunningException(executionName)
            : CleanupAsync(executionName, runningDrills, cancellationToken);

    private async Task<DrillCleanup> CleanupAsync(string? executionName, IReadOnlyCollection<string> runningDrills, CancellationToken cancellationToken)
    {
        string? RunningOwner(string? execution, DrillResource? resource) => runningDrills.FirstOrDefault(running => execution == running
            || (resource is { Kind: DrillResourceKinds.DatabaseCopy } && DatabasePromotionService.IsDrillCopyOf(resource.Id, running)));
        bool OfRunningDrill(string? execution, DrillResource? resource) => RunningOwner(execution, resource) is not null;

        async Task<IReadOnlyList<DrillLaunch>> LaunchesAsync(CancellationToken ct) =>
            [.. (await resources.FindLaunchesInProgressAsync(executionName, ct)).Where(l => !OfRunningDrill(l.ExecutionName, null))];

        var waitUntil = clock.GetUtcNow() + launchWait;
        var launching = await LaunchesAsync(cancellationToken);
        for (var pause = FirstLaunchPoll; launching.Count > 0 && clock.GetUtcNow() < waitUntil; pause = Min(pause * 2, LaunchPollInterval))
        {
            await Task.Delay(Min(pause, waitUntil - clock.GetUtcNow()), clock, cancellationToken);
            launching = await LaunchesAsync(cancellationToken);
        }

        // Read after the last look at the launches: a launch that completes in between is removed, and still reported.
        var all = await resources.FindAsync(executionName, cancellationToken);
        var found = all.Where(r => !OfRunningDrill(r.ExecutionName, r)).ToList();
        var left = all.Except(found).Select(r => $"{r.Kind} {r.Id} (drill {RunningOwner(r.ExecutionName, r)})").ToList();
        var removed = new List<string>();
        var problems = new List<string>();
        foreach (var copy in found.Where(r => r.Kind != DrillResourceKinds.RecoveryInstance))
        {
            await RemoveAsync([copy], ct => resources.RemoveDatabaseCopyAsync(copy.Id, ct), removed, problems, cancellationToken);
        }

        foreach (var batch in found.Where(r => r.Kind == DrillResourceKinds.RecoveryInstance).Chunk(MaxInstancesPerTerminateJob))
        {
            await RemoveAsync(batch, ct => resources.TerminateRecoveryInstancesAsync([.. batch.Select(r => r.Id)], ct), removed, problems, cancellationToken);
        }

        problems.AddRange(launching.Select(l =>
            $"DRS drill job {l.JobId} is still launching {l.SourceServerIds.Count} server(s) after {launchWait.TotalSeconds:0} s " +
            $"({string.Join(", ", l.SourceServerIds.Take(MaxListedServers))}{(l.SourceServerIds.Count > MaxListedServers ? ", …" : "")}): " +
            "the recovery instances it launches are not terminated; clean up again once the job has completed"));
        var cleanup = new DrillCleanup { Removed = removed, Problems = problems, CompletedAt = clock.GetUtcNow(), LeftForRunningDrills = left.Count > 0 ? left : null };
        return launching.Count > 0 ? throw new DrillLaunchesInProgressException(cleanup)
            : problems.Count > 0 ? throw new DrillCleanupFailedException(cleanup)
            : cleanup;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static async Task RemoveAsync(DrillResource[] batch, Func<CancellationToken, Task> remove, List<string> removed, List<string> problems, CancellationToken cancellationToken)
    {
        try
        {
            await remove(cancellationToken);
            removed.AddRange(batch.Select(r => $"{r.Kind} {r.Id}"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Keep going: one stuck resource must not leave the others behind. The cleanup fails at the end.
            var what = batch.Length == 1 ? $"{batch[0].Kind} {batch[0].Id}" : $"{batch.Length} {batch[0].Kind}s ({batch[0].Id} … {batch[^1].Id})";
            problems.Add($"{what}: {ex.GetType().Name}: {ex.Message}");
        }
    }
}

/// <summary>Some drill resources could not be removed; the rest were.</summary>
public class DrillCleanupFailedException : Exception
{
    /// <summary>The cleanup's result, with every problem.</summary>
    public DrillCleanupFailedException(DrillCleanup cleanup)
        : this(cleanup, $"drill cleanup left {cleanup.Problems.Count} problem(s): {string.Join("; ", cleanup.Problems)} (removed {cleanup.Removed.Count})")
    {
    }

    /// <summary>For a more specific failure of the cleanup.</summary>
    protected DrillCleanupFailedException(DrillCleanup cleanup, string message)
        : base(message) => Cleanup = cleanup;

    /// <summary>What was removed and what was not.</summary>
    public DrillCleanup Cleanup { get; }
}

/// <summary>
/// DRS drill launches were still in progress when the cleanup stopped waiting: the instances they launch appear later
/// and are not terminated. Transient: running the cleanup again (a retry of the task, <c>failover drill cleanup</c>)
/// removes them once the launches have completed.
/// </summary>
public sealed class DrillLaunchesInProgressException(DrillCleanup cleanup)
    : DrillCleanupFailedException(cleanup, $"drill cleanup stopped waiting for DRS drill launches: {string.Join("; ", cleanup.Problems)} (removed {cleanup.Removed.Count})");

/// <summary>Input of the cleanup task: which execution's drill to clean up (null: every drill's leftovers).</summary>
public sealed record CleanupRequest
{
    /// <summary>The drill execution whose resources (tagged with its name) are removed; null for every drill's leftovers.</summary>
    public string? ExecutionName { get; set; }
}

/// <summary>An operator asked to clean up after a drill that is still running: its resources are in use.</summary>
/// <param name="executionName">The running drill.</param>
public sealed class DrillStillRunningException(string executionName)
    : Exception($"drill {executionName} is still running: its resources are in use, and its own cleanup removes them when it ends; stop the execution first to clean up now")
{
    /// <summary>The running drill.</summary>
    public string ExecutionName { get; } = executionName;
}
