using Failover.Core.Plans;
using Failover.Core.Rpo;
using Failover.Core.Services;

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

/// <summary>What a drill's cleanup did.</summary>
public sealed record DrillCleanup
{
    /// <summary>Resources the cleanup deleted, as "kind id" (<see cref="Ports.DrillResourceKinds"/>: temporary database copies, DRS drill recovery instances), for the report.</summary>
    public IReadOnlyList<string> Removed { get; set; } = [];

    /// <summary>Resources the cleanup could not delete, each with why; empty when everything went.</summary>
    public IReadOnlyList<string> Problems { get; set; } = [];

    /// <summary>When the cleanup finished; null until it has.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>An operator's cleanup only: resources ("kind id (drill NAME)") of drills still running, left for their own cleanup; null when none.</summary>
    public IReadOnlyList<string>? LeftForRunningDrills { get; set; }
}

/// <summary>Modes an execution can run in.</summary>
public static class RunModes
{
    /// <summary>A real failover: the primary region is taken to be down; replicas are promoted (losing un-replicated writes only when allowed) and traffic moves.</summary>
    public const string Failover = "failover";

    /// <summary>A rehearsal that changes nothing in production: temporary copies are promoted and measured, switches only verified, and everything created is cleaned up.</summary>
    public const string Drill = "drill";

    /// <summary>A planned move while the primary region still answers: Aurora global databases switch over without data loss; never allows data loss.</summary>
    public const string Switchover = "switchover";
}

/// <summary>What started the run, when it was an alarm.</summary>
public sealed record TriggerInfo
{
    /// <summary>ARN of the CloudWatch alarm that went into ALARM; the trigger accepts only alarms the plan allow-lists by ARN.</summary>
    public string AlarmArn { get; set; } = "";

    /// <summary>The alarm's name (CloudWatch AlarmName), for notifications and the report.</summary>
    public string AlarmName { get; set; } = "";

    /// <summary>When the alarm went into ALARM: the start of the RTO.</summary>
    public DateTimeOffset AlarmTime { get; set; }
}

/// <summary>Progress and outcome of one database.</summary>
public sealed record DatabaseRun
{
    /// <summary>The plan's database id (<see cref="Plans.DatabaseTarget.Id"/>): DB instance, global cluster or DB cluster identifier.</summary>
    public string Id { get; set; } = "";

    /// <summary><see cref="Plans.DatabaseKinds"/>, copied from the plan.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Traffic moves only once it is writable; a non-critical database that fails leaves the run partial instead of failing it.</summary>
    public bool Critical { get; set; }

    /// <summary>What makes it writable; <see cref="DatabaseActions"/>.</summary>
    public string Action { get; set; } = "";

    /// <summary>Aurora global database: the secondary cluster that becomes the writer.</summary>
    public string? TargetClusterArn { get; set; }

    /// <summary>Aurora global switchover in failover mode: when RDS refuses or cancels the switchover, fail over with
    /// AllowDataLoss instead. False in switchover mode, which never loses data. Written only when true: the run
    /// document stays small at scale.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool FallBackToFailover { get; set; }

    /// <summary>Drill: the temporary copy that is promoted instead of the replica.</summary>
    public string? DrillCopyId { get; set; }

    /// <summary>The engine as RDS reports it (e.g. mysql, postgres); decides how its lag metric is read.</summary>
    public string? Engine { get; set; }

    /// <summary>Data at risk, judged at Prepare and again right before promotion; null when not read.</summary>
    public RpoEstimate? Rpo { get; set; }

    /// <summary>Where the database is in its recovery (<see cref="DatabaseStatuses"/>).</summary>
    public string Status { get; set; } = DatabaseStatuses.Ready;

    /// <summary>The last thing seen or done, in words (e.g. "promotion requested", a refusal from RDS), for notifications and the report.</summary>
    public string Detail { get; set; } = "";

    /// <summary>When the promotion (or, in a drill, the copy) was requested; the start of the database's measured recovery. Null until then.</summary>
    public DateTimeOffset? PromotionStartedAt { get; set; }

    /// <summary>When the database was first seen writable; null until then.</summary>
    public DateTimeOffset? WritableAt { get; set; }
}

/// <summary>Values of <see cref="DatabaseRun.Status"/>.</summary>
public static class DatabaseStatuses
{
    /// <summary>Read at Prepare and able to be promoted; nothing requested yet.</summary>
    public const string Ready = "ready";

    /// <summary>Drill: the temporary copy is being created.</summary>
    public const string Copying = "copying";

    /// <summary>Drill: read and found ready, deliberately not promoted.</summary>
    public const string Verified = "verified";

    /// <summary>Promotion (or switchover, failover) requested; waiting for RDS to report the database writable.</summary>
    public const string Promoting = "promoting";

    /// <summary>Writable in the recovery region: the database's part of the run is done.</summary>
    public const string Writable = "writable";

    /// <summary>Could not be made writable (refused, or not writable within the promotion timeout); fails the run when critical.</summary>
    public const string Failed = "failed";
}

/// <summary>Values of <see cref="DatabaseRun.Action"/>.</summary>
public static class DatabaseActions
{
    /// <summary>PromoteReadReplica (RDS instance replica).</summary>
    public const string PromoteInstance = "promote-read-replica";

    /// <summary>PromoteReadReplicaDBCluster (Aurora cross-region replica cluster).</summary>
    public const string PromoteCluster = "promote-read-replica-db-cluster";

    /// <summary>SwitchoverGlobalCluster: no data loss, needs the primary region.</summary>
    public const string GlobalSwitchover = "switchover-global-cluster";

    /// <summary>FailoverGlobalCluster with AllowDataLoss: the primary region does not answer.</summary>
    public const string GlobalFailover = "failover-global-cluster";
}

/// <summary>Progress and outcome of one capacity entry (an Auto Scaling group or an ECS service).</summary>
public sealed record CapacityRun
{
    /// <summary>The plan's capacity id.</summary>
    public string Id { get; set; } = "";

    /// <summary><see cref="Plans.CapacityKinds"/>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Traffic moves only once it is in service; a non-critical entry not in service in time leaves the run partial instead.</summary>
    public bool Critical { get; set; }

    /// <summary>The desired size to reach: the plan's, or the primary region's when larger (matchPrimary).</summary>
    public int Target { get; set; }

    /// <summary>In service at least: the target times the plan's minReadyFraction, rounded up.</summary>
    public int MinReady { get; set; }

    /// <summary>InService and Healthy instances, or running tasks, when last read.</summary>
    public int Reached { get; set; }

    /// <summary><see cref="CapacityStatuses"/>.</summary>
    public string Status { get; set; } = CapacityStatuses.Pending;

    /// <summary>When the scale-up was requested (or found already requested); null when nothing needed scaling.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When <see cref="MinReady"/> was first seen in service.</summary>
    public DateTimeOffset? ReadyAt { get; set; }

    /// <summary>The last thing seen or done, in words (e.g. the reached count, a refusal), for notifications and the report.</summary>
    public string Detail { get; set; } = "";

    /// <summary>True once the entry will change no more.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Ended => Status is CapacityStatuses.InService or CapacityStatuses.Verified or CapacityStatuses.NotInService;
}

/// <summary>Values of <see cref="CapacityRun.Status"/>.</summary>
public static class CapacityStatuses
{
    /// <summary>Read at Prepare; not scaled yet.</summary>
    public const string Pending = "pending";

    /// <summary>Scale-up requested; waiting for instances or tasks to be in service.</summary>
    public const string Scaling = "scaling";

    /// <summary>At least <see cref="CapacityRun.MinReady"/> in service.</summary>
    public const string InService = "in-service";

    /// <summary>Drill: read and found able to reach its target; deliberately not scaled.</summary>
    public const string Verified = "verified";

    /// <summary>A non-critical entry that was not in service within its plan's readyWithinSeconds; the run goes on, partial.</summary>
    public const string NotInService = "not-in-service";
}

/// <summary>Outcome of one traffic switch.</summary>
public sealed record SwitchRun
{
    /// <summary>The plan's switch id (<see cref="Plans.TrafficSwitchTarget.Id"/>).</summary>
    public string Id { get; set; } = "";

    /// <summary><see cref="Plans.SwitchKinds"/>, copied from the plan.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Where the switch is (<see cref="SwitchStatuses"/>).</summary>
    public string Status { get; set; } = SwitchStatuses.Pending;

    /// <summary>What was done or found, in words (the Route 53 change, why a drill found it not wired), for notifications and the report.</summary>
    public string Detail { get; set; } = "";

    /// <summary>What to follow until the switch has taken effect: the Route 53 change (record-upsert) or the guarded
    /// health check (switch-metric with a healthCheckId); see <see cref="Ports.ITrafficSwitch.SwitchAsync"/>.</summary>
    public string? ChangeId { get; set; }

    /// <summary>When the switch was flipped; <see cref="SwitchedAt"/> is when it was seen to take effect.</summary>
    public DateTimeOffset? RequestedAt { get; set; }

    /// <summary>When the switch was seen to take effect (INSYNC, or the guarded health check unhealthy); null until then.</summary>
    public DateTimeOffset? SwitchedAt { get; set; }
}

/// <summary>Values of <see cref="SwitchRun.Status"/>.</summary>
public static class SwitchStatuses
{
    /// <summary>Not flipped yet: the switch waits for every critical database to be writable.</summary>
    public const string Pending = "pending";

    /// <summary>Drill: verified as wired, deliberately not switched.</summary>
    public const string Verified = "verified";

    /// <summary>Drill: the switch's alarm, health check or records are missing.</summary>
    public const string NotWired = "not-wired";

    /// <summary>Requested; waiting for Route 53 to report the change INSYNC or the guarded health check unhealthy.</summary>
    public const string Propagating = "propagating";

    /// <summary>Taken effect: traffic is answered from the recovery region.</summary>
    public const string Switched = "switched";
}

/// <summary>DRS recovery of the plan's servers: a summary, never per-server state (1,000 servers must fit a payload).</summary>
public sealed record ServersRun
{
    /// <summary>Servers in scope. The ids are not kept here (1,000 ids would crowd the payload): they are
    /// resolved from the plan and sorted when batches start, so batch i is a fixed slice of that list.</summary>
    public int Total { get; set; }

    /// <summary>The current wave's batch settings (the plan's wave keeps its critical servers).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>DRS jobs of this run in progress at once for the current wave (the plan's <see cref="Plans.ServerGroup.MaxConcurrentJobs"/>).</summary>
    public int MaxConcurrentJobs { get; set; } = 20;

    /// <summary>Largest replication lag among the servers at Prepare; -1 when unknown.</summary>
    public double LagSeconds { get; set; } = -1;

    /// <summary>Jobs of the current wave (earlier waves are summarised in <see cref="Waves"/>).</summary>
    public IReadOnlyList<ServerJob> Jobs { get; set; } = [];

    /// <summary>The waves started so far, in plan order; the last one is the current wave.</summary>
    public IReadOnlyList<WaveRun> Waves { get; set; } = [];

    /// <summary>Servers launched so far, over every wave.</summary>
    public int Launched { get; set; }

    /// <summary>Servers that failed to launch, over every wave.</summary>
    public int Failed { get; set; }

    /// <summary>Failed servers (at most 100 listed; <see cref="Failed"/> has the count).</summary>
    public IReadOnlyList<string> FailedServerIds { get; set; } = [];

    /// <summary><see cref="ServerOutcomes"/>.</summary>
    public string Outcome { get; set; } = ServerOutcomes.Pending;

    /// <summary>StartRecovery calls DRS refused for now (a quota, a server in another job, throttling) and that were retried later.</summary>
    public int Refusals { get; set; }

    /// <summary>The last such refusal, for the report.</summary>
    public string? LastRefusal { get; set; }

    /// <summary>When the first batch was started (StartRecovery); null until then.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When every wave had ended; null until then.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>One wave of servers: when it started and launched, and how it ended. No per-server list beyond a few failures.</summary>
public sealed record WaveRun
{
    /// <summary>Position in the plan's waves, from 0.</summary>
    public int Index { get; set; }

    /// <summary>The wave's name (<see cref="Plans.ServerWaves.Name"/>): the plan's, or "wave N".</summary>
    public string Name { get; set; } = "";

    /// <summary>Servers the wave selected when its batches started.</summary>
    public int Total { get; set; }

    /// <summary>Servers of the wave launched so far.</summary>
    public int Launched { get; set; }

    /// <summary>Servers of the wave that failed to launch.</summary>
    public int Failed { get; set; }

    /// <summary>Failed servers of this wave (at most 20 listed; <see cref="Failed"/> has the count).</summary>
    public IReadOnlyList<string> FailedServerIds { get; set; } = [];

    /// <summary><see cref="ServerOutcomes"/>.</summary>
    public string Outcome { get; set; } = ServerOutcomes.Pending;

    /// <summary>When the wave's first batch was started; null until then.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When every server of the wave had a final launch status.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>One StartRecovery batch and its DRS job.</summary>
public sealed record ServerJob
{
    /// <summary>Position of the batch in the wave's sorted server list, from 0: batch i is that list's i-th slice of <see cref="ServersRun.BatchSize"/> servers.</summary>
    public int Batch { get; set; }

    /// <summary>The DRS recovery job's id (StartRecovery's job.jobID), followed with DescribeJobs.</summary>
    public string JobId { get; set; } = "";

    /// <summary>PENDING, STARTED or COMPLETED.</summary>
    public string Status { get; set; } = "PENDING";
}

/// <summary>Values of <see cref="ServersRun.Outcome"/>.</summary>
public static class ServerOutcomes
{
    /// <summary>No server of the current wave has a final launch status yet.</summary>
    public const string Pending = "pending";

    /// <summary>Every server launched.</summary>
    public const string Launched = "launched";

    /// <summary>Some servers failed to launch; the run goes on.</summary>
    public const string Partial = "partial";

    /// <summary>Every critical server failed: the run fails.</summary>
    public const string Failed = "failed";
}

/// <summary>Input of the Notify task: which event to announce, and the whole workflow state.</summary>
public sealed record NotifyRequest
{
    /// <summary><see cref="NotificationEvents"/>.</summary>
    public string Event { get; set; } = "";

    /// <summary>The whole workflow document, from which the message is written.</summary>
    public WorkflowState State { get; set; } = new();

    /// <summary>Approval requests: the task token that SendTaskSuccess or SendTaskFailure answers.</summary>
    public string? TaskToken { get; set; }
}

/// <summary>
/// The state machine's document: the execution input, the substituted timings and the run once Prepare has made
/// it. No state catches a failure, so the document never carries an error: a failed run ends at its step.
/// </summary>
public sealed record WorkflowState
{
    /// <summary>The execution input; null when the document carries none.</summary>
    public StartRequest? Request { get; set; }

    /// <summary>The substituted timings (kept as they are).</summary>
    public System.Text.Json.Nodes.JsonObject? Settings { get; set; }

    /// <summary>The run Prepare made; null before Prepare (or when it refused the run).</summary>
    public RunState? Run { get; set; }
}

/// <summary>Values of <see cref="NotifyRequest.Event"/>.</summary>
public static class NotificationEvents
{
    /// <summary>Prepare accepted the run: its mode, reason and scope.</summary>
    public const string Started = "started";

    /// <summary>The run waits for a person: the message carries the task token and how to answer.</summary>
    public const string ApprovalRequested = "approval-requested";

    /// <summary>Databases writable and servers launched (or partially).</summary>
    public const string Recovered = "recovered";

    /// <summary>Every traffic switch has taken effect: the recovery region answers.</summary>
    public const string TrafficSwitched = "traffic-switched";

    /// <summary>The run ended: outcome, RTO and RPO against the objectives.</summary>
    public const string Succeeded = "succeeded";
}

/// <summary>Input of Prepare: the execution input and the execution's name.</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record PrepareRequest
{
    /// <summary>The execution input, checked by Prepare before anything reads AWS.</summary>
    public StartRequest Request { get; set; } = new();

    /// <summary>The execution's name: tags what the run creates, so retries and the drill's cleanup find it.</summary>
    public string ExecutionName { get; set; } = "";
}

/// <summary>Narrows a run to some of the plan's resources (ids); null means all. Never adds resources.</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record RunScope
{
    /// <summary>Plan database ids to recover; null means every database of the plan.</summary>
    public IReadOnlyList<string>? Databases { get; set; }

    /// <summary>DRS source server ids to recover; null means every server of the plan.</summary>
    public IReadOnlyList<string>? Servers { get; set; }

    /// <summary>Plan switch ids to flip; null means every switch of the plan.</summary>
    public IReadOnlyList<string>? Switches { get; set; }
}

/// <summary>Execution input for an operator's manual start. Unknown members are refused: a misspelt
/// "scope" or "allowDataLoss" must not silently widen or change the run.</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record StartRequest
{
    /// <summary><see cref="RunModes"/>: failover (default), drill or switchover.</summary>
    public string Mode { get; set; } = RunModes.Failover;

    /// <summary>Why the run is started, in words (required, at most <see cref="Triggers.StartRequestRules.MaxReasonLength"/> characters); repeated in notifications and the report.</summary>
    public string Reason { get; set; } = "";

    /// <summary>Set by the trigger: the alarm that started the run; null for an operator's start.</summary>
    public TriggerInfo? Trigger { get; set; }

    /// <summary>Lifts the RPO gate and allows an Aurora failover with data loss. Never set by the trigger.</summary>
    public bool AllowDataLoss { get; set; }

    /// <summary>Narrows the run to some of the plan's resources.</summary>
    public RunScope? Scope { get; set; }

    /// <summary>Set by the trigger when the plan's trigger.requireApproval is true: the workflow waits for a person's approval before changing anything.</summary>
    public bool RequireApproval { get; set; }
}

/// <summary>Output of the Notify task.</summary>
public sealed record NotificationSent(string MessageId);
