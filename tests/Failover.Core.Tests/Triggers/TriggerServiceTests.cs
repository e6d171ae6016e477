using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Failover.Core.Runs;
using Failover.Core.Tests.Support;
using Failover.Core.Triggers;

namespace Failover.Core.Tests.Triggers;

public sealed class TriggerServiceTests
{
    private readonly FakeExecutionStarter _starter = new();
    private readonly TriggerService _trigger;

    public TriggerServiceTests() => _trigger = new TriggerService(PlanBuilder.Sample().Build(), _starter);

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
        // Bug: TriggerService.cs line 48 calls r.Contains on each resource without a null check (NullReferenceException).
        { "resources holds null", AlarmEventBuilder.OkToAlarm().With("resources", new JsonArray(null, Samples.AlarmArn)).Build() },
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
        Assert.Equal("alarm entered ALARM", decision.Reason);
        Assert.Equal(Samples.AlarmArn, decision.Alarm);
        Assert.Equal("ALARM", decision.State);
        Assert.Equal(Samples.ExecutionName, decision.ExecutionName);
        var call = Assert.Single(_starter.Calls);
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
        var input = JsonSerializer.Deserialize(Assert.Single(_starter.Calls).Input, FailoverJson.Default.StartRequest)!;
        Assert.Equal(RunModes.Failover, input.Mode);
        Assert.StartsWith("alarm orders-primary-outage entered ALARM: Threshold Crossed", input.Reason, StringComparison.Ordinal);
        Assert.Equal(Samples.AlarmArn, input.Trigger!.AlarmArn);
        Assert.Equal(Samples.AlarmName, input.Trigger.AlarmName);
        Assert.Equal(Samples.AlarmTime, input.Trigger.AlarmTime);
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
        // Arrange
        var evt = AlarmEventBuilder.OkToAlarm().WithStateTimestamp(timestamp).Build();

        // Act
        var decision = await _trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(expected, decision.ExecutionName);
    }

    [Fact]
    public async Task DecideAsync_WhenTwoEventsFallInTheSameWindow_ShouldUseOneNameAndReportBothStarted()
    {
        // Arrange
        var first = AlarmEventBuilder.OkToAlarm().WithStateTimestamp("2026-08-01T12:01:00.000+0000").Build();
        var second = AlarmEventBuilder.OkToAlarm().WithPreviousState("INSUFFICIENT_DATA").WithStateTimestamp("2026-08-01T12:13:00.000+0000").Build();

        // Act
        var a = await _trigger.DecideAsync(first, CancellationToken.None);
        var b = await _trigger.DecideAsync(second, CancellationToken.None);

        // Assert
        Assert.Equal(a.ExecutionName, b.ExecutionName);
        Assert.Equal([TriggerDecisions.Started, TriggerDecisions.Started], new[] { a.Decision, b.Decision });
        Assert.Equal("execution for this decision window already exists", b.Reason);
        Assert.Single(_starter.Executions);
        Assert.Equal(2, _starter.Calls.Count);
    }

    [Fact]
    public async Task DecideAsync_WhenStarterReportsAlreadyExists_ShouldStillReportStarted()
    {
        // Arrange
        _starter.WithExisting(Samples.ExecutionName);
        var evt = AlarmEventBuilder.OkToAlarm().Build();

        // Act
        var decision = await _trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Started, decision.Decision);
        Assert.Equal(Samples.ExecutionName, decision.ExecutionName);
        Assert.Contains("already exists", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_WhenDecisionWindowIsAnHour_ShouldNameTheHour()
    {
        // Arrange
        var trigger = new TriggerService(PlanBuilder.Sample().WithTrigger(decisionWindowMinutes: 60).Build(), _starter);
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
        _starter.Failure = new SimulatedAwsException("ThrottlingException", "Rate exceeded");
        var evt = AlarmEventBuilder.OkToAlarm().Build();

        // Act
        var ex = await Record.ExceptionAsync(() => _trigger.DecideAsync(evt, CancellationToken.None));

        // Assert
        Assert.IsType<SimulatedAwsException>(ex);
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
        Assert.Empty(_starter.Calls);
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
        Assert.Empty(_starter.Calls);
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
        Assert.Empty(_starter.Calls);
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
        Assert.Empty(_starter.Calls);
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
        Assert.Empty(_starter.Calls);
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
        Assert.Empty(_starter.Calls);
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
        Assert.Empty(_starter.Calls);
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
    public async Task DecideAsync_WhenEventIsAnSnsAlarmNotification_ShouldRejectItAsNotFromCloudWatch()
    {
        // Arrange
        var message = new JsonObject
        {
            ["AlarmName"] = Samples.AlarmName,
            ["AWSAccountId"] = Samples.AccountId,
            ["NewStateValue"] = "ALARM",
            ["OldStateValue"] = "OK",
            ["StateChangeTime"] = Samples.AlarmTimestamp,
            ["AlarmArn"] = Samples.AlarmArn,
        };
        var evt = new JsonObject
        {
            ["Records"] = new JsonArray(new JsonObject
            {
                ["EventSource"] = "aws:sns",
                ["Sns"] = new JsonObject { ["Type"] = "Notification", ["Message"] = message.ToJsonString() },
            }),
        }.ToJsonString();

        // Act
        var decision = await _trigger.DecideAsync(evt, CancellationToken.None);

        // Assert
        Assert.Equal(TriggerDecisions.Rejected, decision.Decision);
        Assert.Contains("not a CloudWatch alarm state change (source ''", decision.Reason, StringComparison.Ordinal);
        Assert.Empty(_starter.Calls);
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
        var trigger = new TriggerService(PlanBuilder.Sample().WithName(new string('p', 40)).Build(), _starter);

        // Act
        var name = trigger.ExecutionName(Samples.AlarmTime);

        // Assert
        Assert.True(name.Length <= 80, name);
        Assert.Matches("^[A-Za-z0-9-]+$", name);
    }
}
