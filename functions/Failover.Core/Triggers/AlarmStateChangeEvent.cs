using System.Text.Json.Serialization;

namespace Failover.Core.Triggers;

/// <summary>EventBridge "CloudWatch Alarm State Change" event (members the trigger needs).</summary>
public sealed record AlarmStateChangeEvent
{
    public string? Version { get; init; }
    public string? Id { get; init; }

    [JsonPropertyName("detail-type")]
    public string? DetailType { get; init; }

    public string? Source { get; init; }
    public string? Account { get; init; }
    public string? Time { get; init; }
    public string? Region { get; init; }
    public IReadOnlyList<string>? Resources { get; init; }
    public AlarmDetail? Detail { get; init; }
}

/// <summary>The <c>detail</c> of an alarm state change.</summary>
public sealed record AlarmDetail
{
    public string? AlarmName { get; init; }
    public AlarmState? State { get; init; }
    public AlarmState? PreviousState { get; init; }
}

/// <summary>An alarm state: value is OK, ALARM or INSUFFICIENT_DATA; timestamp uses a +0000 offset.</summary>
public sealed record AlarmState
{
    public string? Value { get; init; }
    public string? Reason { get; init; }
    public string? Timestamp { get; init; }
}
