using System.Text.Json.Serialization;

namespace Failover.Core.Triggers;

/// <summary>An SNS event as Lambda delivers it: one record per invocation (members the trigger needs).</summary>
public sealed record SnsEvent
{
    /// <summary>The records; Lambda delivers exactly one, anything else is rejected.</summary>
    [JsonPropertyName("Records")]
    public IReadOnlyList<SnsEventRecord?>? Records { get; set; }
}

/// <summary>One record of an SNS event.</summary>
public sealed record SnsEventRecord
{
    /// <summary>"aws:sns".</summary>
    [JsonPropertyName("EventSource")]
    public string? EventSource { get; set; }

    /// <summary>The SNS message; null when the record has none (rejected).</summary>
    [JsonPropertyName("Sns")]
    public SnsMessage? Sns { get; set; }
}

/// <summary>The SNS message of a record; <see cref="Message"/> is a JSON string (the alarm notification).</summary>
public sealed record SnsMessage
{
    /// <summary>"Notification".</summary>
    [JsonPropertyName("Type")]
    public string? Type { get; set; }

    /// <summary>SNS's id of the message, unique per publish.</summary>
    [JsonPropertyName("MessageId")]
    public string? MessageId { get; set; }

    /// <summary>The topic the notification was published to; its account must be the plan's.</summary>
    [JsonPropertyName("TopicArn")]
    public string? TopicArn { get; set; }

    /// <summary>The alarm notification, as a JSON string (<see cref="AlarmNotification"/>).</summary>
    [JsonPropertyName("Message")]
    public string? Message { get; set; }
}

/// <summary>
/// A CloudWatch alarm notification (the JSON inside <see cref="SnsMessage.Message"/>). <c>Region</c> is the
/// long Region name, so the region comes from <see cref="AlarmArn"/>; older alarms omit AlarmArn.
/// </summary>
public sealed record AlarmNotification
{
    /// <summary>The alarm's name; must match the name in its ARN.</summary>
    [JsonPropertyName("AlarmName")]
    public string? AlarmName { get; set; }

    /// <summary>The account the alarm belongs to; must be the plan's.</summary>
    [JsonPropertyName("AWSAccountId")]
    public string? AwsAccountId { get; set; }

    /// <summary>The state the alarm entered: OK, ALARM or INSUFFICIENT_DATA.</summary>
    [JsonPropertyName("NewStateValue")]
    public string? NewStateValue { get; set; }

    /// <summary>CloudWatch's explanation of the new state, in words; quoted in the run's reason.</summary>
    [JsonPropertyName("NewStateReason")]
    public string? NewStateReason { get; set; }

    /// <summary>The state the alarm left; an ALARM to ALARM change is not a transition and starts nothing.</summary>
    [JsonPropertyName("OldStateValue")]
    public string? OldStateValue { get; set; }

    /// <summary>When the state changed, with a "+0000" offset.</summary>
    [JsonPropertyName("StateChangeTime")]
    public string? StateChangeTime { get; set; }

    /// <summary>The alarm's ARN, which also gives the region; null for older alarms, which then cannot be allow-listed.</summary>
    [JsonPropertyName("AlarmArn")]
    public string? AlarmArn { get; set; }
}

/// <summary>Source-generated JSON for the SNS shapes (PascalCase members, as SNS and CloudWatch write them).</summary>
[JsonSourceGenerationOptions(RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SnsEvent))]
[JsonSerializable(typeof(AlarmNotification))]
internal sealed partial class TriggerJson : JsonSerializerContext;
