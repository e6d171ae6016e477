using System.Text.Json;
using Failover.Core;
using Failover.Core.Plans;
using Failover.Core.Reports;
using Failover.Core.Runs;
using Failover.Local;

namespace Failover.Workflow.Tests;

/// <summary>
/// Warm standby: the recovery region's Auto Scaling group and ECS service are scaled up in parallel with the databases and
/// servers, and traffic moves only once the critical capacity is in service (the local AWS's capacity arrival model).
/// </summary>
[Collection(LocalAwsCollection.Name)]
public sealed class CapacityWorkflowTests(LocalAwsFixture fixture)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromMinutes(4)).Token;

    [Fact]
    public async Task Simulate_WhenTheStandbyIsScaledUp_ShouldSucceedWithCapacityInServiceBeforeTrafficMoves()
    {
        // Arrange
        var environment = await DeployAsync(plan => plan, Timeout);

        // Act
        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        // Assert
        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        var capacity = report.Resources.Where(r => r.Kind == "capacity").ToList();
        Assert.Equal([("web", "in-service", 4, 4), ("api", "in-service", 3, 3)], capacity.Select(r => (r.Id, r.Outcome, r.Target ?? 0, r.Reached ?? 0)));
        Assert.All(capacity, r => Assert.True(r.SecondsToReach >= 2, $"{r.Id} in service after {r.SecondsToReach} s: the arrival model was not applied"));
        Assert.True(report.Checks.Single(c => c.Id == "capacity-in-service").Passed);
        var scaled = report.Steps.Single(s => s.Name == "Scale compute");
        var switched = report.Steps.Single(s => s.Name == "Switch traffic");
        Assert.True(switched.StartSeconds >= scaled.StartSeconds + scaled.DurationSeconds, $"traffic switched at {switched.StartSeconds} s, capacity last checked until {scaled.StartSeconds + scaled.DurationSeconds} s");
    }

    [Fact]
    public async Task Simulate_WhenCriticalCapacityNeverArrives_ShouldFailAtScaleComputeWithoutSwitchingTraffic()
    {
        // Arrange: the group's new instances never leave Pending; it may take a minute.
        var environment = await DeployAsync(plan => plan with { Capacity = [plan.Capacity[0] with { ReadyWithinSeconds = 60 }, plan.Capacity[1]] }, Timeout);
        fixture.Aws.Gateway.Capacity.NeverArrives[environment.Plan.Capacity[0].Name!] = true;

        // Act
        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System) { ExecutionTimeout = TimeSpan.FromMinutes(3) }.RunAsync(null, Timeout);

        // Assert
        Assert.Equal(ReportOutcomes.Failed, report.Outcome);
        await WorkflowAssert.EndedFailedAtAsync(fixture.Aws, environment, report, "Scale compute", Timeout);
        Assert.DoesNotContain(report.Steps, s => s.Name == "Switch traffic");
        Assert.False(report.Checks.Single(c => c.Id == "traffic-switch-set:orders-web").Passed);
        Assert.False(report.Checks.Single(c => c.Id == "capacity-in-service").Passed);
        Assert.Equal(nameof(Failover.Core.Services.CapacityNotReadyException), (await ExecutionErrorAsync(environment, report)));
    }

    [Fact]
    public async Task Simulate_WhenNonCriticalCapacityNeverArrives_ShouldSwitchTrafficAndEndPartial()
    {
        // Arrange: the service's new tasks never start; it is not critical.
        var environment = await DeployAsync(plan => plan with { Capacity = [plan.Capacity[0], plan.Capacity[1] with { Critical = false, ReadyWithinSeconds = 60 }] }, Timeout);
        var service = environment.Plan.Capacity[1];
        fixture.Aws.Gateway.Capacity.NeverArrives[$"{service.Cluster}/{service.Service}"] = true;

        // Act
        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System) { ExecutionTimeout = TimeSpan.FromMinutes(3) }.RunAsync(null, Timeout);

        // Assert
        Assert.Equal(ReportOutcomes.Partial, report.Outcome);
        Assert.Equal("SUCCEEDED", report.Execution.Status);
        var api = report.Resources.Single(r => r.Kind == "capacity" && r.Id == "api");
        Assert.Equal((CapacityStatuses.NotInService, 1), (api.Outcome, api.Reached));
        Assert.Null(api.SecondsToReach);
        Assert.Equal(CapacityStatuses.InService, report.Resources.Single(r => r.Kind == "capacity" && r.Id == "web").Outcome);
        Assert.True(report.Checks.Single(c => c.Id == "traffic-switch-set:orders-web").Passed);
    }

    [Fact]
    public async Task Drill_WhenThePlanHasCapacity_ShouldVerifyItAndScaleNothing()
    {
        // Arrange
        var environment = await DeployAsync(plan => plan, Timeout);

        // Act
        var report = await new DrillSimulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        // Assert
        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        Assert.All(report.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        var capacity = report.Resources.Where(r => r.Kind == "capacity").ToList();
        Assert.Equal([("web", "verified", 1), ("api", "verified", 1)], capacity.Select(r => (r.Id, r.Outcome, r.Reached ?? 0)));
        Assert.Contains("max size 1 is below the target: the run raises it to 4", capacity[0].Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Steps, s => s.Name == "Scale compute");
        Assert.Equal(0, fixture.Aws.Gateway.Calls("UpdateAutoScalingGroup") + fixture.Aws.Gateway.Calls("UpdateService"));
    }

    // The warm-standby scenario's plan, changed, deployed with its standby of 1.
    private async Task<DeployedEnvironment> DeployAsync(Func<RecoveryPlan, RecoveryPlan> change, CancellationToken cancellationToken)
    {
        await fixture.Aws.ResetAsync(cancellationToken);
        var directory = Directory.CreateTempSubdirectory("failover-capacity-").FullName;
        var (scenarioPlan, options) = Scenarios.Prepare("warm-standby", LocalEnvironment.PlanPath, new LocalEnvironmentOptions { WorkDirectory = directory });
        var planPath = Path.Combine(directory, "plan.json");
        await File.WriteAllTextAsync(planPath, JsonSerializer.Serialize(change(PlanDocument.Parse(await File.ReadAllTextAsync(scenarioPlan, cancellationToken))), FailoverJson.Indented.RecoveryPlan), cancellationToken);
        return await LocalEnvironment.DeployAsync(fixture.Aws, planPath, options, TimeProvider.System, cancellationToken);
    }

    private async Task<string?> ExecutionErrorAsync(DeployedEnvironment environment, RunReport report)
    {
        var executionArn = environment.StateMachineArn.Replace(":stateMachine:", ":execution:", StringComparison.Ordinal) + ":" + report.Execution.Name;
        return (await fixture.Aws.Clients(environment.Plan.RecoveryRegion, TimeProvider.System).StepFunctions.DescribeExecutionAsync(executionArn, Timeout)).Error;
    }
}
