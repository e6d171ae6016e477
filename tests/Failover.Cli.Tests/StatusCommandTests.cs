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
        (_aws, _environment) = await DeployedLocalAws.StartAsync(CancellationToken.None);
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
        var json = new FileInfo(Path.Combine(_directory, "not", "yet", "status.json"));

        var exitCode = await StatusCommand.RunAsync(executionArn, json, Session, Terminal.Single(Console), TimeProvider.System, CancellationToken.None);

        Assert.True(exitCode == 0, _output.ToString());
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json.FullName));
        Assert.Equal("succeeded", report.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("orders", report.RootElement.GetProperty("plan").GetString());
        Assert.Contains(report.RootElement.GetProperty("steps").EnumerateArray(), s => s.GetProperty("name").GetString() == "Switch traffic");
        Assert.Equal(run.Execution.HistoryEvents, report.RootElement.GetProperty("execution").GetProperty("historyEvents").GetInt32());
        Assert.Contains("Switch traffic", _output.ToString(), StringComparison.Ordinal);

        // --output json: stdout is the same report and nothing else; no table line splits the execution ARN.
        using var captured = new CapturedTerminal(json: true);
        Assert.Equal(0, await StatusCommand.RunAsync(executionArn, null, Session, captured.Terminal, TimeProvider.System, CancellationToken.None));
        using var printed = JsonDocument.Parse(captured.Out);
        Assert.Equal(run.Execution.Name, printed.RootElement.GetProperty("execution").GetProperty("name").GetString());
    }

    [Fact]
    public async Task RunAsync_WhenTheExecutionDoesNotExist_ShouldSayWhatAWSAnsweredInOneLineAndExit2()
    {
        using var captured = new CapturedTerminal();
        var missing = _environment.StateMachineArn.Replace(":stateMachine:", ":execution:", StringComparison.Ordinal) + ":never-started";

        var exitCode = await CliErrors.GuardAsync(captured.Terminal,
            () => StatusCommand.RunAsync(missing, null, Session, captured.Terminal, TimeProvider.System, CancellationToken.None), CancellationToken.None);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(captured.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("failover: Not found: stepfunctions DescribeExecution: ExecutionDoesNotExist:", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenTheArnIsNotAnExecution_ShouldExit2()
    {
        using var captured = new CapturedTerminal();

        var exitCode = await StatusCommand.RunAsync(_environment.StateMachineArn, null, Session, captured.Terminal, TimeProvider.System, CancellationToken.None);

        Assert.Equal(2, exitCode);
        Assert.Contains("is not an execution ARN", captured.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_WhenTheTokenIsMadeUp_ShouldSayStepFunctionsRefusedItAndExit1()
    {
        using var captured = new CapturedTerminal();

        var exitCode = await CliErrors.GuardAsync(captured.Terminal,
            () => ApproveCommand.RunAsync("made-up-token", reject: false, "on-call", null, null, Session, captured.Terminal, TimeProvider.System, CancellationToken.None), CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("Not sent: InvalidToken in us-west-2", captured.Error, StringComparison.Ordinal);
        Assert.Equal("", captured.Out);
    }

    private AwsSession Session => new() { EndpointUrl = _aws.Gateway.Endpoint, Credentials = new BasicAWSCredentials("test", "test") };
}
