using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Failover.Aws;
using Failover.Aws.Clients;
using Failover.Core;
using Failover.Core.Triggers;

namespace Failover.Local;

/// <summary>What one delivery to the Trigger function produced.</summary>
/// <param name="Decision">The decision; null when the function failed.</param>
/// <param name="FunctionError">The error type the function threw (as the Lambda runtime reports it); null on success.</param>
/// <param name="Payload">The function's raw reply.</param>
public sealed record TriggerDeliveryResult(TriggerDecision? Decision, string? FunctionError, string Payload);

/// <summary>
/// The trigger path of the local AWS: puts allow-listed alarms into a state, builds the events CloudWatch would
/// send (EventBridge and SNS), delivers them to the Trigger function through the gateway as a synchronous
/// Lambda Invoke, and counts the executions that exist.
/// </summary>
public sealed class TriggerDelivery(LocalAws aws, DeployedEnvironment environment, TimeProvider clock)
{
    private readonly AwsClients _recovery = aws.Clients(environment.Plan.RecoveryRegion, clock);

    /// <summary>Sets an alarm's state (its "since" becomes now) in the alarm's own region.</summary>
    public async Task SetAlarmStateAsync(string alarmArn, string state, CancellationToken cancellationToken)
    {
        var alarm = Arn.Parse(alarmArn);
        await aws.Clients(alarm.Region, clock).CloudWatch.SetAlarmStateAsync(alarm.ResourceName, state, $"set to {state} by the local trigger path", cancellationToken);
    }

    /// <summary>The alarm as DescribeAlarms reports it now.</summary>
    public async Task<MetricAlarm> DescribeAlarmAsync(string alarmArn, CancellationToken cancellationToken)
    {
        var alarm = Arn.Parse(alarmArn);
        return (await aws.Clients(alarm.Region, clock).CloudWatch.DescribeAlarmsAsync([alarm.ResourceName], cancellationToken)).Single();
    }

    /// <summary>
    /// When <paramref name="eventJson"/> names an allow-listed alarm, puts that alarm into the state the event
    /// claims, so the trigger's DescribeAlarms read agrees with the event. Returns whether it did.
    /// </summary>
    public async Task<bool> ApplyClaimedStateAsync(string eventJson, CancellationToken cancellationToken)
    {
        if (AlarmEventParser.Parse(eventJson).Transition is { AlarmArn: { } arn } transition
            && environment.Plan.Trigger.AlarmArns.Contains(arn, StringComparer.Ordinal)
            && transition.NewState is "OK" or "ALARM" or "INSUFFICIENT_DATA")
        {
            await SetAlarmStateAsync(arn, transition.NewState, cancellationToken);
            return true;
        }

        return false;
    }

    /// <summary>Invokes the Trigger function with <paramref name="eventJson"/> (RequestResponse) and reads its decision.</summary>
    public async Task<TriggerDeliveryResult> DeliverAsync(string eventJson, CancellationToken cancellationToken)
    {
        var reply = await _recovery.Lambda.InvokeAsync(environment.TriggerFunctionName, eventJson, "RequestResponse", cancellationToken);
        if (reply.FunctionError is not null)
        {
            var errorType = JsonNode.Parse(reply.Payload)?["errorType"]?.GetValue<string>() ?? reply.FunctionError;
            return new TriggerDeliveryResult(null, errorType, reply.Payload);
        }

        return new TriggerDeliveryResult(JsonSerializer.Deserialize(reply.Payload, FailoverJson.Default.TriggerDecision), null, reply.Payload);
    }

    /// <summary>Every execution of the deployed state machine, newest first.</summary>
    public Task<IReadOnlyList<DescribeExecutionResult>> ExecutionsAsync(CancellationToken cancellationToken) =>
        _recovery.StepFunctions.ListExecutionsAsync(environment.StateMachineArn, null, cancellationToken);

    /// <summary>The EventBridge "CloudWatch Alarm State Change" event for the alarm's current state, as CloudWatch sends it.</summary>
    public async Task<string> EventBridgeEventAsync(string alarmArn, string previousState, CancellationToken cancellationToken)
    {
        var alarm = await DescribeAlarmAsync(alarmArn, cancellationToken);
        return AlarmEvents.EventBridge(alarmArn, alarm.StateValue, previousState, alarm.StateUpdatedTimestamp ?? clock.GetUtcNow(), alarm.StateReason ?? "");
    }

    /// <summary>The same transition as an alarm notification published to SNS and delivered to Lambda.</summary>
    public async Task<string> SnsEventAsync(string alarmArn, string previousState, CancellationToken cancellationToken)
    {
        var alarm = await DescribeAlarmAsync(alarmArn, cancellationToken);
        return AlarmEvents.Sns(alarmArn, alarm.StateValue, previousState, alarm.StateUpdatedTimestamp ?? clock.GetUtcNow(), alarm.StateReason ?? "");
    }
}

/// <summary>Builds alarm events in the shapes CloudWatch delivers (aws-facts §9).</summary>
public static class AlarmEvents
{
    /// <summary>CloudWatch's timestamp form inside alarm events: "+0000" offset.</summary>
    public static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    /// <summary>The EventBridge event of a transition of <paramref name="alarmArn"/>.</summary>
    public static string EventBridge(string alarmArn, string state, string previousState, DateTimeOffset time, string reason)
    {
        var alarm = Arn.Parse(alarmArn);
        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = "CloudWatch Alarm State Change",
            ["source"] = "aws.cloudwatch",
            ["account"] = alarm.Account,
            ["time"] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["region"] = alarm.Region,
            ["resources"] = new JsonArray(alarmArn),
            ["detail"] = new JsonObject
            {
                ["alarmName"] = alarm.ResourceName,
                ["state"] = new JsonObject { ["value"] = state, ["reason"] = reason, ["timestamp"] = Stamp(time) },
                ["previousState"] = new JsonObject { ["value"] = previousState, ["reason"] = "", ["timestamp"] = Stamp(time.AddMinutes(-5)) },
                ["configuration"] = new JsonObject { ["description"] = "primary region outage" },
            },
        }.ToJsonString();
    }

    /// <summary>The SNS event (one record) carrying the alarm notification of the same transition.</summary>
    public static string Sns(string alarmArn, string state, string previousState, DateTimeOffset time, string reason)
    {
        var alarm = Arn.Parse(alarmArn);
        var topicArn = (alarm with { Service = "sns", Resource = "failover-alarms" }).ToString();
        var message = new JsonObject
        {
            ["AlarmName"] = alarm.ResourceName,
            ["AlarmDescription"] = null,
            ["AWSAccountId"] = alarm.Account,
            ["NewStateValue"] = state,
            ["NewStateReason"] = reason,
            ["StateChangeTime"] = Stamp(time),
            ["Region"] = alarm.Region,
            ["AlarmArn"] = alarmArn,
            ["OldStateValue"] = previousState,
            ["OKActions"] = new JsonArray(),
            ["AlarmActions"] = new JsonArray(topicArn),
            ["InsufficientDataActions"] = new JsonArray(),
        };
        return new JsonObject
        {
            ["Records"] = new JsonArray(new JsonObject
            {
                ["EventSource"] = "aws:sns",
                ["EventVersion"] = "1.0",
                ["EventSubscriptionArn"] = $"{topicArn}:{Guid.NewGuid()}",
                ["Sns"] = new JsonObject
                {
                    ["Type"] = "Notification",
                    ["MessageId"] = Guid.NewGuid().ToString(),
                    ["TopicArn"] = topicArn,
                    ["Subject"] = $"{state}: \"{alarm.ResourceName}\" in {alarm.Region}",
                    ["Message"] = message.ToJsonString(),
                    ["Timestamp"] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                    ["SignatureVersion"] = "1",
                    ["MessageAttributes"] = new JsonObject(),
                },
            }),
        }.ToJsonString();
    }
}
