using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Failover.Core.Plans;
using Failover.Core.Runs;
using Failover.Testing;
using Failover.Core.Triggers;

namespace Failover.Core.Tests.Triggers;

/// <summary>
/// The execution input the trigger writes must pass the workflow's input checks (<see cref="StartRequestRules"/>) for
/// every alarm CloudWatch allows: a state reason of up to 1,023 characters (botocore cloudwatch 2010-08-01,
/// <c>StateReason</c> max 1023; SetAlarmState, API_SetAlarmState.html) and a name of up to 255 (<c>AlarmName</c>
/// max 255; PutMetricAlarm, API_PutMetricAlarm.html), in any script. Otherwise the trigger answers "started", the run
/// fails in Prepare at once and every redelivery finds that failed execution: no failover at all.
/// </summary>
public sealed class TriggerServiceInputTests
{
    private const int LongestStateReason = 1023;
    private const int LongestAlarmName = 255;

    private readonly ManualClock _clock = new(Samples.AlarmTime.AddSeconds(1));
    private readonly FakeAlarmStates _alarms = new();
    private readonly FakeStateMachine _machine;

    public TriggerServiceInputTests()
    {
        _machine = new FakeStateMachine(_clock);
    }

    public static TheoryData<string, string> StateReasons => new()
    {
        { "1,023 ASCII characters", new string('r', LongestStateReason) },
        { "300 KB", new string('x', 300 * 1024) },
        { "1,023 emoji (surrogate pairs)", string.Concat(Enumerable.Repeat("\U0001F525", LongestStateReason)) },
        { "1,023 letters with a combining accent", string.Concat(Enumerable.Repeat("e\u0301", LongestStateReason)) },
        { "1,023 CJK characters", new string('\u969C', LongestStateReason) },
        { "1,023 quotes, backslashes and line breaks", string.Concat(Enumerable.Repeat("\"\\\n\t<>&", 200))[..LongestStateReason] },
        { "a short reason", "Threshold Crossed" },
    };

    [Theory]
    [MemberData(nameof(StateReasons))]
    public async Task DecideAsync_WhenTheStateReasonIsAnyLegalLength_ShouldStartAnInputTheWorkflowAccepts(string kind, string stateReason)
    {
        // Arrange
        var plan = Plan(Samples.AlarmArn);
        _alarms.InAlarm(Samples.AlarmArn, Samples.AlarmTime);
        var evt = AlarmEventBuilder.OkToAlarm().WithStateReason(stateReason).Build();

        // Act
        var decision = await Service(plan).DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.True(decision.Decision == TriggerDecisions.Started, $"{kind}: {decision.Decision} ({decision.Reason})");
        AssertAcceptedByTheWorkflow(plan, kind, Samples.AlarmName, stateReason);
    }

    [Theory]
    [MemberData(nameof(StateReasons))]
    public async Task DecideAsync_WhenTheAlarmNameIsTheLongestAllowed_ShouldStartAnInputTheWorkflowAccepts(string kind, string stateReason)
    {
        // Arrange: 255 characters, not all of them ASCII.
        var name = ("orders-primary-outage-\u00FC\u00DF-" + new string('n', LongestAlarmName))[..LongestAlarmName];
        var arn = $"arn:aws:cloudwatch:{Samples.RecoveryRegion}:{Samples.AccountId}:alarm:{name}";
        var plan = Plan(arn);
        _alarms.InAlarm(arn, Samples.AlarmTime);
        var evt = AlarmEventBuilder.OkToAlarm().WithAlarm(arn).WithStateReason(stateReason).Build();

        // Act
        var decision = await Service(plan).DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.True(decision.Decision == TriggerDecisions.Started, $"{kind}: {decision.Decision} ({decision.Reason})");
        AssertAcceptedByTheWorkflow(plan, kind, name, stateReason);
    }

    [Theory]
    [MemberData(nameof(StateReasons))]
    public async Task DecideAsync_WhenAnSnsNotificationCarriesTheReason_ShouldStartAnInputTheWorkflowAccepts(string kind, string stateReason)
    {
        // Arrange
        var plan = Plan(Samples.AlarmArn);
        _alarms.InAlarm(Samples.AlarmArn, Samples.AlarmTime);
        var evt = SnsAlarmEventBuilder.OkToAlarm().WithMessage("NewStateReason", stateReason).Build();

        // Act
        var decision = await Service(plan).DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.True(decision.Decision == TriggerDecisions.Started, $"{kind}: {decision.Decision} ({decision.Reason})");
        AssertAcceptedByTheWorkflow(plan, kind, Samples.AlarmName, stateReason);
    }

    [Fact]
    public async Task DecideAsync_WhenTheReasonFits_ShouldCopyItWhole()
    {
        // Arrange: the prefix and the reason together are exactly as long as the workflow accepts.
        var prefix = $"alarm {Samples.AlarmName} entered ALARM: ";
        var stateReason = new string('r', StartRequestRules.MaxReasonLength - prefix.Length);
        var plan = Plan(Samples.AlarmArn);
        _alarms.InAlarm(Samples.AlarmArn, Samples.AlarmTime);

        // Act
        await Service(plan).DecideAsync(AlarmEventBuilder.OkToAlarm().WithStateReason(stateReason).Build(), CancellationToken.None);

        // Assert
        Assert.Equal(prefix + stateReason, StartedInput().Reason);
    }

    [Fact]
    public async Task DecideAsync_WhenTheStateReasonHoldsALoneSurrogate_ShouldRejectTheEventAndNeverThrow()
    {
        // Arrange: not something CloudWatch writes, but an escape JSON allows.
        var evt = AlarmEventBuilder.OkToAlarm().Build().Replace("[0.0 (", "[0.0 \\ud83d (", StringComparison.Ordinal);
        _alarms.InAlarm(Samples.AlarmArn, Samples.AlarmTime);

        // Act
        var decision = await Service(Plan(Samples.AlarmArn)).DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Rejected, decision.Decision);
        Assert.StartsWith("malformed JSON at $.detail.state.reason", decision.Reason, StringComparison.Ordinal);
        Assert.Empty(_machine.Calls);
    }

    private void AssertAcceptedByTheWorkflow(RecoveryPlan plan, string kind, string alarmName, string stateReason)
    {
        var call = Assert.Single(_machine.Calls);
        var input = StartedInput();
        Assert.True(StartRequestRules.Validate(plan, input).Count == 0, $"{kind}: {string.Join("; ", StartRequestRules.Validate(plan, input))}");
        Assert.True(Encoding.UTF8.GetByteCount(call.Input) < 16 * 1024, $"{kind}: the input is {Encoding.UTF8.GetByteCount(call.Input)} bytes");
        Assert.Equal((alarmName, Samples.AlarmTime), (input.Trigger!.AlarmName, input.Trigger.AlarmTime));

        // What is kept is what CloudWatch said or, when that is too long, its start, cut between characters and marked as cut.
        var full = $"alarm {alarmName} entered ALARM: {stateReason}";
        if (full.Length <= StartRequestRules.MaxReasonLength)
        {
            Assert.Equal(full, input.Reason);
            return;
        }

        Assert.True(input.Reason.Length <= StartRequestRules.MaxReasonLength, $"{kind}: reason is {input.Reason.Length} characters");
        Assert.EndsWith("\u2026", input.Reason, StringComparison.Ordinal);
        Assert.StartsWith(input.Reason[..^1], full, StringComparison.Ordinal);
        Assert.False(char.IsHighSurrogate(input.Reason[^2]), $"{kind}: the cut splits a surrogate pair");
        Assert.NotEqual('\u0301', full[input.Reason.Length - 1]);
    }

    private StartRequest StartedInput() =>
        JsonSerializer.Deserialize(Assert.Single(_machine.Calls).Input, FailoverJson.Default.StartRequest)!;

    private static RecoveryPlan Plan(string alarmArn) =>
        PlanBuilder.Sample().Change(p => p with { Trigger = p.Trigger with { AlarmArns = [alarmArn], SustainSeconds = 0, RequireApproval = false, CooldownMinutes = 60 } }).Build();

    private TriggerService Service(RecoveryPlan plan)
    {
        Assert.Empty(PlanValidator.Validate(plan));
        return new TriggerService(plan, _machine, _alarms, _machine, _clock, TimeSpan.FromSeconds(45));
    }
}
