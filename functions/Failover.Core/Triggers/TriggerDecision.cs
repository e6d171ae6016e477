namespace Failover.Core.Triggers;

/// <summary>What the trigger decided about one event; logged as one JSON line and returned.</summary>
public sealed record TriggerDecision
{
    /// <summary><see cref="TriggerDecisions"/>.</summary>
    public string Decision { get; set; } = "";

    /// <summary>Why, in words: the rule that rejected or ignored the event, or why the run was started (the quorum met, or an execution for the window already there).</summary>
    public string Reason { get; set; } = "";

    /// <summary>The alarm's ARN (its name when the event names no ARN); null when the event could not be read that far.</summary>
    public string? Alarm { get; set; }

    /// <summary>The state the event says the alarm entered; null when the event could not be read that far.</summary>
    public string? State { get; set; }

    /// <summary>The execution started (or found already started); null unless the decision is started.</summary>
    public string? ExecutionName { get; set; }

    /// <summary>How the event arrived (<see cref="AlarmDeliveries"/>); null when that could not be told.</summary>
    public string? Delivery { get; set; }
}

/// <summary>Values of <see cref="TriggerDecision.Decision"/>.</summary>
public static class TriggerDecisions
{
    /// <summary>An execution was started, or had already been started for the same window.</summary>
    public const string Started = "started";

    /// <summary>A valid event that the policy says not to act on.</summary>
    public const string Ignored = "ignored";

    /// <summary>An event that is malformed or comes from where it must not.</summary>
    public const string Rejected = "rejected";
}
