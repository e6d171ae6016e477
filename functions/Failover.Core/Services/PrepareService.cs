using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Runs;

namespace Failover.Core.Services;

/// <summary>Turns an execution input into a validated run after checking the recovery region is ready.</summary>
public sealed class PrepareService(RecoveryPlan plan, IDatabaseInstances databases, IReplicaLagReader lagReader, TimeProvider clock)
{
    /// <summary>Checks every database in the plan; throws with every problem found, before anything is changed.</summary>
    public async Task<RunState> PrepareAsync(StartRequest request, CancellationToken cancellationToken)
    {
        if (request.Mode != RunModes.Failover)
        {
            throw new InvalidRunInputException($"mode '{request.Mode}' is not supported by this workflow; use '{RunModes.Failover}'");
        }

        var problems = new List<string>();
        var runs = new List<DatabaseRun>();
        foreach (var target in plan.Databases)
        {
            var state = await databases.DescribeAsync(target.Id, cancellationToken);
            var lag = await lagReader.ReadLagSecondsAsync(target.Id, cancellationToken) ?? -1;
            if (state is null)
            {
                problems.Add($"database '{target.Id}' does not exist in {plan.RecoveryRegion}");
                continue;
            }

            // A standalone, available instance means an earlier attempt already promoted it: a redriven
            // run must reach the same end state, not stop.
            var alreadyWritable = !state.IsReplica && state.Status == "available";
            if (!alreadyWritable && !state.IsReplica)
            {
                problems.Add($"database '{target.Id}' is not a read replica (status {state.Status})");
            }
            else if (state.IsReplica && state.Status != "available")
            {
                problems.Add($"replica '{target.Id}' is {state.Status}; RDS promotes only an available replica");
            }

            runs.Add(new DatabaseRun
            {
                Id = target.Id,
                Kind = target.Kind,
                Critical = target.Critical,
                LagSeconds = lag,
                Status = alreadyWritable ? DatabaseStatuses.Writable : DatabaseStatuses.Ready,
                Detail = alreadyWritable ? "already standalone" : $"replica of {state.ReplicationSource}, status {state.Status}",
            });
        }

        if (problems.Count > 0)
        {
            throw new ReadinessFailedException(problems);
        }

        return new RunState
        {
            Plan = plan.Name,
            Mode = request.Mode,
            Reason = request.Reason,
            Trigger = request.Trigger,
            PreparedAt = clock.GetUtcNow(),
            Databases = runs,
            DatabasesWritable = runs.Where(d => d.Critical).All(d => d.Status == DatabaseStatuses.Writable),
            Switches = [.. plan.Switches.Select(s => new SwitchRun { Id = s.Id })],
        };
    }
}
