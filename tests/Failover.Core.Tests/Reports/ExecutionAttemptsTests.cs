using Failover.Core.Reports;
using Failover.Testing;

namespace Failover.Core.Tests.Reports;

/// <summary>
/// Where an execution's latest attempt ended, and what its report says after a redrive. The histories follow the
/// event types of the Step Functions API reference (HistoryEventType); a redrive continues the same history after
/// an ExecutionRedriven event (redrive-executions.html).
/// </summary>
public sealed class ExecutionAttemptsTests
{
    [Fact]
    public void EndedIn_WhenATaskFailedAfterItsRetries_ShouldBeThatTask()
    {
        // Arrange
        var history = Start()
            .Task("Prepare", 0.1, 0.5)
            .At(1).Event("TaskStateEntered", "Switch traffic").Event("LambdaFunctionScheduled", "Switch traffic").Event("LambdaFunctionFailed", "Switch traffic")
            .At(2).Event("LambdaFunctionScheduled", "Switch traffic").Event("LambdaFunctionFailed", "Switch traffic")
            .Event("ExecutionFailed")
            .Build();

        // Act
        var step = ExecutionAttempts.EndedIn(history);

        // Assert
        Assert.Equal("Switch traffic", step);
    }

    [Fact]
    public void EndedIn_WhenAnEarlierStepRecoveredByRetry_ShouldBeTheStepThatFailedLast()
    {
        // Arrange: Prepare was throttled once and its retry succeeded; Promote databases failed for good.
        var history = Start()
            .At(0.1).Event("TaskStateEntered", "Prepare").Event("LambdaFunctionFailed", "Prepare")
            .At(0.5).Event("LambdaFunctionSucceeded", "Prepare").Event("TaskStateExited", "Prepare")
            .At(1).Event("ParallelStateEntered", "Recover")
            .Event("TaskStateEntered", "Promote databases").Event("TaskStateEntered", "Start recovery")
            .At(1.5).Event("LambdaFunctionSucceeded", "Start recovery").Event("TaskStateExited", "Start recovery")
            .At(2).Event("LambdaFunctionFailed", "Promote databases")
            .Event("WaitStateEntered", "Wait for servers")
            .Event("ExecutionFailed")
            .Build();

        // Act
        var step = ExecutionAttempts.EndedIn(history);

        // Assert
        Assert.Equal("Promote databases", step);
    }

    [Fact]
    public void EndedIn_WhenStoppedWhileWaiting_ShouldBeTheInnermostStateItWasIn()
    {
        // Arrange
        var history = Start()
            .Task("Prepare", 0.1, 0.5)
            .At(1).Event("ParallelStateEntered", "Recover").Event("WaitStateEntered", "Wait for databases")
            .At(9).Event("ExecutionAborted")
            .Build();

        // Act
        var step = ExecutionAttempts.EndedIn(history);

        // Assert
        Assert.Equal("Wait for databases", step);
    }

    [Fact]
    public void EndedIn_WhenRedrivenAndFailedAgainLater_ShouldBeTheStepOfTheLatestAttempt()
    {
        // Arrange: the first attempt failed at Switch traffic; the redrive got past it and failed at Check traffic.
        var history = FailedAtSwitchTraffic()
            .At(60).Event(ExecutionAttempts.RedrivenEvent)
            .Task("Switch traffic", 60.1, 60.4)
            .At(61).Event("TaskStateEntered", "Check traffic").Event("LambdaFunctionFailed", "Check traffic")
            .Event("ExecutionFailed")
            .Build();

        // Act
        var step = ExecutionAttempts.EndedIn(history);

        // Assert
        Assert.Equal("Check traffic", step);
        Assert.Equal(1, ExecutionAttempts.RedriveCount(history));
    }

    [Fact]
    public void Latest_WhenNeverRedriven_ShouldBeTheWholeHistory()
    {
        // Arrange
        var history = FailedAtSwitchTraffic().Build();

        // Act
        var latest = ExecutionAttempts.Latest(history);

        // Assert
        Assert.Equal(history, latest);
        Assert.Equal(0, ExecutionAttempts.RedriveCount(history));
    }

    [Fact]
    public void EndedIn_WhenTheRunEndedInNoState_ShouldBeNull()
    {
        // Arrange
        var history = Start().Task("Prepare", 0.1, 0.5).Event("ExecutionAborted").Build();

        // Act
        var step = ExecutionAttempts.EndedIn(history);

        // Assert
        Assert.Null(step);
    }

    // The Report task reads its own history: after a redrive that succeeded, the failed attempt is still in it.
    [Fact]
    public void Timeline_WhenARedriveSucceededAfterAFailure_ShouldNotReportTheRedrivenStepAsFailed()
    {
        // Arrange
        var history = FailedAtSwitchTraffic()
            .At(60).Event(ExecutionAttempts.RedrivenEvent)
            .Task("Switch traffic", 60.1, 60.4)
            .Task("Report", 61, 61.2)
            .Build();

        // Act
        var steps = ReportBuilder.Aggregate(ReportBuilder.Timeline(history, executionEnded: false));

        // Assert
        Assert.DoesNotContain(steps, s => s.Outcome != "succeeded");
        Assert.Equal(["Prepare", "Switch traffic", "Report"], steps.Select(s => s.Name));
    }

    // A redrive reschedules the failed task; the history need not enter the state again before its new attempt.
    [Fact]
    public void Timeline_WhenTheRedrivenTaskIsRescheduledWithoutReEntering_ShouldReportItSucceeded()
    {
        // Arrange
        var history = FailedAtSwitchTraffic()
            .At(60).Event(ExecutionAttempts.RedrivenEvent)
            .Event("LambdaFunctionScheduled", "Switch traffic").Event("LambdaFunctionStarted", "Switch traffic")
            .At(60.4).Event("LambdaFunctionSucceeded", "Switch traffic").Event("TaskStateExited", "Switch traffic")
            .Build();

        // Act
        var steps = ReportBuilder.Aggregate(ReportBuilder.Timeline(history, executionEnded: true));

        // Assert
        Assert.Equal("succeeded", Assert.Single(steps, s => s.Name == "Switch traffic").Outcome);
        Assert.Null(ExecutionAttempts.EndedIn(history));
    }

    private static HistoryBuilder Start() => new HistoryBuilder(ManualClock.DefaultStart).At(0).Event("ExecutionStarted");

    private static HistoryBuilder FailedAtSwitchTraffic() => Start()
        .Task("Prepare", 0.1, 0.5)
        .At(1).Event("TaskStateEntered", "Switch traffic").Event("LambdaFunctionScheduled", "Switch traffic").Event("LambdaFunctionFailed", "Switch traffic")
        .Event("ExecutionFailed");
}
