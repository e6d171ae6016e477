using System.Text.Json.Serialization;

namespace Failover.Core.Triggers;

/// <summary>EventBridge "CloudWatch Alarm State Change" event (members the trigger needs).</summary>
public sealed record AlarmStateChangeEvent
{
    /// <summary>The event's <c>version</c> ("0"); not used in the decision.</summary>
    public string? Version { get; set; }

    /// <summary>The event's <c>id</c>, unique per event; not used in the decision.</summary>
    public string? Id { get; set; }

    /// <summary>The event's <c>detail-type</c>; must be "CloudWatch Alarm State Change".</summary>
    [JsonPropertyName("detail-type")]
    public string? DetailType { get; set; }

    /// <summary>The event's <c>source</c>; must be "aws.cloudwatch".</summary>
    public string? Source { get; set; }

    /// <summary>The account the alarm belongs to; must be the plan's.</summary>
    public string? Account { get; set; }

    /// <summary>The event's <c>time</c> (ISO 8601); the alarm's own timestamp (<see cref="AlarmState.Timestamp"/>) is what counts.</summary>
    public string? Time { get; set; }

    /// <summary>The region the alarm is in; must match the region of the alarm's ARN.</summary>
    public string? Region { get; set; }

    /// <summary>The event's <c>resources</c>: the entry containing ":alarm:" is the alarm's ARN; null or without one when the event names none.</summary>
    public IReadOnlyList<string>? Resources { get; set; }

    /// <summary>The alarm and its new and previous states; null when the event has no <c>detail</c> (rejected).</summary>
    public AlarmDetail? Detail { get; set; }
}

/// <summary>The <c>detail</c> of an alarm state change.</summary>
public sealed record AlarmDetail
{
    /// <summary>The alarm's name; must match the name in its ARN.</summary>
    public string? AlarmName { get; set; }

    /// <summary>The state the alarm entered.</summary>
    public AlarmState? State { get; set; }

    /// <summary>The state it left; an ALARM to ALARM change is not a transition and starts nothing.</summary>
    public AlarmState? PreviousState { get; set; }
}

/// <summary>An alarm state: value is OK, ALARM or INSUFFICIENT_DATA; timestamp uses a +0000 offset.</summary>
public sealed record AlarmState
{
    /// <summary>OK, ALARM or INSUFFICIENT_DATA (<see cref="Ports.AlarmStateValues"/>).</summary>
    public string? Value { get; set; }

    /// <summary>CloudWatch's explanation of the state, in words; quoted in the run's reason.</summary>
    public string? Reason { get; set; }

    /// <summary>When the alarm entered the state (e.g. 2026-01-02T03:04:05.678+0000).</summary>
    public string? Timestamp { get; set; }
}
