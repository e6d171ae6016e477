using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Runs;

namespace Failover.Core.Services;

/// <summary>Moves traffic to the recovery region, only once the critical databases accept writes.</summary>
public sealed class TrafficSwitchService(RecoveryPlan plan, ITrafficSwitch trafficSwitch, TimeProvider clock)
{
    /// <summary>How long Route 53 may take to report a switch in effect before the run goes on with the switch
    /// reported as requested but not confirmed (us-east-1, which answers GetChange and GetHealthCheckStatus, may be the
    /// region that is down).</summary>
    public static readonly TimeSpan ConfirmationTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Switch calls (CloudWatch, Route 53) in flight at once, here and in Prepare's readiness reads: 100 switches
    /// take a few rounds.</summary>
    internal const int SwitchConcurrency = 10;

    /// <summary>Flips each switch in the run that is not flipped yet.</summary>
    public async Task<RunState> SwitchAsync(RunState run, CancellationToken cancellationToken)
    {
        if (!run.DatabasesWritable)
        {
            var pending = string.Join(", ", run.Databases.Where(d => d.Critical && d.Status != DatabaseStatuses.Writable).Select(d => $"{d.Id} ({d.Status})"));
            throw new TrafficSwitchRefusedException($"critical databases are not writable yet: {pending}");
        }

        if (run.Capacity.Where(c => c.Critical && c.Status != CapacityStatuses.InService).Select(c => $"{c.Id} ({c.Reached} of {c.Target}, {c.Status})").ToList() is [_, ..] notInService)
        {
            throw new TrafficSwitchRefusedException($"critical capacity is not in service yet: {string.Join(", ", notInService)}");
        }

        var toFlip = run.Switches.Where(sw => sw.Status == SwitchStatuses.Pending)
            .Select(sw => plan.Switches.FirstOrDefault(s => s.Id == sw.Id) ?? throw new InvalidRunInputException($"switch '{sw.Id}' is not in plan '{plan.Name}'"))
            .ToList();
        var comment = $"Failover {run.ExecutionName}: {run.Mode} of plan {plan.Name}";

        // Switch metrics go out together, in as few PutMetricData calls as CloudWatch allows; the Route 53 switches are
        // independent and flipped side by side. Each retried flip is idempotent (same datapoint, same UPSERT).
        var metrics = toFlip.Where(t => t.Kind == SwitchKinds.SwitchMetric).ToList();
        var route53 = toFlip.Where(t => t.Kind != SwitchKinds.SwitchMetric).ToList();
        var metricsFlipped = FlipMetricsAsync(metrics, cancellationToken);
        var route53Flipped = Bounded.SelectAsync(route53, SwitchConcurrency, async (target, ct) =>
            (Target: target, ChangeId: await trafficSwitch.SwitchAsync(target, comment, ct), At: clock.GetUtcNow()), cancellationToken);
        await Task.WhenAll(metricsFlipped, route53Flipped);
        var flipped = (await metricsFlipped).Concat(await route53Flipped).ToDictionary(f => f.Target.Id, StringComparer.Ordinal);
        var updated = run.Switches.Select(sw => flipped.TryGetValue(sw.Id, out var flip)
            ? sw with
            {
                Status = flip.ChangeId is null ? SwitchStatuses.Switched : SwitchStatuses.Propagating,
                ChangeId = flip.ChangeId,
                RequestedAt = flip.At,
                SwitchedAt = flip.ChangeId is null ? flip.At : null,
                Detail = Describe(flip.Target),
            }
            : sw).ToList();

        // A plan without switches still has a moment its recovery was complete: now. Otherwise one look at once: a switch
        // Route 53 already reports in effect ends the RTO now, not a poll interval later.
        return updated.Count == 0 ? run with { TrafficInSync = true, TrafficSwitchedAt = clock.GetUtcNow() } : await CheckAsync(Summarise(run, updated), cancellationToken);
    }

    /// <summary>Follows each requested switch until Route 53 reports it in effect: the record change INSYNC, or the
    /// guarded health check unhealthy. The moment it is seen is when traffic moved (the end of the RTO).</summary>
    public async Task<RunState> CheckAsync(RunState run, CancellationToken cancellationToken)
    {
        var updated = await Bounded.SelectAsync(run.Switches, SwitchConcurrency, async (sw, ct) =>
        {
            if (sw is not { Status: SwitchStatuses.Propagating, ChangeId: { } change })
            {
                return sw;
            }

            var now = clock.GetUtcNow();
            var guard = change.StartsWith(ITrafficSwitch.GuardPrefix, StringComparison.Ordinal) ? change[ITrafficSwitch.GuardPrefix.Length..] : null;
            if (await trafficSwitch.IsInSyncAsync(change, ct))
            {
                return sw with
                {
                    Status = SwitchStatuses.Switched,
                    SwitchedAt = now,
                    Detail = sw.Detail + (guard is null ? " (INSYNC)" : $" (Route 53 reports health check {guard} unhealthy: answering with the recovery region)"),
                };
            }

            return now - (sw.RequestedAt ?? now) > ConfirmationTimeout
                ? sw with
                {
                    Status = SwitchStatuses.Switched,
                    SwitchedAt = sw.RequestedAt,
                    Detail = sw.Detail + $" (requested; Route 53 did not confirm it within {ConfirmationTimeout.TotalSeconds:0} s)",
                }
                : sw;
        }, cancellationToken);

        return Summarise(run, [.. updated]);
    }

    /// <summary>Switch traffic, watched: flips the switches, then looks at Route 53 within <paramref name="watch"/>'s
    /// window until every switch is in effect; one Route 53 call per switch still propagating per look, spaced within
    /// <see cref="CompletionWatch.Route53CallsPerSecond"/>.</summary>
    public async Task<RunState> SwitchWatchedAsync(RunState run, CompletionWatch watch, CancellationToken cancellationToken) =>
        await KeepLookingAsync(await SwitchAsync(run, cancellationToken), watch, cancellationToken);

    /// <summary>Check traffic, watched: <see cref="CheckAsync"/>, then more looks within <paramref name="watch"/>'s window.</summary>
    public async Task<RunState> CheckWatchedAsync(RunState run, CompletionWatch watch, CancellationToken cancellationToken) =>
        await KeepLookingAsync(await CheckAsync(run, cancellationToken), watch, cancellationToken);

    private Task<RunState> KeepLookingAsync(RunState run, CompletionWatch watch, CancellationToken cancellationToken) =>
        watch.KeepLookingAsync(
            run,
            CheckAsync,
            r => r.TrafficInSync,
            r => CompletionWatch.Spacing(r.Switches.Count(s => s.Status == SwitchStatuses.Propagating), CompletionWatch.Route53CallsPerSecond),
            cancellationToken);

    private async Task<IReadOnlyList<(TrafficSwitchTarget Target, string? ChangeId, DateTimeOffset At)>> FlipMetricsAsync(List<TrafficSwitchTarget> metrics, CancellationToken cancellationToken)
    {
        if (metrics.Count == 0)
        {
            return [];
        }

        var changeIds = await trafficSwitch.SwitchMetricsAsync(metrics, cancellationToken);
        var at = clock.GetUtcNow();
        return [.. metrics.Zip(changeIds, (target, changeId) => (target, changeId, at))];
    }

    private static RunState Summarise(RunState run, List<SwitchRun> switches)
    {
        var inSync = switches.All(s => s.Status == SwitchStatuses.Switched);
        return run with
        {
            Switches = switches,
            TrafficInSync = inSync,
            TrafficSwitchedAt = inSync ? switches.Max(s => s.SwitchedAt) ?? run.TrafficSwitchedAt : null,
        };
    }

    private static string Describe(TrafficSwitchTarget target) => target.Kind switch
    {
        SwitchKinds.SwitchMetric => $"{target.Namespace}/{target.MetricName} = {target.FailoverValue}",
        SwitchKinds.HealthCheckInvert => $"health check {target.HealthCheckId} disabled and inverted (us-east-1 control plane)",
        _ => $"UPSERT {target.Record?.Name} {target.Record?.Type} in zone {target.HostedZoneId} (us-east-1 control plane)",
    };
}
