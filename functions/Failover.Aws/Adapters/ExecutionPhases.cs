using Failover.Core.Runs;

namespace Failover.Aws.Adapters;

/// <summary>Values of <see cref="PhaseLine.Status"/>.</summary>
public static class PhaseStatuses
{
    /// <summary>Not begun.</summary>
    public const string Pending = "pending";

    /// <summary>Begun and not ended.</summary>
    public const string Running = "running";

    /// <summary>Ended.</summary>
    public const string Done = "done";

    /// <summary>Passed over: nothing to do in this run (no approval needed, no servers in the plan).</summary>
    public const string Skipped = "skipped";

    /// <summary>The execution failed, timed out or was stopped during it.</summary>
    public const string Failed = "failed";
}

/// <summary>One phase of a run as an operator follows it.</summary>
/// <param name="Phase">prepare, approval, databases, servers, compute, traffic or report.</param>
/// <param name="Status">One of <see cref="PhaseStatuses"/>.</param>
/// <param name="Detail">Its progress in words: counts of resources done, the wave, what it waits for, why it failed.</param>
public sealed record PhaseLine(string Phase, string Status, string Detail);

/// <summary>
/// An execution's phases as an operator thinks of them (prepare, approval, databases n/m, servers n/m by wave, compute
/// n/m in service, traffic, report) instead of the workflow's states: what <c>failover start --wait</c> and <c>status --watch</c> show.
/// </summary>
public static class ExecutionPhases
{
    // Each phase: the workflow states that are its work, and the state whose entry ends it. The databases and servers
    // branches of Recover run side by side, so both can be running at once.
    private static readonly (string Phase, string[] States, string EndedBy)[] Phases =
    [
        ("prepare", ["Load settings", "Prepare", "Notify start"], "Approval required?"),
        ("approval", ["Approval required?", "Wait for approval"], RecoverState),
        ("databases", ["Promote databases", "Databases writable?", "Wait for databases", "Check databases"], "Databases recovered"),
        ("servers", ["Start recovery", "Servers done?", "Wait for servers", "Check recovery"], "Servers recovered"),
        ("compute", ["Capacity to scale?", "Scale compute", "Capacity ready?", "Wait for capacity"], "Capacity in service"),
        ("traffic", ["Merge recovery", "Notify recovery", "Drill?", "Switch traffic", "Traffic in sync?", "Wait for traffic", "Check traffic", "Notify traffic switched", "Verify switches", "Clean up drill"], "Notify run succeeded"),
        ("report", ["Notify run succeeded", "Report"], "Run succeeded"),
    ];

    /// <summary>The phases in the order a run goes through them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Phases.Select(p => p.Phase)];

    /// <summary>Phases that run side by side (the branches of Recover): the one that ends last is on the critical path.</summary>
    public static IReadOnlyList<string> Parallel { get; } = ["databases", "servers", "compute"];

    /// <summary>
    /// The phase a workflow state belongs to: one of its work states, or the state that closes it (the end of a branch,
    /// Run succeeded); null for Recover itself, the frame of the side-by-side phases.
    /// </summary>
    public static string? PhaseOf(string stateName) =>
        Phases.FirstOrDefault(p => p.States.Contains(stateName, StringComparer.Ordinal)).Phase
        ?? Phases.FirstOrDefault(p => p.EndedBy == stateName && stateName != RecoverState).Phase;

    // The Parallel state whose branches are the side-by-side phases; entering it ends the approval phase.
    private const string RecoverState = "Recover";

    /// <summary>The phases of <paramref name="snapshot"/>, in the order a run goes through them.</summary>
    public static IReadOnlyList<PhaseLine> From(ExecutionSnapshot snapshot)
    {
        var entered = snapshot.History
            .Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal))
            .Select(e => e.Details?["name"]?.GetValue<string>())
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var run = RunProgress.Merge(snapshot.RunVersions);
        var status = snapshot.Execution.Status;
        var ended = status != "RUNNING";
        return [.. Phases.Select(p =>
        {
            var detail = Detail(p.Phase, run);
            if (entered.Contains(p.EndedBy) || (p.Phase == "report" && status == "SUCCEEDED"))
            {
                var skipped = p.Phase switch
                {
                    "approval" => run is { ApprovalRequired: false },
                    "servers" => run is { Servers: null },
                    "compute" => run is { Capacity.Count: 0 },
                    _ => false,
                };
                return new PhaseLine(p.Phase, skipped ? PhaseStatuses.Skipped : PhaseStatuses.Done, detail);
            }

            if (!p.States.Any(entered.Contains))
            {
                return new PhaseLine(p.Phase, ended ? PhaseStatuses.Skipped : PhaseStatuses.Pending, detail);
            }

            return ended
                ? new PhaseLine(p.Phase, PhaseStatuses.Failed, $"{status}: {snapshot.Execution.Error ?? "no error given"}{(snapshot.Execution.Cause is { Length: > 0 } cause ? $" ({cause})" : "")}")
                : new PhaseLine(p.Phase, PhaseStatuses.Running, p.Phase == "approval" && entered.Contains("Wait for approval") ? "waiting for a person: failover approve --token TOKEN (the token is in the approval notification)" : detail);
        })];
    }

    private static string Detail(string phase, RunState? run) => (phase, run) switch
    {
        (_, null) => "",
        ("prepare", _) => $"{run.Mode} of plan {run.Plan}",
        ("approval", _) => run.ApprovalRequired ? "approval required" : "not required",
        ("databases", _) => run.Databases.Count == 0 ? "none in scope"
            : $"{run.Databases.Count(d => d.Status is DatabaseStatuses.Writable or DatabaseStatuses.Verified)}/{run.Databases.Count} {(run.IsDrill ? "verified" : "writable")}",
        ("servers", { Servers: null }) => "none in scope",
        ("servers", { Servers: { } servers }) => $"{servers.Launched}/{servers.Total} launched" + (servers.Failed > 0 ? $", {servers.Failed} failed" : "")
            + (servers.Waves.Count > 1 ? $", wave {Math.Max(1, servers.Waves.Count(w => w.StartedAt is not null))} of {servers.Waves.Count}" : ""),
        ("compute", _) => run.Capacity.Count == 0 ? "none in the plan"
            : $"{run.Capacity.Count(c => c.Status is CapacityStatuses.InService or CapacityStatuses.Verified)}/{run.Capacity.Count} {(run.IsDrill ? "verified" : "in service")}",
        ("traffic", _) => run.Switches.Count == 0 ? "no switches in scope"
            : $"{run.Switches.Count(s => s.Status is SwitchStatuses.Switched or SwitchStatuses.Verified)}/{run.Switches.Count} {(run.IsDrill ? "verified" : "switched")}",
        _ => "",
    };
}
