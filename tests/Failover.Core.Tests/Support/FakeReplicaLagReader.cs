using Failover.Core.Ports;

namespace Failover.Core.Tests.Support;

/// <summary>Replica lag in memory, for instances and clusters alike (keyed by identifier): unknown (null) unless set.</summary>
public sealed class FakeReplicaLagReader : IReplicaLagReader
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, double?> _lags = new(StringComparer.Ordinal);
    private readonly List<string> _calls = [];
    private readonly List<(string Kind, string ClusterId)> _clusterCalls = [];

    /// <summary>When set, every read throws it.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Every instance read (ReadLagSecondsAsync), by replica identifier, in order.</summary>
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

    /// <summary>Every cluster read (ReadClusterLagSecondsAsync), in order.</summary>
    public IReadOnlyList<(string Kind, string ClusterId)> ClusterCalls
    {
        get
        {
            lock (_gate)
            {
                return [.. _clusterCalls];
            }
        }
    }

    /// <summary>Sets the lag the next reads of an instance or cluster return; null means no recent datapoint.</summary>
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

    public Task<double?> ReadClusterLagSecondsAsync(string kind, string clusterId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _clusterCalls.Add((kind, clusterId));
            if (Failure is { } failure)
            {
                throw failure;
            }

            return Task.FromResult(_lags.GetValueOrDefault(clusterId));
        }
    }
}
