using System.Net;
using System.Text.Json.Nodes;
using Failover.Aws.Adapters;
using Failover.Aws.Clients;
using Failover.Aws.Transport;
using Failover.Core.Ports;

namespace Failover.Aws.Tests.Wire;

[Collection(MotoCollection.Name)]
public sealed class StepFunctionsClientWireTests(MotoServer moto) : IAsyncLifetime
{
    private const string RoleArn = "arn:aws:iam::123456789012:role/x";
    private const string PassDefinition = """
        {"StartAt":"Say hello","States":{"Say hello":{"Type":"Pass","Result":{"greeting":"hello"},"ResultPath":"$.out","End":true}}}
        """;

    public async Task InitializeAsync()
    {
        using var cts = TestTimeout.Create();
        await moto.ResetAsync(cts.Token);
        await ExecuteStateMachinesAsync(false, cts.Token);
    }

    public async Task DisposeAsync()
    {
        using var cts = TestTimeout.Create();
        await ExecuteStateMachinesAsync(false, cts.Token);
    }

    private Task ExecuteStateMachinesAsync(bool execute, CancellationToken cancellationToken) =>
        moto.ConfigureAsync("{\"stepfunctions\":{\"execute_state_machine\":" + (execute ? "true" : "false") + "}}", cancellationToken);

    private async Task<DescribeExecutionResult> WaitUntilStoppedAsync(StepFunctionsClient sfn, string executionArn, CancellationToken cancellationToken)
    {
        // Waits on the condition; the test's ceiling (TestTimeout) bounds it, so a slow moto is not a failure.
        try
        {
            while (true)
            {
                var execution = await sfn.DescribeExecutionAsync(executionArn, cancellationToken);
                if (execution.Status != "RUNNING")
                {
                    return execution;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"execution {executionArn} still RUNNING after {TestTimeout.Ceiling.TotalSeconds:0} s; moto stderr: {moto.Stderr()}");
            throw;
        }
    }

    [Fact]
    public async Task CreateStateMachineAsync_WhenDefinitionIsValid_ShouldReturnTheArn()
    {
        using var cts = TestTimeout.Create();
        var sfn = moto.Clients().StepFunctions;

        var arn = await sfn.CreateStateMachineAsync("failover", PassDefinition, RoleArn, cts.Token);

        Assert.Equal("arn:aws:states:us-west-2:123456789012:stateMachine:failover", arn);
    }

    [Fact]
    public async Task StartExecutionAsync_WhenNew_ShouldReturnAnExecutionThatDescribeExecutionFinds()
    {
        using var cts = TestTimeout.Create();
        var sfn = moto.Clients().StepFunctions;
        var machine = await sfn.CreateStateMachineAsync("failover", PassDefinition, RoleArn, cts.Token);

        var started = await sfn.StartExecutionAsync(machine, "drill-1", """{"mode":"drill"}""", cts.Token);
        var described = await sfn.DescribeExecutionAsync(started.ExecutionArn, cts.Token);

        Assert.Equal("arn:aws:states:us-west-2:123456789012:execution:failover:drill-1", started.ExecutionArn);
        Assert.NotNull(started.StartDate);
        Assert.InRange(started.StartDate.Value, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(started.ExecutionArn, described.ExecutionArn);
        Assert.Equal("drill-1", described.Name);
        Assert.Equal("RUNNING", described.Status);
        Assert.Equal("""{"mode":"drill"}""", described.Input);
        Assert.Null(described.StopDate);
    }

    [Fact]
    public async Task StartExecutionAsync_WhenSameNameAndInputWhileRunning_ShouldReturnTheSameExecution()
    {
        // Standard workflows: a repeat with the same name and input while the first is open is the same start.
        using var cts = TestTimeout.Create();
        var sfn = moto.Clients().StepFunctions;
        var machine = await sfn.CreateStateMachineAsync("failover", PassDefinition, RoleArn, cts.Token);
        var first = await sfn.StartExecutionAsync(machine, "trigger-orders-2026", """{"mode":"failover"}""", cts.Token);

        var second = await sfn.StartExecutionAsync(machine, "trigger-orders-2026", """{"mode":"failover"}""", cts.Token);

        Assert.Equal(first.ExecutionArn, second.ExecutionArn);
        Assert.Single(await sfn.ListExecutionsAsync(machine, null, cts.Token));
    }

    [Fact]
    public async Task StartExecutionAsync_WhenSameNameWithOtherInput_ShouldThrowExecutionAlreadyExists()
    {
        using var cts = TestTimeout.Create();
        var sfn = moto.Clients().StepFunctions;
        var machine = await sfn.CreateStateMachineAsync("failover", PassDefinition, RoleArn, cts.Token);
        await sfn.StartExecutionAsync(machine, "trigger-orders-2026", """{"mode":"failover"}""", cts.Token);

        var ex = await Assert.ThrowsAsync<AwsConflictException>(() => sfn.StartExecutionAsync(machine, "trigger-orders-2026", """{"mode":"drill"}""", cts.Token));

        Assert.Equal("ExecutionAlreadyExists", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("stepfunctions", ex.Service);
    }

    [Fact]
    public async Task StartExecutionAsync_WhenSameNameAndInputAfterTheExecutionFinished_ShouldThrowExecutionAlreadyExists()
    {
        using var cts = TestTimeout.Create();
        await ExecuteStateMachinesAsync(true, cts.Token);
        var sfn = moto.Clients().StepFunctions;
        var machine = await sfn.CreateStateMachineAsync("failover", PassDefinition, RoleArn, cts.Token);
        var first = await sfn.StartExecutionAsync(machine, "trigger-orders-2026", "{}", cts.Token);
        await WaitUntilStoppedAsync(sfn, first.ExecutionArn, cts.Token);
        var starter = new StepFunctionsExecutionStarter(sfn, machine);

        var ex = await Assert.ThrowsAsync<AwsConflictException>(() => sfn.StartExecutionAsync(machine, "trigger-orders-2026", "{}", cts.Token));
        var outcome = await starter.StartAsync("trigger-orders-2026", "{}", cts.Token);

        Assert.Equal("ExecutionAlreadyExists", ex.ErrorCode);
        Assert.Equal(StartOutcome.AlreadyExists, outcome);
    }

    [Fact]
    public async Task GetExecutionHistoryAsync_WhenExecutionSucceeded_ShouldReturnEveryEventOldestFirst()
    {
        using var cts = TestTimeout.Create();
        await ExecuteStateMachinesAsync(true, cts.Token);
        var sfn = moto.Clients().StepFunctions;
        var machine = await sfn.CreateStateMachineAsync("failover", PassDefinition, RoleArn, cts.Token);
        var started = await sfn.StartExecutionAsync(machine, "drill-2", """{"mode":"drill"}""", cts.Token);

        var finished = await WaitUntilStoppedAsync(sfn, started.ExecutionArn, cts.Token);
        var history = await sfn.GetExecutionHistoryAsync(started.ExecutionArn, cts.Token);
        var timeline = ExecutionHistory.ToTimeline(history);

        Assert.Equal("SUCCEEDED", finished.Status);
        Assert.NotNull(finished.StopDate);
        // moto formats output with Python's json.dumps (spaces after ':' and ','); AWS sends it compact.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"mode":"drill","out":{"greeting":"hello"}}"""), JsonNode.Parse(finished.Output!)), finished.Output);
        Assert.Equal(["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"], history.Select(e => e.Type));
        Assert.Equal(history.Select(e => e.Id).Order(), history.Select(e => e.Id));
        Assert.Equal("Say hello", history[1].Details?["name"]?.GetValue<string>());
        Assert.All(history, e => Assert.NotEqual(default, e.Timestamp));
        Assert.Equal("Say hello", timeline[2].StateName);
    }

    [Fact]
    public async Task ListExecutionsAsync_WhenFilteredByStatus_ShouldReturnOnlyMatchingExecutions()
    {
        using var cts = TestTimeout.Create();
        var sfn = moto.Clients().StepFunctions;
        var machine = await sfn.CreateStateMachineAsync("failover", PassDefinition, RoleArn, cts.Token);
        await sfn.StartExecutionAsync(machine, "a", "{}", cts.Token);
        await sfn.StartExecutionAsync(machine, "b", "{}", cts.Token);

        var running = await sfn.ListExecutionsAsync(machine, "RUNNING", cts.Token);
        var succeeded = await sfn.ListExecutionsAsync(machine, "SUCCEEDED", cts.Token);

        Assert.Equal(["a", "b"], running.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.All(running, e => Assert.Equal("RUNNING", e.Status));
        Assert.Empty(succeeded);
    }

    [Fact]
    public async Task DescribeExecutionAsync_WhenExecutionMissing_ShouldThrowNotFound()
    {
        using var cts = TestTimeout.Create();
        var sfn = moto.Clients().StepFunctions;

        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() =>
            sfn.DescribeExecutionAsync("arn:aws:states:us-west-2:123456789012:execution:failover:missing", cts.Token));

        Assert.Equal("ExecutionDoesNotExist", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("DescribeExecution", ex.Operation);
        Assert.False(string.IsNullOrEmpty(ex.RequestId));
    }

    private static string ApprovalDefinition(string queueUrl) => """
        {"StartAt":"Wait for approval","States":{"Wait for approval":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
          "Parameters":{"QueueUrl":"QUEUE_URL","MessageBody":{"token.$":"$$.Task.Token"}},"TimeoutSeconds":60,"End":true}}}
        """.Replace("QUEUE_URL", queueUrl, StringComparison.Ordinal);

    /// <summary>Starts an execution that waits for a task token (sent through SQS, as an approval step would) and returns the token.</summary>
    private async Task<(StepFunctionsClient Sfn, string ExecutionArn, string Token)> StartAwaitingApprovalAsync(string name, CancellationToken cancellationToken)
    {
        await ExecuteStateMachinesAsync(true, cancellationToken);
        var clients = moto.Clients();
        var queueUrl = await clients.Sqs.CreateQueueAsync("approvals", cancellationToken);
        var machine = await clients.StepFunctions.CreateStateMachineAsync("approval", ApprovalDefinition(queueUrl), RoleArn, cancellationToken);
        var started = await clients.StepFunctions.StartExecutionAsync(machine, name, "{}", cancellationToken);
        // Waits on the condition; the test's ceiling (TestTimeout) bounds it, so a slow moto is not a failure.
        try
        {
            while (true)
            {
                var messages = await clients.Sqs.ReceiveMessageAsync(queueUrl, 1, 1, cancellationToken);
                if (messages.Count > 0)
                {
                    var token = JsonNode.Parse(messages[0].Body)!["token"]!.GetValue<string>();
                    return (clients.StepFunctions, started.ExecutionArn, token);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"no task token arrived within {TestTimeout.Ceiling.TotalSeconds:0} s; moto stderr: {moto.Stderr()}");
            throw;
        }
    }

    [Fact]
    public async Task SendTaskSuccessAsync_WhenExecutionWaitsForTheToken_ShouldSucceedItWithTheOutput()
    {
        using var cts = TestTimeout.Create();
        var (sfn, executionArn, token) = await StartAwaitingApprovalAsync("approved", cts.Token);

        await sfn.SendTaskSuccessAsync(token, """{"approved":true,"by":"ops"}""", cts.Token);
        var finished = await WaitUntilStoppedAsync(sfn, executionArn, cts.Token);

        Assert.Equal("SUCCEEDED", finished.Status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"approved":true,"by":"ops"}"""), JsonNode.Parse(finished.Output!)), finished.Output);
    }

    [Fact]
    public async Task SendTaskFailureAsync_WhenExecutionWaitsForTheToken_ShouldFailItWithTheErrorAndCause()
    {
        using var cts = TestTimeout.Create();
        var (sfn, executionArn, token) = await StartAwaitingApprovalAsync("rejected", cts.Token);

        await sfn.SendTaskFailureAsync(token, "Approval.Rejected", "ops said no", cts.Token);
        var finished = await WaitUntilStoppedAsync(sfn, executionArn, cts.Token);

        // moto 5.2.1 passes only the error on to the execution and drops the cause (AWS keeps both); that the
        // cause is sent is checked against boto3 in StepFunctionsClientBoto3Tests.
        Assert.Equal(("FAILED", "Approval.Rejected", null), (finished.Status, finished.Error, finished.Cause));
    }

    [Fact]
    public async Task SendTaskSuccessAsync_WhenTokenIsUnknown_ShouldThrowInvalidToken()
    {
        using var cts = TestTimeout.Create();
        await ExecuteStateMachinesAsync(true, cts.Token);
        var sfn = moto.Clients().StepFunctions;

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => sfn.SendTaskSuccessAsync("no-such-token", "{}", cts.Token));

        Assert.Equal(("InvalidToken", HttpStatusCode.BadRequest, "SendTaskSuccess"), (ex.ErrorCode, ex.StatusCode, ex.Operation));
    }

    [Fact]
    public async Task StopExecutionAsync_WhenRunning_ShouldAbortItAndReturnTheStopDate()
    {
        using var cts = TestTimeout.Create();
        var sfn = moto.Clients().StepFunctions;
        var machine = await sfn.CreateStateMachineAsync("failover", PassDefinition, RoleArn, cts.Token);
        var started = await sfn.StartExecutionAsync(machine, "to-stop", "{}", cts.Token);

        var stopped = await sfn.StopExecutionAsync(started.ExecutionArn, "Operator.Cancelled", "drill cancelled", cts.Token);
        var described = await sfn.DescribeExecutionAsync(started.ExecutionArn, cts.Token);

        Assert.NotNull(stopped.StopDate);
        Assert.InRange(stopped.StopDate.Value, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal("ABORTED", described.Status);
        Assert.Equal(stopped.StopDate, described.StopDate);
    }

    [Fact]
    public async Task StopExecutionAsync_WhenExecutionMissing_ShouldThrowNotFound()
    {
        using var cts = TestTimeout.Create();
        var sfn = moto.Clients().StepFunctions;
        await sfn.CreateStateMachineAsync("failover", PassDefinition, RoleArn, cts.Token);

        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() =>
            sfn.StopExecutionAsync("arn:aws:states:us-west-2:123456789012:execution:failover:missing", null, null, cts.Token));

        Assert.Equal(("ExecutionDoesNotExist", "StopExecution"), (ex.ErrorCode, ex.Operation));
    }
}
