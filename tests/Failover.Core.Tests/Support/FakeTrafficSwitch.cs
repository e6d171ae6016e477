using Failover.Core.Plans;
using Failover.Core.Ports;

namespace Failover.Core.Tests.Support;

/// <summary>Records each switch flipped; can be told to fail for one switch or for all.</summary>
public sealed class FakeTrafficSwitch : ITrafficSwitch
{
    private readonly Lock _gate = new();
    private readonly List<TrafficSwitchTarget> _switched = [];
    private readonly Dictionary<string, Exception> _failures = new(StringComparer.Ordinal);

    /// <summary>When set, every switch throws it.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Every successful SwitchAsync, in order.</summary>
    public IReadOnlyList<TrafficSwitchTarget> Switched
    {
        get
        {
            lock (_gate)
            {
                return [.. _switched];
            }
        }
    }

    /// <summary>Makes switching <paramref name="switchId"/> throw.</summary>
    public void FailFor(string switchId, Exception exception)
    {
        lock (_gate)
        {
            _failures[switchId] = exception;
        }
    }

    public Task SwitchAsync(TrafficSwitchTarget target, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if ((Failure ?? _failures.GetValueOrDefault(target.Id)) is { } failure)
            {
                throw failure;
            }

            _switched.Add(target);
        }

        return Task.CompletedTask;
    }
}
