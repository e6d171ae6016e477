using Failover.Core;
using Failover.Core.Ports;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Testing;
using Failover.Functions.Tests.Hosting;

namespace Failover.Functions.Tests.Handlers;

/// <summary>NotifyFailureFunction: the execution status rule's {"executionArn", "status"} in, what it did out.</summary>
public sealed class NotifyFailureFunctionTests : IDisposable
{
    private readonly TestHost _test = TestHost.Create();
    private readonly NotifyFailureFunction _function;

    public NotifyFailureFunctionTests() => _function = new NotifyFailureFunction(_test.Host);

    [Fact]
    public async Task InvokeAsync_WhenAFailoverFailedAtSwitchTraffic_ShouldPublishTheFailureAndAnswerWhatItDid()
    {
        // Arrange
        _test.EndedExecutions.With(Ended(RunModes.Failover, "Switch traffic"));
        await using var input = TestHost.Input($$"""{"executionArn": "{{Samples.ExecutionArn}}", "status": "FAILED"}""");

        // Act
        var result = await TestHost.ReadAsync(await _function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.ExecutionEndedResult);

        // Assert
        Assert.Equal((Samples.ExecutionName, "FAILED", "Switch traffic", "message-1"), (result.ExecutionName, result.Status, result.FailedStep, result.MessageId));
        var notification = Assert.Single(_test.Notifications.Published);
        Assert.Equal("[Failover] orders failover failed at Switch traffic", notification.Subject);
        Assert.Equal(("failure", "failed"), (notification.Attributes["phase"], notification.Attributes["outcome"]));
        Assert.Contains("Error: AwsServiceException: cloudwatch PutMetricData failed", notification.Body, StringComparison.Ordinal);
        using var log = System.Text.Json.JsonDocument.Parse(Assert.Single(_test.LogLines()));
        Assert.Equal(("INFO", nameof(NotifyFailureFunction), Samples.ExecutionName, "Switch traffic"),
            (log.RootElement.GetProperty("level").GetString(), log.RootElement.GetProperty("function").GetString(), log.RootElement.GetProperty("execution").GetString(), log.RootElement.GetProperty("step").GetString()));
    }

    [Fact]
    public async Task InvokeAsync_WhenADrillWasStopped_ShouldCleanItUpAndSayWhatWasRemoved()
    {
        // Arrange
        _test.Drill.With(new DrillResource(DrillResourceKinds.DatabaseCopy, "drill-1234abcd-orders-replica"), Samples.ExecutionName);
        _test.EndedExecutions.With(Ended(RunModes.Drill, "Wait for databases") with { Status = ExecutionStatuses.Aborted, Error = null, Cause = null });
        await using var input = TestHost.Input($$"""{"executionArn": "{{Samples.ExecutionArn}}", "status": "ABORTED"}""");

        // Act
        var result = await TestHost.ReadAsync(await _function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.ExecutionEndedResult);

        // Assert
        Assert.Equal(["database-copy drill-1234abcd-orders-replica"], result.Cleanup!.Removed);
        Assert.Equal("[Failover] orders drill stopped at Wait for databases", Assert.Single(_test.Notifications.Published).Subject);
    }

    [Fact]
    public async Task InvokeAsync_WhenTheInputIsNotAnUnsuccessfulEnd_ShouldFailNamingWhatItGot()
    {
        // Arrange
        await using var input = TestHost.Input($$"""{"executionArn": "{{Samples.ExecutionArn}}", "status": "SUCCEEDED"}""");

        // Act
        var ex = await Assert.ThrowsAsync<InvalidRunInputException>(() => _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.Contains("status 'SUCCEEDED'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_test.Notifications.Published);
    }

    [Fact]
    public async Task InvokeAsync_WhenHostHasNoTopic_ShouldFailNamingTheVariable()
    {
        // Arrange
        using var test = TestHost.Create(notifications: false);
        await using var input = TestHost.Input($$"""{"executionArn": "{{Samples.ExecutionArn}}", "status": "FAILED"}""");

        // Act
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => new NotifyFailureFunction(test.Host).InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.Contains("TOPIC_ARN", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _test.Dispose();

    private static ExecutionDetails Ended(string mode, string step) => new(
        Samples.ExecutionArn,
        Samples.ExecutionName,
        ExecutionStatuses.Failed,
        "AwsServiceException",
        """{"errorType":"AwsServiceException","errorMessage":"cloudwatch PutMetricData failed: InvalidParameterValue (HTTP 400)"}""",
        mode,
        "outage",
        RunBuilder.Prepared().WithDatabase(Samples.ReplicaId, DatabaseStatuses.Writable, promotionStartedAt: ManualClock.DefaultStart).WithSwitch(Samples.SwitchId).Change(r => r with { Mode = mode }).Build(),
        new HistoryBuilder(ManualClock.DefaultStart).At(0).Event("ExecutionStarted").At(1).Event("TaskStateEntered", step).Event("LambdaFunctionFailed", step).Build());
}
