using System.Globalization;
using System.Text.Json;
using Failover.Core.Plans;
using Failover.Core.Runs;
using Failover.Testing;
using Failover.Core.Triggers;

namespace Failover.Core.Tests.Triggers;

/// <summary>
/// The transition time an event claims is believed only near the trigger's clock: an event dated far ahead (2099) or
/// older than the cooldown is judged by what CloudWatch's DescribeAlarms reports (the state and its
/// StateUpdatedTimestamp), for EventBridge and SNS alike, and the execution name's window comes from CloudWatch's time.
/// The sample plan with sustain 0, no approval and a 60-minute cooldown; the clock one second after
/// <see cref="Samples.AlarmTime"/>.
/// </summary>
public sealed class TriggerServiceEventTimeTests
{
    private static readonly DateTimeOffset FarFuture = new(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset FarPast = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ManualClock _clock = new(Samples.AlarmTime.AddSeconds(1));
    private readonly FakeAlarmStates _alarms = new();
    private readonly FakeStateMachine _machine;

    public TriggerServiceEventTimeTests()
    {
        _machine = new FakeStateMachine(_clock);
    }

    public static TheoryData<string> Deliveries => [AlarmDeliveries.EventBridge, AlarmDeliveries.Sns];

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task DecideAsync_WhenTheEventIsDatedFarInTheFutureAndCloudWatchSaysOk_ShouldIgnoreIt(string delivery)
    {
        // Arrange
        _alarms.Ok(Samples.AlarmArn, Samples.AlarmTime.AddMinutes(-20));

        // Act
        var decision = await Service().DecideAsync(Event(delivery, FarFuture), CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, decision.Decision);
        Assert.Equal(
            "alarm orders-primary-outage is OK since 2026-08-01T11:43:27Z: the event's transition time 2099-01-01T00:00:00Z is more than 300 s " +
            "ahead of the trigger's clock (eventClockSkewSeconds), so CloudWatch's state decides",
            decision.Reason);
        Assert.Empty(_machine.Calls);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task DecideAsync_WhenTheEventIsDatedFarInTheFutureAndCloudWatchSaysAlarm_ShouldNameTheWindowFromCloudWatchsTime(string delivery)
    {
        // Arrange
        _alarms.InAlarm(Samples.AlarmArn, Samples.AlarmTime);

        // Act
        var decision = await Service().DecideAsync(Event(delivery, FarFuture), CancellationToken.None);

        // Assert
        Assert.Equal((TriggerDecisions.Started, Samples.ExecutionName), (decision.Decision, decision.ExecutionName));
        Assert.Equal(Samples.AlarmTime, StartedInput().Trigger!.AlarmTime);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task DecideAsync_WhenTheEventIsDatedLongAgoAndCloudWatchSaysOkSinceEvenEarlier_ShouldIgnoreIt(string delivery)
    {
        // Arrange: a replayed or forged event whose claimed time is after CloudWatch's last change.
        _alarms.Ok(Samples.AlarmArn, FarPast.AddDays(-1));

        // Act
        var decision = await Service().DecideAsync(Event(delivery, FarPast), CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, decision.Decision);
        Assert.Equal(
            "alarm orders-primary-outage is OK since 2019-12-31T00:00:00Z: the event's transition time 2020-01-01T00:00:00Z is older than " +
            "the cooldown of 60 min, so CloudWatch's state decides",
            decision.Reason);
        Assert.Empty(_machine.Calls);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task DecideAsync_WhenTheEventIsDatedLongAgoAndCloudWatchSaysAlarm_ShouldNameTheWindowFromCloudWatchsTime(string delivery)
    {
        // Arrange: CloudWatch's ALARM began before the time the event claims.
        var since = FarPast.AddHours(-3);
        _alarms.InAlarm(Samples.AlarmArn, since);

        // Act
        var decision = await Service().DecideAsync(Event(delivery, FarPast), CancellationToken.None);

        // Assert
        Assert.Equal((TriggerDecisions.Started, "orders-failover-20191231T2100Z"), (decision.Decision, decision.ExecutionName));
        Assert.Equal(since, StartedInput().Trigger!.AlarmTime);
    }

    [Fact]
    public async Task DecideAsync_WhenAFarFutureEventNamesAnAlarmCloudWatchDoesNotKnow_ShouldRejectIt()
    {
        // Arrange
        _alarms.Remove(Samples.AlarmArn);

        // Act
        var decision = await Service().DecideAsync(Event(AlarmDeliveries.EventBridge, FarFuture), CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Rejected, decision.Decision);
        Assert.Equal(
            $"DescribeAlarms does not know alarm {Samples.AlarmArn}: an event whose transition time 2099-01-01T00:00:00Z is more than 300 s " +
            "ahead of the trigger's clock (eventClockSkewSeconds) is acted on only when CloudWatch confirms it",
            decision.Reason);
        Assert.Empty(_machine.Calls);
    }

    [Theory]
    [InlineData(299, TriggerDecisions.Started)]
    [InlineData(300, TriggerDecisions.Started)]
    [InlineData(301, TriggerDecisions.Ignored)]
    public async Task DecideAsync_WhenTheEventIsAheadOfTheClockAndTheReadLags_ShouldBelieveItWithinFiveMinutes(int secondsAhead, string expected)
    {
        // Arrange: DescribeAlarms has not caught up with the EventBridge event yet.
        _alarms.Ok(Samples.AlarmArn, Samples.AlarmTime.AddMinutes(-20));

        // Act
        var decision = await Service().DecideAsync(Event(AlarmDeliveries.EventBridge, _clock.GetUtcNow().AddSeconds(secondsAhead)), CancellationToken.None);

        // Assert
        Assert.True(expected == decision.Decision, decision.Reason);
    }

    [Theory]
    [InlineData(59, TriggerDecisions.Started)]
    [InlineData(61, TriggerDecisions.Ignored)]
    public async Task DecideAsync_WhenTheEventIsOlderThanTheClockAndTheReadLags_ShouldBelieveItWithinTheCooldown(int minutesAgo, string expected)
    {
        // Arrange
        _alarms.Ok(Samples.AlarmArn, _clock.GetUtcNow().AddMinutes(-90));

        // Act
        var decision = await Service().DecideAsync(Event(AlarmDeliveries.EventBridge, _clock.GetUtcNow().AddMinutes(-minutesAgo)), CancellationToken.None);

        // Assert
        Assert.True(expected == decision.Decision, decision.Reason);
    }

    [Fact]
    public async Task DecideAsync_WhenThePlanAllowsNoClockSkew_ShouldJudgeAnyEventAheadOfTheClockByCloudWatch()
    {
        // Arrange
        _alarms.Ok(Samples.AlarmArn, Samples.AlarmTime.AddMinutes(-20));
        var trigger = Service(p => p with { EventClockSkewSeconds = 0 });

        // Act
        var decision = await trigger.DecideAsync(Event(AlarmDeliveries.EventBridge, _clock.GetUtcNow().AddSeconds(1)), CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, decision.Decision);
        Assert.EndsWith("is more than 0 s ahead of the trigger's clock (eventClockSkewSeconds), so CloudWatch's state decides", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_WhenAFarFutureEventArrivesDuringTheSustainPeriod_ShouldWaitFromCloudWatchsTime()
    {
        // Arrange: CloudWatch has the alarm in ALARM for 10 s of the 30 s the plan asks for.
        _alarms.InAlarm(Samples.AlarmArn, _clock.GetUtcNow().AddSeconds(-10));
        var trigger = Service(p => p with { SustainSeconds = 30 });

        // Act
        var pending = trigger.DecideAsync(Event(AlarmDeliveries.EventBridge, FarFuture), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(20));
        var decision = await pending;

        // Assert
        Assert.Equal((TriggerDecisions.Started, Samples.ExecutionName), (decision.Decision, decision.ExecutionName));
        Assert.Equal(2, _alarms.Reads);
    }

    private static string Event(string delivery, DateTimeOffset time)
    {
        var text = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);
        return delivery == AlarmDeliveries.Sns
            ? SnsAlarmEventBuilder.OkToAlarm().WithMessage("StateChangeTime", text).Build()
            : AlarmEventBuilder.OkToAlarm().WithStateTimestamp(text).Build();
    }

    private StartRequest StartedInput() =>
        JsonSerializer.Deserialize(Assert.Single(_machine.Calls).Input, FailoverJson.Default.StartRequest)!;

    private TriggerService Service(Func<TriggerPolicy, TriggerPolicy>? change = null) => new(
        PlanBuilder.Sample().Change(p => p with { Trigger = (change ?? (x => x))(p.Trigger with { SustainSeconds = 0, RequireApproval = false, CooldownMinutes = 60 }) }).Build(),
        _machine, _alarms, _machine, _clock, TimeSpan.FromSeconds(45));
}
