namespace Failover.Core.Reports;

/// <summary>
/// The run report written by <c>failover simulate --json</c>. A contract scripts rely on: members are
/// only ever added, never renamed or removed.
/// </summary>
public sealed record RunReport
{
    /// <summary><see cref="ReportOutcomes"/>.</summary>
    public string Outcome { get; set; } = "";

    /// <summary><see cref="Runs.RunModes"/>: failover, drill or switchover.</summary>
    public string Mode { get; set; } = "";

    /// <summary>The plan that ran (<see cref="Plans.RecoveryPlan.Name"/>).</summary>
    public string Plan { get; set; } = "";

    /// <summary>Why the run was started: the operator's reason, or the trigger's (the alarm); null when the run did not
    /// get as far as reading its input.</summary>
    public string? Reason { get; set; }

    /// <summary>The execution's ARN.</summary>
    public string? ExecutionArn { get; set; }

    /// <summary>The region the workflow ran in: the plan's recovery region.</summary>
    public string? Region { get; set; }

    /// <summary>When the execution started.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When the execution ended; null while it runs (the copy the Report step returns as the execution's output).</summary>
    public DateTimeOffset? EndedAt { get; set; }
    /// <summary>Alarm (or manual start) to traffic moved; written as null when traffic was not switched.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)]
    public double? RtoSeconds { get; set; }

    /// <summary>Largest estimate of writes at risk among the promoted databases; written as null when nothing was
    /// promoted or no estimate was known.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)]
    public double? RpoSeconds { get; set; }

    /// <summary>The plan's recovery time objective; null when the run did not get as far as reading the plan.</summary>
    public int? RtoObjectiveSeconds { get; set; }

    /// <summary>The plan's recovery point objective; null when the run did not get as far as reading the plan.</summary>
    public int? RpoObjectiveSeconds { get; set; }

    /// <summary><see cref="RtoSeconds"/> within its objective; null when either is unknown.</summary>
    public bool? RtoObjectiveMet { get; set; }

    /// <summary><see cref="RpoSeconds"/> within its objective, every promoted database's estimate known; null when nothing was promoted.</summary>
    public bool? RpoObjectiveMet { get; set; }

    /// <summary>Per database: the data at risk, the evidence it rests on and the objective.</summary>
    public IReadOnlyList<DatabaseRpoReport> RpoEvidence { get; set; } = [];

    /// <summary>The workflow's steps in order (states aggregated by name): outcome, start and duration.</summary>
    public IReadOnlyList<StepReport> Steps { get; set; } = [];

    /// <summary>Every resource of the plan the run handled, with its outcome.</summary>
    public IReadOnlyList<ResourceReport> Resources { get; set; } = [];

    /// <summary>DRS server waves in plan order: when each started, how long it took to launch, how it ended.</summary>
    public IReadOnlyList<WaveReport> Waves { get; set; } = [];

    /// <summary>End-state checks against the environment; failing ones make the outcome failed.</summary>
    public IReadOnlyList<CheckReport> Checks { get; set; } = [];

    /// <summary>Facts about the Step Functions execution itself (status, history size, payload sizes).</summary>
    public ExecutionReport Execution { get; set; } = new();

    /// <summary>Drills only: the projected RTO and the cleanup.</summary>
    public DrillReport? Drill { get; set; }

    /// <summary>The execution's output only, for a large plan: how many <see cref="Resources"/> and
    /// <see cref="RpoEvidence"/> entries that need no attention (writable, switched, launched, verified; RPO objective
    /// met) were left out of it to keep it within <see cref="ReportBuilder.OutputBudgetBytes"/>. <c>failover status
    /// --json</c> and <c>simulate --json</c> build the report from the execution's history, with every entry. Not
    /// written when nothing was left out.</summary>
    public int? EntriesLeftOut { get; set; }

    /// <summary>Simulations on the local AWS only: the RTO against the shortest the local AWS's models allow.</summary>
    public SimulationReport? Simulation { get; set; }

    /// <summary>The readiness scenario only: its evaluations and the notifications they sent; not written otherwise.</summary>
    public ReadinessReport? Readiness { get; set; }
}

/// <summary>What the readiness evaluations of a simulation found.</summary>
/// <param name="Evaluations">Every evaluation, oldest first: evaluatedAt, ready, and findings (id, resource, problem, remedy).</param>
/// <param name="Notifications">Readiness notifications the team's topic delivered: one per change of the findings.</param>
public sealed record ReadinessReport(IReadOnlyList<Readiness.ReadinessEvaluation> Evaluations, int Notifications);

/// <summary>How the simulated RTO compares with the local AWS's own timing models.</summary>
/// <param name="CriticalPathBoundSeconds">The longest chain of modelled operation durations from the alarm to traffic
/// moved (promotions, DRS launch jobs in the rounds the quotas allow, waits between waves), with no time for the
/// orchestrator itself: the RTO a perfect orchestrator would reach here.</param>
/// <param name="CriticalPath">That chain, in words.</param>
/// <param name="RtoToBound">The report's rtoSeconds divided by the bound (1.0 is perfect); null when either is unknown.</param>
public sealed record SimulationReport(double CriticalPathBoundSeconds, string CriticalPath, double? RtoToBound);

/// <summary>One wave of DRS source servers.</summary>
/// <param name="Name">The plan's wave name (or "wave N").</param>
/// <param name="Outcome">launched, partial, failed, or pending while it runs.</param>
/// <param name="StartedAt">When its first batch was started.</param>
/// <param name="DurationSeconds">From its start until every server had a final launch status; null while it runs.</param>
/// <param name="Servers">Servers it selected.</param>
/// <param name="Launched">Servers launched.</param>
/// <param name="Failed">Servers that failed to launch (the first 20 are named in <paramref name="FailedServerIds"/>).</param>
/// <param name="FailedServerIds">Failed servers, at most 20.</param>
public sealed record WaveReport(string Name, string Outcome, DateTimeOffset? StartedAt, double? DurationSeconds, int Servers, int Launched, int Failed, IReadOnlyList<string> FailedServerIds);

/// <summary>One database's data at risk as the run judged it.</summary>
/// <param name="Database">The plan's database id.</param>
/// <param name="EstimateSeconds">Seconds of writes at risk; null when the evidence does not say.</param>
/// <param name="Evidence">What the estimate rests on (metric, datapoints, times).</param>
/// <param name="ObjectiveSeconds">The plan's RPO objective.</param>
/// <param name="Met">Known and within the objective; null when the database was not promoted (nothing was lost).</param>
public sealed record DatabaseRpoReport(string Database, double? EstimateSeconds, string Evidence, int ObjectiveSeconds, bool? Met);

/// <summary>What a drill measured and predicts.</summary>
/// <param name="ProjectedRtoSeconds">What a real failover would take: preparation, the slower of databases (measured on
/// temporary copies) and servers (measured drill launches), and the traffic step.</param>
/// <param name="RtoObjectiveSeconds">The plan's objective.</param>
/// <param name="WithinObjective">Projected RTO at or under the objective.</param>
/// <param name="Removed">What the cleanup removed.</param>
public sealed record DrillReport(double ProjectedRtoSeconds, int RtoObjectiveSeconds, bool WithinObjective, IReadOnlyList<string> Removed);

/// <summary>Values of <see cref="RunReport.Outcome"/>.</summary>
public static class ReportOutcomes
{
    /// <summary>Everything in scope recovered and traffic moved (a drill: everything verified), and every end-state check held.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>The run stopped at a step after it may have changed something, or an end-state check failed.</summary>
    public const string Failed = "failed";

    /// <summary>The run finished, but with findings: servers that failed to launch, a non-critical database or capacity entry that failed, a switch a drill found not wired.</summary>
    public const string Partial = "partial";

    /// <summary>The run was refused before changing anything: invalid plan or input, recovery region not ready, or the RPO gate.</summary>
    public const string Blocked = "blocked";
}

/// <summary>One step of the timeline; offsets are from the execution start.</summary>
public sealed record StepReport(string Name, string Outcome, double StartSeconds, double DurationSeconds);

/// <summary>Outcome for one resource of the plan.</summary>
/// <param name="Kind">database, servers, server, traffic-switch or capacity.</param>
/// <param name="Outcome">The resource's final status (writable, launched, switched, in-service, verified, not-in-service, …).</param>
public sealed record ResourceReport(string Kind, string Id, string Outcome, string Detail)
{
    /// <summary>Capacity only: the desired size the run scaled to; not written for other kinds.</summary>
    public int? Target { get; init; }

    /// <summary>Capacity only: InService instances or running tasks when last read.</summary>
    public int? Reached { get; init; }

    /// <summary>Capacity only: seconds from the scale-up request until enough was in service; null when it was not (or in a drill).</summary>
    public double? SecondsToReach { get; init; }
}

/// <summary>An end-state check against the environment.</summary>
/// <param name="Name">What was checked, in words.</param>
/// <param name="Passed">It held.</param>
/// <param name="Detail">What was seen.</param>
/// <param name="Id">A stable identifier scripts can look the check up by (e.g. dns-answers-recovery); per-resource checks
/// end with ":" and the resource id.</param>
public sealed record CheckReport(string Name, bool Passed, string Detail, string Id = "");

/// <summary>Facts about the Step Functions execution itself.</summary>
public sealed record ExecutionReport
{
    /// <summary>The Step Functions execution name; the run tagged what it created with it.</summary>
    public string Name { get; set; } = "";

    /// <summary>The Step Functions execution status (RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED).</summary>
    public string Status { get; set; } = "";

    /// <summary>Events in the execution's history: Step Functions caps a history at 25,000 events.</summary>
    public int HistoryEvents { get; set; }

    /// <summary>Largest state input or output in the history, in bytes: Step Functions caps a payload at 256 KiB.</summary>
    public int LargestPayloadBytes { get; set; }

    /// <summary>What Elastic Disaster Recovery saw of the run's jobs, when the environment can tell (the local AWS); null otherwise.</summary>
    public DrsUsageReport? Drs { get; set; }
}

/// <summary>How the run used Elastic Disaster Recovery, as DRS itself observed it (not as the workflow counted it).</summary>
/// <param name="Jobs">Launch jobs started.</param>
/// <param name="MaxServersPerJob">Most source servers in one launch job (quota: 100).</param>
/// <param name="PeakServersInActiveJobs">Most source servers in jobs in progress at once (quota: 500).</param>
/// <param name="PeakConcurrentJobs">Most jobs in progress at once (quota: 20).</param>
/// <param name="Waves">Distinct waves the launch jobs were tagged with.</param>
public sealed record DrsUsageReport(int Jobs, int MaxServersPerJob, int PeakServersInActiveJobs, int PeakConcurrentJobs, int Waves);
