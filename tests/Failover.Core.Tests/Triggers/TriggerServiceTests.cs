using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Runs;
using Failover.Testing;
using Failover.Core.Triggers;

namespace Failover.Core.Tests.Triggers;

/// <summary>
/// The trigger's decision on one event. Unless a test says otherwise: the sample plan with sustain 0, no
/// approval, a 60-minute cooldown; the allow-listed alarm in ALARM since the event's time; the clock one
/// second after it; no execution exists.
/// </summary>
public sealed class TriggerServiceTests
{
    private const string SecondAlarm = "arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-primary-errors";
    private const string ThirdAlarm = "arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-primary-latency";

    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(45);

    private readonly ManualClock _clock = new(Samples.AlarmTime.AddSeconds(1));
    private readonly FakeAlarmStates _alarms = new();
    private readonly FakeStateMachine _machine;
    private readonly TriggerService _trigger;

    public TriggerServiceTests()
    {
        _machine = new FakeStateMachine(_clock);
        _alarms.InAlarm(Samples.AlarmArn, Samples.AlarmTime);
        _trigger = Service();
    }

    public static TheoryData<string, string> MalformedEvents => new()
    {
        { "empty string", "" },
        { "whitespace", "   \n\t " },
        { "JSON null", "null" },
        { "array", "[]" },
        { "string", "\"CloudWatch Alarm State Change\"" },
        { "number", "42" },
        { "truncated", AlarmEventBuilder.OkToAlarm().Build()[..150] },
        { "trailing garbage", AlarmEventBuilder.OkToAlarm().Build() + "}" },
        { "detail is a number", AlarmEventBuilder.OkToAlarm().With("detail", 5).Build() },
        { "detail is a string", AlarmEventBuilder.OkToAlarm().With("detail", "{}").Build() },
        { "resources is a string", AlarmEventBuilder.OkToAlarm().With("resources", Samples.AlarmArn).Build() },
        { "account is a number", AlarmEventBuilder.OkToAlarm().With("account", 123456789012).Build() },
        { "state is an array", AlarmEventBuilder.OkToAlarm().WithDetail("state", new JsonArray("ALARM")).Build() },
        { "state value is a boolean", AlarmEventBuilder.OkToAlarm().WithDetail("state", new JsonObject { ["value"] = true }).Build() },
        { "missing detail", AlarmEventBuilder.OkToAlarm().With("detail", null).Build() },
        { "missing state", AlarmEventBuilder.OkToAlarm().WithDetail("state", null).Build() },
        { "missing state value", AlarmEventBuilder.OkToAlarm().WithDetail("state", new JsonObject { ["timestamp"] = Samples.AlarmTimestamp }).Build() },
        { "missing alarm name", AlarmEventBuilder.OkToAlarm().WithDetail("alarmName", null).Build() },
        { "bad timestamp", AlarmEventBuilder.OkToAlarm().WithStateTimestamp("yesterday at noon").Build() },
        { "empty timestamp", AlarmEventBuilder.OkToAlarm().WithStateTimestamp("").Build() },
        { "missing source", AlarmEventBuilder.OkToAlarm().With("source", null).Build() },
        { "single quotes", "{'source':'aws.cloudwatch'}" },
        { "garbage", "\u0000\u0001\uFFFD\uFFFE garbage \u00ff\u00fe" },
        { "replacement characters (bytes that were not UTF-8)", Encoding.UTF8.GetString([0xC3, 0x28, 0xA0, 0xA1, 0xFF, 0x7B]) },
        { "huge nesting", new string('[', 10_000) + new string(']', 10_000) },
        { "huge nesting inside detail", AlarmEventBuilder.OkToAlarm().Build().Replace("\"configuration\":", "\"configuration\":" + new string('[', 5_000) + new string(']', 5_000) + ",\"x\":", StringComparison.Ordinal) },
        { "resources holds null", AlarmEventBuilder.OkToAlarm().With("resources", new JsonArray(null, Samples.AlarmArn)).Build() },
        { "alarm name differs from its ARN", AlarmEventBuilder.OkToAlarm().WithDetail("alarmName", "orders-other").Build() },
        { "region differs from the alarm's", AlarmEventBuilder.OkToAlarm().With("region", Samples.PrimaryRegion).Build() },
        { "SNS: Records is empty", "{\"Records\":[]}" },
        { "SNS: Records is null", "{\"Records\":null}" },
        { "SNS: Records is a string", "{\"Records\":\"x\"}" },
        { "SNS: two records", "{\"Records\":[" + SnsRecord() + "," + SnsRecord() + "]}" },
        { "SNS: record is null", "{\"Records\":[null]}" },
        { "SNS: not from SNS", SnsAlarmEventBuilder.OkToAlarm().WithRecord("EventSource", "aws:sqs").Build() },
        { "SNS: subscription confirmation", SnsAlarmEventBuilder.OkToAlarm().WithSns("Type", "SubscriptionConfirmation").Build() },
        { "SNS: message missing", SnsAlarmEventBuilder.OkToAlarm().BuildWithRawMessage(null) },
        { "SNS: message is not JSON", SnsAlarmEventBuilder.OkToAlarm().BuildWithRawMessage("Hello from SNS!") },
        { "SNS: message is a JSON object, not a string", SnsAlarmEventBuilder.OkToAlarm().BuildWithRawMessage(new JsonObject { ["AlarmName"] = Samples.AlarmName }) },
        { "SNS: message is not an alarm", SnsAlarmEventBuilder.OkToAlarm().BuildWithRawMessage("{\"default\":\"deploy finished\"}") },
        { "SNS: state is a number", SnsAlarmEventBuilder.OkToAlarm().WithMessage("NewStateValue", 3).Build() },
        { "SNS: bad StateChangeTime", SnsAlarmEventBuilder.OkToAlarm().WithMessage("StateChangeTime", "noon").Build() },
        { "SNS: no AlarmArn and no TopicArn", SnsAlarmEventBuilder.OkToAlarm().WithMessage("AlarmArn", null).WithSns("TopicArn", null).Build() },
    };

    [Fact]
    public async Task DecideAsync_WhenAllowListedAlarmEntersAlarm_ShouldStartTheWindowsExecution()
    {
        // Arrange
        var evt = AlarmEventBuilder.OkToAlarm().Build();

        // Act
        var decision = await _trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Started, decision.Decision);
        Assert.StartsWith("alarm entered ALARM; 1 of 1 listed alarms in ALARM", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(Samples.AlarmArn, decision.Alarm);
        Assert.Equal("ALARM", decision.State);
        Assert.Equal(AlarmDeliveries.EventBridge, decision.Delivery);
        Assert.Equal(Samples.ExecutionName, decision.ExecutionName);
        var call = Assert.Single(_machine.Calls);
        Assert.Equal(Samples.ExecutionName, call.Name);
    }

    [Fact]
    public async Task DecideAsync_WhenStarting_ShouldPassAFailoverRequestWithTheAlarm()
    {
        // Arrange
        var evt = AlarmEventBuilder.OkToAlarm().Build();

        // Act
        await _trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        var input = JsonSerializer.Deserialize(Assert.Single(_machine.Calls).Input, FailoverJson.Default.StartRequest)!;
        Assert.Equal(RunModes.Failover, input.Mode);
        Assert.StartsWith("alarm orders-primary-outage entered ALARM: Threshold Crossed", input.Reason, StringComparison.Ordinal);
        Assert.Equal(Samples.AlarmArn, input.Trigger!.AlarmArn);
        Assert.Equal(Samples.AlarmName, input.Trigger.AlarmName);
        Assert.Equal(Samples.AlarmTime, input.Trigger.AlarmTime);
        Assert.False(input.RequireApproval);
        Assert.False(input.AllowDataLoss);
    }

    [Fact]
    public async Task DecideAsync_WhenPolicyRequiresApproval_ShouldAskTheWorkflowToWaitForIt()
    {
        // Arrange
        var trigger = Service(p => p with { RequireApproval = true });

        // Act
        var decision = await trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Started, decision.Decision);
        Assert.EndsWith("the run waits for approval", decision.Reason, StringComparison.Ordinal);
        var input = JsonNode.Parse(Assert.Single(_machine.Calls).Input)!;
        Assert.True((bool)input["requireApproval"]!);
        Assert.Equal("failover", (string?)input["mode"]);
    }

    [Theory]
    [InlineData("2026-08-01T12:00:00.000+0000", "orders-failover-20260801T1200Z")]
    [InlineData("2026-08-01T12:14:59.999+0000", "orders-failover-20260801T1200Z")]
    [InlineData("2026-08-01T12:15:00.000+0000", "orders-failover-20260801T1215Z")]
    [InlineData("2026-08-01T23:59:59.999+0000", "orders-failover-20260801T2345Z")]
    [InlineData("2026-08-02T01:05:00.000+0200", "orders-failover-20260801T2300Z")]
    [InlineData("2026-07-31T19:50:00.000-0500", "orders-failover-20260801T0045Z")]
    public async Task DecideAsync_WhenAlarmTimeFallsInAWindow_ShouldNameTheExecutionAfterTheWindowStartInUtc(string timestamp, string expected)
    {
        // Arrange: CloudWatch reports the same transition as the event.
        TriggerService.TryParseAlarmTime(timestamp, out var time);
        _alarms.InAlarm(Samples.AlarmArn, time);
        var evt = AlarmEventBuilder.OkToAlarm().WithStateTimestamp(timestamp).Build();

        // Act
        var decision = await _trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(expected, decision.ExecutionName);
    }

    [Fact]
    public async Task DecideAsync_WhenTheSameEventArrivesTwice_ShouldStartOnceAndReportBothStarted()
    {
        // Arrange
        var evt = AlarmEventBuilder.OkToAlarm().Build();

        // Act
        var a = await _trigger.DecideAsync(evt, CancellationToken.None);
        var b = await _trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal([TriggerDecisions.Started, TriggerDecisions.Started], new[] { a.Decision, b.Decision });
        Assert.Equal(a.ExecutionName, b.ExecutionName);
        Assert.Equal("execution for this decision window already exists (RUNNING)", b.Reason);
        Assert.Single(_machine.Executions);
        Assert.Single(_machine.Calls);
    }

    [Fact]
    public async Task DecideAsync_WhenEventBridgeAndSnsDeliverTheSameTransition_ShouldStartOneExecutionWithOneName()
    {
        // Arrange
        var eventBridge = AlarmEventBuilder.OkToAlarm().Build();
        var sns = SnsAlarmEventBuilder.OkToAlarm().Build();

        // Act
        var viaSns = await _trigger.DecideAsync(sns, CancellationToken.None);
        var viaEventBridge = await _trigger.DecideAsync(eventBridge, CancellationToken.None);

        // Assert
        Assert.Equal((TriggerDecisions.Started, AlarmDeliveries.Sns), (viaSns.Decision, viaSns.Delivery));
        Assert.Equal((TriggerDecisions.Started, AlarmDeliveries.EventBridge), (viaEventBridge.Decision, viaEventBridge.Delivery));
        Assert.Equal(Samples.ExecutionName, viaSns.ExecutionName);
        Assert.Equal(Samples.ExecutionName, viaEventBridge.ExecutionName);
        Assert.Single(_machine.Executions);
    }

    [Fact]
    public async Task DecideAsync_WhenSnsAndEventBridgeRaceEachOther_ShouldStillStartOneExecution()
    {
        // Arrange: both read no execution yet; StartExecution's unique name decides.
        var first = new FakeStateMachine(_clock);
        var trigger = new TriggerService(Plan(p => p with { SustainSeconds = 0, RequireApproval = false, CooldownMinutes = 60 }), first, _alarms, new FakeStateMachine(_clock), _clock, Budget);

        // Act
        var decisions = await Task.WhenAll(
            trigger.DecideAsync(SnsAlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None),
            trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None));

        // Assert
        Assert.All(decisions, d => Assert.Equal(TriggerDecisions.Started, d.Decision));
        Assert.Single(first.Executions);
        Assert.Equal(2, first.Calls.Count);
        Assert.Contains(decisions, d => d.Reason == "execution for this decision window already exists");
    }

    [Fact]
    public async Task DecideAsync_WhenSnsNotificationArrives_ShouldStartWithTheSameRequestAsEventBridge()
    {
        // Arrange
        var sns = SnsAlarmEventBuilder.OkToAlarm().Build();

        // Act
        var decision = await _trigger.DecideAsync(sns, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Started, decision.Decision);
        Assert.Equal(Samples.AlarmArn, decision.Alarm);
        var input = JsonSerializer.Deserialize(Assert.Single(_machine.Calls).Input, FailoverJson.Default.StartRequest)!;
        Assert.Equal(RunModes.Failover, input.Mode);
        Assert.Equal(Samples.AlarmTime, input.Trigger!.AlarmTime);
        Assert.StartsWith("alarm orders-primary-outage entered ALARM: Threshold Crossed", input.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_WhenSnsNotificationHasNoAlarmArn_ShouldTakeItFromTheTopicsRegionAndAccount()
    {
        // Arrange: older alarms omit AlarmArn.
        var sns = SnsAlarmEventBuilder.OkToAlarm().WithMessage("AlarmArn", null).Build();

        // Act
        var decision = await _trigger.DecideAsync(sns, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Started, decision.Decision);
        Assert.Equal(Samples.AlarmArn, decision.Alarm);
    }

    [Fact]
    public async Task DecideAsync_WhenSnsNotificationIsNotConfirmedYet_ShouldThrowSoItIsDeliveredAgain()
    {
        // Arrange: DescribeAlarms still shows the state before the notification's transition.
        _alarms.Ok(Samples.AlarmArn, Samples.AlarmTime.AddMinutes(-20));

        // Act
        var ex = await Record.ExceptionAsync(() => _trigger.DecideAsync(SnsAlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None));

        // Assert
        Assert.IsType<AlarmStateNotConfirmedException>(ex);
        Assert.Empty(_machine.Calls);
    }

    [Fact]
    public async Task DecideAsync_WhenSnsNamesAnAlarmCloudWatchDoesNotKnow_ShouldRejectIt()
    {
        // Arrange: anyone allowed to publish to the topic can write a notification.
        _alarms.Remove(Samples.AlarmArn);

        // Act
        var decision = await _trigger.DecideAsync(SnsAlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Rejected, decision.Decision);
        Assert.Contains("only when CloudWatch confirms it", decision.Reason, StringComparison.Ordinal);
        Assert.Empty(_machine.Calls);
    }

    [Fact]
    public async Task DecideAsync_WhenEventBridgeIsNewerThanTheAlarmRead_ShouldTrustTheEvent()
    {
        // Arrange: the read lags the transition (aws.cloudwatch events come from CloudWatch itself).
        _alarms.Ok(Samples.AlarmArn, Samples.AlarmTime.AddMinutes(-20));

        // Act
        var decision = await _trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Started, decision.Decision);
        Assert.Equal(Samples.ExecutionName, decision.ExecutionName);
    }

    [Theory]
    [InlineData("OK")]
    [InlineData("INSUFFICIENT_DATA")]
    public async Task DecideAsync_WhenAlarmLeftAlarmSinceTheEvent_ShouldIgnoreTheStaleEvent(string state)
    {
        // Arrange: ALARM at the event's time, then back to OK before the event is decided (a flap or a late retry).
        _alarms.Set(Samples.AlarmArn, state, Samples.AlarmTime.AddSeconds(40));
        _clock.Advance(TimeSpan.FromMinutes(1));

        // Act
        var decision = await _trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, decision.Decision);
        Assert.Equal($"alarm orders-primary-outage is {state} since 2026-08-01T12:04:07Z: the transition in this event is over", decision.Reason);
        Assert.Empty(_machine.Calls);
    }

    [Fact]
    public async Task DecideAsync_WhenAlarmFlapsAlarmOkAlarmInOneWindow_ShouldKeepOneExecution()
    {
        // Arrange
        var first = AlarmEventBuilder.OkToAlarm().Build();
        var ok = AlarmEventBuilder.OkToAlarm().WithPreviousState("ALARM").WithState("OK").WithStateTime(Samples.AlarmTime.AddMinutes(2)).Build();
        var again = AlarmEventBuilder.OkToAlarm().WithStateTime(Samples.AlarmTime.AddMinutes(4)).Build();

        // Act
        var a = await _trigger.DecideAsync(first, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(2));
        _alarms.Ok(Samples.AlarmArn, Samples.AlarmTime.AddMinutes(2));
        var b = await _trigger.DecideAsync(ok, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(2));
        _alarms.InAlarm(Samples.AlarmArn, Samples.AlarmTime.AddMinutes(4));
        var c = await _trigger.DecideAsync(again, CancellationToken.None);

        // Assert
        Assert.Equal([TriggerDecisions.Started, TriggerDecisions.Ignored, TriggerDecisions.Started], new[] { a.Decision, b.Decision, c.Decision });
        Assert.Equal(a.ExecutionName, c.ExecutionName);
        Assert.Single(_machine.Executions);
    }

    [Fact]
    public async Task DecideAsync_WhenAlarmFlapsIntoTheNextWindowWhileTheRunIsInFlight_ShouldNotStartASecond()
    {
        // Arrange
        await _trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);
        var again = Samples.AlarmTime.AddMinutes(14);
        _clock.Advance(TimeSpan.FromMinutes(14));
        _alarms.InAlarm(Samples.AlarmArn, again);

        // Act
        var decision = await _trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().WithStateTime(again).Build(), CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, decision.Decision);
        Assert.Equal($"execution {Samples.ExecutionName} (failover) is RUNNING; no second start while one is in flight", decision.Reason);
        Assert.Single(_machine.Executions);
    }

    [Fact]
    public async Task DecideAsync_WhenAlarmFlapsAfterTheRunEndedWithinTheCooldown_ShouldIgnoreIt()
    {
        // Arrange
        await _trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(10));
        _machine.Finish(Samples.ExecutionName, ExecutionStatuses.Succeeded);
        _clock.Advance(TimeSpan.FromMinutes(10));
        var again = _clock.GetUtcNow().AddSeconds(-1);
        _alarms.InAlarm(Samples.AlarmArn, again);

        // Act
        var decision = await _trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().WithStateTime(again).Build(), CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, decision.Decision);
        Assert.Equal(
            $"cooldown: failover execution {Samples.ExecutionName} ended SUCCEEDED at 2026-08-01T12:13:28Z; automatic starts resume at 2026-08-01T13:13:28Z (cooldownMinutes 60); a failback is never automatic",
            decision.Reason);
        Assert.Single(_machine.Executions);
    }

    [Theory]
    [InlineData(ExecutionStatuses.Running)]
    [InlineData(ExecutionStatuses.PendingRedrive)]
    public async Task DecideAsync_WhenAnotherExecutionIsInFlight_ShouldIgnoreTheAlarm(string status)
    {
        // Arrange: an operator's drill is running.
        _machine.With("orders-drill-20260801T115000Z-manual", status, Samples.AlarmTime.AddMinutes(-13), null, RunModes.Drill);

        // Act
        var decision = await _trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, decision.Decision);
        Assert.Equal($"execution orders-drill-20260801T115000Z-manual (drill) is {status}; no second start while one is in flight", decision.Reason);
        Assert.Empty(_machine.Calls);
    }

    [Theory]
    [InlineData(RunModes.Failover, ExecutionStatuses.Succeeded)]
    [InlineData(RunModes.Failover, ExecutionStatuses.Failed)]
    [InlineData(RunModes.Failover, ExecutionStatuses.Aborted)]
    [InlineData(RunModes.Switchover, ExecutionStatuses.Succeeded)]
    [InlineData(null, ExecutionStatuses.TimedOut)]
    public async Task DecideAsync_WhenAFailoverEndedWithinTheCooldown_ShouldIgnoreTheAlarm(string? mode, string status)
    {
        // Arrange: any failover or switchover (or an input the history could not read) counts, whatever its outcome.
        _machine.With("orders-failover-20260801T103000Z-manual", status, Samples.AlarmTime.AddMinutes(-90), Samples.AlarmTime.AddMinutes(-59), mode);

        // Act
        var decision = await _trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, decision.Decision);
        Assert.StartsWith($"cooldown: {mode ?? "unknown-mode"} execution orders-failover-20260801T103000Z-manual ended {status} at 2026-08-01T11:04:27Z", decision.Reason, StringComparison.Ordinal);
        Assert.Empty(_machine.Calls);
    }

    [Fact]
    public async Task DecideAsync_WhenTheLastFailoverEndedBeforeTheCooldown_ShouldStart()
    {
        // Arrange
        _machine.With("orders-failover-20260801T100000Z-manual", ExecutionStatuses.Succeeded, Samples.AlarmTime.AddHours(-2), Samples.AlarmTime.AddMinutes(-61), RunModes.Failover);

        // Act
        var decision = await _trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Started, decision.Decision);
        Assert.Equal(2, _machine.Executions.Count);
    }

    [Fact]
    public async Task DecideAsync_WhenOnlyADrillEndedWithinTheCooldown_ShouldStart()
    {
        // Arrange: drills touch no production resource, so they do not hold automatic failovers back.
        _machine.With("orders-drill-20260801T115500Z-manual", ExecutionStatuses.Succeeded, Samples.AlarmTime.AddMinutes(-8), Samples.AlarmTime.AddMinutes(-1), RunModes.Drill);

        // Act
        var decision = await _trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Started, decision.Decision);
    }

    [Fact]
    public async Task DecideAsync_WhenTheWindowsExecutionEndedAlready_ShouldReportItStartedAndStartNothing()
    {
        // Arrange: a late retry of an event whose run has finished.
        _machine.With(Samples.ExecutionName, ExecutionStatuses.Succeeded, Samples.AlarmTime, Samples.AlarmTime.AddMinutes(1), RunModes.Failover);
        _clock.Advance(TimeSpan.FromMinutes(5));

        // Act
        var decision = await _trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Started, decision.Decision);
        Assert.Equal("execution for this decision window already exists (SUCCEEDED)", decision.Reason);
        Assert.Empty(_machine.Calls);
    }

    [Fact]
    public async Task DecideAsync_WhenQuorumIsNotMet_ShouldIgnoreAndSayHowManyAreInAlarm()
    {
        // Arrange
        var trigger = Service(p => p with { AlarmArns = [Samples.AlarmArn, SecondAlarm, ThirdAlarm], Quorum = 2 });
        _alarms.Ok(SecondAlarm, Samples.AlarmTime.AddDays(-1)).Set(ThirdAlarm, AlarmStateValues.InsufficientData, Samples.AlarmTime.AddDays(-1));

        // Act
        var decision = await trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, decision.Decision);
        Assert.Equal("quorum not met: 1 of 3 listed alarms in ALARM, 2 required", decision.Reason);
        Assert.Empty(_machine.Calls);
    }

    [Fact]
    public async Task DecideAsync_WhenAQuorumAlarmIsMissing_ShouldCountItAsNotInAlarm()
    {
        // Arrange: the third alarm was deleted.
        var trigger = Service(p => p with { AlarmArns = [Samples.AlarmArn, SecondAlarm, ThirdAlarm], Quorum = 3 });
        _alarms.InAlarm(SecondAlarm, Samples.AlarmTime);

        // Act
        var decision = await trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);

        // Assert
        Assert.Equal("quorum not met: 2 of 3 listed alarms in ALARM, 3 required", decision.Reason);
    }

    [Fact]
    public async Task DecideAsync_WhenQuorumIsUnset_ShouldRequireEveryListedAlarm()
    {
        // Arrange
        var trigger = Service(p => p with { AlarmArns = [Samples.AlarmArn, SecondAlarm], Quorum = null });
        _alarms.Ok(SecondAlarm, Samples.AlarmTime.AddDays(-1));

        // Act
        var decision = await trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);

        // Assert
        Assert.Equal("quorum not met: 1 of 2 listed alarms in ALARM, 2 required", decision.Reason);
    }

    [Fact]
    public async Task DecideAsync_WhenQuorumIsMetByDifferentAlarmsEvents_ShouldNameTheWindowWhereTheQuorumWasReached()
    {
        // Arrange: the second alarm entered ALARM at 12:16 (window 12:15); events of both alarms arrive.
        var trigger = Service(p => p with { AlarmArns = [Samples.AlarmArn, SecondAlarm], Quorum = 2 });
        var second = new DateTimeOffset(2026, 8, 1, 12, 16, 0, TimeSpan.Zero);
        _alarms.InAlarm(SecondAlarm, second);
        _clock.Advance(TimeSpan.FromMinutes(13));
        var secondEvent = AlarmEventBuilder.OkToAlarm().WithAlarm(SecondAlarm).WithStateTime(second).Build();
        var firstEventRetried = AlarmEventBuilder.OkToAlarm().Build();

        // Act
        var a = await trigger.DecideAsync(secondEvent, CancellationToken.None);
        var b = await trigger.DecideAsync(firstEventRetried, CancellationToken.None);

        // Assert
        Assert.Equal("orders-failover-20260801T1215Z", a.ExecutionName);
        Assert.Equal(a.ExecutionName, b.ExecutionName);
        Assert.Equal([TriggerDecisions.Started, TriggerDecisions.Started], new[] { a.Decision, b.Decision });
        Assert.Single(_machine.Executions);
    }

    [Fact]
    public async Task DecideAsync_WhenSustainHasAlreadyPassed_ShouldStartWithoutWaiting()
    {
        // Arrange
        var trigger = Service(p => p with { SustainSeconds = 40 });
        _clock.Advance(TimeSpan.FromSeconds(40));

        // Act
        var decision = await trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Started, decision.Decision);
        Assert.Contains("in ALARM for 40 s", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(1, _alarms.Reads);
        Assert.Equal(0, _clock.ActiveTimers);
    }

    [Fact]
    public async Task DecideAsync_WhenSustainHasNotPassed_ShouldWaitReadAgainAndStart()
    {
        // Arrange: in ALARM for 1 s of 30.
        var trigger = Service(p => p with { SustainSeconds = 30 });

        // Act
        var pending = trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);
        Assert.False(pending.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(28));
        Assert.False(pending.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var decision = await pending;

        // Assert
        Assert.Equal(TriggerDecisions.Started, decision.Decision);
        Assert.Equal(2, _alarms.Reads);
        Assert.Equal(Samples.ExecutionName, decision.ExecutionName);
    }

    [Fact]
    public async Task DecideAsync_WhenAlarmLeavesAlarmDuringTheSustainPeriod_ShouldIgnoreIt()
    {
        // Arrange
        var trigger = Service(p => p with { SustainSeconds = 30 });
        _alarms.BeforeRead = read =>
        {
            if (read == 2)
            {
                _alarms.Ok(Samples.AlarmArn, Samples.AlarmTime.AddSeconds(20));
            }
        };

        // Act
        var pending = trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(29));
        var decision = await pending;

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, decision.Decision);
        Assert.Equal("alarm orders-primary-outage is OK since 2026-08-01T12:03:47Z: the transition waited on is over", decision.Reason);
        Assert.Empty(_machine.Calls);
    }

    [Fact]
    public async Task DecideAsync_WhenTheQuorumKeepsChangingBeyondTheWaitBudget_ShouldIgnoreSayingSustainNotMet()
    {
        // Arrange: every read finds the second alarm freshly back in ALARM.
        var trigger = Service(p => p with { AlarmArns = [Samples.AlarmArn, SecondAlarm], Quorum = 2, SustainSeconds = 30 });
        _alarms.BeforeRead = _ => _alarms.InAlarm(SecondAlarm, _clock.GetUtcNow());

        // Act
        var pending = trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var decision = await pending;

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, decision.Decision);
        Assert.StartsWith("sustain not met: quorum held 0 s of 30 s", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("waited 30 s, at most 45 s", decision.Reason, StringComparison.Ordinal);
        Assert.Empty(_machine.Calls);
    }

    [Fact]
    public async Task DecideAsync_WhenCancelledWhileWaitingForSustain_ShouldThrowSoThePlatformRetries()
    {
        // Arrange
        var trigger = Service(p => p with { SustainSeconds = 30 });
        using var deadline = new CancellationTokenSource();

        // Act
        var pending = trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), deadline.Token);
        await deadline.CancelAsync();
        var ex = await Record.ExceptionAsync(() => pending);

        // Assert
        Assert.IsAssignableFrom<OperationCanceledException>(ex);
        Assert.Empty(_machine.Calls);
    }

    [Fact]
    public async Task DecideAsync_WhenDecisionWindowIsAnHour_ShouldNameTheHour()
    {
        // Arrange
        var trigger = Service(p => p with { DecisionWindowMinutes = 60 });
        _alarms.InAlarm(Samples.AlarmArn, new DateTimeOffset(2026, 8, 1, 12, 59, 59, TimeSpan.Zero));
        var evt = AlarmEventBuilder.OkToAlarm().WithStateTimestamp("2026-08-01T12:59:59.000+0000").Build();

        // Act
        var decision = await trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal("orders-failover-20260801T1200Z", decision.ExecutionName);
    }

    [Fact]
    public async Task DecideAsync_WhenStartFails_ShouldThrowSoThePlatformRetries()
    {
        // Arrange
        _machine.StartFailure = new SimulatedAwsException("ThrottlingException", "Rate exceeded");

        // Act
        var ex = await Record.ExceptionAsync(() => _trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None));

        // Assert
        Assert.IsType<SimulatedAwsException>(ex);
    }

    [Fact]
    public async Task DecideAsync_WhenReadingAlarmsFails_ShouldThrowSoThePlatformRetries()
    {
        // Arrange
        _alarms.Failure = new SimulatedAwsException("Throttling", "Rate exceeded");

        // Act
        var ex = await Record.ExceptionAsync(() => _trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None));

        // Assert
        Assert.IsType<SimulatedAwsException>(ex);
        Assert.Empty(_machine.Calls);
    }

    [Fact]
    public async Task DecideAsync_WhenReadingTheHistoryFails_ShouldThrowSoThePlatformRetries()
    {
        // Arrange
        _machine.HistoryFailure = new SimulatedAwsException("InternalFailure", "HTTP 500");

        // Act
        var ex = await Record.ExceptionAsync(() => _trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None));

        // Assert
        Assert.IsType<SimulatedAwsException>(ex);
        Assert.Empty(_machine.Calls);
    }

    [Fact]
    public async Task DecideAsync_WhenTheAlarmIsInAlarm_ShouldAskForTheRecentExecutionsBeforeTheAlarmStatesAnswer()
    {
        // Arrange: what the history was asked when the alarm read began (asked one after the other, it would be nothing).
        var historyReadsWhenAlarmsRead = new List<int>();
        _alarms.BeforeRead = _ => historyReadsWhenAlarmsRead.Add(_machine.HistoryReads);

        // Act
        var decision = await _trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Started, decision.Decision);
        Assert.Equal([1], historyReadsWhenAlarmsRead);
        Assert.Equal(1, _machine.HistoryReads);
    }

    [Theory]
    [InlineData("OK")]
    [InlineData("INSUFFICIENT_DATA")]
    public async Task DecideAsync_WhenAllowListedAlarmLeavesAlarm_ShouldIgnoreIt(string state)
    {
        // Arrange
        var evt = AlarmEventBuilder.OkToAlarm().WithPreviousState("ALARM").WithState(state).Build();

        // Act
        var decision = await _trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, decision.Decision);
        Assert.Equal(state, decision.State);
        Assert.Contains($"state is {state}", decision.Reason, StringComparison.Ordinal);
        Assert.Null(decision.ExecutionName);
        Assert.Empty(_machine.Calls);
        Assert.Equal(0, _alarms.Reads);
    }

    [Theory]
    [InlineData("OK")]
    [InlineData("INSUFFICIENT_DATA")]
    public async Task DecideAsync_WhenSnsNotificationLeavesAlarm_ShouldIgnoreIt(string state)
    {
        // Arrange
        var evt = SnsAlarmEventBuilder.OkToAlarm().WithMessage("OldStateValue", "ALARM").WithMessage("NewStateValue", state).Build();

        // Act
        var decision = await _trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal((TriggerDecisions.Ignored, state), (decision.Decision, decision.State));
        Assert.Empty(_machine.Calls);
    }

    [Fact]
    public async Task DecideAsync_WhenAlarmWasAlreadyInAlarm_ShouldIgnoreIt()
    {
        // Arrange
        var evt = AlarmEventBuilder.OkToAlarm().WithPreviousState("ALARM").Build();

        // Act
        var decision = await _trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, decision.Decision);
        Assert.Contains("not a transition", decision.Reason, StringComparison.Ordinal);
        Assert.Empty(_machine.Calls);
    }

    [Fact]
    public async Task DecideAsync_WhenAlarmComesFromInsufficientData_ShouldStart()
    {
        // Arrange
        var evt = AlarmEventBuilder.OkToAlarm().WithPreviousState("INSUFFICIENT_DATA").Build();

        // Act
        var decision = await _trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Started, decision.Decision);
    }

    [Fact]
    public async Task DecideAsync_WhenEventComesFromAnotherAccount_ShouldRejectIt()
    {
        // Arrange
        var evt = AlarmEventBuilder.OkToAlarm().WithAccount(Samples.ForeignAccountId).Build();

        // Act
        var decision = await _trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Rejected, decision.Decision);
        Assert.Contains($"'{Samples.ForeignAccountId}'", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(Samples.AlarmName, decision.Alarm);
        Assert.Empty(_machine.Calls);
    }

    [Fact]
    public async Task DecideAsync_WhenSnsNotificationComesFromAnotherAccount_ShouldRejectIt()
    {
        // Arrange
        var evt = SnsAlarmEventBuilder.OkToAlarm()
            .WithMessage("AWSAccountId", Samples.ForeignAccountId)
            .WithMessage("AlarmArn", $"arn:aws:cloudwatch:us-west-2:{Samples.ForeignAccountId}:alarm:orders-primary-outage")
            .Build();

        // Act
        var decision = await _trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal((TriggerDecisions.Rejected, AlarmDeliveries.Sns), (decision.Decision, decision.Delivery));
        Assert.Equal($"event from account '{Samples.ForeignAccountId}', expected '{Samples.AccountId}'", decision.Reason);
        Assert.Empty(_machine.Calls);
    }

    [Theory]
    [InlineData("arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-primary-outage-2")]
    [InlineData("arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-primary-outage")]
    [InlineData("arn:aws:cloudwatch:us-west-2:123456789012:alarm:ORDERS-PRIMARY-OUTAGE")]
    public async Task DecideAsync_WhenAlarmIsNotAllowListed_ShouldIgnoreIt(string alarmArn)
    {
        // Arrange
        var evt = AlarmEventBuilder.OkToAlarm().WithAlarm(alarmArn).Build();

        // Act
        var decision = await _trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, decision.Decision);
        Assert.Contains("not allow-listed", decision.Reason, StringComparison.Ordinal);
        Assert.Contains(alarmArn, decision.Reason, StringComparison.Ordinal);
        Assert.Empty(_machine.Calls);
        Assert.Equal(0, _alarms.Reads);
    }

    [Fact]
    public async Task DecideAsync_WhenOnlyTheAlarmNameMatches_ShouldIgnoreIt()
    {
        // Arrange: same name, no resources: the ARN is what is allow-listed.
        var evt = AlarmEventBuilder.OkToAlarm().With("resources", new JsonArray()).Build();

        // Act
        var decision = await _trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, decision.Decision);
        Assert.Empty(_machine.Calls);
    }

    [Theory]
    [InlineData("aws.events", "CloudWatch Alarm State Change")]
    [InlineData("custom.cloudwatch", "CloudWatch Alarm State Change")]
    [InlineData("aws.cloudwatch", "CloudWatch Alarm Configuration Change")]
    [InlineData("AWS.CLOUDWATCH", "CloudWatch Alarm State Change")]
    public async Task DecideAsync_WhenSourceOrDetailTypeIsWrong_ShouldRejectIt(string source, string detailType)
    {
        // Arrange
        var evt = AlarmEventBuilder.OkToAlarm().WithSource(source).WithDetailType(detailType).Build();

        // Act
        var decision = await _trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Rejected, decision.Decision);
        Assert.Contains("not a CloudWatch alarm state change", decision.Reason, StringComparison.Ordinal);
        Assert.Empty(_machine.Calls);
    }

    [Theory]
    [MemberData(nameof(MalformedEvents))]
    public async Task DecideAsync_WhenEventIsMalformed_ShouldRejectWithAReasonAndNeverThrow(string kind, string evt)
    {
        // Act
        var ex = await Record.ExceptionAsync(async () =>
        {
            var decision = await _trigger.DecideAsync(evt, CancellationToken.None);

            // Assert
            Assert.True(decision.Decision == TriggerDecisions.Rejected, $"{kind}: {decision.Decision} ({decision.Reason})");
            Assert.False(string.IsNullOrWhiteSpace(decision.Reason), kind);
            Assert.Null(decision.ExecutionName);
        });

        // Assert
        Assert.True(ex is null, $"{kind}: {ex}");
        Assert.Empty(_machine.Calls);
    }

    [Fact]
    public async Task DecideAsync_WhenJsonIsMalformed_ShouldSayWhere()
    {
        // Arrange
        var evt = AlarmEventBuilder.OkToAlarm().With("detail", 5).Build();

        // Act
        var decision = await _trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.StartsWith("malformed JSON at $.detail", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_WhenSnsMessageIsMalformed_ShouldSayItIsNotAnAlarmNotification()
    {
        // Arrange
        var evt = SnsAlarmEventBuilder.OkToAlarm().BuildWithRawMessage("{\"AlarmName\":");

        // Act
        var decision = await _trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal((TriggerDecisions.Rejected, AlarmDeliveries.Sns), (decision.Decision, decision.Delivery));
        Assert.StartsWith("SNS message is not a CloudWatch alarm notification: malformed JSON", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_WhenEventHasExtraMembers_ShouldIgnoreThem()
    {
        // Arrange
        var evt = AlarmEventBuilder.OkToAlarm()
            .WithDetail("alarmTags", new JsonObject { ["team"] = "orders" })
            .WithDetail("alarmTagsStatus", "Complete")
            .With("replay-name", "replay-1")
            .Build();

        // Act
        var decision = await _trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Started, decision.Decision);
    }

    [Fact]
    public void ExecutionName_WhenPlanNameIsTheLongestAllowed_ShouldFitStepFunctionsLimit()
    {
        // Arrange
        var trigger = new TriggerService(PlanBuilder.Sample().WithName(new string('p', 40)).Build(), _machine, _alarms, _machine, _clock, Budget);

        // Act
        var name = trigger.ExecutionName(Samples.AlarmTime);

        // Assert
        Assert.True(name.Length <= 80, name);
        Assert.Matches("^[A-Za-z0-9-]+$", name);
    }

    [Fact]
    public void Constructor_WhenAnAlarmIsOutsideTheRecoveryRegion_ShouldRefuseThePlan()
    {
        // Arrange: an alarm in the primary region fails with the region it reports on.
        var plan = Plan(p => p with { AlarmArns = [Samples.AlarmArn, "arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-primary-outage"] });

        // Act
        var ex = Assert.Throws<PlanInvalidException>(() => new TriggerService(plan, _machine, _alarms, _machine, _clock, Budget));

        // Assert
        var error = Assert.Single(ex.Errors);
        Assert.Equal("$.trigger.alarmArns[1]", error.Path);
        Assert.Contains("recovery region us-west-2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_WhenSustainIsLongerThanTheHostCanWait_ShouldSaySoAtStartUp()
    {
        // Arrange
        var plan = Plan(p => p with { SustainSeconds = 46 });

        // Act
        var ex = Assert.Throws<InvalidOperationException>(() => new TriggerService(plan, _machine, _alarms, _machine, _clock, Budget));

        // Assert
        Assert.Contains("sustainSeconds is 46 but the Trigger can wait at most 45 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_WhenThePolicyIsTheDefault_ShouldRequireEveryAlarmWaitThirtySecondsAndAskForApproval()
    {
        // Arrange
        var trigger = new TriggerService(PlanBuilder.Sample().Build(), _machine, _alarms, _machine, _clock, Budget);

        // Act
        var pending = trigger.DecideAsync(AlarmEventBuilder.OkToAlarm().Build(), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(29));
        var decision = await pending;

        // Assert
        Assert.Equal("alarm entered ALARM; 1 of 1 listed alarms in ALARM for 30 s; the run waits for approval", decision.Reason);
        Assert.True(JsonSerializer.Deserialize(Assert.Single(_machine.Calls).Input, FailoverJson.Default.StartRequest)!.RequireApproval);
    }

    private static RecoveryPlan Plan(Func<TriggerPolicy, TriggerPolicy> policy) =>
        PlanBuilder.Sample().Change(p => p with { Trigger = policy(p.Trigger) }).Build();

    private static string SnsRecord() => JsonNode.Parse(SnsAlarmEventBuilder.OkToAlarm().Build())!["Records"]![0]!.ToJsonString();

    private TriggerService Service(Func<TriggerPolicy, TriggerPolicy>? change = null) => new(
        Plan(p => (change ?? (x => x))(p with { SustainSeconds = 0, RequireApproval = false, CooldownMinutes = 60 })),
        _machine, _alarms, _machine, _clock, Budget);
}
