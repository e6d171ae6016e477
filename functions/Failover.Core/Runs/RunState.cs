namespace Failover.Core.Runs;

/// <summary>
/// The document that flows through the state machine: each task receives it and returns the next
/// version. Kept small (summaries, never raw API responses) so executions stay far from payload limits.
/// </summary>
public sealed record RunState
{
    public string Plan { get; set; } = "";
    public string Mode { get; set; } = RunModes.Failover;
    public string Reason { get; set; } = "";
    public TriggerInfo? Trigger { get; set; }

    /// <summary>When Prepare accepted the run.</summary>
    public DateTimeOffset? PreparedAt { get; set; }

    public IReadOnlyList<DatabaseRun> Databases { get; set; } = [];
    public IReadOnlyList<SwitchRun> Switches { get; set; } = [];

    /// <summary>True once every critical database is writable.</summary>
    public bool DatabasesWritable { get; set; }

    /// <summary>When the last traffic switch was flipped; the end of the RTO.</summary>
    public DateTimeOffset? TrafficSwitchedAt { get; set; }
}

/// <summary>Modes an execution can run in.</summary>
public static class RunModes
{
    public const string Failover = "failover";
    public const string Drill = "drill";
    public const string Switchover = "switchover";
}

/// <summary>What started the run, when it was an alarm.</summary>
public sealed record TriggerInfo
{
    public string AlarmArn { get; set; } = "";
    public string AlarmName { get; set; } = "";

    /// <summary>When the alarm went into ALARM: the start of the RTO.</summary>
    public DateTimeOffset AlarmTime { get; set; }
}

/// <summary>Progress and outcome of one database.</summary>
public sealed record DatabaseRun
{
    public string Id { get; set; } = "";
    public string Kind { get; set; } = "";
    public bool Critical { get; set; }

    /// <summary>Replica lag read just before promotion; -1 when unknown.</summary>
    public double LagSeconds { get; set; } = -1;

    public string Status { get; set; } = DatabaseStatuses.Ready;
    public string Detail { get; set; } = "";
    public DateTimeOffset? PromotionStartedAt { get; set; }
    public DateTimeOffset? WritableAt { get; set; }
}

/// <summary>Values of <see cref="DatabaseRun.Status"/>.</summary>
public static class DatabaseStatuses
{
    public const string Ready = "ready";
    public const string Promoting = "promoting";
    public const string Writable = "writable";
    public const string Failed = "failed";
}

/// <summary>Outcome of one traffic switch.</summary>
public sealed record SwitchRun
{
    public string Id { get; set; } = "";
    public string Status { get; set; } = "pending";
    public string Detail { get; set; } = "";
    public DateTimeOffset? SwitchedAt { get; set; }
}

/// <summary>The <c>{Error, Cause}</c> object Step Functions puts at <c>$.error</c>.</summary>
public sealed record StepError
{
    [System.Text.Json.Serialization.JsonPropertyName("Error")]
    public string Error { get; set; } = "";

    [System.Text.Json.Serialization.JsonPropertyName("Cause")]
    public string Cause { get; set; } = "";
}

/// <summary>Input of the Notify task: which event to announce, and the whole workflow state.</summary>
public sealed record NotifyRequest
{
    /// <summary><see cref="NotificationEvents"/>.</summary>
    public string Event { get; set; } = "";
    public WorkflowState State { get; set; } = new();
}

/// <summary>
/// The state machine's document: the execution input, the run once Prepare has made it, and the error a
/// Catch recorded. Run is absent when Prepare itself failed.
/// </summary>
public sealed record WorkflowState
{
    public StartRequest? Request { get; set; }
    public RunState? Run { get; set; }
    public StepError? Error { get; set; }
}

/// <summary>Values of <see cref="NotifyRequest.Event"/>.</summary>
public static class NotificationEvents
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// <summary>Execution input for an operator's manual start.</summary>
public sealed record StartRequest
{
    public string Mode { get; set; } = RunModes.Failover;
    public string Reason { get; set; } = "";
    public TriggerInfo? Trigger { get; set; }
}

/// <summary>Output of the Notify task.</summary>
public sealed record NotificationSent(string MessageId);
