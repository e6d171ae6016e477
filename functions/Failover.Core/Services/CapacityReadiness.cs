using Failover.Core.Plans;
using Failover.Core.Readiness;
using Failover.Core.Ports;
using Failover.Core.Runs;

namespace Failover.Core.Services;

/// <summary>
/// Prepare's reading of the plan's capacity: each group or service exists, can start capacity (a launch template,
/// launch configuration or mixed instances policy; FARGATE, capacity providers or container instances) and can reach
/// its target, which "matchPrimary" takes from the primary region when larger. Changes nothing: a drill reports each
/// entry verified, a failover starts from what it read.
/// </summary>
public sealed class CapacityReadiness(RecoveryPlan plan, ICapacity? capacity, TimeProvider clock) : IReadinessCheck
{
    /// <summary>Every capacity entry of the plan, read; what is not ready is added to <paramref name="problems"/> (locked, as
    /// Prepare reads everything side by side).</summary>
    public Task<IReadOnlyList<CapacityRun>> ReadAsync(string mode, ICollection<string> problems, CancellationToken cancellationToken) =>
        ReadAsync(mode, (target, text) =>
        {
            lock (problems)
            {
                problems.Add($"capacity '{target.Id}': {text}");
            }
        }, cancellationToken);

    /// <summary>
    /// The readiness evaluation's view (<see cref="ReadinessService"/>): each entry a failover could not scale now, read as
    /// a drill reads it (nothing is scaled), as a finding "capacity-unreachable:ID" with what to do.
    /// </summary>
    public async Task<IReadOnlyList<ReadinessFinding>> CheckAsync(CancellationToken cancellationToken)
    {
        var findings = new List<ReadinessFinding>();
        await ReadAsync(RunModes.Drill, (target, text) =>
        {
            lock (findings)
            {
                findings.Add(new ReadinessFinding($"capacity-unreachable:{target.Id}", CapacityService.Describe(target), text,
                    "create or fix the group or service in the recovery region (its launch template, launch type or capacity provider), or correct the plan's capacity entry"));
            }
        }, cancellationToken);
        return [.. findings.OrderBy(f => f.Id, StringComparer.Ordinal)];
    }

    private async Task<IReadOnlyList<CapacityRun>> ReadAsync(string mode, Action<CapacityTarget, string> problem, CancellationToken cancellationToken)
    {
        if (plan.Capacity.Count == 0)
        {
            return [];
        }

        var port = capacity ?? throw new InvalidOperationException("the plan has capacity entries and no capacity port was given");
        var read = await Bounded.SelectAsync(plan.Capacity, CapacityService.Concurrency, (target, ct) => ReadAsync(port, target, mode, problem, ct), cancellationToken);
        return [.. read.OfType<CapacityRun>()];
    }

    private async Task<CapacityRun?> ReadAsync(ICapacity port, CapacityTarget target, string mode, Action<CapacityTarget, string> problem, CancellationToken cancellationToken)
    {
        void Problem(string text) => problem(target, text);

        var state = await port.DescribeAsync(target, cancellationToken);
        if (state is null)
        {
            Problem($"{CapacityService.Describe(target)} does not exist in {plan.RecoveryRegion}");
            return null;
        }

        if (state.Unavailable is { } unavailable)
        {
            Problem($"{CapacityService.Describe(target)} cannot be scaled: {unavailable}");
        }

        if (state.LaunchSource is null)
        {
            Problem(target.Kind == CapacityKinds.EcsService
                ? $"{CapacityService.Describe(target)} has nothing to run tasks on: not the FARGATE launch type, no capacity provider and no container instance"
                : $"{CapacityService.Describe(target)} has no launch template, launch configuration or mixed instances policy to launch instances from");
        }

        var (size, why) = await TargetAsync(port, target, cancellationToken);
        var run = new CapacityRun
        {
            Id = target.Id,
            Kind = target.Kind,
            Critical = target.Critical,
            Target = size,
            MinReady = (int)Math.Ceiling(target.MinReadyFraction * size - 1e-9),
            Reached = state.Reached,
        };
        var reach = state.MaxSize is { } max && max < size
            ? $"max size {max} is below the target: the run raises it to {size} (UpdateAutoScalingGroup MaxSize)"
            : state.MaxSize is { } enough ? $"max size {enough} allows it" : "no maximum to raise";
        var detail = $"{why}; {reach}; launches from {state.LaunchSource ?? "nothing"}; {state.Reached} in service of desired {state.Desired} now";
        if (mode == RunModes.Drill)
        {
            return run with { Status = CapacityStatuses.Verified, Detail = $"{detail}; not scaled (drill)" };
        }

        if (state.Desired >= size && CapacityService.IsReady(run, state))
        {
            // Nothing to scale: no start (the run changed nothing), so no time to reach it either.
            return run with { Status = CapacityStatuses.InService, ReadyAt = clock.GetUtcNow(), Detail = $"{detail}; already in service" };
        }

        return run with { Detail = detail };
    }

    // The plan's size, or the primary region's group's desired capacity when larger: one short probe, as Prepare reads
    // the primary region (PrepareService.PrimaryProbeTimeout); a region that does not answer leaves the plan's size.
    private async Task<(int Size, string Why)> TargetAsync(ICapacity port, CapacityTarget target, CancellationToken cancellationToken)
    {
        var planned = target.PlannedSize;
        if (!target.MatchPrimary)
        {
            return (planned, $"target {planned} from the plan");
        }

        using var probe = new CancellationTokenSource(PrepareService.PrimaryProbeTimeout, clock);
        using var probeOrCaller = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, probe.Token);
        try
        {
            return await port.DescribePrimaryAsync(target, probeOrCaller.Token) switch
            {
                null => (planned, $"target {planned} from the plan: no group {target.Name} in the primary region {plan.PrimaryRegion}"),
                { Desired: var primary } when primary > planned => (primary, $"target {primary}: the primary region's desired capacity (the plan's floor is {planned})"),
                { Desired: var primary } => (planned, $"target {planned}: the plan's floor (the primary region's desired capacity is {primary})"),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Any failure to read the primary region counts as its outage: the plan's size is the fallback.
            return (planned, $"target {planned} from the plan: the primary region {plan.PrimaryRegion} does not answer ({ex.GetType().Name})");
        }
    }
}
