using System.Globalization;
using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Runs;

namespace Failover.Core.Services;

/// <summary>
/// Brings the plan's Auto Scaling groups and ECS services to their targets and follows them until they are in service.
/// One call both starts and checks: it reads first and raises only what is below the target (desired, MinSize to the
/// target, MaxSize when below it; nothing is ever lowered), so a retried or redriven call reaches the same end state.
/// </summary>
public sealed class CapacityService(RecoveryPlan plan, ICapacity capacity, TimeProvider clock)
{
    /// <summary>How many groups and services are read and scaled at once.</summary>
    public const int Concurrency = 10;

    /// <summary>Scales what is below its target and reports what is in service. Throws <see cref="CapacityNotReadyException"/>
    /// when a critical entry is not in service within its plan's readyWithinSeconds.</summary>
    public async Task<RunState> ScaleAsync(RunState run, CancellationToken cancellationToken)
    {
        if (run.IsDrill || run.Capacity.All(c => c.Ended))
        {
            return run with { CapacityReady = run.Capacity.All(c => c.Ended) };
        }

        var entries = await Bounded.SelectAsync(run.Capacity, Concurrency, (entry, ct) => entry.Ended ? Task.FromResult(entry) : ScaleAsync(entry, ct), cancellationToken);
        return run with { Capacity = entries, CapacityReady = entries.All(e => e.Ended) };
    }

    /// <summary>True when <paramref name="state"/> has at least <see cref="CapacityRun.MinReady"/> in service: InService and
    /// Healthy instances, or running tasks of a service whose deployment is steady or that runs its whole target.</summary>
    public static bool IsReady(CapacityRun entry, CapacityState state) =>
        state.Reached >= entry.MinReady && (state.Steady || state.Reached >= entry.Target);

    /// <summary>The group or service in words, for details and errors.</summary>
    public static string Describe(CapacityTarget target) => target.Kind == CapacityKinds.EcsService
        ? $"ECS service {target.Cluster}/{target.Service}"
        : $"Auto Scaling group {target.Name}";

    private async Task<CapacityRun> ScaleAsync(CapacityRun entry, CancellationToken cancellationToken)
    {
        var target = plan.Capacity.FirstOrDefault(c => c.Id == entry.Id)
            ?? throw new InvalidRunInputException($"the run names capacity '{entry.Id}', which the plan the functions run with does not have");
        var now = clock.GetUtcNow();
        var started = entry.StartedAt ?? now;
        var state = await capacity.DescribeAsync(target, cancellationToken);
        if (state is null)
        {
            return Late(entry with { StartedAt = started, Reached = 0 }, target, $"{Describe(target)} does not exist in {plan.RecoveryRegion}", now, force: true);
        }

        var raised = "";
        if (state.Desired < entry.Target || state.MinSize < entry.Target || state.MaxSize < entry.Target)
        {
            var size = new CapacitySize(Math.Max(state.Desired, entry.Target), state.MinSize is { } min ? Math.Max(min, entry.Target) : null, state.MaxSize is { } max ? Math.Max(max, entry.Target) : null);
            await capacity.EnsureAsync(target, size, cancellationToken);
            raised = $"desired {state.Desired} → {size.Desired}{(size.MinSize != state.MinSize ? $", min {state.MinSize} → {size.MinSize}" : "")}{(size.MaxSize != state.MaxSize ? $", max {state.MaxSize} → {size.MaxSize}" : "")}; ";
        }

        var read = entry with { StartedAt = started, Reached = state.Reached };
        if (IsReady(read, state))
        {
            return read with
            {
                Status = CapacityStatuses.InService,
                ReadyAt = now,
                Detail = $"{state.Reached} of {entry.Target} in service after {Seconds(now - started)} s (at least {entry.MinReady} needed)",
            };
        }

        return Late(read, target, $"{raised}{state.Reached} of {entry.Target} in service (at least {entry.MinReady} needed)", now, force: false);
    }

    // Still scaling within its window; past it, a critical entry fails the run and a non-critical one ends not in service.
    private static CapacityRun Late(CapacityRun entry, CapacityTarget target, string detail, DateTimeOffset now, bool force)
    {
        var elapsed = now - entry.StartedAt!.Value;
        if (!force && elapsed <= TimeSpan.FromSeconds(target.ReadyWithinSeconds))
        {
            return entry with { Status = CapacityStatuses.Scaling, Detail = detail };
        }

        var why = $"{Describe(target)}: {detail}; not in service within {target.ReadyWithinSeconds} s (after {Seconds(elapsed)} s)";
        return entry.Critical
            ? throw new CapacityNotReadyException($"capacity '{entry.Id}' is critical and not in service, so traffic does not move: {why}")
            : entry with { Status = CapacityStatuses.NotInService, Detail = why };
    }

    private static string Seconds(TimeSpan span) => Math.Round(span.TotalSeconds, 1).ToString(CultureInfo.InvariantCulture);
}
