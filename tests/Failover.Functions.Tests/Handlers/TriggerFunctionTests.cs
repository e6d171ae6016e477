using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Failover.Aws;
using Failover.Aws.Adapters;
using Failover.Core;
using Failover.Core.Plans;
using Failover.Core.Runs;
using Failover.Testing;
using Failover.Core.Triggers;
using Failover.Functions.Tests.Hosting;
using NSubstitute;

namespace Failover.Functions.Tests.Handlers;

/// <summary>
/// The Trigger handler over in-memory CloudWatch and Step Functions: the sample plan with sustain 0, no
/// approval and a 60-minute cooldown; the allow-listed alarm in ALARM since <see cref="Samples.AlarmTime"/>.
/// </summary>
public sealed class TriggerFunctionTests : IDisposable
{
    private readonly string _directory = TestHost.NewDirectory();
    private readonly StringWriter _log = new();
    private readonly ManualClock _clock = new(Samples.AlarmTime.AddSeconds(2));
    private readonly FakeAlarmStates _alarms = new();
    private readonly FakeStateMachine _machine;
    private readonly TriggerFunction _function;

    public TriggerFunctionTests()
    {
        _machine = new FakeStateMachine(_clock);
        _alarms.InAlarm(Samples.AlarmArn, Samples.AlarmTime);
        _function = new TriggerFunction(Host(p => p));
    }

    public static TheoryData<string, string> SampleDecisions => new()
    {
        { EventSamples.MetricOkToAlarm, TriggerDecisions.Started },
        { EventSamples.CompositeOkToAlarm, TriggerDecisions.Started },
        { EventSamples.SnsAlarm, TriggerDecisions.Started },
        { EventSamples.MetricAlarmToOk, TriggerDecisions.Ignored },
        { EventSamples.MetricAlarmDoc, TriggerDecisions.Ignored },
        { EventSamples.CompositeAlarmDoc, TriggerDecisions.Ignored },
        { EventSamples.SnsAlarmDoc, TriggerDecisions.Ignored },
    };

    [Fact]
    public async Task InvokeAsync_WhenAllowListedMetricAlarmEntersAlarm_ShouldStartOnceAndLogOneJsonLine()
    {
        // Arrange
        await using var input = EventSamples.Open(EventSamples.MetricOkToAlarm);

        // Act
        var decision = await Decide(input);

        // Assert
        Assert.Equal(TriggerDecisions.Started, decision.Decision);
        Assert.Equal(Samples.ExecutionName, decision.ExecutionName);
        var start = Assert.Single(_machine.Calls);
        Assert.Equal(Samples.ExecutionName, start.Name);
        var request = JsonSerializer.Deserialize(start.Input, FailoverJson.Default.StartRequest)!;
        Assert.Equal(RunModes.Failover, request.Mode);
        Assert.Equal(Samples.AlarmTime, request.Trigger!.AlarmTime);

        using var log = JsonDocument.Parse(Assert.Single(LogLines()));
        var root = log.RootElement;
        Assert.Equal(Samples.AlarmArn, root.GetProperty("alarm").GetString());
        Assert.Equal("ALARM", root.GetProperty("state").GetString());
        Assert.Equal("started", root.GetProperty("decision").GetString());
        Assert.Equal(decision.Reason, root.GetProperty("reason").GetString());
        Assert.Equal(Samples.ExecutionName, root.GetProperty("executionName").GetString());
        Assert.Equal("eventbridge", root.GetProperty("delivery").GetString());
        Assert.Equal("INFO", root.GetProperty("level").GetString());
        Assert.Equal(_clock.GetUtcNow(), root.GetProperty("timestamp").GetDateTimeOffset());
    }

    [Fact]
    public async Task InvokeAsync_WhenDocumentationSampleArrives_ShouldIgnoreItAndStartNothing()
    {
        // Arrange
        await using var input = EventSamples.Open(EventSamples.MetricAlarmDoc);

        // Act
        var decision = await Decide(input);

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, decision.Decision);
        Assert.Equal("alarm 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh' is not allow-listed in plan 'orders'", decision.Reason);
        Assert.Null(decision.ExecutionName);
        Assert.Empty(_machine.Calls);
        using var log = JsonDocument.Parse(Assert.Single(LogLines()));
        Assert.Equal("ignored", log.RootElement.GetProperty("decision").GetString());
        Assert.False(log.RootElement.TryGetProperty("executionName", out _));
    }

    [Theory]
    [MemberData(nameof(SampleDecisions))]
    public async Task InvokeAsync_WhenSampleEventArrives_ShouldDecideAsTheContractSays(string sample, string expected)
    {
        // Arrange
        await using var input = EventSamples.Open(sample);

        // Act
        var decision = await Decide(input);

        // Assert
        Assert.True(expected == decision.Decision, $"{sample}: {decision.Decision} ({decision.Reason})");
        Assert.Equal(expected == TriggerDecisions.Started ? 1 : 0, _machine.Executions.Count);
        Assert.Single(LogLines());
    }

    [Fact]
    public async Task InvokeAsync_WhenAlarmArrivesWrappedInSns_ShouldDecideLikeEventBridgeAndSaySo()
    {
        // Arrange
        await using var input = EventSamples.Open(EventSamples.SnsAlarm);

        // Act
        var decision = await Decide(input);

        // Assert
        Assert.Equal((TriggerDecisions.Started, Samples.ExecutionName, AlarmDeliveries.Sns), (decision.Decision, decision.ExecutionName, decision.Delivery));
        Assert.Equal(Samples.AlarmArn, decision.Alarm);
    }

    [Fact]
    public async Task InvokeAsync_WhenEventBridgeAndSnsBothDeliverTheTransition_ShouldKeepOneExecution()
    {
        // Arrange
        await using var eventBridge = EventSamples.Open(EventSamples.MetricOkToAlarm);
        await using var sns = EventSamples.Open(EventSamples.SnsAlarm);

        // Act
        var a = await Decide(eventBridge);
        var b = await Decide(sns);

        // Assert
        Assert.Equal(a.ExecutionName, b.ExecutionName);
        Assert.Equal([TriggerDecisions.Started, TriggerDecisions.Started], new[] { a.Decision, b.Decision });
        Assert.Single(_machine.Executions);
        Assert.Equal(2, LogLines().Count);
    }

    [Fact]
    public async Task InvokeAsync_WhenTheSameEventIsDeliveredTwice_ShouldKeepOneExecution()
    {
        // Arrange
        await using var first = EventSamples.Open(EventSamples.MetricOkToAlarm);
        await using var second = EventSamples.Open(EventSamples.MetricOkToAlarm);

        // Act
        await Decide(first);
        var b = await Decide(second);

        // Assert
        Assert.Equal("execution for this decision window already exists (RUNNING)", b.Reason);
        Assert.Single(_machine.Executions);
    }

    [Fact]
    public async Task InvokeAsync_WhenBodyIsNotUtf8_ShouldRejectAndLog()
    {
        // Arrange
        await using var input = new MemoryStream([0xFF, 0xFE, 0x00, 0x7B, 0xC3, 0x28]);

        // Act
        var decision = await Decide(input);

        // Assert
        Assert.Equal(TriggerDecisions.Rejected, decision.Decision);
        Assert.StartsWith("malformed JSON", decision.Reason, StringComparison.Ordinal);
        using var log = JsonDocument.Parse(Assert.Single(LogLines()));
        Assert.Equal("rejected", log.RootElement.GetProperty("decision").GetString());
    }

    [Theory]
    [InlineData(1023)]
    [InlineData(300 * 1024)]
    public async Task InvokeAsync_WhenTheStateReasonIsLong_ShouldStartARunThatPrepareAccepts(int reasonLength)
    {
        // Arrange: CloudWatch allows a StateReason of 1,023 characters; the trigger adds its own words to it.
        await using var input = TestHost.Input(AlarmEventBuilder.OkToAlarm().WithStateReason(new string('r', reasonLength)).Build());
        using var workflow = TestHost.Create();
        workflow.Databases.AddReplica(Samples.ReplicaId);
        workflow.ReplicaLag.SetLag(Samples.ReplicaId, 1.5);
        var prepare = new PrepareFunction(workflow.Host);

        // Act
        var decision = await Decide(input);
        await using var prepareInput = TestHost.Input(TestHost.PrepareInput(Assert.Single(_machine.Calls).Input, decision.ExecutionName!));
        var run = await TestHost.ReadAsync(await prepare.InvokeAsync(prepareInput, CancellationToken.None), FailoverJson.Default.RunState);

        // Assert
        Assert.Equal(TriggerDecisions.Started, decision.Decision);
        Assert.Equal((RunModes.Failover, Samples.AlarmTime), (run.Mode, run.Trigger!.AlarmTime));
        Assert.StartsWith("alarm orders-primary-outage entered ALARM: rrr", run.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AlarmDeliveries.EventBridge)]
    [InlineData(AlarmDeliveries.Sns)]
    public async Task InvokeAsync_WhenTheEventIsDatedIn2099AndCloudWatchSaysOk_ShouldStartNothing(string delivery)
    {
        // Arrange
        const string farFuture = "2099-01-01T00:00:00.000+0000";
        _alarms.Ok(Samples.AlarmArn, Samples.AlarmTime.AddMinutes(-20));
        var evt = delivery == AlarmDeliveries.Sns
            ? SnsAlarmEventBuilder.OkToAlarm().WithMessage("StateChangeTime", farFuture).Build()
            : AlarmEventBuilder.OkToAlarm().WithStateTimestamp(farFuture).Build();
        await using var input = TestHost.Input(evt);

        // Act
        var decision = await Decide(input);

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, decision.Decision);
        Assert.Contains("so CloudWatch's state decides", decision.Reason, StringComparison.Ordinal);
        Assert.Empty(_machine.Calls);
    }

    [Fact]
    public async Task InvokeAsync_WhenStartingFails_ShouldLogTheErrorAndThrowSoTheEventIsRetried()
    {
        // Arrange
        _machine.StartFailure = new SimulatedAwsException("ThrottlingException", "Rate exceeded");
        await using var input = EventSamples.Open(EventSamples.MetricOkToAlarm);

        // Act
        var ex = await Record.ExceptionAsync(() => _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.IsType<SimulatedAwsException>(ex);
        using var log = JsonDocument.Parse(Assert.Single(LogLines()));
        Assert.Equal("ERROR", log.RootElement.GetProperty("level").GetString());
        Assert.Equal(nameof(SimulatedAwsException), log.RootElement.GetProperty("error").GetString());
        Assert.False(log.RootElement.TryGetProperty("decision", out _));
    }

    [Fact]
    public async Task InvokeAsync_WhenOutputIsRead_ShouldBeCamelCaseJson()
    {
        // Arrange
        await using var input = EventSamples.Open(EventSamples.MetricOkToAlarm);

        // Act
        var text = await TestHost.ReadTextAsync(await _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        using var output = JsonDocument.Parse(text);
        Assert.Equal(
            ["decision", "reason", "alarm", "state", "executionName", "delivery"],
            output.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task InvokeAsync_WhenHostHasNoStateMachine_ShouldFailNamingTheVariable()
    {
        // Arrange
        using var test = TestHost.Create(executions: false);
        var function = new TriggerFunction(test.Host);
        await using var input = TestHost.Input(AlarmEventBuilder.OkToAlarm().Build());

        // Act
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.Contains("STATE_MACHINE_ARN", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_WhenEventIsBuiltInMemory_ShouldAgreeWithTheSampleFile()
    {
        // Arrange
        await using var input = new MemoryStream(Encoding.UTF8.GetBytes(AlarmEventBuilder.OkToAlarm().Build()));

        // Act
        var decision = await Decide(input);

        // Assert
        Assert.Equal(Samples.ExecutionName, decision.ExecutionName);
    }

    [Fact]
    public async Task InvokeAsync_WhenPlanRequiresApproval_ShouldStartARunThatWaitsForIt()
    {
        // Arrange
        var function = new TriggerFunction(Host(p => p with { RequireApproval = true }));
        await using var input = EventSamples.Open(EventSamples.CompositeOkToAlarm);

        // Act
        var decision = await TestHost.ReadAsync(await function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.TriggerDecision);

        // Assert
        Assert.Equal(TriggerDecisions.Started, decision.Decision);
        Assert.True(JsonSerializer.Deserialize(Assert.Single(_machine.Calls).Input, FailoverJson.Default.StartRequest)!.RequireApproval);
    }

    [Fact]
    public void Constructor_WhenSustainDoesNotFitTheFunctionTimeout_ShouldFailAtStartUp()
    {
        // Arrange: 60 s timeout leaves 45 s to wait; the plan asks for 50.
        var settings = Settings(p => p with { SustainSeconds = 50 });
        var ports = new TriggerPorts(_machine, _alarms, _machine) { MaxSustainWait = settings.WaitBudget };

        // Act
        var ex = Assert.Throws<InvalidOperationException>(() => new FunctionHost(settings, WorkflowPorts(), ports, _clock, _log));

        // Assert
        Assert.Contains("sustainSeconds is 50 but the Trigger can wait at most 45 s", ex.Message, StringComparison.Ordinal);
        Assert.Contains("FUNCTION_TIMEOUT_SECONDS", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForAws_WhenStateMachineIsSet_ShouldReadCloudWatchAndStepFunctionsAndBudgetTheWait()
    {
        // Arrange
        var settings = TestHost.Settings("plan.json") with { FunctionTimeout = TimeSpan.FromSeconds(180) };
        var clients = new AwsClients(new AwsOptions { Region = Samples.RecoveryRegion, Credentials = new BasicAWSCredentials("a", "b") }, _clock);

        // Act
        var ports = TriggerPorts.ForAws(settings, clients)!;

        // Assert
        Assert.IsType<StepFunctionsExecutionStarter>(ports.Executions);
        Assert.IsType<CloudWatchAlarmStates>(ports.Alarms);
        Assert.IsType<StepFunctionsExecutionHistory>(ports.History);
        Assert.Equal(TimeSpan.FromSeconds(165), ports.MaxSustainWait);
        Assert.Null(TriggerPorts.ForAws(settings with { StateMachineArn = null }, clients));
    }

    [Fact]
    public void PackagedPlan_WhenRead_ShouldHaveAValidTriggerSectionTheLocalFunctionsCanServe()
    {
        // Arrange
        var settings = TestHost.Settings(Path.Combine(AppContext.BaseDirectory, "plan.json"));
        var ports = new TriggerPorts(_machine, _alarms, _machine) { MaxSustainWait = settings.WaitBudget };

        // Act
        var host = new FunctionHost(settings, WorkflowPorts(), ports, _clock, _log);

        // Assert
        Assert.NotNull(host.Trigger);
        Assert.Equal([Samples.AlarmArn], host.Plan.Trigger.AlarmArns);
        Assert.Equal(1, host.Plan.Trigger.EffectiveQuorum);
    }

    public void Dispose()
    {
        _log.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    // The workflow's ports are not used by the Trigger: substitutes for whatever FunctionPorts holds.
    private static FunctionPorts WorkflowPorts()
    {
        var constructor = typeof(FunctionPorts).GetConstructors().Single(c => c.GetParameters().Length > 1);
        return (FunctionPorts)constructor.Invoke([.. constructor.GetParameters().Select(p => Substitute.For([p.ParameterType], []))]);
    }

    private FunctionSettings Settings(Func<TriggerPolicy, TriggerPolicy> change)
    {
        var planPath = Path.Combine(_directory, $"plan-{Guid.NewGuid():N}.json");
        var plan = PlanBuilder.Sample().Change(p => p with { Trigger = change(p.Trigger with { SustainSeconds = 0, RequireApproval = false, CooldownMinutes = 60 }) });
        File.WriteAllText(planPath, plan.ToJson());
        return TestHost.Settings(planPath);
    }

    private FunctionHost Host(Func<TriggerPolicy, TriggerPolicy> change)
    {
        var settings = Settings(change);
        var ports = new TriggerPorts(_machine, _alarms, _machine) { MaxSustainWait = settings.WaitBudget };
        return new FunctionHost(settings, WorkflowPorts(), ports, _clock, _log);
    }

    private async Task<TriggerDecision> Decide(Stream input) =>
        await TestHost.ReadAsync(await _function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.TriggerDecision);

    private List<string> LogLines() => [.. _log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)];
}
