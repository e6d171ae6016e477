using Failover.Testing;
using Failover.Core.Triggers;

namespace Failover.Core.Tests.Triggers;

/// <summary>
/// Events the trigger must not believe, each refused with a reason: an SNS notification from a topic outside the plan's
/// account, a state CloudWatch does not spell that way, and a key given twice.
/// </summary>
public sealed class TriggerServiceEventTrustTests
{
    private readonly ManualClock _clock = new(Samples.AlarmTime.AddSeconds(1));
    private readonly FakeAlarmStates _alarms = new();
    private readonly FakeStateMachine _machine;

    public TriggerServiceEventTrustTests()
    {
        _machine = new FakeStateMachine(_clock);
        _alarms.InAlarm(Samples.AlarmArn, Samples.AlarmTime);
    }

    [Fact]
    public async Task DecideAsync_WhenTheSnsTopicIsInAnotherAccount_ShouldRejectNamingTheTopic()
    {
        // Arrange: the alarm message claims the plan's account; the topic it came through is someone else's.
        const string foreignTopic = "arn:aws:sns:us-west-2:210987654321:failover-alarms";
        var evt = SnsAlarmEventBuilder.OkToAlarm().WithSns("TopicArn", foreignTopic).Build();

        // Act
        var decision = await Service().DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Rejected, decision.Decision);
        Assert.Equal($"SNS topic '{foreignTopic}' is not in the plan's account '{Samples.AccountId}'; alarm notifications are accepted only from the plan's account's topics", decision.Reason);
        Assert.Empty(_machine.Calls);
    }

    [Fact]
    public async Task DecideAsync_WhenTheSnsRecordNamesNoTopic_ShouldReject()
    {
        // Arrange
        var evt = SnsAlarmEventBuilder.OkToAlarm().WithSns("TopicArn", null).Build();

        // Act
        var decision = await Service().DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Rejected, decision.Decision);
        Assert.StartsWith("SNS topic '' is not in the plan's account", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_WhenTheSnsTopicIsInThePlansAccount_ShouldStart()
    {
        // Arrange
        var evt = SnsAlarmEventBuilder.OkToAlarm().Build();

        // Act
        var decision = await Service().DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Started, decision.Decision);
    }

    [Theory]
    [InlineData("alarm")]
    [InlineData("Alarm")]
    [InlineData("ALARM ")]
    public async Task DecideAsync_WhenTheStateIsNotSpeltAsCloudWatchSpellsIt_ShouldRejectIt(string state)
    {
        // Arrange
        var evt = AlarmEventBuilder.OkToAlarm().WithState(state).Build();

        // Act
        var decision = await Service().DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Rejected, decision.Decision);
        Assert.Equal($"state '{state}' is not a CloudWatch alarm state (OK, ALARM, INSUFFICIENT_DATA, spelt exactly so)", decision.Reason);
    }

    [Fact]
    public async Task DecideAsync_WhenAnSnsPreviousStateIsLowerCase_ShouldRejectIt()
    {
        // Arrange
        var evt = SnsAlarmEventBuilder.OkToAlarm().WithMessage("OldStateValue", "ok").Build();

        // Act
        var decision = await Service().DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Rejected, decision.Decision);
        Assert.StartsWith("previous state 'ok' is not a CloudWatch alarm state", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_WhenTheEventGivesSourceTwice_ShouldRejectNamingTheKey()
    {
        // Arrange: one reader sees aws.cloudwatch, another the second value.
        var evt = AlarmEventBuilder.OkToAlarm().Build().Replace("\"source\":\"aws.cloudwatch\"", "\"source\":\"aws.cloudwatch\",\"source\":\"my.app\"", StringComparison.Ordinal);
        Assert.Contains("my.app", evt, StringComparison.Ordinal);

        // Act
        var decision = await Service().DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Rejected, decision.Decision);
        Assert.StartsWith("key 'source' is given twice ($.source (line 1, column ", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(AlarmDeliveries.EventBridge, decision.Delivery);
    }

    [Fact]
    public async Task DecideAsync_WhenTheSnsMessageGivesNewStateValueTwice_ShouldRejectNamingTheKey()
    {
        // Arrange
        var sns = SnsAlarmEventBuilder.OkToAlarm();
        var message = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.Nodes.JsonNode.Parse(sns.Build())!["Records"]![0]!["Sns"]!["Message"]!.GetValue<string>())!.ToJsonString()
            .Replace("\"NewStateValue\":\"ALARM\"", "\"NewStateValue\":\"OK\",\"NewStateValue\":\"ALARM\"", StringComparison.Ordinal);
        var evt = sns.BuildWithRawMessage(message);

        // Act
        var decision = await Service().DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Rejected, decision.Decision);
        Assert.StartsWith("in the SNS message, key 'NewStateValue' is given twice", decision.Reason, StringComparison.Ordinal);
    }

    private TriggerService Service() => new(
        PlanBuilder.Sample().Change(p => p with { Trigger = p.Trigger with { SustainSeconds = 0, RequireApproval = false, CooldownMinutes = 60 } }).Build(),
        _machine, _alarms, _machine, _clock, TimeSpan.FromSeconds(45));
}
