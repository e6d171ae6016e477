using System.Globalization;
using System.Text.Json;
using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Runs;

namespace Failover.Core.Triggers;

/// <summary>
/// Decides whether an alarm event starts a failover, and starts it exactly once per decision window.
/// Rules, in order: account (for SNS, the topic's account too), allow-list, transition into ALARM, the alarm still in ALARM now (an event dated far ahead
/// of the clock or older than the cooldown is judged by CloudWatch's state and time alone), quorum,
/// sustain (waited for), no execution in flight, cooldown after the last failover; then StartExecution
/// with a name derived from the plan and the window in which the quorum was reached.
/// </summary>
public sealed class TriggerService
{
    private const int MaxSustainRounds = 5;

    private readonly RecoveryPlan _plan;
    private readonly TriggerPolicy _policy;
    private readonly IExecutionStarter _starter;
    private readonly IAlarmStates _alarms;
    private readonly IExecutionHistory _history;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _maxSustainWait;

    /// <summary>Checks the plan's trigger placement and that the sustain period fits the wait the host allows.</summary>
    /// <param name="maxSustainWait">The longest the trigger may wait for a sustain period within one invocation.</param>
    /// <exception cref="PlanInvalidException">An allow-listed alarm is outside the recovery region.</exception>
    /// <exception cref="InvalidOperationException">The plan's sustain period is longer than <paramref name="maxSustainWait"/>.</exception>
    public TriggerService(RecoveryPlan plan, IExecutionStarter starter, IAlarmStates alarms, IExecutionHistory history, TimeProvider clock, TimeSpan maxSustainWait)
    {
        var placement = PlanValidator.ValidateTriggerPlacement(plan);
        if (placement.Count > 0)
        {
            throw new PlanInvalidException(placement);
        }

        if (plan.Trigger.SustainSeconds > maxSustainWait.TotalSeconds)
        {
            throw new InvalidOperationException(
                $"trigger.sustainSeconds is {plan.Trigger.SustainSeconds} but the Trigger can wait at most {maxSustainWait.TotalSeconds:0} s within one invocation: " +
                "raise the Trigger function's timeout (and FUNCTION_TIMEOUT_SECONDS) or lower sustainSeconds.");
        }

        _plan = plan;
        _policy = plan.Trigger;
        _starter = starter;
        _alarms = alarms;
        _history = history;
        _clock = clock;
        _maxSustainWait = maxSustainWait;
    }

    /// <summary>
    /// Decides on an EventBridge alarm event or an SNS-wrapped alarm notification. Bad events are answered
    /// with a reason, never an exception; failures to read or start (throttling, 5xx) throw so the platform retries.
    /// </summary>
    public async Task<TriggerDecision> DecideAsync(string eventJson, CancellationToken cancellationToken)
    {
        var parsed = AlarmEventParser.Parse(eventJson);
        if (parsed.Transition is not { } t)
        {
            return Decide(TriggerDecisions.Rejected, parsed.Rejection ?? "unreadable event", parsed.Alarm, parsed.State, parsed.Delivery);
        }

        TriggerDecision Reject(string reason) => Decide(TriggerDecisions.Rejected, reason, t.AlarmArn ?? t.AlarmName, t.NewState, t.Delivery);
        TriggerDecision Ignore(string reason) => Decide(TriggerDecisions.Ignored, reason, t.AlarmArn ?? t.AlarmName, t.NewState, t.Delivery);

        if (t.AccountId != _policy.AccountId)
        {
            return Decide(TriggerDecisions.Rejected, $"event from account '{t.AccountId}', expected '{_policy.AccountId}'", t.AlarmName, t.NewState, t.Delivery);
        }

        if (t.Delivery == AlarmDeliveries.Sns && TopicAccount(t.TopicArn) != _policy.AccountId)
        {
            // Whoever may publish to a topic can write any notification: only the plan's own account's topics are believed.
            return Reject($"SNS topic '{t.TopicArn}' is not in the plan's account '{_policy.AccountId}'; alarm notifications are accepted only from the plan's account's topics");
        }

        if (t.AlarmArn is not { } alarmArn || !_policy.AlarmArns.Contains(alarmArn, StringComparer.Ordinal))
        {
            return Ignore($"alarm '{t.AlarmArn ?? t.AlarmName}' is not allow-listed in plan '{_plan.Name}'");
        }

        if (!Arn.TryParse(alarmArn, out var listed) || listed.ResourceName != t.AlarmName)
        {
            return Reject($"alarm name '{t.AlarmName}' does not match its ARN '{alarmArn}'");
        }

        var alarmRegion = listed.Region.Length > 0 ? listed.Region : null;
        if (t.Region != alarmRegion)
        {
            return Reject($"event region '{t.Region}' does not match the alarm's region '{alarmRegion}'");
        }

        if (t.NewState != AlarmStateValues.Alarm)
        {
            return Ignore($"state is {t.NewState}; only transitions into ALARM start a failover");
        }

        if (t.OldState == AlarmStateValues.Alarm)
        {
            return Ignore("alarm was already in ALARM; not a transition");
        }

        if (!TryParseAlarmTime(t.Timestamp, out var eventTime))
        {
            return Reject($"{(t.Delivery == AlarmDeliveries.Sns ? "StateChangeTime" : "detail.state.timestamp")} '{t.Timestamp}' is not a timestamp");
        }

        // The event's own time counts only near the trigger's clock, while DescribeAlarms may still lag a fresh transition;
        // otherwise a claimed time (2099, or long ago) would set the decision window and the RTO start: CloudWatch's decides.
        var untrusted = UntrustedTime(eventTime, _clock.GetUtcNow());
        DateTimeOffset? claimedTime = untrusted is null ? eventTime : null;

        // Quorum and sustain, from the alarms' states now; the sustain period is waited for, then read again. The recent
        // executions are read beside the states (the reads are independent, and on the day each call is time on the way to
        // the start), again in each round: a sustain wait makes the last read stale. A failed read of either throws.
        var cooldown = TimeSpan.FromMinutes(_policy.CooldownMinutes);
        AlarmStatus trigger;
        DateTimeOffset quorumSince;
        Task<IReadOnlyList<ExecutionRecord>> recentRead;
        var waited = TimeSpan.Zero;
        for (var round = 1; ; round++)
        {
            recentRead = _history.ListRecentAsync(_clock.GetUtcNow() - cooldown, cancellationToken);
            var statesRead = ReadStatesAsync(t, alarmArn, claimedTime, cancellationToken);
            await Task.WhenAll(recentRead, statesRead);
            if (await statesRead is not { } states)
            {
                return Reject(untrusted is null
                    ? $"DescribeAlarms does not know alarm {alarmArn}: an SNS notification is acted on only when CloudWatch confirms it"
                    : $"DescribeAlarms does not know alarm {alarmArn}: an event whose transition time {Stamp(eventTime)} is {untrusted} is acted on only when CloudWatch confirms it");
            }

            trigger = states.Single(s => s.AlarmArn == alarmArn);
            if (trigger.State != AlarmStateValues.Alarm)
            {
                return Ignore(untrusted is null
                    ? $"alarm {t.AlarmName} is {trigger.State} since {Stamp(trigger.Since)}: the transition {(round == 1 ? "in this event" : "waited on")} is over"
                    : $"alarm {t.AlarmName} is {trigger.State} since {Stamp(trigger.Since)}: the event's transition time {Stamp(eventTime)} is {untrusted}, so CloudWatch's state decides");
            }

            var inAlarm = states.Where(s => s.State == AlarmStateValues.Alarm).OrderBy(s => s.Since).ToList();
            var quorum = _policy.EffectiveQuorum;
            if (inAlarm.Count < quorum)
            {
                return Ignore($"quorum not met: {inAlarm.Count} of {_policy.AlarmArns.Count} listed alarms in ALARM, {quorum} required" +
                    (round == 1 ? "" : $" (after waiting {waited.TotalSeconds:0} s for the sustain period)"));
            }

            quorumSince = inAlarm[quorum - 1].Since;
            var now = _clock.GetUtcNow();
            var sustain = TimeSpan.FromSeconds(_policy.SustainSeconds);
            var heldSince = quorumSince < now ? quorumSince : now;
            if (sustain == TimeSpan.Zero || now - heldSince >= sustain)
            {
                break;
            }

            var wait = heldSince + sustain - now;
            if (round >= MaxSustainRounds || waited + wait > _maxSustainWait)
            {
                return Ignore($"sustain not met: quorum held {(now - heldSince).TotalSeconds:0} s of {_policy.SustainSeconds} s and the alarms keep changing; " +
                    $"the trigger waited {waited.TotalSeconds:0} s, at most {_maxSustainWait.TotalSeconds:0} s");
            }

            await Task.Delay(wait, _clock, cancellationToken);
            waited += wait;
        }

        var executionName = ExecutionName(quorumSince);
        var decidedAt = _clock.GetUtcNow();
        var recent = await recentRead;
        if (recent.FirstOrDefault(e => e.Name == executionName) is { } same)
        {
            return Started(executionName, $"execution for this decision window already exists ({same.Status})");
        }

        if (recent.FirstOrDefault(e => ExecutionStatuses.IsInFlight(e.Status)) is { } running)
        {
            return Ignore($"execution {running.Name} ({running.Mode ?? "unknown mode"}) is {running.Status}; no second start while one is in flight");
        }

        var last = recent
            .Where(e => !ExecutionStatuses.IsInFlight(e.Status) && e.Mode != RunModes.Drill)
            .Select(e => (Execution: e, Ended: e.StopDate ?? e.StartDate))
            .Where(e => e.Ended + cooldown > decidedAt)
            .OrderByDescending(e => e.Ended)
            .FirstOrDefault();
        if (last.Execution is { } previous)
        {
            return Ignore($"cooldown: {previous.Mode ?? "unknown-mode"} execution {previous.Name} ended {previous.Status} at {Stamp(last.Ended)}; " +
                $"automatic starts resume at {Stamp(last.Ended + cooldown)} (cooldownMinutes {_policy.CooldownMinutes}); a failback is never automatic");
        }

        var input = new StartRequest
        {
            Mode = RunModes.Failover,
            // The state reason is CloudWatch's text (up to 1,023 characters): fitted, so the workflow never refuses the input.
            Reason = StartRequestRules.FitReason($"alarm {t.AlarmName} entered ALARM: {t.Reason}"),
            Trigger = new TriggerInfo { AlarmArn = alarmArn, AlarmName = t.AlarmName, AlarmTime = trigger.Since },
            RequireApproval = _policy.RequireApproval,
        };
        var outcome = await _starter.StartAsync(executionName, JsonSerializer.Serialize(input, FailoverJson.Default.StartRequest), cancellationToken);
        return outcome == StartOutcome.Started
            ? Started(executionName, $"alarm entered ALARM; {_policy.EffectiveQuorum} of {_policy.AlarmArns.Count} listed alarms in ALARM" +
                (_policy.SustainSeconds > 0 ? $" for {_policy.SustainSeconds} s" : "") +
                (_policy.RequireApproval ? "; the run waits for approval" : ""))
            : Started(executionName, "execution for this decision window already exists");

        TriggerDecision Started(string name, string reason) => new()
        {
            Decision = TriggerDecisions.Started,
            Reason = reason,
            Alarm = alarmArn,
            State = t.NewState,
            ExecutionName = name,
            Delivery = t.Delivery,
        };
    }

    /// <summary>The deterministic execution name for an alarm time: plan plus the start of its decision window.</summary>
    public string ExecutionName(DateTimeOffset alarmTime)
    {
        var window = TimeSpan.FromMinutes(_policy.DecisionWindowMinutes);
        var utc = alarmTime.UtcDateTime;
        var windowStart = new DateTime(utc.Ticks - (utc.Ticks % window.Ticks), DateTimeKind.Utc);
        return $"{_plan.Name}-failover-{windowStart.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture)}";
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

    /// <summary>
    /// Why the event's transition time is not believed, or null when it is: more than eventClockSkewSeconds ahead of
    /// the trigger's clock, or older than the cooldown (by then DescribeAlarms has long caught up with any transition).
    /// </summary>
    private string? UntrustedTime(DateTimeOffset eventTime, DateTimeOffset now) =>
        eventTime > now + TimeSpan.FromSeconds(_policy.EventClockSkewSeconds)
            ? $"more than {_policy.EventClockSkewSeconds} s ahead of the trigger's clock (eventClockSkewSeconds)"
            : eventTime < now - TimeSpan.FromMinutes(_policy.CooldownMinutes)
                ? $"older than the cooldown of {_policy.CooldownMinutes} min"
                : null;

    /// <summary>
    /// Every listed alarm's state now. For the alarm of the event, the newer of the event's believed time
    /// (<paramref name="claimedTime"/>) and the read wins: a read that lags the event does not hide a fresh EventBridge
    /// transition. Without a believed time the read alone decides. An SNS notification (anyone allowed to publish to
    /// the topic can write one) must be confirmed by the read: when the read lags, the decision is retried; an alarm
    /// CloudWatch does not know is never confirmed (null), nor is an event whose time is not believed.
    /// </summary>
    private async Task<IReadOnlyList<AlarmStatus>?> ReadStatesAsync(AlarmTransition t, string alarmArn, DateTimeOffset? claimedTime, CancellationToken cancellationToken)
    {
        var read = (await _alarms.ReadAsync(_policy.AlarmArns, cancellationToken))
            .Where(s => _policy.AlarmArns.Contains(s.AlarmArn, StringComparer.Ordinal))
            .GroupBy(s => s.AlarmArn, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var current = read.GetValueOrDefault(alarmArn);
        AlarmStatus trigger;
        if (current is not null && (claimedTime is not { } claimed || current.Since >= claimed || current.State == AlarmStateValues.Alarm && t.Delivery == AlarmDeliveries.Sns))
        {
            trigger = current;
        }
        else if (claimedTime is { } eventTime && t.Delivery == AlarmDeliveries.EventBridge)
        {
            trigger = new AlarmStatus(alarmArn, t.AlarmName, AlarmStateValues.Alarm, eventTime);
        }
        else if (current is null)
        {
            return null;
        }
        else
        {
            // Only an SNS notification with a believed time newer than the read gets here.
            throw new AlarmStateNotConfirmedException(
                $"DescribeAlarms reports {alarmArn} {current.State} since {Stamp(current.Since)}, older than the notification's {Stamp(claimedTime.GetValueOrDefault())}: retry once CloudWatch has caught up");
        }

        read[alarmArn] = trigger;
        return [.. _policy.AlarmArns.Select(arn => read.GetValueOrDefault(arn) ?? new AlarmStatus(arn, Arn.TryParse(arn, out var allowed) ? allowed.ResourceName : arn, "MISSING", DateTimeOffset.MaxValue))];
    }

    // The account field of an SNS topic ARN (arn:aws:sns:region:account:name); null when it is not one.
    private static string? TopicAccount(string? topicArn) =>
        Arn.TryParse(topicArn, out var arn) && arn.Service == "sns" && !arn.Resource.Contains(':', StringComparison.Ordinal) ? arn.Account : null;

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static TriggerDecision Decide(string decision, string reason, string? alarm, string? state, string? delivery) =>
        new() { Decision = decision, Reason = reason, Alarm = alarm, State = state, Delivery = delivery };
}
