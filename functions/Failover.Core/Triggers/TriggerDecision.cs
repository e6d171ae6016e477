namespace Failover.Core.Triggers;

/// <summary>What the trigger decided about one event; logged as one JSON line and returned.</summary>
public sealed record TriggerDecision
{
    /// <summary><see cref="TriggerDecisions"/>.</summary>
    public string Decision { get; set; } = "";
    public string Reason { get; set; } = "";
    public string? Alarm { get; set; }
    public string? State { get; set; }
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
