namespace Failover.Core.Runs;

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
