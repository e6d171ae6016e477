using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Rpo;

namespace Failover.Testing;

/// <summary>
/// Replica lag in memory, for instances and clusters alike (keyed by identifier). <see cref="SetLag"/> gives a steady lag
/// (one datapoint a minute over the whole range read), <see cref="SetSeries"/> exact datapoints; unknown (no datapoint)
/// unless set.
/// </summary>
public sealed class FakeReplicaLagReader : IReplicaLagReader
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, double?> _lags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<LagDatapoint>> _series = new(StringComparer.Ordinal);
    private readonly List<(string Kind, string Id)> _calls = [];
    private readonly List<IReadOnlyList<string>> _batches = [];

    /// <summary>When set, every read throws it.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Every read of an RDS instance replica, by identifier, in order.</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls.Where(c => c.Kind == DatabaseKinds.RdsInstanceReplica).Select(c => c.Id)];
            }
        }
    }

    /// <summary>Every read of a cluster (replica cluster or global secondary), in order.</summary>
    public IReadOnlyList<(string Kind, string ClusterId)> ClusterCalls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls.Where(c => c.Kind != DatabaseKinds.RdsInstanceReplica)];
            }
        }
    }

    /// <summary>The ids of every ReadManyAsync (one batch each), in order; each read is also in <see cref="Calls"/> or <see cref="ClusterCalls"/>.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Batches
    {
        get
        {
            lock (_gate)
            {
                return [.. _batches];
            }
        }
    }

    /// <summary>Sets a steady lag the next reads return, one datapoint a minute; null means no datapoint at all.</summary>
    public FakeReplicaLagReader SetLag(string replicaId, double? seconds)
    {
        lock (_gate)
        {
            _series.Remove(replicaId);
            _lags[replicaId] = seconds;
        }

        return this;
    }

    /// <summary>Sets the exact datapoints the next reads return (filtered to the range read).</summary>
    public FakeReplicaLagReader SetSeries(string replicaId, IReadOnlyList<LagDatapoint> datapoints)
    {
        lock (_gate)
        {
            _series[replicaId] = datapoints;
        }

        return this;
    }

    /// <inheritdoc />
    public Task<LagSeries> ReadAsync(string kind, string id, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _calls.Add((kind, id));
            if (Failure is { } failure)
            {
                throw failure;
            }

            var points = _series.TryGetValue(id, out var series) ? series.Where(p => p.Timestamp >= since && p.Timestamp <= until).ToList()
                : _lags.GetValueOrDefault(id) is { } steady ? Steady(steady, since, until)
                : [];
            return Task.FromResult(new LagSeries("ReplicaLag", points));
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LagSeries>> ReadManyAsync(IReadOnlyList<LagSource> sources, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _batches.Add([.. sources.Select(s => s.Id)]);
        }

        var read = new List<LagSeries>();
        foreach (var source in sources)
        {
            read.Add(await ReadAsync(source.Kind, source.Id, since, until, cancellationToken));
        }

        return read;
    }

    private static List<LagDatapoint> Steady(double seconds, DateTimeOffset from, DateTimeOffset to)
    {
        var points = new List<LagDatapoint>();
        for (var t = to.AddSeconds(-30); t >= from; t = t.AddMinutes(-1))
        {
            points.Insert(0, new LagDatapoint(t, seconds));
        }

        return points;
    }
}
