using System.Text.Json.Serialization;

namespace Failover.Core.Triggers;

/// <summary>EventBridge "CloudWatch Alarm State Change" event (members the trigger needs).</summary>
public sealed record AlarmStateChangeEvent
{
    public string? Version { get; set; }
    public string? Id { get; set; }

    [JsonPropertyName("detail-type")]
    public string? DetailType { get; set; }

    public string? Source { get; set; }
    public string? Account { get; set; }
    public string? Time { get; set; }
    public string? Region { get; set; }
    public IReadOnlyList<string>? Resources { get; set; }
    public AlarmDetail? Detail { get; set; }
}

/// <summary>The <c>detail</c> of an alarm state change.</summary>
public sealed record AlarmDetail
{
    public string? AlarmName { get; set; }
    public AlarmState? State { get; set; }
    public AlarmState? PreviousState { get; set; }
}

/// <summary>An alarm state: value is OK, ALARM or INSUFFICIENT_DATA; timestamp uses a +0000 offset.</summary>
public sealed record AlarmState
{
    public string? Value { get; set; }
    public string? Reason { get; set; }
    public string? Timestamp { get; set; }
}
