using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Runs;

namespace Failover.Core.Rpo;

/// <summary>Reads each database's lag history up to the outage and estimates its data at risk (<see cref="RpoEstimator"/>).</summary>
public sealed class RpoEvidence(IReplicaLagReader reader)
{
    // Read a little more than the estimator's freshness window, so "too old" can be told from "none".
    private static readonly TimeSpan Lookback = RpoEstimator.Freshness + TimeSpan.FromMinutes(5);

    /// <summary>The estimate for <paramref name="db"/> with the evidence up to <paramref name="outageBeganAt"/>.</summary>
    public async Task<RpoEstimate> EstimateAsync(DatabaseRun db, DateTimeOffset outageBeganAt, CancellationToken cancellationToken)
    {
        // An Aurora global database's lag is the secondary cluster's, named by the last part of its ARN.
        var id = db.Kind == DatabaseKinds.AuroraGlobal && Arn.TryParse(db.TargetClusterArn, out var target) ? target.ResourceId : db.Id;
        var series = await reader.ReadAsync(db.Kind, id, outageBeganAt - Lookback, outageBeganAt, cancellationToken);
        return RpoEstimator.Estimate(BehaviourOf(db), series.Metric, series.Datapoints, outageBeganAt);
    }

    /// <summary>How the database's lag metric behaves once its source is dark. An RDS instance of an unknown engine is
    /// read as the clock-driven kind, whose estimate is the more cautious one for a stalled replica.</summary>
    public static LagBehaviour BehaviourOf(DatabaseRun db) =>
        db.Kind != DatabaseKinds.RdsInstanceReplica ? LagBehaviour.StopsAtMinusOne
        : db.Engine is { } engine && !engine.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) && !engine.StartsWith("oracle", StringComparison.OrdinalIgnoreCase)
            ? LagBehaviour.StopsAtMinusOne
            : LagBehaviour.GrowsWithClock;
}
