using Amazon.Runtime;
using Failover.Aws.Adapters;
using Failover.Aws.Clients;
using Failover.Cli;
using Failover.Core.Services;
using Failover.Local;
using Spectre.Console;

namespace Failover.Cli.Tests;

/// <summary><c>failover drill cleanup</c> against the local AWS, over HTTP.</summary>
public sealed class DrillCommandTests : IAsyncLifetime
{
    private readonly StringWriter _output = new();
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

        var exitCode = await DrillCommand.CleanupAsync(null, _environment.Plan.RecoveryRegion, _aws.Gateway.Endpoint, null, new BasicAWSCredentials("test", "test"), Console, TimeProvider.System, CancellationToken.None);

        Assert.True(exitCode == 0, _output.ToString());
        Assert.Contains("Removed 3 drill resource(s)", _output.ToString(), StringComparison.Ordinal);
        Assert.Empty(await resources.FindAsync(null, CancellationToken.None));
        var replica = (await recovery.Rds.DescribeDBInstancesAsync("orders-replica", CancellationToken.None)).Single();
        Assert.NotNull(replica.ReadReplicaSourceDBInstanceIdentifier);
    }

    [Fact]
    public async Task CleanupAsync_WhenRunTwice_ShouldFindNothingTheSecondTime()
    {
        var first = await DrillCommand.CleanupAsync(null, _environment.Plan.RecoveryRegion, _aws.Gateway.Endpoint, null, new BasicAWSCredentials("test", "test"), Console, TimeProvider.System, CancellationToken.None);
        var second = await DrillCommand.CleanupAsync("orders-drill-x", _environment.Plan.RecoveryRegion, _aws.Gateway.Endpoint, null, new BasicAWSCredentials("test", "test"), Console, TimeProvider.System, CancellationToken.None);

        Assert.Equal(0, first);
        Assert.Equal(0, second);
        Assert.Contains("Removed 0 drill resource(s)", _output.ToString(), StringComparison.Ordinal);
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
