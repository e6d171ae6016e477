using Failover.Aws.Clients;
using Failover.Core.Plans;
using Failover.Core.Ports;

namespace Failover.Aws.Adapters;

/// <summary>Reads replica lag from RDS's metrics (AWS/RDS): the newest 1-minute maximum of the last 5 minutes, in seconds.</summary>
public sealed class CloudWatchReplicaLagReader(CloudWatchClient cloudWatch, TimeProvider clock) : IReplicaLagReader
{
    private static readonly TimeSpan Lookback = TimeSpan.FromMinutes(5);

    /// <inheritdoc />
    public Task<double?> ReadLagSecondsAsync(string replicaId, CancellationToken cancellationToken) =>
        ReadNewestAsync("ReplicaLag", "DBInstanceIdentifier", replicaId, 1, cancellationToken);

    /// <inheritdoc />
    public Task<double?> ReadClusterLagSecondsAsync(string kind, string clusterId, CancellationToken cancellationToken) => kind == DatabaseKinds.AuroraGlobal
        // Reported by the secondary cluster, in milliseconds.
        ? ReadNewestAsync("AuroraGlobalDBReplicationLag", "DBClusterIdentifier", clusterId, 0.001, cancellationToken)
        : ReadNewestAsync("AuroraBinlogReplicaLag", "DBClusterIdentifier", clusterId, 1, cancellationToken);

    private async Task<double?> ReadNewestAsync(string metricName, string dimension, string id, double toSeconds, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var query = new MetricDataQuery("lag", "AWS/RDS", metricName, new Dictionary<string, string> { [dimension] = id }, 60, "Maximum");
        var results = await cloudWatch.GetMetricDataAsync([query], now - Lookback, now.AddMinutes(1), cancellationToken);
        var series = results.FirstOrDefault(r => r.Id == "lag");
        if (series is null || series.Values.Count == 0)
        {
            return null;
        }

        var newest = series.Timestamps.Select((t, i) => (t, i)).MaxBy(p => p.t).i;
        return series.Values[newest] * toSeconds;
    }
}
