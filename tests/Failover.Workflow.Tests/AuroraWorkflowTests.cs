using Failover.Aws.Clients;
using Failover.Core.Plans;
using Failover.Core.Reports;
using Failover.Core.Runs;
using Failover.Local;
using Failover.Local.Models;

namespace Failover.Workflow.Tests;

/// <summary>
/// The real ASL on the local AWS with the "aurora-global" scenario: an Aurora global database whose switchover and
/// failover the gateway's <see cref="AuroraGlobalModel"/> plays, with the primary region dark, impaired or healthy.
/// </summary>
[Collection(LocalAwsCollection.Name)]
public sealed class AuroraWorkflowTests(LocalAwsFixture fixture) : IAsyncLifetime
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;

    private Gateway Gateway => fixture.Aws.Gateway;

    public Task InitializeAsync() => Task.CompletedTask;

    // The outage and the model's settings are the gateway's: leave them as the next test expects them.
    public Task DisposeAsync()
    {
        Gateway.Outage = null;
        Gateway.AuroraGlobal.Settings = new AuroraGlobalSettings();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Simulate_WhenThePrimaryRegionIsUnreachable_ShouldFailOverWithDataLossAndMakeTheTargetTheWriter()
    {
        // Arrange
        var (environment, database) = await DeployAsync(new AuroraGlobalSettings(), OutageKind.Unreachable);

        // Act
        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        // Assert
        AssertSucceeded(report);
        Assert.Equal((0, 1), (Gateway.Calls("SwitchoverGlobalCluster"), Gateway.Calls("FailoverGlobalCluster")));
        Assert.Contains(report.Resources, r => r is { Kind: "database", Outcome: "writable" } && r.Id == database.Id);
        Assert.Equal(0.5, report.RpoSeconds);
        // One short probe of the dark region, not the transport's retries (PrepareService.PrimaryProbeTimeout).
        Assert.True(report.Steps.Single(s => s.Name == "Prepare").DurationSeconds < 12, "Prepare waited on the dark region for more than one probe");
        var global = await DescribeAsync(database);
        Assert.Equal([(database.TargetClusterArn!, true)], global.GlobalClusterMembers.Select(m => (m.DBClusterArn, m.IsWriter)));
    }

    [Theory]
    [InlineData(ImpairedSwitchover.Refused)]
    [InlineData(ImpairedSwitchover.Cancelled)]
    public async Task Simulate_WhenTheRegionalApiAnswersButThePrimaryIsImpaired_ShouldTryTheSwitchoverThenFallBackToFailover(ImpairedSwitchover impaired)
    {
        // Arrange: DescribeGlobalClusters looks healthy, so a switchover is tried; RDS refuses or cancels it.
        var (environment, database) = await DeployAsync(new AuroraGlobalSettings { ImpairedSwitchover = impaired }, OutageKind.DatabaseImpaired);

        // Act
        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        // Assert
        AssertSucceeded(report);
        Assert.Equal((1, 1), (Gateway.Calls("SwitchoverGlobalCluster"), Gateway.Calls("FailoverGlobalCluster")));
        Assert.Equal(0.5, report.RpoSeconds);
        var global = await DescribeAsync(database);
        Assert.Equal(
            [(environment.Plan.Databases.Single().TargetClusterArn!, true, "connected")],
            global.GlobalClusterMembers.Where(m => m.IsWriter).Select(m => (m.DBClusterArn, m.IsWriter, m.SynchronizationStatus)));
        Assert.Contains(global.GlobalClusterMembers, m => m is { IsWriter: false, SynchronizationStatus: AuroraGlobalModel.PendingResync });
    }

    [Fact]
    public async Task Start_WhenSwitchoverModeAndThePrimaryIsHealthy_ShouldSwitchOverWithoutDataLoss()
    {
        // Arrange
        var (environment, database) = await DeployAsync(new AuroraGlobalSettings());

        // Act
        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System)
            .StartAsync(new StartRequest { Mode = RunModes.Switchover, Reason = "planned region rotation" }, null, Timeout);

        // Assert
        AssertSucceeded(report);
        Assert.Equal((1, 0), (Gateway.Calls("SwitchoverGlobalCluster"), Gateway.Calls("FailoverGlobalCluster")));
        Assert.Equal(0, report.RpoSeconds);
        var global = await DescribeAsync(database);
        Assert.Equal(
            [(database.Id + "-primary", false, "connected"), (database.TargetClusterArn!.Split(':')[^1], true, "connected")],
            global.GlobalClusterMembers.Select(m => (m.DBClusterArn.Split(':')[^1], m.IsWriter, m.SynchronizationStatus)));
    }

    [Fact]
    public async Task Start_WhenSwitchoverModeAndThePrimaryIsImpaired_ShouldFailTheRunWithTheReasonAndNeverFailOver()
    {
        // Arrange
        var (environment, database) = await DeployAsync(new AuroraGlobalSettings());
        Gateway.Outage = new RegionOutage(environment.Plan.PrimaryRegion, DateTimeOffset.UtcNow, OutageKind.DatabaseImpaired);

        // Act
        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System)
            .StartAsync(new StartRequest { Mode = RunModes.Switchover, Reason = "planned region rotation" }, null, Timeout);

        // Assert
        Assert.Equal(ReportOutcomes.Failed, report.Outcome);
        Assert.Equal((1, 0), (Gateway.Calls("SwitchoverGlobalCluster"), Gateway.Calls("FailoverGlobalCluster")));
        var failure = report.Checks.Single(c => c.Name == "execution succeeded").Detail;
        Assert.Contains("DatabasePromotionFailedException", failure, StringComparison.Ordinal);
        Assert.Contains("InvalidGlobalClusterStateFault", failure, StringComparison.Ordinal);
        Assert.Contains("a switchover never loses data", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Steps, s => s.Name == "Switch traffic");
        Assert.Contains(report.Checks, c => c is { Name: "failure notification delivered", Passed: true });
        Assert.EndsWith(":cluster:" + database.Id + "-primary", (await DescribeAsync(database)).GlobalClusterMembers.Single(m => m.IsWriter).DBClusterArn, StringComparison.Ordinal);
    }

    // Deploys the aurora-global scenario; the day publishes the secondary's replication lag from the model's figure, as RDS
    // would. The simulation's outage (RunAsync) behaves as outage says.
    private async Task<(DeployedEnvironment Environment, DatabaseTarget Database)> DeployAsync(AuroraGlobalSettings settings, OutageKind outage = OutageKind.Unreachable)
    {
        await fixture.Aws.ResetAsync(Timeout);
        Gateway.AuroraGlobal.Settings = settings;
        var (planPath, options) = Scenarios.Prepare("aurora-global", LocalEnvironment.PlanPath, new LocalEnvironmentOptions { Outage = outage });
        var environment = await LocalEnvironment.DeployAsync(fixture.Aws, planPath, options, TimeProvider.System, Timeout);
        return (environment, environment.Plan.Databases.Single());
    }

    private async Task<GlobalCluster> DescribeAsync(DatabaseTarget database) =>
        (await fixture.Aws.Clients("us-west-2", TimeProvider.System).Rds.DescribeGlobalClustersAsync(database.Id, Timeout)).Single();

    private static void AssertSucceeded(RunReport report)
    {
        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        Assert.All(report.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
    }
}
