using System.Globalization;
using System.Text.Json;
using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Runs;

namespace Failover.Core.Triggers;

/// <summary>Decides whether an alarm event starts a failover, and starts it exactly once per decision window.</summary>
public sealed class TriggerService(RecoveryPlan plan, IExecutionStarter starter)
{
    private const string AlarmDetailType = "CloudWatch Alarm State Change";

    /// <summary>Decides on an EventBridge alarm event. Bad events are answered with a reason, never an exception;
    /// failures to start (throttling, 5xx) throw so the platform retries.</summary>
    public async Task<TriggerDecision> DecideAsync(string eventJson, CancellationToken cancellationToken)
    {
        AlarmStateChangeEvent? evt;
        try
        {
            evt = JsonSerializer.Deserialize(eventJson, FailoverJson.Default.AlarmStateChangeEvent);
        }
        catch (JsonException ex)
        {
            return Reject($"malformed JSON at {ex.Path ?? "$"}: {ex.Message}");
        }

        if (evt is null)
        {
            return Reject("event is null");
        }

        if (evt.Source != "aws.cloudwatch" || evt.DetailType != AlarmDetailType)
        {
            return Reject($"not a CloudWatch alarm state change (source '{evt.Source}', detail-type '{evt.DetailType}')");
        }

        if (evt.Detail?.State?.Value is not { } state || evt.Detail.AlarmName is not { } alarmName)
        {
            return Reject("detail.alarmName or detail.state.value is missing");
        }

        if (evt.Account != plan.Trigger.AccountId)
        {
            return Reject($"event from account '{evt.Account}', expected '{plan.Trigger.AccountId}'", alarmName, state);
        }

        if (evt.Resources?.Any(r => r is null) == true)
        {
            return Reject("resources holds a null entry", alarmName, state);
        }

        var alarmArn = evt.Resources?.FirstOrDefault(r => r.Contains(":alarm:", StringComparison.Ordinal));
        if (alarmArn is null || !plan.Trigger.AlarmArns.Contains(alarmArn, StringComparer.Ordinal))
        {
            return Ignore($"alarm '{alarmArn ?? alarmName}' is not allow-listed in plan '{plan.Name}'", alarmName, state);
        }

        if (state != "ALARM")
        {
            return Ignore($"state is {state}; only transitions into ALARM start a failover", alarmName, state);
        }

        if (evt.Detail.PreviousState?.Value == "ALARM")
        {
            return Ignore("alarm was already in ALARM; not a transition", alarmName, state);
        }

        if (!TryParseAlarmTime(evt.Detail.State.Timestamp, out var alarmTime))
        {
            return Reject($"detail.state.timestamp '{evt.Detail.State.Timestamp}' is not a timestamp", alarmName, state);
        }

        var executionName = ExecutionName(alarmTime);
        var input = new StartRequest
        {
            Mode = RunModes.Failover,
            Reason = $"alarm {alarmName} entered ALARM: {evt.Detail.State.Reason}",
            Trigger = new TriggerInfo { AlarmArn = alarmArn, AlarmName = alarmName, AlarmTime = alarmTime },
        };
        var outcome = await starter.StartAsync(executionName, JsonSerializer.Serialize(input, FailoverJson.Default.StartRequest), cancellationToken);
        return new TriggerDecision
        {
            Decision = TriggerDecisions.Started,
            Reason = outcome == StartOutcome.Started ? "alarm entered ALARM" : "execution for this decision window already exists",
            Alarm = alarmArn,
            State = state,
            ExecutionName = executionName,
        };
    }

    /// <summary>The deterministic execution name for an alarm time: plan plus the start of its decision window.</summary>
    public string ExecutionName(DateTimeOffset alarmTime)
    {
        var window = TimeSpan.FromMinutes(plan.Trigger.DecisionWindowMinutes);
        var utc = alarmTime.UtcDateTime;
        var windowStart = new DateTime(utc.Ticks - (utc.Ticks % window.Ticks), DateTimeKind.Utc);
        return $"{plan.Name}-failover-{windowStart.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture)}";
    }

    /// <summary>Parses CloudWatch's timestamps, which use "+0000" offsets rather than "Z" or "+00:00".</summary>
    public static bool TryParseAlarmTime(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var normalized = text.Length > 5 && text[^5] is '+' or '-' && text[^4..].All(char.IsAsciiDigit)
            ? string.Concat(text.AsSpan(0, text.Length - 2), ":", text.AsSpan(text.Length - 2))
            : text;
        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    private static TriggerDecision Reject(string reason, string? alarm = null, string? state = null) =>
        new() { Decision = TriggerDecisions.Rejected, Reason = reason, Alarm = alarm, State = state };

    private static TriggerDecision Ignore(string reason, string alarm, string state) =>
        new() { Decision = TriggerDecisions.Ignored, Reason = reason, Alarm = alarm, State = state };
}
