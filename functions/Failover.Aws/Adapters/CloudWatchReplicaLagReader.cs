using Failover.Aws.Clients;
using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Rpo;

namespace Failover.Aws.Adapters;

/// <summary>Reads replica lag from RDS's metrics (AWS/RDS) as one-minute maxima, in seconds.</summary>
public sealed class CloudWatchReplicaLagReader(CloudWatchClient cloudWatch) : IReplicaLagReader
{
    /// <summary>Most queries one GetMetricData takes (API_GetMetricData.html: "as many as 500 MetricDataQuery structures").</summary>
    public const int MaxQueriesPerCall = 500;

    /// <inheritdoc />
    public async Task<LagSeries> ReadAsync(string kind, string id, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        (await ReadManyAsync([new LagSource(kind, id)], since, until, cancellationToken))[0];

    /// <inheritdoc />
    public async Task<IReadOnlyList<LagSeries>> ReadManyAsync(IReadOnlyList<LagSource> sources, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var read = new List<LagSeries>(sources.Count);
        foreach (var chunk in sources.Chunk(MaxQueriesPerCall))
        {
            var metrics = chunk.Select(s => MetricOf(s.Kind)).ToList();
            // Query ids must start with a lower-case letter; the index ties each answer to its source.
            var queries = chunk.Select((s, i) => new MetricDataQuery($"lag{i}", "AWS/RDS", metrics[i].Metric, new Dictionary<string, string> { [metrics[i].Dimension] = s.Id }, 60, "Maximum")).ToList();
            // CloudWatch labels each one-minute maximum with the start of its minute and returns only the periods that begin
            // before the end time: read one period past the end so the minute holding it counts, then drop later labels.
            var results = (await cloudWatch.GetMetricDataAsync(queries, since, until.AddMinutes(1), cancellationToken)).ToDictionary(r => r.Id, StringComparer.Ordinal);
            for (var i = 0; i < chunk.Length; i++)
            {
                var (metric, _, toSeconds) = metrics[i];
                var points = results.TryGetValue($"lag{i}", out var series)
                    ? series.Timestamps.Zip(series.Values, (t, v) => new LagDatapoint(t, v < 0 ? -1 : v * toSeconds)).Where(p => p.Timestamp <= until).OrderBy(p => p.Timestamp).ToList()
                    : [];
                read.Add(new LagSeries(metric, points));
            }
        }

        return read;
    }

    private static (string Metric, string Dimension, double ToSeconds) MetricOf(string kind) => kind switch
    {
        DatabaseKinds.RdsInstanceReplica => ("ReplicaLag", "DBInstanceIdentifier", 1.0),
        // Reported by the secondary cluster, in milliseconds.
        DatabaseKinds.AuroraGlobal => ("AuroraGlobalDBReplicationLag", "DBClusterIdentifier", 0.001),
        _ => ("AuroraBinlogReplicaLag", "DBClusterIdentifier", 1.0),
    };
}
