using System.Text.Json;
using Amazon.Runtime;
using Failover.Cli;
using Failover.Local;
using Spectre.Console;

namespace Failover.Cli.Tests;

/// <summary><c>failover status</c> against the local AWS, over HTTP.</summary>
public sealed class StatusCommandTests : IAsyncLifetime
{
    private readonly StringWriter _output = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("failover-status-").FullName;
    private LocalAws _aws = null!;
    private DeployedEnvironment _environment = null!;

    private IAnsiConsole Console => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });

    public async Task InitializeAsync()
    {
        _aws = await LocalAws.StartAsync(null, CancellationToken.None);
        _environment = await LocalEnvironment.DeployAsync(_aws, LocalEnvironment.PlanPath, new LocalEnvironmentOptions(), TimeProvider.System, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _output.Dispose();
        Directory.Delete(_directory, recursive: true);
        await _aws.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_WhenTheExecutionSucceeded_ShouldShowItsStepsAndWriteTheReport()
    {
        var run = await new Simulation(_aws, _environment, TimeProvider.System).RunAsync(null, CancellationToken.None);
        var executionArn = _environment.StateMachineArn.Replace(":stateMachine:", ":execution:", StringComparison.Ordinal) + ":" + run.Execution.Name;
        var json = new FileInfo(Path.Combine(_directory, "status.json"));

        var exitCode = await StatusCommand.RunAsync(executionArn, null, _aws.Gateway.Endpoint, json, new BasicAWSCredentials("test", "test"), Console, TimeProvider.System, CancellationToken.None);

        Assert.True(exitCode == 0, _output.ToString());
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json.FullName));
        Assert.Equal("succeeded", report.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("orders", report.RootElement.GetProperty("plan").GetString());
        Assert.Contains(report.RootElement.GetProperty("steps").EnumerateArray(), s => s.GetProperty("name").GetString() == "Switch traffic");
        Assert.Equal(run.Execution.HistoryEvents, report.RootElement.GetProperty("execution").GetProperty("historyEvents").GetInt32());
        Assert.Contains("Switch traffic", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenTheExecutionDoesNotExist_ShouldSayWhatAWSAnsweredAndExit1()
    {
        var missing = _environment.StateMachineArn.Replace(":stateMachine:", ":execution:", StringComparison.Ordinal) + ":never-started";

        var exitCode = await StatusCommand.RunAsync(missing, null, _aws.Gateway.Endpoint, null, new BasicAWSCredentials("test", "test"), Console, TimeProvider.System, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("ExecutionDoesNotExist", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenTheArnIsNotAnExecution_ShouldExit2()
    {
        var exitCode = await StatusCommand.RunAsync(_environment.StateMachineArn, null, _aws.Gateway.Endpoint, null, new BasicAWSCredentials("test", "test"), Console, TimeProvider.System, CancellationToken.None);

        Assert.Equal(2, exitCode);
        // The console wraps long lines: compare with whitespace collapsed.
        Assert.Contains("is not an execution ARN", string.Join(' ', _output.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }
}
