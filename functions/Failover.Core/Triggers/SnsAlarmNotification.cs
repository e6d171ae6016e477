using System.Text.Json.Serialization;

namespace Failover.Core.Triggers;

/// <summary>An SNS event as Lambda delivers it: one record per invocation (members the trigger needs).</summary>
public sealed record SnsEvent
{
    [JsonPropertyName("Records")]
    public IReadOnlyList<SnsEventRecord?>? Records { get; set; }
}

/// <summary>One record of an SNS event.</summary>
public sealed record SnsEventRecord
{
    /// <summary>"aws:sns".</summary>
    [JsonPropertyName("EventSource")]
    public string? EventSource { get; set; }

    [JsonPropertyName("Sns")]
    public SnsMessage? Sns { get; set; }
}

/// <summary>The SNS message of a record; <see cref="Message"/> is a JSON string (the alarm notification).</summary>
public sealed record SnsMessage
{
    /// <summary>"Notification".</summary>
    [JsonPropertyName("Type")]
    public string? Type { get; set; }

    [JsonPropertyName("MessageId")]
    public string? MessageId { get; set; }

    [JsonPropertyName("TopicArn")]
    public string? TopicArn { get; set; }

    [JsonPropertyName("Message")]
    public string? Message { get; set; }
}

/// <summary>
/// A CloudWatch alarm notification (the JSON inside <see cref="SnsMessage.Message"/>). <c>Region</c> is the
/// long Region name, so the region comes from <see cref="AlarmArn"/>; older alarms omit AlarmArn.
/// </summary>
public sealed record AlarmNotification
{
    [JsonPropertyName("AlarmName")]
    public string? AlarmName { get; set; }

    [JsonPropertyName("AWSAccountId")]
    public string? AwsAccountId { get; set; }

    [JsonPropertyName("NewStateValue")]
    public string? NewStateValue { get; set; }

    [JsonPropertyName("NewStateReason")]
    public string? NewStateReason { get; set; }

    [JsonPropertyName("OldStateValue")]
    public string? OldStateValue { get; set; }

    /// <summary>When the state changed, with a "+0000" offset.</summary>
    [JsonPropertyName("StateChangeTime")]
    public string? StateChangeTime { get; set; }

    [JsonPropertyName("AlarmArn")]
    public string? AlarmArn { get; set; }
}

/// <summary>Source-generated JSON for the SNS shapes (PascalCase members, as SNS and CloudWatch write them).</summary>
[JsonSourceGenerationOptions(RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SnsEvent))]
[JsonSerializable(typeof(AlarmNotification))]
internal sealed partial class TriggerJson : JsonSerializerContext;
