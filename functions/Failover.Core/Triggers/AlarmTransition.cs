using System.Text;
using System.Text.Json;
using Failover.Core.Plans;
using Failover.Core.Ports;

namespace Failover.Core.Triggers;

/// <summary>How an alarm event reached the trigger.</summary>
public static class AlarmDeliveries
{
    /// <summary>The EventBridge "CloudWatch Alarm State Change" event.</summary>
    public const string EventBridge = "eventbridge";

    /// <summary>The CloudWatch alarm notification published to SNS.</summary>
    public const string Sns = "sns";
}

/// <summary>One alarm state change, whichever way it was delivered: what the policy decides on.</summary>
public sealed record AlarmTransition
{
    /// <summary><see cref="AlarmDeliveries"/>.</summary>
    public required string Delivery { get; init; }

    /// <summary>The account the event says the alarm belongs to; must be the plan's.</summary>
    public required string AccountId { get; init; }

    /// <summary>The alarm's ARN; null when the event names none (then it cannot be allow-listed).</summary>
    public string? AlarmArn { get; init; }

    /// <summary>The alarm's name; must match the name in <see cref="AlarmArn"/>.</summary>
    public required string AlarmName { get; init; }

    /// <summary>Region the event says it comes from (EventBridge <c>region</c>; for SNS the AlarmArn's region).</summary>
    public string? Region { get; init; }

    /// <summary>The state the alarm entered (<see cref="Ports.AlarmStateValues"/>); only ALARM can start a run.</summary>
    public required string NewState { get; init; }

    /// <summary>The state it left; null when the event does not say. ALARM here means no transition.</summary>
    public string? OldState { get; init; }

    /// <summary>When the alarm changed state, as the event writes it ("+0000" offsets).</summary>
    public string? Timestamp { get; init; }

    /// <summary>CloudWatch's explanation of the new state, in words; empty when the event gives none.</summary>
    public string Reason { get; init; } = "";

    /// <summary>
    /// SNS only: the topic the notification was published to (<c>Sns.TopicArn</c>, "Amazon SNS message and JSON formats",
    /// sns/latest/dg/sns-message-and-json-formats.html); its account must be the plan's.
    /// </summary>
    public string? TopicArn { get; init; }
}

/// <summary>The result of reading an event: a transition, or why there is none.</summary>
/// <param name="Transition">The transition; null when the event was rejected.</param>
/// <param name="Rejection">Why the event was rejected.</param>
/// <param name="Delivery">How it was delivered, when that could be told.</param>
/// <param name="Alarm">The alarm it names, when it names one.</param>
/// <param name="State">The state it claims, when it claims one.</param>
public sealed record ParsedAlarmEvent(AlarmTransition? Transition, string? Rejection, string? Delivery = null, string? Alarm = null, string? State = null);

/// <summary>Reads the EventBridge alarm event and the SNS-wrapped alarm notification into one <see cref="AlarmTransition"/>.</summary>
public static class AlarmEventParser
{
    private const string AlarmDetailType = "CloudWatch Alarm State Change";

    // The alarm states, exactly as CloudWatch spells them: the StateValue enum of botocore cloudwatch 2010-08-01
    // (API_DescribeAlarms.html, API_MetricAlarm.html: OK | ALARM | INSUFFICIENT_DATA); "alarm" is not one.
    private static readonly string[] States = [AlarmStateValues.Ok, AlarmStateValues.Alarm, AlarmStateValues.InsufficientData];

    /// <summary>Parses any event text; never throws for bad input.</summary>
    public static ParsedAlarmEvent Parse(string eventJson)
    {
        bool isSns;
        try
        {
            using var document = JsonDocument.Parse(eventJson);
            isSns = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("Records", out _);
        }
        catch (JsonException ex)
        {
            return Malformed(ex, null);
        }

        var delivery = isSns ? AlarmDeliveries.Sns : AlarmDeliveries.EventBridge;
        if (DuplicateKey(eventJson, "") is { } duplicate)
        {
            return new(null, duplicate, delivery);
        }

        var parsed = isSns ? ParseSns(eventJson) : ParseEventBridge(eventJson);
        return parsed.Transition is { } t && UnknownState(t) is { } unknown ? new(null, unknown, t.Delivery, t.AlarmArn ?? t.AlarmName, t.NewState) : parsed;
    }

    // A CloudWatch alarm's ARN: arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME (API_MetricAlarm.html, AlarmArn).
    private static bool IsAlarmArn(string? text) => Arn.TryParse(text, out var arn) && arn.Names("cloudwatch", "alarm");

    private static ParsedAlarmEvent ParseEventBridge(string eventJson)
    {
        AlarmStateChangeEvent? evt;
        try
        {
            evt = JsonSerializer.Deserialize(eventJson, FailoverJson.Default.AlarmStateChangeEvent);
        }
        catch (JsonException ex)
        {
            return Malformed(ex, AlarmDeliveries.EventBridge);
        }

        if (evt is null)
        {
            return new(null, "event is null");
        }

        if (evt.Source != "aws.cloudwatch" || evt.DetailType != AlarmDetailType)
        {
            return new(null, $"not a CloudWatch alarm state change (source '{evt.Source}', detail-type '{evt.DetailType}')");
        }

        if (evt.Detail?.State?.Value is not { } state || evt.Detail.AlarmName is not { } alarmName)
        {
            return new(null, "detail.alarmName or detail.state.value is missing", AlarmDeliveries.EventBridge);
        }

        if (evt.Resources?.Any(r => r is null) == true)
        {
            return new(null, "resources holds a null entry", AlarmDeliveries.EventBridge, alarmName, state);
        }

        return new(new AlarmTransition
        {
            Delivery = AlarmDeliveries.EventBridge,
            AccountId = evt.Account ?? "",
            AlarmArn = evt.Resources?.FirstOrDefault(IsAlarmArn),
            AlarmName = alarmName,
            Region = evt.Region,
            NewState = state,
            OldState = evt.Detail.PreviousState?.Value,
            Timestamp = evt.Detail.State.Timestamp,
            Reason = evt.Detail.State.Reason ?? "",
        }, null, AlarmDeliveries.EventBridge);
    }

    private static ParsedAlarmEvent ParseSns(string eventJson)
    {
        const string delivery = AlarmDeliveries.Sns;
        SnsEvent? evt;
        try
        {
            evt = JsonSerializer.Deserialize(eventJson, TriggerJson.Default.SnsEvent);
        }
        catch (JsonException ex)
        {
            return Malformed(ex, delivery);
        }

        if (evt?.Records is not { Count: 1 } records || records[0] is not { } record)
        {
            return new(null, $"an SNS event holds exactly one record; this one holds {evt?.Records?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}", delivery);
        }

        if (record.EventSource != "aws:sns" || record.Sns?.Type != "Notification" || string.IsNullOrEmpty(record.Sns.Message))
        {
            return new(null, $"not an SNS notification (EventSource '{record.EventSource}', Type '{record.Sns?.Type}', Message {(string.IsNullOrEmpty(record.Sns?.Message) ? "missing" : "present")})", delivery);
        }

        AlarmNotification? message;
        try
        {
            message = JsonSerializer.Deserialize(record.Sns.Message, TriggerJson.Default.AlarmNotification);
            if (DuplicateKey(record.Sns.Message, "in the SNS message, ") is { } duplicate)
            {
                return new(null, duplicate, delivery);
            }
        }
        catch (JsonException ex)
        {
            return new(null, $"SNS message is not a CloudWatch alarm notification: malformed JSON at {ex.Path ?? "$"}: {ex.Message}", delivery);
        }

        if (message?.AlarmName is not { Length: > 0 } alarmName || message.NewStateValue is not { Length: > 0 } state)
        {
            return new(null, "SNS message is not a CloudWatch alarm notification: AlarmName or NewStateValue is missing", delivery);
        }

        var alarmArn = message.AlarmArn;
        if (alarmArn is null)
        {
            // Older alarms omit AlarmArn; an alarm notifies a topic in its own region and account.
            if (!Arn.TryParse(record.Sns.TopicArn, out var topic) || topic.Region.Length == 0)
            {
                return new(null, $"SNS alarm notification has no AlarmArn and its TopicArn '{record.Sns.TopicArn}' names no region", delivery, alarmName, state);
            }

            alarmArn = new Arn(topic.Partition, "cloudwatch", topic.Region, message.AwsAccountId ?? "", $"alarm:{alarmName}").ToString();
        }

        return new(new AlarmTransition
        {
            Delivery = delivery,
            AccountId = message.AwsAccountId ?? "",
            AlarmArn = IsAlarmArn(alarmArn) ? alarmArn : null,
            AlarmName = alarmName,
            Region = Arn.TryParse(alarmArn, out var parsed) && parsed.Region.Length > 0 ? parsed.Region : null,
            NewState = state,
            OldState = message.OldStateValue,
            Timestamp = message.StateChangeTime,
            Reason = message.NewStateReason ?? "",
            TopicArn = record.Sns.TopicArn,
        }, null, delivery);
    }

    // Two values for one key (two "source" keys): readers disagree on which counts, so the event is not believed.
    private static string? DuplicateKey(string json, string where) =>
        JsonText.DuplicateKeys(Encoding.UTF8.GetBytes(json)) is [var duplicate, ..]
            ? $"{where}key '{duplicate.Name}' is given twice ({duplicate.Place}, first on line {duplicate.FirstLine}); an event with a duplicated key is refused, as readers disagree on which value counts"
            : null;

    private static string? UnknownState(AlarmTransition t) =>
        !States.Contains(t.NewState, StringComparer.Ordinal) ? $"state '{t.NewState}' is not a CloudWatch alarm state ({string.Join(", ", States)}, spelt exactly so)"
        : t.OldState is { } old && !States.Contains(old, StringComparer.Ordinal) ? $"previous state '{old}' is not a CloudWatch alarm state ({string.Join(", ", States)}, spelt exactly so)"
        : null;

    private static ParsedAlarmEvent Malformed(JsonException ex, string? delivery) =>
        new(null, $"malformed JSON at {ex.Path ?? "$"}: {ex.Message}", delivery);
}
