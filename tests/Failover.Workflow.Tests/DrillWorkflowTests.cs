using System.Net;
using Failover.Aws.Adapters;
using Failover.Core.Reports;
using Failover.Local;

namespace Failover.Workflow.Tests;

/// <summary>Drills through the real ASL: provably harmless, and nothing left behind on any exit.</summary>
[Collection(LocalAwsCollection.Name)]
public sealed class DrillWorkflowTests(LocalAwsFixture fixture)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;

    [Fact]
    public async Task Drill_WhenRun_ShouldChangeNoProductionResourceAndLeaveNothingBehind()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout);

        var report = await new DrillSimulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        Assert.All(report.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Equal("drill", report.Mode);
        // The replica itself is never promoted: one promotion, of the temporary copy.
        Assert.Equal(1, fixture.Aws.Gateway.Calls("PromoteReadReplica"));
        Assert.Equal(1, fixture.Aws.Gateway.Calls("CreateDBInstanceReadReplica") - 1); // the deployment made the replica
        Assert.Equal(0, fixture.Aws.Gateway.Calls("PutMetricData")); // RDS's ReplicaLag is published by the day, not through the gateway
        Assert.Contains(report.Resources, r => r.Kind == "database" && r.Detail.Contains("drill-", StringComparison.Ordinal) && r.Outcome == "writable");
        Assert.Contains(report.Resources, r => r is { Kind: "traffic-switch", Outcome: "verified" });
        var drill = Assert.IsType<DrillReport>(report.Drill);
        Assert.True(drill.ProjectedRtoSeconds > 0);
        Assert.True(drill.WithinObjective);
        Assert.Contains(drill.Removed, r => r.StartsWith("database-copy drill-", StringComparison.Ordinal));
        Assert.Equal(4, drill.Removed.Count(r => r.StartsWith("recovery-instance ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Drill_WhenThePlanHasControlPlaneSwitches_ShouldVerifyThemAndFlipNothing()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout, new LocalEnvironmentOptions { ControlPlaneSwitches = true });

        var report = await new DrillSimulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        Assert.True(report.Outcome == ReportOutcomes.Succeeded, string.Join("; ", report.Resources.Select(r => $"{r.Kind} {r.Id} {r.Outcome} {r.Detail}")));
        Assert.All(report.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Equal(3, report.Resources.Count(r => r is { Kind: "traffic-switch", Outcome: "verified" }));
        Assert.Equal(0, fixture.Aws.Gateway.Calls("UpdateHealthCheck"));
        Assert.Equal(0, fixture.Aws.Gateway.Calls("ChangeResourceRecordSets") - 2); // only the deployment's two batches
    }

    // The state machine no longer cleans up after a failure: the execution status rule's function does, before it
    // publishes the failure notification (so the notification means the cleanup is over).
    [Theory]
    [InlineData("databases", "PromoteReadReplica", "InvalidDBInstanceState", HttpStatusCode.BadRequest, 1)]
    [InlineData("servers", "StartRecovery", "ValidationException", HttpStatusCode.BadRequest, 1)]
    [InlineData("traffic", "DescribeAlarms", "InternalFailure", HttpStatusCode.InternalServerError, 12)]
    public async Task Drill_WhenAPhaseFails_ShouldBeCleanedUpByTheStatusChangeRuleAndChangeNoProductionResource(string phase, string operation, string errorCode, HttpStatusCode status, int times)
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout);
        var inbox = await NotificationInbox.SubscribeAsync(fixture.Aws, environment, Timeout);
        fixture.Aws.Gateway.AddFault(new FaultRule(operation, errorCode, status, times));

        var report = await new DrillSimulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        Assert.True(report.Execution.Status == "FAILED", $"{phase}: {report.Execution.Status}");
        Assert.Contains(report.Checks, c => c is { Name: "production unchanged", Passed: true });
        var failure = await inbox.WaitForPhaseAsync("failure", Timeout);
        Assert.StartsWith("[Failover] orders drill failed at ", failure.Subject, StringComparison.Ordinal);
        Assert.Contains("Drill cleanup: removed ", failure.Message, StringComparison.Ordinal);
        Assert.Empty(await LeftBehindAsync(environment));
    }

    [Fact]
    public async Task Drill_WhenStopped_ShouldBeCleanedUpByTheStatusChangeRule()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout);
        var inbox = await NotificationInbox.SubscribeAsync(fixture.Aws, environment, Timeout);
        var recovery = fixture.Aws.Clients(environment.Plan.RecoveryRegion, TimeProvider.System);

        var report = await new DrillSimulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout, async (executionArn, ct) =>
        {
            // Stop once the drill has created something, as an operator pressing "Stop execution" would.
            while ((await LeftBehindAsync(environment)).Count == 0)
            {
                await Task.Delay(100, ct);
            }

            await recovery.StepFunctions.StopExecutionAsync(executionArn, "Operator", "stopped during a drill", ct);
        });

        Assert.Equal("ABORTED", report.Execution.Status);
        Assert.Contains(report.Checks, c => c is { Name: "production unchanged", Passed: true });
        var stopped = await inbox.WaitForPhaseAsync("failure", Timeout);
        Assert.StartsWith("[Failover] orders drill stopped", stopped.Subject, StringComparison.Ordinal);
        Assert.Empty(await LeftBehindAsync(environment));
        var delivery = Assert.Single(fixture.Aws.Gateway.ExecutionStatusEvents.Delivered);
        Assert.Equal(("ABORTED", "failover-NotifyFailure", null), (delivery.Status, delivery.FunctionName, delivery.Error));
    }

    private async Task<IReadOnlyList<Failover.Core.Ports.DrillResource>> LeftBehindAsync(DeployedEnvironment environment)
    {
        var recovery = fixture.Aws.Clients(environment.Plan.RecoveryRegion, TimeProvider.System);
        return await new DrillResources(recovery.Rds, recovery.Drs).FindAsync(null, Timeout);
    }

    [Fact]
    public async Task DrillCleanup_WhenNothingIsLeft_ShouldRemoveNothingAndSucceed()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout);

        var result = await fixture.Aws.Clients(environment.Plan.RecoveryRegion, TimeProvider.System).Lambda
            .InvokeAsync(environment.CleanupFunctionName, """{"executionName":"orders-drill-never-ran"}""", "RequestResponse", Timeout);

        Assert.Null(result.FunctionError);
        Assert.Equal(0, fixture.Aws.Gateway.Calls("DeleteDBInstance"));
        Assert.Equal(0, fixture.Aws.Gateway.Calls("TerminateRecoveryInstances"));
    }
}
