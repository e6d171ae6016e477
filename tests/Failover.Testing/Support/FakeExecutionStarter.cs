using Failover.Core.Ports;

namespace Failover.Testing;

/// <summary>
/// Step Functions StartExecution in memory: names are unique, so starting a name that exists reports
/// <see cref="StartOutcome.AlreadyExists"/> (the idempotent answer for the same name and input).
/// </summary>
public sealed class FakeExecutionStarter : IExecutionStarter
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly List<StartCall> _calls = [];

    /// <summary>When set, every start throws it (after recording the call), like throttling would.</summary>
    public Exception? Failure { get; set; }

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

    /// <summary>Names of executions that exist.</summary>
    public IReadOnlyCollection<string> Executions
    {
        get
        {
            lock (_gate)
            {
                return [.. _names];
            }
        }
    }

    /// <summary>Pretends an execution of this name was started earlier (by another invocation).</summary>
    public FakeExecutionStarter WithExisting(string name)
    {
        lock (_gate)
        {
            _names.Add(name);
        }

        return this;
    }

    public Task<StartOutcome> StartAsync(string name, string input, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _calls.Add(new StartCall(name, input));
            if (Failure is { } failure)
            {
                throw failure;
            }

            return Task.FromResult(_names.Add(name) ? StartOutcome.Started : StartOutcome.AlreadyExists);
        }
    }
}

/// <summary>One StartAsync call.</summary>
public sealed record StartCall(string Name, string Input);
