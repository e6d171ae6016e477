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
        var source = SourceOf(db);
        var series = await reader.ReadAsync(source.Kind, source.Id, outageBeganAt - Lookback, outageBeganAt, cancellationToken);
        return RpoEstimator.Estimate(BehaviourOf(db), series.Metric, series.Datapoints, outageBeganAt);
    }

    /// <summary>As <see cref="EstimateAsync"/> for each of <paramref name="dbs"/>, in their order, with the evidence read
    /// together (<see cref="IReplicaLagReader.ReadManyAsync"/>) rather than one read each.</summary>
    public async Task<IReadOnlyList<RpoEstimate>> EstimateManyAsync(IReadOnlyList<DatabaseRun> dbs, DateTimeOffset outageBeganAt, CancellationToken cancellationToken)
    {
        if (dbs.Count == 0)
        {
            return [];
        }

        var series = await reader.ReadManyAsync([.. dbs.Select(SourceOf)], outageBeganAt - Lookback, outageBeganAt, cancellationToken);
        return [.. dbs.Zip(series, (db, s) => RpoEstimator.Estimate(BehaviourOf(db), s.Metric, s.Datapoints, outageBeganAt))];
    }

    // An Aurora global database's lag is the secondary cluster's, named by the last part of its ARN.
    private static LagSource SourceOf(DatabaseRun db) =>
        new(db.Kind, db.Kind == DatabaseKinds.AuroraGlobal && Arn.TryParse(db.TargetClusterArn, out var target) ? target.ResourceId : db.Id);

    /// <summary>How the database's lag metric behaves once its source is dark. An RDS instance of an unknown engine is
    /// read as the clock-driven kind, whose estimate is the more cautious one for a stalled replica.</summary>
    public static LagBehaviour BehaviourOf(DatabaseRun db) =>
        db.Kind != DatabaseKinds.RdsInstanceReplica ? LagBehaviour.StopsAtMinusOne
        : db.Engine is { } engine && !engine.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) && !engine.StartsWith("oracle", StringComparison.OrdinalIgnoreCase)
            ? LagBehaviour.StopsAtMinusOne
            : LagBehaviour.GrowsWithClock;
}
