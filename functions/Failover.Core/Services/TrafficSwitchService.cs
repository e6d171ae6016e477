using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Runs;

namespace Failover.Core.Services;

/// <summary>Moves traffic to the recovery region, only once the critical databases accept writes.</summary>
public sealed class TrafficSwitchService(RecoveryPlan plan, ITrafficSwitch trafficSwitch, TimeProvider clock)
{
    /// <summary>Flips each switch in the run that is not flipped yet.</summary>
    public async Task<RunState> SwitchAsync(RunState run, CancellationToken cancellationToken)
    {
        if (!run.DatabasesWritable)
        {
            var pending = string.Join(", ", run.Databases.Where(d => d.Critical && d.Status != DatabaseStatuses.Writable).Select(d => $"{d.Id} ({d.Status})"));
            throw new TrafficSwitchRefusedException($"critical databases are not writable yet: {pending}");
        }

        var updated = new List<SwitchRun>();
        foreach (var sw in run.Switches)
        {
            if (sw.Status != SwitchStatuses.Pending)
            {
                updated.Add(sw);
                continue;
            }

            var target = plan.Switches.FirstOrDefault(s => s.Id == sw.Id)
                ?? throw new InvalidRunInputException($"switch '{sw.Id}' is not in plan '{plan.Name}'");
            var changeId = await trafficSwitch.SwitchAsync(target, $"Failover {run.ExecutionName}: {run.Mode} of plan {plan.Name}", cancellationToken);
            updated.Add(sw with
            {
                Status = changeId is null ? SwitchStatuses.Switched : SwitchStatuses.Propagating,
                ChangeId = changeId,
                SwitchedAt = changeId is null ? clock.GetUtcNow() : null,
                Detail = Describe(target),
            });
        }

        // A plan without switches still has a moment its recovery was complete: now.
        return updated.Count == 0 ? run with { TrafficInSync = true, TrafficSwitchedAt = clock.GetUtcNow() } : Summarise(run, updated);
    }

    /// <summary>Follows record changes until Route 53 reports them INSYNC.</summary>
    public async Task<RunState> CheckAsync(RunState run, CancellationToken cancellationToken)
    {
        var updated = new List<SwitchRun>();
        foreach (var sw in run.Switches)
        {
            updated.Add(sw is { Status: SwitchStatuses.Propagating, ChangeId: { } change } && await trafficSwitch.IsInSyncAsync(change, cancellationToken)
                ? sw with { Status = SwitchStatuses.Switched, SwitchedAt = clock.GetUtcNow(), Detail = sw.Detail + " (INSYNC)" }
                : sw);
        }

        return Summarise(run, updated);
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
