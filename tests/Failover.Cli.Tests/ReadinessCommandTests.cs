using System.Text.Json;
using Failover.Local;

namespace Failover.Cli.Tests;

/// <summary><c>failover readiness</c> through the program's entry point, against the local AWS over HTTP.</summary>
public sealed class ReadinessCommandTests : IAsyncLifetime
{
    private LocalAws _aws = null!;
    private DeployedEnvironment _environment = null!;

    public async Task InitializeAsync()
    {
        (_aws, _environment) = await DeployedLocalAws.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    [Fact]
    public async Task Readiness_WhenNoDrillHasSucceeded_ShouldPrintTheFindingExit1AndLastShouldShowTheStoredEvaluation()
    {
        // Act
        var live = await RunAsync("readiness", "--function", _environment.ReadinessFunctionName, "--output", "json");
        var last = await RunAsync("readiness", "--last");

        // Assert
        Assert.True(live.ExitCode == 1, live.Out + live.Error);
        using var evaluation = JsonDocument.Parse(live.Out);
        Assert.False(evaluation.RootElement.GetProperty("ready").GetBoolean());
        var finding = Assert.Single(evaluation.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("drill-overdue", finding.GetProperty("id").GetString());
        Assert.Contains("failover start --mode drill", finding.GetProperty("remedy").GetString(), StringComparison.Ordinal);
        Assert.True(last.ExitCode == 1, last.Out + last.Error);
        Assert.Contains("NOT ready (1 finding(s)", last.Out, StringComparison.Ordinal);
        Assert.Contains("drill-overdue", last.Out, StringComparison.Ordinal);
        Assert.Contains("What to do", last.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_WhenADrillSucceeded_ShouldSayReadyAndExit0()
    {
        // Arrange
        var drill = await new DrillSimulation(_aws, _environment, TimeProvider.System).RunAsync(null, CancellationToken.None);
        Assert.Equal("SUCCEEDED", drill.Execution.Status);

        // Act
        var run = await RunAsync("readiness", "--function", _environment.ReadinessFunctionName);

        // Assert
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("Plan orders is ready", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_WhenOnlyAScheduledDrillSucceeded_ShouldCountItByItsInput()
    {
        // Arrange: the DrillSchedule rule starts drills under names EventBridge chooses, with its input.
        var stepFunctions = _aws.Clients(_environment.Plan.RecoveryRegion, TimeProvider.System).StepFunctions;
        var started = await stepFunctions.StartExecutionAsync(_environment.StateMachineArn, Guid.NewGuid().ToString(), """{"mode":"drill","reason":"scheduled drill"}""", CancellationToken.None);
        while ((await stepFunctions.DescribeExecutionAsync(started.ExecutionArn, CancellationToken.None)).Status == "RUNNING")
        {
            await Task.Delay(200);
        }

        // Act
        var run = await RunAsync("readiness", "--function", _environment.ReadinessFunctionName);

        // Assert
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
    }

    [Fact]
    public async Task Readiness_WhenNothingIsStoredYet_ShouldSayWhereItLookedAndExit2()
    {
        // Act
        var run = await RunAsync("readiness", "--last");

        // Assert
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("No evaluation is stored in /failover/orders/readiness (us-west-2) yet", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_WhenNoFunctionIsNamed_ShouldExit2WithoutCallingAws()
    {
        // Act
        var run = await RunAsync("readiness");

        // Assert
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Name the Readiness function with exactly one of --stack NAME or --function NAME (or use --last).", run.Error, StringComparison.Ordinal);
    }

    private Task<CliRun> RunAsync(params string[] args) => CliProcess.RunAsync([.. args, "--endpoint-url", _aws.Gateway.Endpoint.ToString()],
        new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test" });
}
