using Failover.Core.Ports;
using Failover.Core.Reports;
using Failover.Core.Runs;

namespace Failover.Core.Services;

/// <summary>
/// What follows an execution that ended without succeeding (FAILED, TIMED_OUT or ABORTED), delivered by the
/// execution status rule: a drill's resources are removed, and the team is told which step failed, with what
/// error and what had already changed. The state machine catches no failure, so that a failed run stays failed
/// at its step and can be redriven from there; this is where the failure path lives instead.
/// </summary>
public sealed class ExecutionEndedService(IExecutionDetails executions, DrillCleanupService cleanup, NotificationService notifications)
{
    /// <summary>
    /// Reads the execution, cleans up a drill, publishes the failure notification. An event whose status the
    /// execution no longer has (it was redriven since) changes nothing: the redriven attempt reports its own end,
    /// and a drill running again must keep its resources. A cleanup that failed or left resources fails the call after
    /// the notification (which says so), so Lambda delivers the event again and the idempotent cleanup retries.
    /// </summary>
    public async Task<ExecutionEndedResult> HandleAsync(ExecutionEndedEvent ended, CancellationToken cancellationToken)
    {
        if (ended.ExecutionArn.Length == 0 || ended.Status is not (ExecutionStatuses.Failed or ExecutionStatuses.TimedOut or ExecutionStatuses.Aborted))
        {
            throw new InvalidRunInputException(
                $"expected an execution that ended unsuccessfully ({{\"executionArn\": ARN, \"status\": FAILED | TIMED_OUT | ABORTED}}); got executionArn '{ended.ExecutionArn}', status '{ended.Status}'");
        }

        var execution = await executions.ReadAsync(ended.ExecutionArn, cancellationToken);
        if (execution.Status != ended.Status)
        {
            return new ExecutionEndedResult
            {
                ExecutionName = execution.Name,
                Status = execution.Status,
                Skipped = $"the event reported {ended.Status}, the execution is {execution.Status} now (redriven since): the attempt that ended is no longer the latest",
            };
        }

        var failedStep = ExecutionAttempts.EndedIn(execution.History);
        DrillCleanup? removed = null;
        Exception? cleanupFailure = null;
        if ((execution.Run?.Mode ?? execution.Mode) == RunModes.Drill)
        {
            try
            {
                removed = await cleanup.CleanupAsync(execution.Name, cancellationToken);
            }
            catch (DrillCleanupFailedException ex)
            {
                (removed, cleanupFailure) = (ex.Cleanup, ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The drill's resources could not even be listed: the team is still told, and told so.
                (removed, cleanupFailure) = (new DrillCleanup { Problems = [$"finding the drill's resources: {ex.GetType().Name}: {ex.Message}"] }, ex);
            }
        }

        var messageId = await notifications.NotifyEndedAsync(execution, failedStep, removed, cancellationToken);
        if (cleanupFailure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cleanupFailure);
        }

        return new ExecutionEndedResult { ExecutionName = execution.Name, Status = execution.Status, FailedStep = failedStep, MessageId = messageId, Cleanup = removed };
    }
}

/// <summary>
/// Input of the failure notifier: what the execution status rule's input transformer passes from the EventBridge
/// "Step Functions Execution Status Change" event (<c>detail.executionArn</c>, <c>detail.status</c>).
/// </summary>
public sealed record ExecutionEndedEvent
{
    /// <summary>The execution that ended (<c>detail.executionArn</c>).</summary>
    public string ExecutionArn { get; set; } = "";

    /// <summary>FAILED, TIMED_OUT or ABORTED.</summary>
    public string Status { get; set; } = "";
}

/// <summary>What the failure notifier did.</summary>
public sealed record ExecutionEndedResult
{
    /// <summary>Name of the execution that ended; a drill's resources are tagged with it.</summary>
    public string ExecutionName { get; set; } = "";

    /// <summary>How it ended (<see cref="Ports.ExecutionStatuses"/>), as Step Functions reports it when read.</summary>
    public string Status { get; set; } = "";

    /// <summary>The step the latest attempt ended in.</summary>
    public string? FailedStep { get; set; }

    /// <summary>The notification's message id; null when nothing was published.</summary>
    public string? MessageId { get; set; }

    /// <summary>Drills: what the cleanup removed.</summary>
    public DrillCleanup? Cleanup { get; set; }

    /// <summary>Why nothing was done, when nothing was.</summary>
    public string? Skipped { get; set; }
}
