using Failover.Core.Plans;

namespace Failover.Core.Runs;

/// <summary>
/// The document that flows through the state machine: each task receives it and returns the next
/// version. Kept small (summaries, never raw API responses) so executions stay far from payload limits.
/// </summary>
public sealed record RunState
{
    /// <summary>The plan's name (<see cref="Plans.RecoveryPlan.Name"/>); tags what the run creates (failover:plan) and heads notifications and the report.</summary>
    public string Plan { get; set; } = "";

    /// <summary>How the run treats production (<see cref="RunModes"/>): failover, drill or switchover.</summary>
    public string Mode { get; set; } = RunModes.Failover;

    /// <summary>Why the run was started: the operator's reason or, for automatic runs, the alarm and its state reason; repeated in notifications and the report.</summary>
    public string Reason { get; set; } = "";

    /// <summary>The alarm that started the run; null for an operator's manual start.</summary>
    public TriggerInfo? Trigger { get; set; }

    /// <summary>The execution's name: tags what the run creates, so retries find it.</summary>
    public string ExecutionName { get; set; } = "";

    /// <summary>The operator accepted losing un-replicated writes (RPO gate lifted, Aurora failover allowed).</summary>
    public bool AllowDataLoss { get; set; }

    /// <summary>The workflow waits for a person before changing anything: the input asked for it, or data at risk
    /// beyond the plan's unattended budget needs a person to accept it (<see cref="DataLossToApprove"/>).</summary>
    public bool ApprovalRequired { get; set; }

    /// <summary>Data at risk that a person accepts by approving the run; empty when none.</summary>
    public IReadOnlyList<string> DataLossToApprove { get; set; } = [];

    /// <summary>When the outage is taken to have begun: the alarm's transition for automatic runs, the start for
    /// manual ones. RPO evidence is read up to this moment.</summary>
    public DateTimeOffset? OutageBeganAt { get; set; }

    /// <summary>The plan's recovery time objective, in seconds.</summary>
    public int RtoObjectiveSeconds { get; set; }

    /// <summary>The plan's recovery point objective, in seconds.</summary>
    public int RpoObjectiveSeconds { get; set; }

    /// <summary>The plan's data-loss policy for automatic runs, judged again before promotion.</summary>
    public DataLossPolicy DataLoss { get; set; } = new();

    /// <summary>The input's narrowing of the plan, if any.</summary>
    public RunScope? Scope { get; set; }

    /// <summary>When Prepare accepted the run.</summary>
    public DateTimeOffset? PreparedAt { get; set; }

    /// <summary>Every database in scope; packed when long (<see cref="DatabaseListConverter"/>).</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(DatabaseListConverter))]
    public IReadOnlyList<DatabaseRun> Databases { get; set; } = [];

    /// <summary>How many databases are promoted and checked at once.</summary>
    public int DatabaseConcurrency { get; set; } = 10;

    /// <summary>DRS recovery; null when the plan has no servers in scope. Always written, even when null: the
    /// state machine's merge after the parallel recovery reads it.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)]
    public ServersRun? Servers { get; set; }

    /// <summary>Every traffic switch in scope; packed when long (<see cref="SwitchListConverter"/>).</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(SwitchListConverter))]
    public IReadOnlyList<SwitchRun> Switches { get; set; } = [];

    /// <summary>Every capacity entry of the plan (Auto Scaling groups, ECS services), with its target and progress.</summary>
    public IReadOnlyList<CapacityRun> Capacity { get; set; } = [];

    /// <summary>True once every capacity entry has ended: in service, verified (drill) or, non-critical, not in service
    /// in time. The workflow's capacity branch waits for it; true from Prepare when the plan has none.</summary>
    public bool CapacityReady { get; set; } = true;

    /// <summary>True once every critical database is writable.</summary>
    public bool DatabasesWritable { get; set; }

    /// <summary>True once every server job has finished (launched or failed).</summary>
    public bool ServersDone { get; set; } = true;

    /// <summary>True once every switch has taken effect (record changes INSYNC).</summary>
    public bool TrafficInSync { get; set; }

    /// <summary>When the last traffic switch was flipped; the end of the RTO.</summary>
    public DateTimeOffset? TrafficSwitchedAt { get; set; }

    /// <summary>Drill: what the cleanup removed, or could not.</summary>
    public DrillCleanup? Cleanup { get; set; }

    /// <summary>True when the run must not change production: nothing is promoted or switched.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsDrill => Mode == RunModes.Drill;

    /// <summary>The run went on past something that did not work: servers that failed to launch, a
    /// non-critical database that failed, a switch a drill found not wired. Its outcome is partial.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasFindings =>
        Servers?.Outcome == ServerOutcomes.Partial
        || Databases.Any(d => d.Status == DatabaseStatuses.Failed)
        || Switches.Any(s => s.Status == SwitchStatuses.NotWired)
        || Capacity.Any(c => c.Status == CapacityStatuses.NotInService);
}
