using Failover.Core.Ports;
using Failover.Core.Reports;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Testing;

namespace Failover.Core.Tests.Services;

public sealed class ExecutionEndedServiceTests
{
    private readonly FakeExecutionDetails _executions = new();
    private readonly FakeDrillResources _drill = new();
    private readonly FakeNotificationPublisher _publisher = new();
    private readonly ExecutionEndedService _service;

    public ExecutionEndedServiceTests() =>
        _service = new ExecutionEndedService(_executions, new DrillCleanupService(_drill, new ManualClock(), TimeSpan.Zero), new NotificationService(PlanBuilder.Sample().Build(), _publisher));

    [Fact]
    public async Task HandleAsync_WhenAFailoverFailedAtAStep_ShouldPublishOneFailureNamingThatStep()
    {
        // Arrange
        _executions.With(Execution(ExecutionStatuses.Failed, RunModes.Failover, FailedAt("Switch traffic")));

        // Act
        var result = await _service.HandleAsync(Event(ExecutionStatuses.Failed), CancellationToken.None);

        // Assert
        Assert.Equal(("Switch traffic", "message-1", (string?)null), (result.FailedStep, result.MessageId, result.Skipped));
        var notification = Assert.Single(_publisher.Published);
        Assert.Equal("[Failover] orders failover failed at Switch traffic", notification.Subject);
        Assert.Null(result.Cleanup);
        Assert.Empty(_drill.Removed);
    }

    [Fact]
    public async Task HandleAsync_WhenADrillWasStopped_ShouldRemoveWhatItCreatedBeforeNotifying()
    {
        // Arrange
        _drill.With(new DrillResource(DrillResourceKinds.DatabaseCopy, "drill-1234abcd-orders-replica"), Samples.ExecutionName)
            .With(new DrillResource("database-copy", "drill-other"), "another-drill");
        _executions.With(Execution(ExecutionStatuses.Aborted, RunModes.Drill, []));

        // Act
        var result = await _service.HandleAsync(Event(ExecutionStatuses.Aborted), CancellationToken.None);

        // Assert
        Assert.Equal(["drill-1234abcd-orders-replica"], _drill.Removed.Select(r => r.Id));
        Assert.Equal(["database-copy drill-1234abcd-orders-replica"], result.Cleanup!.Removed);
        Assert.Contains("Drill cleanup: removed database-copy drill-1234abcd-orders-replica.", Assert.Single(_publisher.Published).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenTheDrillCleanupLeavesResources_ShouldNotifyWhatIsLeftThenFailForARetry()
    {
        // Arrange
        _drill.With(new DrillResource("recovery-instance", "i-1"), Samples.ExecutionName);
        _drill.RemoveFailure = ("recovery-instance", new SimulatedAwsException("AccessDeniedException", "not allowed"));
        _executions.With(Execution(ExecutionStatuses.Failed, RunModes.Drill, FailedAt("Verify switches")));

        // Act
        var ex = await Assert.ThrowsAsync<DrillCleanupFailedException>(() => _service.HandleAsync(Event(ExecutionStatuses.Failed), CancellationToken.None));

        // Assert
        Assert.Contains("recovery-instance i-1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Drill cleanup left: recovery-instance i-1: SimulatedAwsException: AccessDeniedException: not allowed", Assert.Single(_publisher.Published).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WhenTheDrillsResourcesCannotBeListed_ShouldStillNotifyThenFail()
    {
        // Arrange
        _drill.FindFailure = new SimulatedAwsException("AccessDeniedException", "rds:DescribeDBInstances");
        _executions.With(Execution(ExecutionStatuses.Failed, RunModes.Drill, FailedAt("Verify switches")));

        // Act
        var ex = await Assert.ThrowsAsync<SimulatedAwsException>(() => _service.HandleAsync(Event(ExecutionStatuses.Failed), CancellationToken.None));

        // Assert
        Assert.Equal("AccessDeniedException", ex.Code);
        Assert.Contains("Drill cleanup left: finding the drill's resources: SimulatedAwsException: AccessDeniedException: rds:DescribeDBInstances.", Assert.Single(_publisher.Published).Body, StringComparison.Ordinal);
    }

    // A late event: the operator redrove the execution after it failed. Cleaning up would pull a running drill's
    // resources away, and the failure it reported is no longer the latest attempt's.
    [Theory]
    [InlineData(ExecutionStatuses.Running)]
    [InlineData(ExecutionStatuses.Succeeded)]
    public async Task HandleAsync_WhenTheExecutionWasRedrivenSince_ShouldNeitherCleanUpNorNotify(string statusNow)
    {
        // Arrange
        _drill.With(new DrillResource(DrillResourceKinds.DatabaseCopy, "drill-1234abcd-orders-replica"), Samples.ExecutionName);
        _executions.With(Execution(statusNow, RunModes.Drill, FailedAt("Check databases")));

        // Act
        var result = await _service.HandleAsync(Event(ExecutionStatuses.Failed), CancellationToken.None);

        // Assert
        Assert.Contains("redriven since", result.Skipped, StringComparison.Ordinal);
        Assert.Null(result.MessageId);
        Assert.Empty(_publisher.Published);
        Assert.Empty(_drill.Removed);
    }

    [Theory]
    [InlineData(Samples.ExecutionArn, ExecutionStatuses.Succeeded)]
    [InlineData(Samples.ExecutionArn, "")]
    [InlineData("", ExecutionStatuses.Failed)]
    public async Task HandleAsync_WhenTheEventIsNotAnUnsuccessfulEnd_ShouldRefuseItNamingWhatItGot(string executionArn, string status)
    {
        // Arrange
        var ended = new ExecutionEndedEvent { ExecutionArn = executionArn, Status = status };

        // Act
        var ex = await Assert.ThrowsAsync<InvalidRunInputException>(() => _service.HandleAsync(ended, CancellationToken.None));

        // Assert
        Assert.Contains($"got executionArn '{executionArn}', status '{status}'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_publisher.Published);
    }

    [Fact]
    public async Task HandleAsync_WhenPublishingFails_ShouldLetTheErrorThroughSoLambdaDeliversAgain()
    {
        // Arrange
        _publisher.Failure = new SimulatedAwsException("KMSThrottling", "slow down");
        _executions.With(Execution(ExecutionStatuses.Failed, RunModes.Failover, FailedAt("Prepare")));

        // Act
        var ex = await Assert.ThrowsAsync<SimulatedAwsException>(() => _service.HandleAsync(Event(ExecutionStatuses.Failed), CancellationToken.None));

        // Assert
        Assert.Equal("KMSThrottling", ex.Code);
    }

    private static ExecutionEndedEvent Event(string status) => new() { ExecutionArn = Samples.ExecutionArn, Status = status };

    private static ExecutionDetails Execution(string status, string mode, IReadOnlyList<ExecutionHistoryEvent> history) =>
        new(Samples.ExecutionArn, Samples.ExecutionName, status, status == ExecutionStatuses.Failed ? "AwsServiceException" : null, "refused", mode, "test",
            RunBuilder.Prepared().Change(r => r with { Mode = mode }).Build(), history);

    private static IReadOnlyList<ExecutionHistoryEvent> FailedAt(string step) =>
        new HistoryBuilder(ManualClock.DefaultStart).At(0).Event("ExecutionStarted")
            .At(1).Event("TaskStateEntered", step).Event("LambdaFunctionFailed", step).Event("ExecutionFailed")
            .Build();
}
