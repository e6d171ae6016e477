using Failover.Core.Ports;

namespace Failover.Testing;

/// <summary>Ended executions in memory, by ARN; an execution that was not given one does not exist.</summary>
public sealed class FakeExecutionDetails : IExecutionDetails
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ExecutionDetails> _executions = new(StringComparer.Ordinal);

    /// <summary>Adds (or replaces) an execution.</summary>
    public FakeExecutionDetails With(ExecutionDetails execution)
    {
        lock (_gate)
        {
            _executions[execution.ExecutionArn] = execution;
        }

        return this;
    }

    public Task<ExecutionDetails> ReadAsync(string executionArn, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return _executions.TryGetValue(executionArn, out var execution)
                ? Task.FromResult(execution)
                : throw new SimulatedAwsException("ExecutionDoesNotExist", $"Execution Does Not Exist: '{executionArn}'");
        }
    }
}
