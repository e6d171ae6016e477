using System.Net;
using Failover.Core.Reports;
using Failover.Local;

namespace Failover.Workflow.Tests;

/// <summary>The real statemachines/failover.asl.json, executed by moto, calling the handlers through the gateway.</summary>
[Collection(LocalAwsCollection.Name)]
public sealed class FailoverWorkflowTests(LocalAwsFixture fixture)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;

    [Fact]
    public async Task Simulate_WhenPrimaryRegionFails_ShouldPromoteSwitchTrafficAndNotify()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout);

        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        Assert.All(report.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        var stepNames = report.Steps.Select(s => s.Name).ToList();
        Assert.Equal(["Prepare", "Promote databases", "Switch traffic", "Notify"], stepNames.Where(n => n is "Prepare" or "Promote databases" or "Switch traffic" or "Notify").Distinct());
        Assert.All(report.Steps, s => Assert.Equal("succeeded", s.Outcome));
        Assert.True(stepNames.IndexOf("Switch traffic") > stepNames.LastIndexOf("Check databases"), "traffic switched before the databases were checked writable");
        Assert.Equal(2.5, report.RpoSeconds);
        Assert.NotNull(report.RtoSeconds);
        Assert.InRange(report.RtoSeconds.Value, 0.1, 120);
        Assert.Contains(report.Resources, r => r is { Kind: "database", Id: "orders-replica", Outcome: "writable" });
        Assert.Contains(report.Resources, r => r is { Kind: "traffic-switch", Id: "orders-web", Outcome: "switched" });
        Assert.Equal(1, fixture.Aws.Gateway.Calls("PromoteReadReplica"));
    }

    [Fact]
    public async Task Simulate_WhenPromoteIsRejected_ShouldNotifyFailureAndFailWithoutSwitchingTraffic()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout);
        fixture.Aws.Gateway.AddFault(new FaultRule("PromoteReadReplica", "InvalidDBInstanceState", HttpStatusCode.BadRequest, 1));

        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        Assert.Equal(ReportOutcomes.Failed, report.Outcome);
        Assert.Equal("FAILED", report.Execution.Status);
        Assert.Contains(report.Steps, s => s is { Name: "Promote databases", Outcome: "failed" });
        Assert.Contains(report.Steps, s => s is { Name: "Notify failure", Outcome: "succeeded" });
        Assert.DoesNotContain(report.Steps, s => s.Name == "Switch traffic");
        Assert.Contains(report.Checks, c => c is { Name: "failed notification delivered", Passed: true });
        Assert.Contains(report.Checks, c => c is { Name: "traffic switch orders-web set", Passed: false });
        Assert.Contains(report.Checks, c => c.Name == "execution succeeded" && !c.Passed && c.Detail.Contains("AwsConflictException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Simulate_WhenPromoteIsThrottledTwice_ShouldRetryAndPromoteOnce()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout);
        fixture.Aws.Gateway.AddFault(new FaultRule("PromoteReadReplica", "Throttling", HttpStatusCode.BadRequest, 2));

        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        // Two throttled attempts answered by the gateway, one that reached RDS.
        Assert.Equal(3, fixture.Aws.Gateway.Calls("PromoteReadReplica"));
    }
}
