using Failover.Core.Ports;

namespace Failover.Core.Tests.Support;

/// <summary>Replica lag in memory: unknown (null) unless set.</summary>
public sealed class FakeReplicaLagReader : IReplicaLagReader
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, double?> _lags = new(StringComparer.Ordinal);
    private readonly List<string> _calls = [];

    /// <summary>When set, every read throws it.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Every read, by replica identifier, in order.</summary>
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

    /// <summary>Sets the lag the next reads return; null means no recent datapoint.</summary>
    public FakeReplicaLagReader SetLag(string replicaId, double? seconds)
    {
        lock (_gate)
        {
            _lags[replicaId] = seconds;
        }

        return this;
    }

    public Task<double?> ReadLagSecondsAsync(string replicaId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _calls.Add(replicaId);
            if (Failure is { } failure)
            {
                throw failure;
            }

            return Task.FromResult(_lags.GetValueOrDefault(replicaId));
        }
    }
}
