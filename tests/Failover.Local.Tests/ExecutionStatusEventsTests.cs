using System.Collections.Concurrent;
using Failover.Aws.Clients;
using Failover.Local;
using Failover.Local.Iam;

namespace Failover.Local.Tests;

/// <summary>The local model of EventBridge's "Step Functions Execution Status Change" delivery, with executions moto runs.</summary>
public sealed class ExecutionStatusEventsTests : IAsyncLifetime
{
    private const string Region = "us-west-2";

    // A Choice on the input decides how the execution ends: fail, succeed, or wait (to be stopped).
    private const string Definition = """
        {"StartAt":"How to end?","States":{
          "How to end?":{"Type":"Choice","Choices":[
            {"Variable":"$.end","StringEquals":"fail","Next":"Refuse"},
            {"Variable":"$.end","StringEquals":"wait","Next":"Wait"}],"Default":"Done"},
          "Refuse":{"Type":"Fail","Error":"Refused","Cause":"the test said so"},
          "Wait":{"Type":"Wait","Seconds":60,"Next":"Done"},
          "Done":{"Type":"Succeed"}}}
        """;

    private readonly ConcurrentQueue<string> _received = new();
    private LocalAws _aws = null!;

    public async Task InitializeAsync() => _aws = await LocalAws.StartAsync(null, CancellationToken.None);

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    // One execution per moto (5.2.1 answers 500 to any StartExecution after its engine ran one).
    [Theory]
    [InlineData("""{"end":"fail"}""", true, "FAILED", true)]
    [InlineData("""{"end":"wait"}""", true, "ABORTED", true)]
    [InlineData("""{"end":"succeed"}""", true, "SUCCEEDED", false)]
    [InlineData("""{"end":"fail"}""", false, "FAILED", false)]
    public async Task Follow_WhenAnExecutionStartedThroughTheGatewayEnds_ShouldDeliverItOnlyWhenTheRuleMatches(string input, bool routed, string status, bool delivered)
    {
        // Arrange
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var clients = _aws.Clients(Region, TimeProvider.System);
        var stateMachineArn = await clients.StepFunctions.CreateStateMachineAsync("failover-orders", Definition, "arn:aws:iam::123456789012:role/failover", timeout.Token);
        var otherArn = await clients.StepFunctions.CreateStateMachineAsync("another-machine", Definition, "arn:aws:iam::123456789012:role/failover", timeout.Token);
        _aws.Gateway.AddFunction("failover-NotifyFailure", async (payload, ct) =>
        {
            using var reader = new StreamReader(payload);
            _received.Enqueue(await reader.ReadToEndAsync(ct));
            return new MemoryStream();
        });
        _aws.Gateway.ExecutionStatusEvents.Route(new ExecutionStatusRoute(
            ExecutionStatusRule.FromTemplate(TemplatePolicies.PackagedPath), stateMachineArn, "failover-NotifyFailure",
            new Failover.Aws.AwsClients(clients.Options with { EndpointUrl = _aws.Moto.Endpoint }, TimeProvider.System).StepFunctions.DescribeExecutionAsync,
            (function, payload, ct) => clients.Lambda.InvokeAsync(function, payload, "Event", ct)));

        // Act
        var execution = await clients.StepFunctions.StartExecutionAsync(routed ? stateMachineArn : otherArn, "run-1", input, timeout.Token);
        if (status == "ABORTED")
        {
            await StopAsync(clients.StepFunctions, execution.ExecutionArn, timeout.Token);
        }

        await WaitUntilAsync(async () => (await clients.StepFunctions.DescribeExecutionAsync(execution.ExecutionArn, timeout.Token)).Status == status, timeout.Token);
        if (delivered)
        {
            await WaitUntilAsync(() => Task.FromResult(!_received.IsEmpty), timeout.Token);
        }

        await Task.Delay(ExecutionStatusEvents.PollInterval * 5, TimeProvider.System, timeout.Token);

        // Assert
        Assert.Equal(delivered ? [$$"""{"executionArn": "{{execution.ExecutionArn}}", "status": "{{status}}"}"""] : [], _received);
        Assert.Equal(delivered ? [(execution.ExecutionArn, status, "failover-NotifyFailure", (string?)null)] : [],
            _aws.Gateway.ExecutionStatusEvents.Delivered.Select(d => (d.ExecutionArn, d.Status, d.FunctionName, d.Error)));
    }

    // moto answers 500 to a StopExecution that races its engine; stop again until the execution is closed.
    private static async Task StopAsync(StepFunctionsClient stepFunctions, string executionArn, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await stepFunctions.StopExecutionAsync(executionArn, "Operator", "stopped by the test", cancellationToken);
                return;
            }
            catch (Failover.Aws.Transport.AwsTransientException)
            {
                if ((await stepFunctions.DescribeExecutionAsync(executionArn, cancellationToken)).Status != "RUNNING")
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System, cancellationToken);
            }
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, cancellationToken);
        }
    }
}
