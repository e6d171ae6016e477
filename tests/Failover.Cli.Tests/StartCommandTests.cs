using Amazon.Runtime;
using Failover.Cli;
using Failover.Local;

namespace Failover.Cli.Tests;

/// <summary><c>failover start</c> against the local AWS, over HTTP: the confirmation of a production run and <c>--wait</c>.</summary>
public sealed class StartCommandTests : IAsyncLifetime
{
    private LocalAws _aws = null!;
    private DeployedEnvironment _environment = null!;

    private AwsSession Session => new() { EndpointUrl = _aws.Gateway.Endpoint, Credentials = new BasicAWSCredentials("test", "test") };

    private StartOptions Options(string mode) => new() { StateMachineArn = _environment.StateMachineArn, Mode = mode, Reason = "primary region degraded" };

    public async Task InitializeAsync()
    {
        (_aws, _environment) = await DeployedLocalAws.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    [Theory]
    [InlineData("failover")]
    [InlineData("switchover")]
    public async Task RunAsync_WhenAProductionRunIsStartedWithNoTerminalToAskAndNoYes_ShouldStartNothingAndExit2(string mode)
    {
        // Arrange: captured output, as in a pipeline: nobody can be asked.
        using var captured = new CapturedTerminal();

        // Act
        var exitCode = await StartCommand.RunAsync(Options(mode), Session, captured.Terminal, TimeProvider.System, CancellationToken.None);

        // Assert
        Assert.Equal(2, exitCode);
        Assert.Contains($"Nothing was started: a {mode} changes production (databases, traffic); confirm with --yes when no terminal can ask.", captured.Error, StringComparison.Ordinal);
        Assert.Empty(await Executions());
    }

    [Fact]
    public async Task RunAsync_WhenTheAnswerIsNotThePlanName_ShouldStartNothingAndExit2()
    {
        // Arrange
        using var captured = new CapturedTerminal();
        var questions = new List<string>();
        var terminal = new Terminal(captured.Terminal.Out, captured.Terminal.Error) { Ask = question => { questions.Add(question); return "yes"; } };

        // Act
        var exitCode = await StartCommand.RunAsync(Options("failover"), Session, terminal, TimeProvider.System, CancellationToken.None);

        // Assert
        Assert.Equal(2, exitCode);
        var question = Assert.Single(questions);
        Assert.Equal($"Start a failover of plan orders in {_environment.Plan.RecoveryRegion}? It promotes its databases and moves its traffic. Type the plan name to confirm:", question);
        Assert.Contains("Nothing was started: the answer was not the plan name (orders).", captured.Error, StringComparison.Ordinal);
        Assert.Empty(await Executions());
    }

    [Fact]
    public async Task RunAsync_WhenADrillIsStartedWithWait_ShouldNotAskAndShowEachPhaseChangeOnceThenTheReport()
    {
        // Arrange: a drill never asks; the output is piped, so each change of a phase is one line.
        using var captured = new CapturedTerminal();
        var terminal = new Terminal(captured.Terminal.Out, captured.Terminal.Error) { Ask = _ => throw new InvalidOperationException("a drill must not ask") };

        // Act
        var exitCode = await StartCommand.RunAsync(Options("drill") with { Wait = true }, Session, terminal, TimeProvider.System, CancellationToken.None);

        // Assert
        Assert.True(exitCode == 0, captured.All);
        var phases = captured.Out.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(w => w.Length >= 3 && w[0].Contains(':', StringComparison.Ordinal)).ToList();
        var done = phases.Where(w => w[2] is "done" or "skipped").Select(w => w[1]).ToList();
        Assert.Equal(["prepare", "approval", "databases", "servers", "compute", "traffic", "report"], done.Order(Comparer<string>.Create((a, b) => Order(a) - Order(b))));
        Assert.Equal(done.Count, done.Distinct().Count());
        Assert.Contains(phases, w => w[1] == "databases" && w[2] == "done" && string.Join(' ', w[3..]) == "1/1 verified");
        Assert.Contains("Verify switches", captured.Out[captured.Out.IndexOf("Timeline", StringComparison.Ordinal)..], StringComparison.Ordinal);
        var execution = Assert.Single(await Executions());
        Assert.Equal("SUCCEEDED", execution.Status);
        Assert.Contains(execution.Name, captured.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenAFailoverIsConfirmedWithThePlanNameAndWaitedFor_ShouldSwitchTrafficAndExit0()
    {
        // Arrange
        using var captured = new CapturedTerminal();
        var terminal = new Terminal(captured.Terminal.Out, captured.Terminal.Error) { Ask = _ => "orders\n" };

        // Act
        var exitCode = await StartCommand.RunAsync(Options("failover") with { Wait = true }, Session, terminal, TimeProvider.System, CancellationToken.None);

        // Assert
        Assert.True(exitCode == 0, captured.All);
        Assert.Matches(@"\d\d:\d\d  traffic   done     1/1 switched", captured.Out);
        Assert.Equal("SUCCEEDED", Assert.Single(await Executions()).Status);
    }

    private static int Order(string phase) => Array.IndexOf(["prepare", "approval", "databases", "servers", "compute", "traffic", "report"], phase);

    private async Task<IReadOnlyList<Failover.Aws.Clients.DescribeExecutionResult>> Executions() =>
        await _aws.Clients(_environment.Plan.RecoveryRegion, TimeProvider.System).StepFunctions.ListExecutionsAsync(_environment.StateMachineArn, null, CancellationToken.None);
}
