using System.Net;
using System.Text.Json;
using Failover.Aws.Clients;
using Failover.Core;
using Failover.Core.Plans;
using Failover.Core.Reports;
using Failover.Core.Runs;
using Failover.Local;

namespace Failover.Workflow.Tests;

/// <summary>Server recovery at the DRS quotas and in waves, through the real ASL against the DRS simulator.</summary>
[Collection(LocalAwsCollection.Name)]
public sealed class ServerQuotaWorkflowTests(LocalAwsFixture fixture)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;

    [Fact]
    public async Task Simulate_WhenDrsRefusesABatchWithAQuota_ShouldWaitAndLaunchEveryServer()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout);
        fixture.Aws.Gateway.AddFault(new FaultRule("StartRecovery", "ServiceQuotaExceededException", HttpStatusCode.PaymentRequired, 1));

        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        Assert.All(report.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Contains(report.Resources, r => r is { Kind: "servers", Outcome: ServerOutcomes.Launched });
        // Four servers in batches of two: two jobs, after one refused call.
        Assert.Equal(3, fixture.Aws.Gateway.Calls("StartRecovery"));
        Assert.Equal(2, report.Execution.Drs!.Jobs);
    }

    [Fact]
    public async Task Simulate_WhenAnotherToolsJobsHoldFifteenOfTheTwentySlots_ShouldStayWithinTheQuotaAndLaunchEveryServer()
    {
        // 14 servers in batches of two are 7 jobs; only 5 slots are free until the other tool's jobs complete.
        // Launches last long enough for the other tool's jobs to be in progress when the run starts its batches.
        var environment = await fixture.FreshEnvironmentAsync(Timeout, new LocalEnvironmentOptions { ServerCount = 14 });
        var simulator = fixture.Aws.Gateway.Drs;
        var launchDuration = simulator.LaunchDuration;
        simulator.LaunchDuration = TimeSpan.FromSeconds(20);
        RunReport report;
        try
        {
            var drs = fixture.Aws.Clients(environment.Plan.RecoveryRegion, TimeProvider.System).Drs;
            for (var i = 0; i < 15; i++)
            {
                await drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(simulator.AddSourceServer())], true, null, Timeout);
            }

            report = await new Simulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);
        }
        finally
        {
            simulator.LaunchDuration = launchDuration;
        }

        // The end-state check counting every launched DRS server sees the other tool's 15 too: every other check holds.
        Assert.Equal("SUCCEEDED", report.Execution.Status);
        Assert.All(report.Checks.Where(c => c.Id != "drs-launched-as-reported"), c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Contains(report.Resources, r => r is { Kind: "servers", Outcome: ServerOutcomes.Launched } && r.Detail.StartsWith("14 launched", StringComparison.Ordinal));
        Assert.Equal(15 + 7, fixture.Aws.Gateway.Calls("StartRecovery"));
        // The slots were full (15 + 5) and never over-asked: no StartRecovery beyond the 22 jobs was refused.
        Assert.Equal(20, report.Execution.Drs!.PeakConcurrentJobs);
    }

    [Fact]
    public async Task Simulate_WhenEveryCriticalServerOfTheFirstWaveFails_ShouldFailBeforeTheNextWaveStarts()
    {
        var environment = await DeployWavesAsync(
            new ServerGroup { Name = "data", Tags = new Dictionary<string, string> { ["tier"] = "data" }, BatchSize = 2 },
            new ServerGroup { Name = "web", Tags = new Dictionary<string, string> { ["tier"] = "web" }, BatchSize = 2 });
        var inbox = await NotificationInbox.SubscribeAsync(fixture.Aws, environment, Timeout);
        var data = fixture.Aws.Gateway.Drs.SourceServerIds.Take(2).ToList();
        data.ForEach(fixture.Aws.Gateway.Drs.FailLaunchOf);

        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        Assert.Equal(ReportOutcomes.Failed, report.Outcome);
        Assert.Contains(report.Checks, c => c.Name == "execution succeeded" && c.Detail.Contains("ServerRecoveryFailedException", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Steps, s => s.Name == "Switch traffic");
        Assert.Equal(1, report.Execution.Drs!.Waves);
        Assert.Equal(1, fixture.Aws.Gateway.Calls("StartRecovery"));
        var failure = await inbox.WaitForPhaseAsync("failure", Timeout);
        Assert.Contains("wave 'data': every critical DRS source server failed to launch", failure.Message, StringComparison.Ordinal);
        Assert.Contains("1 later wave(s) not started", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WhenThePlanHasTwoWaves_ShouldLaunchThemInOrderAndReportEach()
    {
        var environment = await DeployWavesAsync(
            new ServerGroup { Name = "data", Tags = new Dictionary<string, string> { ["tier"] = "data" }, BatchSize = 2, WaitAfterSeconds = 2 },
            new ServerGroup { Name = "web", Tags = new Dictionary<string, string> { ["tier"] = "web" }, BatchSize = 2 });

        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        Assert.Equal(["data", "web"], report.Waves.Select(w => w.Name));
        Assert.All(report.Waves, w => Assert.Equal((ServerOutcomes.Launched, 2), (w.Outcome, w.Launched)));
        Assert.True(report.Waves[1].StartedAt >= report.Waves[0].StartedAt!.Value.AddSeconds(report.Waves[0].DurationSeconds!.Value + 1.99));
        Assert.Equal(2, report.Execution.Drs!.Waves);
    }

    [Fact]
    public async Task Drill_WhenItLaunches150Instances_ShouldCleanThemAllUpWithinTheQuotas()
    {
        var environment = await DeployWavesAsync(150, new ServerGroup { Tags = new Dictionary<string, string> { ["tier"] = "all" } });

        var report = await new DrillSimulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        Assert.All(report.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Equal(150, report.Drill!.Removed.Count(r => r.StartsWith("recovery-instance ", StringComparison.Ordinal)));
        Assert.Equal(2, fixture.Aws.Gateway.Calls("TerminateRecoveryInstances"));
        Assert.Equal((2, 100), (report.Execution.Drs!.Jobs, report.Execution.Drs.MaxServersPerJob));
        var recovery = fixture.Aws.Clients(environment.Plan.RecoveryRegion, TimeProvider.System);
        Assert.Empty(await new Failover.Aws.Adapters.DrillResources(recovery.Rds, recovery.Drs).FindAsync(null, Timeout));
    }

    [Fact]
    public async Task Simulate_WhenAWaveListsItsServersById_ShouldRegisterThoseServersAndLaunchThem()
    {
        // A first wave named by ids, a second by tag: the local AWS registers the listed ids as they are.
        string[] ids = ["s-1234567890abcdef0", "s-1234567890abcdef1"];
        var environment = await DeployWavesAsync(
            new ServerGroup { Name = "data", SourceServerIds = ids, BatchSize = 2 },
            new ServerGroup { Name = "web", Tags = new Dictionary<string, string> { ["tier"] = "web" }, BatchSize = 2 });

        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        Assert.All(ids, id => Assert.Contains(report.Resources, r => r is { Kind: "server", Outcome: "launched" } && r.Id == id));
        Assert.Equal([("data", 2), ("web", 4)], report.Waves.Select(w => (w.Name, w.Launched)));
    }

    private Task<DeployedEnvironment> DeployWavesAsync(params ServerGroup[] waves) => DeployWavesAsync(new LocalEnvironmentOptions().ServerCount, waves);

    // The packaged plan with its servers in these waves; the local AWS shares serverCount servers out over them.
    private async Task<DeployedEnvironment> DeployWavesAsync(int serverCount, params ServerGroup[] waves)
    {
        var plan = PlanDocument.Parse(await File.ReadAllTextAsync(LocalEnvironment.PlanPath, Timeout)) with { Servers = waves };
        var path = Path.Combine(Directory.CreateTempSubdirectory("failover-waves-").FullName, "plan.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(plan, FailoverJson.Indented.RecoveryPlan), Timeout);
        await fixture.Aws.ResetAsync(Timeout);
        return await LocalEnvironment.DeployAsync(fixture.Aws, path, new LocalEnvironmentOptions { ServerCount = serverCount }, TimeProvider.System, Timeout);
    }
}
