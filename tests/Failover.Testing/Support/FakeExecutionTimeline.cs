using Failover.Core.Ports;
using Failover.Core.Reports;

namespace Failover.Testing;

/// <summary>Execution histories in memory, by execution ARN; an execution that was not given one does not exist.</summary>
public sealed class FakeExecutionTimeline : IExecutionTimeline
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IReadOnlyList<ExecutionHistoryEvent>> _histories = new(StringComparer.Ordinal);
    private readonly List<string> _calls = [];

    /// <summary>When set, every read throws it.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Every read, by execution ARN, in order.</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Sets the history of <paramref name="executionArn"/>.</summary>
    public FakeExecutionTimeline With(string executionArn, IReadOnlyList<ExecutionHistoryEvent> history)
    {
        lock (_gate)
        {
            _histories[executionArn] = history;
        }

        return this;
    }

    public Task<IReadOnlyList<ExecutionHistoryEvent>> ReadAsync(string executionArn, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _calls.Add(executionArn);
            if (Failure is { } failure)
            {
                throw failure;
            }

            return _histories.TryGetValue(executionArn, out var history)
                ? Task.FromResult(history)
                : throw new SimulatedAwsException("ExecutionDoesNotExist", $"Execution Does Not Exist: '{executionArn}'");
        }
    }
}
