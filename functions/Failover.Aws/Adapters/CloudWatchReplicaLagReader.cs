using Failover.Aws.Clients;
using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Rpo;

namespace Failover.Aws.Adapters;

/// <summary>Reads replica lag from RDS's metrics (AWS/RDS) as one-minute maxima, in seconds.</summary>
public sealed class CloudWatchReplicaLagReader(CloudWatchClient cloudWatch) : IReplicaLagReader
{
    /// <inheritdoc />
    public async Task<LagSeries> ReadAsync(string kind, string id, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var (metric, dimension, toSeconds) = kind switch
        {
            DatabaseKinds.RdsInstanceReplica => ("ReplicaLag", "DBInstanceIdentifier", 1.0),
            // Reported by the secondary cluster, in milliseconds.
            DatabaseKinds.AuroraGlobal => ("AuroraGlobalDBReplicationLag", "DBClusterIdentifier", 0.001),
            _ => ("AuroraBinlogReplicaLag", "DBClusterIdentifier", 1.0),
        };
        var query = new MetricDataQuery("lag", "AWS/RDS", metric, new Dictionary<string, string> { [dimension] = id }, 60, "Maximum");
        // CloudWatch labels each one-minute maximum with the start of its minute and returns only the periods that begin
        // before the end time: read one period past the end so the minute holding it counts, then drop later labels.
        var results = await cloudWatch.GetMetricDataAsync([query], from, to.AddMinutes(1), cancellationToken);
        var series = results.FirstOrDefault(r => r.Id == "lag");
        var points = series is null ? [] : series.Timestamps.Zip(series.Values, (t, v) => new LagDatapoint(t, v < 0 ? -1 : v * toSeconds))
            .Where(p => p.Timestamp <= to).OrderBy(p => p.Timestamp).ToList();
        return new LagSeries(metric, points);
    }
}
