using Amazon.Runtime;
using Failover.Aws.Adapters;
using Failover.Aws.Clients;
using Failover.Cli;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Core.Triggers;
using Failover.Local;
using Spectre.Console;

namespace Failover.Cli.Tests;

/// <summary><c>failover drill cleanup</c> against the local AWS, over HTTP.</summary>
public sealed class DrillCommandTests : IAsyncLifetime
{
    private readonly StringWriter _output = new();
    private LocalAws _aws = null!;
    private DeployedEnvironment _environment = null!;

    // As a redirected run gets it: plain and wide, so a line is never wrapped.
    private IAnsiConsole Console => Terminal.Console(_output, isTerminal: false, colour: false);

    private AwsSession Session => new() { Region = _environment.Plan.RecoveryRegion, EndpointUrl = _aws.Gateway.Endpoint, Credentials = new BasicAWSCredentials("test", "test") };

    public async Task InitializeAsync()
    {
        (_aws, _environment) = await DeployedLocalAws.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _output.Dispose();
        await _aws.DisposeAsync();
    }

    [Fact]
    public async Task CleanupAsync_WhenAnInterruptedDrillLeftACopyAndDrillInstances_ShouldRemoveThemAndLeaveProductionAlone()
    {
        var recovery = _aws.Clients(_environment.Plan.RecoveryRegion, TimeProvider.System);
        var resources = new DrillResources(recovery.Rds, recovery.Drs);
        var copyId = DatabasePromotionService.DrillCopyId("orders-drill-interrupted", "orders-replica");
        await resources.CreateDatabaseCopyAsync(copyId, "orders-replica", new Dictionary<string, string> { [DatabasePromotionService.DrillTag] = "orders-drill-interrupted" }, CancellationToken.None);
        _aws.Gateway.Drs.LaunchDuration = TimeSpan.Zero;
        _aws.Gateway.Drs.JobStartDelay = TimeSpan.Zero;
        await recovery.Drs.StartRecoveryAsync([.. _aws.Gateway.Drs.SourceServerIds.Take(2).Select(id => new StartRecoveryRequestSourceServer(id))], isDrill: true, null, CancellationToken.None);
        await WaitForAsync(async () => (await resources.FindAsync(null, CancellationToken.None)).Count == 3);

        var exitCode = await DrillCommand.CleanupAsync(null, null, Session, Terminal.Single(Console), TimeProvider.System, CancellationToken.None);

        Assert.True(exitCode == 0, _output.ToString());
        Assert.Contains("Removed 3 drill resource(s)", _output.ToString(), StringComparison.Ordinal);
        Assert.Empty(await resources.FindAsync(null, CancellationToken.None));
        var replica = (await recovery.Rds.DescribeDBInstancesAsync("orders-replica", CancellationToken.None)).Single();
        Assert.NotNull(replica.ReadReplicaSourceDBInstanceIdentifier);
    }

    [Fact]
    public async Task CleanupAsync_WhenADrillIsStillRunning_ShouldLeaveItsCopyAndRemoveOnlyTheEndedDrillsLeftovers()
    {
        // Arrange: a drill waiting for approval (still running) with its copy, and a copy an interrupted drill left.
        var recovery = _aws.Clients(_environment.Plan.RecoveryRegion, TimeProvider.System);
        var resources = new DrillResources(recovery.Rds, recovery.Drs);
        var running = StartRequestRules.ManualExecutionName(_environment.Plan, RunModes.Drill, DateTimeOffset.UtcNow);
        await recovery.StepFunctions.StartExecutionAsync(_environment.StateMachineArn, running, """{"mode":"drill","reason":"rehearsal in progress","requireApproval":true}""", CancellationToken.None);
        var runningCopy = DatabasePromotionService.DrillCopyId(running, "orders-replica");
        var leftCopy = DatabasePromotionService.DrillCopyId("orders-drill-interrupted", "orders-replica");
        foreach (var (copy, execution) in new[] { (runningCopy, running), (leftCopy, "orders-drill-interrupted") })
        {
            await resources.CreateDatabaseCopyAsync(copy, "orders-replica", new Dictionary<string, string> { [DatabasePromotionService.DrillTag] = execution }, CancellationToken.None);
        }

        // Act
        var everyDrill = await DrillCommand.CleanupAsync(null, null, Session, Terminal.Single(Console), TimeProvider.System, CancellationToken.None);
        var theRunningDrill = await DrillCommand.CleanupAsync(running, null, Session, Terminal.Single(Console), TimeProvider.System, CancellationToken.None);

        // Assert
        Assert.True(everyDrill == 0, _output.ToString());
        Assert.Equal(1, theRunningDrill);
        var left = (await resources.FindAsync(null, CancellationToken.None)).Select(r => r.Id);
        Assert.Equal([runningCopy], left);
        Assert.Contains($"Removed 1 drill resource(s) in {_environment.Plan.RecoveryRegion}: database-copy {leftCopy}", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"Left 1 resource(s) of drills still running: database-copy {runningCopy} (drill {running}); their own cleanup removes them when they end", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"drill {running} is still running", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CleanupAsync_WhenRunTwice_ShouldFindNothingTheSecondTime()
    {
        var first = await DrillCommand.CleanupAsync(null, null, Session, Terminal.Single(Console), TimeProvider.System, CancellationToken.None);
        var second = await DrillCommand.CleanupAsync("orders-drill-x", null, Session, Terminal.Single(Console), TimeProvider.System, CancellationToken.None);

        Assert.Equal(0, first);
        Assert.Equal(0, second);
        Assert.Contains("Removed 0 drill resource(s)", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CleanupAsync_WhenTheEndpointDoesNotServeDrs_ShouldSaySoInOneLineWithoutTheHtmlAndExit3()
    {
        // Arrange: moto itself, without the gateway, answers DRS paths with a web page.
        using var captured = new CapturedTerminal();
        var session = Session with { EndpointUrl = _aws.Moto.Endpoint };

        // Act
        var exitCode = await CliErrors.GuardAsync(captured.Terminal,
            () => DrillCommand.CleanupAsync(null, null, session, captured.Terminal, TimeProvider.System, CancellationToken.None), CancellationToken.None);

        // Assert
        Assert.Equal(3, exitCode);
        var line = Assert.Single(captured.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("without an AWS error (an HTML or XML page). Is the endpoint right (--endpoint-url, AWS_ENDPOINT_URL), and does it serve drs?", line, StringComparison.Ordinal);
        Assert.DoesNotContain("<", line, StringComparison.Ordinal);
        Assert.Equal("", captured.Out);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 20 s");
            await Task.Delay(100);
        }
    }
}
