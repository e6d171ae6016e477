using Failover.Local;

namespace Failover.Local.Tests.Moto;

/// <summary>The fixes moto 5.2.1 gets as moto_server starts (tools/Failover.Local/moto/sitecustomize.py), through the local AWS.</summary>
public sealed class MotoFixesTests : IAsyncLifetime
{
    private const string Region = "us-west-2";
    private LocalAws _aws = null!;

    public async Task InitializeAsync() => _aws = await LocalAws.StartAsync(null, CancellationToken.None);

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    // getmoto/moto#10077: the second StartExecution of a state machine that had run failed with HTTP 500.
    [Fact]
    public async Task StartExecution_WhenTheStateMachineHasRunBefore_ShouldRunEachExecutionToItsEnd()
    {
        // Arrange
        var stepFunctions = _aws.Clients(Region, TimeProvider.System).StepFunctions;
        var stateMachine = await stepFunctions.CreateStateMachineAsync("twice", """{"StartAt":"Done","States":{"Done":{"Type":"Pass","End":true}}}""", "arn:aws:iam::123456789012:role/twice", CancellationToken.None);

        // Act
        var statuses = new List<string>();
        foreach (var name in new[] { "first", "second", "third" })
        {
            var started = await stepFunctions.StartExecutionAsync(stateMachine, name, """{"run":"%"}""".Replace("%", name, StringComparison.Ordinal), CancellationToken.None);
            statuses.Add(await EndStatusAsync(started.ExecutionArn));
        }

        // Assert
        Assert.Equal(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"], statuses);
        Assert.Equal(3, (await stepFunctions.ListExecutionsAsync(stateMachine, "SUCCEEDED", CancellationToken.None)).Count);
    }

    private async Task<string> EndStatusAsync(string executionArn)
    {
        var stepFunctions = _aws.Clients(Region, TimeProvider.System).StepFunctions;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var status = (await stepFunctions.DescribeExecutionAsync(executionArn, timeout.Token)).Status;
            if (status != "RUNNING")
            {
                return status;
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
