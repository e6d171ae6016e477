using System.Globalization;
using Failover.Core.Plans;
using Failover.Core.Runs;

namespace Failover.Core.Rpo;

/// <summary>What the RPO gate decided for a run's databases.</summary>
/// <param name="Blocked">Why the run must stop before promoting anything; empty when it may go on.</param>
/// <param name="NeedsApproval">Data at risk a person must accept before promotion; empty when none.</param>
public sealed record RpoVerdict(IReadOnlyList<string> Blocked, IReadOnlyList<string> NeedsApproval);

/// <summary>
/// The RPO gate, judged at Prepare and again right before promotion. Manual runs promote only what is known to be
/// within the objective unless the input allows data loss; automatic runs follow the plan's data-loss policy
/// (<see cref="DataLossPolicy"/>): within the unattended budget they go on, beyond it or without evidence they ask a
/// person (or block, or proceed, as the plan says).
/// </summary>
public static class RpoGate
{
    /// <summary>Judges the databases of <paramref name="run"/> whose promotion can lose data.</summary>
    /// <param name="run">The run: mode, trigger, the input's data-loss allowance, the plan's objective and data-loss
    /// policy, and each database's estimate.</param>
    /// <param name="approved">Estimates a person accepted at the approval step (by database id); empty before it.</param>
    public static RpoVerdict Judge(RunState run, IReadOnlyDictionary<string, RpoEstimate> approved)
    {
        var blocked = new List<string>();
        var approval = new List<string>();
        // A drill promotes only temporary copies, and an operator who allowed data loss has accepted it.
        if (run.IsDrill || run.AllowDataLoss)
        {
            return new RpoVerdict(blocked, approval);
        }

        var automatic = run.Trigger is not null;
        var budget = automatic ? run.DataLoss.UnattendedBudgetSeconds ?? run.RpoObjectiveSeconds : run.RpoObjectiveSeconds;
        foreach (var db in run.Databases.Where(LosesData))
        {
            var rpo = db.Rpo ?? new RpoEstimate { Evidence = "not read" };
            if (rpo.Seconds is { } s && s <= budget)
            {
                continue;
            }

            var what = rpo.Seconds is { } seconds
                ? $"{db.Id}: {Seconds(seconds)} of writes at risk exceeds the {(automatic ? "unattended data-loss budget" : "RPO objective")} of {budget} s ({rpo.Evidence})"
                : $"{db.Id}: the data at risk is unknown ({rpo.Evidence})";
            var action = !automatic ? DataLossActions.Block : rpo.Seconds is null ? run.DataLoss.WhenUnknown : run.DataLoss.WhenOverBudget;
            if (action == DataLossActions.Proceed)
            {
                continue;
            }

            if (action == DataLossActions.AskApproval && approved.TryGetValue(db.Id, out var accepted) && Covers(accepted, rpo))
            {
                continue;
            }

            (action == DataLossActions.AskApproval && !approved.ContainsKey(db.Id) ? approval : blocked).Add(
                action == DataLossActions.AskApproval && approved.ContainsKey(db.Id) ? $"{what}; more than was approved" : what);
        }

        return new RpoVerdict(blocked, approval);
    }

    /// <summary>True when promoting <paramref name="db"/> can lose writes the replica does not hold yet. A global
    /// switchover synchronises first and a database already writable is not promoted again.</summary>
    public static bool LosesData(DatabaseRun db) => db.Status != DatabaseStatuses.Writable && db.Action != DatabaseActions.GlobalSwitchover;

    // An approval accepted the estimate shown; a worse one (larger, or now unknown) needs a new decision.
    private static bool Covers(RpoEstimate accepted, RpoEstimate now) =>
        now.Seconds is null ? accepted.Seconds is null : accepted.Seconds is null || now.Seconds <= accepted.Seconds;

    private static string Seconds(double s) => s.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
