using Failover.Aws.Clients;
using Failover.Core.Ports;

namespace Failover.Aws.Adapters;

/// <summary>Reads RDS's ReplicaLag metric (AWS/RDS, seconds) for a replica: the newest 1-minute maximum of the last 5 minutes.</summary>
public sealed class CloudWatchReplicaLagReader(CloudWatchClient cloudWatch, TimeProvider clock) : IReplicaLagReader
{
    private static readonly TimeSpan Lookback = TimeSpan.FromMinutes(5);

    /// <inheritdoc />
    public async Task<double?> ReadLagSecondsAsync(string replicaId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var query = new MetricDataQuery("lag", "AWS/RDS", "ReplicaLag", new Dictionary<string, string> { ["DBInstanceIdentifier"] = replicaId }, 60, "Maximum");
        var results = await cloudWatch.GetMetricDataAsync([query], now - Lookback, now.AddMinutes(1), cancellationToken);
        var series = results.FirstOrDefault(r => r.Id == "lag");
        if (series is null || series.Values.Count == 0)
        {
            return null;
        }

        var newest = series.Timestamps.Select((t, i) => (t, i)).MaxBy(p => p.t).i;
        return series.Values[newest];
    }
}
