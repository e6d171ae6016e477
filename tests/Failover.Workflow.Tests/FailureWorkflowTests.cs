using Failover.Core.Runs;
using System.Net;
using Failover.Core.Reports;
using Failover.Local;

namespace Failover.Workflow.Tests;

/// <summary>
/// A step that fails ends the execution FAILED at that step (so it can be fixed and redriven from there), and the
/// execution status rule still tells the team: the failure notification names the step, the error and what changed.
/// </summary>
[Collection(LocalAwsCollection.Name)]
public sealed class FailureWorkflowTests(LocalAwsFixture fixture)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;

    [Theory]
    [InlineData("Prepare", "DescribeDBInstances")]
    [InlineData("Switch traffic", "PutMetricData")]
    public async Task Simulate_WhenAStepFails_ShouldEndFailedAtThatStepAndNotifyTheFailure(string step, string operation)
    {
        // Arrange: the step's AWS call is refused (a client error: not retried).
        var environment = await fixture.FreshEnvironmentAsync(Timeout);
        var inbox = await NotificationInbox.SubscribeAsync(fixture.Aws, environment, Timeout);
        fixture.Aws.Gateway.AddFault(new FaultRule(operation, "InvalidParameterValue", HttpStatusCode.BadRequest, 1));

        // Act
        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        // Assert
        await WorkflowAssert.EndedFailedAtAsync(fixture.Aws, environment, report, step, Timeout);
        Assert.Equal(step, report.Steps[^1].Name);
        var failure = await inbox.WaitForPhaseAsync("failure", Timeout);
        Assert.Equal("failed", failure.Attributes["outcome"]);
        Assert.Contains(step, failure.Subject, StringComparison.Ordinal);
        Assert.Contains($"Error: AwsServiceException: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("InvalidParameterValue", failure.Message, StringComparison.Ordinal);
    }

    // A refusal before any change is no failure of a step, but it keeps no path of its own: the execution fails at
    // Prepare (a redrive checks again), and the notification says the run was blocked and nothing changed.
    [Fact]
    public async Task Start_WhenTheRpoGateBlocksAManualRun_ShouldEndFailedAtPrepareAndNotifyThatNothingChanged()
    {
        // Arrange: an operator's failover without allowDataLoss, 120 s at risk over the 60 s objective.
        var environment = await fixture.FreshEnvironmentAsync(Timeout, new LocalEnvironmentOptions { ReplicaLagSeconds = 120 });
        var inbox = await NotificationInbox.SubscribeAsync(fixture.Aws, environment, Timeout);

        // Act
        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System).StartAsync(new StartRequest { Mode = RunModes.Failover, Reason = "primary degraded" }, null, Timeout);

        // Assert
        Assert.Equal(ReportOutcomes.Blocked, report.Outcome);
        await WorkflowAssert.EndedFailedAtAsync(fixture.Aws, environment, report, "Prepare", Timeout);
        var blocked = await inbox.WaitForPhaseAsync("failure", Timeout);
        Assert.Equal("[Failover] orders failover blocked at Prepare", blocked.Subject);
        Assert.Equal("blocked", blocked.Attributes["outcome"]);
        Assert.Contains("Error: RpoGateBlockedException: RPO gate: ", blocked.Message, StringComparison.Ordinal);
        Assert.Contains("Already changed: nothing.", blocked.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WhenSwitchTrafficFails_ShouldNotifyThatTheDatabasesAndServersAlreadyChanged()
    {
        // Arrange
        var environment = await fixture.FreshEnvironmentAsync(Timeout);
        var inbox = await NotificationInbox.SubscribeAsync(fixture.Aws, environment, Timeout);
        fixture.Aws.Gateway.AddFault(new FaultRule("PutMetricData", "InvalidParameterValue", HttpStatusCode.BadRequest, 1));

        // Act
        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        // Assert: the promotion and the launches happened; traffic did not move.
        Assert.Equal(ReportOutcomes.Failed, report.Outcome);
        var failure = await inbox.WaitForPhaseAsync("failure", Timeout);
        Assert.Contains("Already changed:", failure.Message, StringComparison.Ordinal);
        Assert.Contains("database orders-replica promoted", failure.Message, StringComparison.Ordinal);
        Assert.Contains("4 DRS source servers launched", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Traffic switch orders-web: pending", failure.Message, StringComparison.Ordinal);
        Assert.Contains("redrive-execution", failure.Message, StringComparison.Ordinal);
    }
}
