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

/// <summary>Removes what drills created; used by the workflow (every exit) and by <c>failover drill cleanup</c>.</summary>
public sealed class DrillCleanupService(IDrillResources resources, TimeProvider clock)
{
    /// <summary>Removes what the drill of <paramref name="executionName"/> created (every drill's leftovers when null). Safe to repeat.</summary>
    public async Task<DrillCleanup> CleanupAsync(string? executionName, CancellationToken cancellationToken)
    {
        var found = await resources.FindAsync(executionName, cancellationToken);
        var removed = new List<string>();
        var problems = new List<string>();
        foreach (var resource in found)
        {
            try
            {
                await resources.RemoveAsync(resource, cancellationToken);
                removed.Add($"{resource.Kind} {resource.Id}");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Keep going: one stuck resource must not leave the others behind. The cleanup fails below.
                problems.Add($"{resource.Kind} {resource.Id}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        var cleanup = new DrillCleanup { Removed = removed, Problems = problems, CompletedAt = clock.GetUtcNow() };
        return problems.Count > 0 ? throw new DrillCleanupFailedException(cleanup) : cleanup;
    }
}

/// <summary>Some drill resources could not be removed; the rest were.</summary>
public sealed class DrillCleanupFailedException(DrillCleanup cleanup)
    : Exception($"drill cleanup left {cleanup.Problems.Count} resource(s): {string.Join("; ", cleanup.Problems)} (removed {cleanup.Removed.Count})")
{
    public DrillCleanup Cleanup { get; } = cleanup;
}

/// <summary>Input of the cleanup task: which execution's drill to clean up (null: every drill's leftovers).</summary>
public sealed record CleanupRequest
{
    public string? ExecutionName { get; set; }
}
