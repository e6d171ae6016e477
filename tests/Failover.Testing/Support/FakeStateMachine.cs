using System.Text.Json.Nodes;
using Failover.Core.Ports;

namespace Failover.Testing;

/// <summary>
/// A Step Functions state machine in memory, for the trigger: StartExecution (names unique; an existing name
/// reports <see cref="StartOutcome.AlreadyExists"/>), and ListExecutions + DescribeExecution as
/// <see cref="IExecutionHistory"/>. Started executions stay RUNNING until <see cref="Finish"/>.
/// </summary>
public sealed class FakeStateMachine(TimeProvider clock) : IExecutionStarter, IExecutionHistory
{
    private readonly Lock _gate = new();
    private readonly List<ExecutionRecord> _executions = [];
    private readonly List<StartCall> _calls = [];
    private int _historyReads;

    /// <summary>When set, every start throws it (after recording the call), like throttling would.</summary>
    public Exception? StartFailure { get; set; }

    /// <summary>When set, every history read throws it.</summary>
    public Exception? HistoryFailure { get; set; }

    /// <summary>How many times the recent executions were asked for.</summary>
    public int HistoryReads => Volatile.Read(ref _historyReads);

    /// <summary>Every StartAsync, in order, including those that found an existing execution.</summary>
    public IReadOnlyList<StartCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Every execution, oldest first.</summary>
    public IReadOnlyList<ExecutionRecord> Executions
    {
        get
        {
            lock (_gate)
            {
                return [.. _executions];
            }
        }
    }

    /// <summary>Adds an execution that exists already (started by an operator, another trigger, or earlier).</summary>
    public FakeStateMachine With(string name, string status, DateTimeOffset startDate, DateTimeOffset? stopDate, string? mode)
    {
        lock (_gate)
        {
            _executions.Add(new ExecutionRecord(name, status, startDate, stopDate, mode));
        }

        return this;
    }

    /// <summary>Ends a running execution now.</summary>
    public void Finish(string name, string status)
    {
        lock (_gate)
        {
            var index = _executions.FindIndex(e => e.Name == name);
            _executions[index] = _executions[index] with { Status = status, StopDate = clock.GetUtcNow() };
        }
    }

    public Task<StartOutcome> StartAsync(string name, string input, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _calls.Add(new StartCall(name, input));
            if (StartFailure is { } failure)
            {
                throw failure;
            }

            if (_executions.Any(e => e.Name == name))
            {
                return Task.FromResult(StartOutcome.AlreadyExists);
            }

            var mode = JsonNode.Parse(input)?["mode"]?.GetValue<string>();
            _executions.Add(new ExecutionRecord(name, ExecutionStatuses.Running, clock.GetUtcNow(), null, mode));
            return Task.FromResult(StartOutcome.Started);
        }
    }

    public Task<IReadOnlyList<ExecutionRecord>> ListRecentAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _historyReads);
        if (HistoryFailure is { } failure)
        {
            throw failure;
        }

        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ExecutionRecord>>([.. _executions
                .Where(e => ExecutionStatuses.IsInFlight(e.Status) || (e.StopDate ?? e.StartDate) >= since)
                .OrderByDescending(e => e.StartDate)]);
        }
    }
}
