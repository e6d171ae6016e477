using Failover.Core.Reports;
using Failover.Core.Runs;

namespace Failover.Core.Ports;

/// <summary>An execution as Step Functions reports it now (DescribeExecution), with what its history tells.</summary>
/// <param name="ExecutionArn">The execution's ARN.</param>
/// <param name="Name">The execution's name (what a drill's resources are tagged with).</param>
/// <param name="Status">Its status now (<see cref="ExecutionStatuses"/>).</param>
/// <param name="Error">The error it failed or was stopped with; null when none was given.</param>
/// <param name="Cause">The cause of that error; for a failed Lambda task, the runtime's error document (errorType, errorMessage).</param>
/// <param name="Mode">The <c>mode</c> of its input; null when the input could not be read.</param>
/// <param name="Reason">The <c>reason</c> of its input; null when it has none.</param>
/// <param name="Run">The run as far as it got (<see cref="RunProgress.Merge"/> of every version in the history); null when Prepare never made one.</param>
/// <param name="History">Every history event, oldest first, each attributed to the state it belongs to.</param>
public sealed record ExecutionDetails(
    string ExecutionArn,
    string Name,
    string Status,
    string? Error,
    string? Cause,
    string? Mode,
    string? Reason,
    RunState? Run,
    IReadOnlyList<ExecutionHistoryEvent> History);

/// <summary>Reads an execution of the failover state machine after it ended.</summary>
public interface IExecutionDetails
{
    /// <summary>The execution's description and history (DescribeExecution, GetExecutionHistory).</summary>
    Task<ExecutionDetails> ReadAsync(string executionArn, CancellationToken cancellationToken);
}
