using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Runs;

namespace Failover.Core.Services;

/// <summary>Moves traffic to the recovery region, only once the critical databases accept writes.</summary>
public sealed class TrafficSwitchService(RecoveryPlan plan, ITrafficSwitch trafficSwitch, TimeProvider clock)
{
    /// <summary>Flips each switch of the plan that is not flipped yet.</summary>
    public async Task<RunState> SwitchAsync(RunState run, CancellationToken cancellationToken)
    {
        if (!run.DatabasesWritable)
        {
            var pending = string.Join(", ", run.Databases.Where(d => d.Critical && d.Status != DatabaseStatuses.Writable).Select(d => $"{d.Id} ({d.Status})"));
            throw new TrafficSwitchRefusedException($"critical databases are not writable yet: {pending}");
        }

        var updated = new List<SwitchRun>();
        foreach (var target in plan.Switches)
        {
            var previous = run.Switches.FirstOrDefault(s => s.Id == target.Id);
            if (previous is { Status: "switched" })
            {
                updated.Add(previous);
                continue;
            }

            await trafficSwitch.SwitchAsync(target, cancellationToken);
            updated.Add(new SwitchRun
            {
                Id = target.Id,
                Status = "switched",
                SwitchedAt = clock.GetUtcNow(),
                Detail = $"{target.Namespace}/{target.MetricName} = {target.FailoverValue}",
            });
        }

        return run with { Switches = updated, TrafficSwitchedAt = updated.Max(s => s.SwitchedAt) ?? clock.GetUtcNow() };
    }
}
