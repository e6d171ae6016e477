using System.Text.Json.Nodes;

namespace Failover.Testing;

/// <summary>
/// Builds the CloudWatch alarm notification as SNS delivers it to Lambda (aws-facts.md 9.2): one record whose
/// Sns.Message is the alarm JSON as a string. By default the same transition as <see cref="AlarmEventBuilder.OkToAlarm"/>.
/// </summary>
public sealed class SnsAlarmEventBuilder
{
    private const string TopicArn = "arn:aws:sns:us-west-2:123456789012:failover-alarms";
    private readonly JsonObject _record;
    private readonly JsonObject _message;

    private SnsAlarmEventBuilder(JsonObject record, JsonObject message)
    {
        _record = record;
        _message = message;
    }

    /// <summary>The allow-listed alarm of the sample plan, OK to ALARM at <see cref="Samples.AlarmTimestamp"/>.</summary>
    public static SnsAlarmEventBuilder OkToAlarm() => new(
        new JsonObject
        {
            ["EventSource"] = "aws:sns",
            ["EventVersion"] = "1.0",
            ["EventSubscriptionArn"] = TopicArn + ":2bcfbf39-05c3-41de-beaa-fcfcc21c8f55",
            ["Sns"] = new JsonObject
            {
                ["Type"] = "Notification",
                ["MessageId"] = "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
                ["TopicArn"] = TopicArn,
                ["Subject"] = "ALARM: \"orders-primary-outage\" in US West (Oregon)",
                ["Timestamp"] = "2026-08-01T12:03:27.456Z",
                ["SignatureVersion"] = "1",
                ["MessageAttributes"] = new JsonObject(),
            },
        },
        new JsonObject
        {
            ["AlarmName"] = Samples.AlarmName,
            ["AlarmDescription"] = null,
            ["AWSAccountId"] = Samples.AccountId,
            ["NewStateValue"] = "ALARM",
            ["NewStateReason"] = "Threshold Crossed: 3 out of the last 3 datapoints were less than the threshold (50.0).",
            ["StateChangeTime"] = Samples.AlarmTimestamp,
            ["Region"] = "US West (Oregon)",
            ["AlarmArn"] = Samples.AlarmArn,
            ["OldStateValue"] = "OK",
            ["AlarmActions"] = new JsonArray(TopicArn),
        });

    /// <summary>Sets a member of the alarm message; null removes it.</summary>
    public SnsAlarmEventBuilder WithMessage(string member, JsonNode? value) => Set(_message, member, value);

    /// <summary>Sets a member of the record's Sns object; null removes it.</summary>
    public SnsAlarmEventBuilder WithSns(string member, JsonNode? value) => Set(_record["Sns"]!.AsObject(), member, value);

    /// <summary>Sets a member of the record; null removes it.</summary>
    public SnsAlarmEventBuilder WithRecord(string member, JsonNode? value) => Set(_record, member, value);

    public string Build()
    {
        var record = _record.DeepClone().AsObject();
        if (!record.ContainsKey("Message") && record["Sns"] is JsonObject sns && !sns.ContainsKey("Message"))
        {
            sns["Message"] = _message.ToJsonString();
        }

        return new JsonObject { ["Records"] = new JsonArray(record) }.ToJsonString();
    }

    /// <summary>Builds with Sns.Message replaced by <paramref name="message"/> verbatim.</summary>
    public string BuildWithRawMessage(JsonNode? message)
    {
        var record = _record.DeepClone().AsObject();
        record["Sns"]!.AsObject()["Message"] = message;
        return new JsonObject { ["Records"] = new JsonArray(record) }.ToJsonString();
    }

    public override string ToString() => Build();

    private SnsAlarmEventBuilder Set(JsonObject target, string member, JsonNode? value)
    {
        if (value is null)
        {
            target.Remove(member);
        }
        else
        {
            target[member] = value;
        }

        return this;
    }
}
