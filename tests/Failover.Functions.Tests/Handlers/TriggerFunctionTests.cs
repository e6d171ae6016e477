using System.Text;
using System.Text.Json;
using Failover.Core;
using Failover.Core.Runs;
using Failover.Core.Tests.Support;
using Failover.Core.Triggers;
using Failover.Functions.Tests.Hosting;

namespace Failover.Functions.Tests.Handlers;

public sealed class TriggerFunctionTests : IDisposable
{
    private readonly TestHost _test = TestHost.Create();
    private readonly TriggerFunction _function;

    public TriggerFunctionTests() => _function = new TriggerFunction(_test.Host);

    public static TheoryData<string, string> SampleDecisions => new()
    {
        { EventSamples.MetricOkToAlarm, TriggerDecisions.Started },
        { EventSamples.CompositeOkToAlarm, TriggerDecisions.Started },
        { EventSamples.MetricAlarmToOk, TriggerDecisions.Ignored },
        { EventSamples.MetricAlarmDoc, TriggerDecisions.Ignored },
        { EventSamples.CompositeAlarmDoc, TriggerDecisions.Ignored },
        { EventSamples.SnsAlarmDoc, TriggerDecisions.Rejected },
        { EventSamples.SnsAlarm, TriggerDecisions.Rejected },
    };

    [Fact]
    public async Task InvokeAsync_WhenAllowListedMetricAlarmEntersAlarm_ShouldStartOnceAndLogOneJsonLine()
    {
        // Arrange
        await using var input = EventSamples.Open(EventSamples.MetricOkToAlarm);

        // Act
        var decision = await TestHost.ReadAsync(await _function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.TriggerDecision);

        // Assert
        Assert.Equal(TriggerDecisions.Started, decision.Decision);
        Assert.Equal(Samples.ExecutionName, decision.ExecutionName);
        var start = Assert.Single(_test.Executions.Calls);
        Assert.Equal(Samples.ExecutionName, start.Name);
        var request = JsonSerializer.Deserialize(start.Input, FailoverJson.Default.StartRequest)!;
        Assert.Equal(RunModes.Failover, request.Mode);
        Assert.Equal(Samples.AlarmTime, request.Trigger!.AlarmTime);

        var line = Assert.Single(_test.LogLines());
        using var log = JsonDocument.Parse(line);
        var root = log.RootElement;
        Assert.Equal(Samples.AlarmArn, root.GetProperty("alarm").GetString());
        Assert.Equal("ALARM", root.GetProperty("state").GetString());
        Assert.Equal("started", root.GetProperty("decision").GetString());
        Assert.Equal("alarm entered ALARM", root.GetProperty("reason").GetString());
        Assert.Equal(Samples.ExecutionName, root.GetProperty("executionName").GetString());
        Assert.Equal("INFO", root.GetProperty("level").GetString());
        Assert.Equal(_test.Clock.GetUtcNow(), root.GetProperty("timestamp").GetDateTimeOffset());
    }

    [Fact]
    public async Task InvokeAsync_WhenDocumentationSampleArrives_ShouldIgnoreItAndStartNothing()
    {
        // Arrange
        await using var input = EventSamples.Open(EventSamples.MetricAlarmDoc);

        // Act
        var decision = await TestHost.ReadAsync(await _function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.TriggerDecision);

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, decision.Decision);
        Assert.Contains("arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh' is not allow-listed in plan 'orders'", decision.Reason, StringComparison.Ordinal);
        Assert.Null(decision.ExecutionName);
        Assert.Empty(_test.Executions.Calls);
        using var log = JsonDocument.Parse(Assert.Single(_test.LogLines()));
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
        var decision = await TestHost.ReadAsync(await _function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.TriggerDecision);

        // Assert
        Assert.Equal(expected, decision.Decision);
        Assert.Equal(expected == TriggerDecisions.Started ? 1 : 0, _test.Executions.Calls.Count);
        Assert.Single(_test.LogLines());
    }

    [Theory]
    [InlineData(EventSamples.SnsAlarmDoc)]
    [InlineData(EventSamples.SnsAlarm)]
    public async Task InvokeAsync_WhenAlarmArrivesWrappedInSns_ShouldRejectItBecauseItsSourceIsNotCloudWatch(string sample)
    {
        // Arrange
        await using var input = EventSamples.Open(sample);

        // Act
        var decision = await TestHost.ReadAsync(await _function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.TriggerDecision);

        // Assert
        Assert.Equal(TriggerDecisions.Rejected, decision.Decision);
        Assert.Equal("not a CloudWatch alarm state change (source '', detail-type '')", decision.Reason);
        Assert.Empty(_test.Executions.Calls);
    }

    [Fact]
    public async Task InvokeAsync_WhenTheSameAlarmArrivesTwiceInAWindow_ShouldKeepOneExecution()
    {
        // Arrange
        await using var first = EventSamples.Open(EventSamples.MetricOkToAlarm);
        await using var second = EventSamples.Open(EventSamples.CompositeOkToAlarm);

        // Act
        var a = await TestHost.ReadAsync(await _function.InvokeAsync(first, CancellationToken.None), FailoverJson.Default.TriggerDecision);
        var b = await TestHost.ReadAsync(await _function.InvokeAsync(second, CancellationToken.None), FailoverJson.Default.TriggerDecision);

        // Assert
        Assert.Equal(a.ExecutionName, b.ExecutionName);
        Assert.Single(_test.Executions.Executions);
        Assert.Equal("execution for this decision window already exists", b.Reason);
    }

    [Fact]
    public async Task InvokeAsync_WhenBodyIsNotUtf8_ShouldRejectAndLog()
    {
        // Arrange
        await using var input = new MemoryStream([0xFF, 0xFE, 0x00, 0x7B, 0xC3, 0x28]);

        // Act
        var decision = await TestHost.ReadAsync(await _function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.TriggerDecision);

        // Assert
        Assert.Equal(TriggerDecisions.Rejected, decision.Decision);
        Assert.StartsWith("malformed JSON", decision.Reason, StringComparison.Ordinal);
        using var log = JsonDocument.Parse(Assert.Single(_test.LogLines()));
        Assert.Equal("rejected", log.RootElement.GetProperty("decision").GetString());
    }

    [Fact]
    public async Task InvokeAsync_WhenStartingFails_ShouldThrowSoTheEventIsRetried()
    {
        // Arrange
        _test.Executions.Failure = new SimulatedAwsException("ThrottlingException", "Rate exceeded");
        await using var input = EventSamples.Open(EventSamples.MetricOkToAlarm);

        // Act
        var ex = await Record.ExceptionAsync(() => _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.IsType<SimulatedAwsException>(ex);
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
            ["decision", "reason", "alarm", "state", "executionName"],
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
        var decision = await TestHost.ReadAsync(await _function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.TriggerDecision);

        // Assert
        Assert.Equal(Samples.ExecutionName, decision.ExecutionName);
    }

    public void Dispose() => _test.Dispose();
}
