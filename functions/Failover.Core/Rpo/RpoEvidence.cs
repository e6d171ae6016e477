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
        var source = SourceOf(db.Kind, db.Id, db.TargetClusterArn);
        var series = await reader.ReadAsync(source.Kind, source.Id, outageBeganAt - Lookback, outageBeganAt, cancellationToken);
        return RpoEstimator.Estimate(BehaviourOf(db), series.Metric, series.Datapoints, outageBeganAt);
    }

    /// <summary>The evidence of each of <paramref name="targets"/> up to <paramref name="outageBeganAt"/>, by database id,
    /// read together (<see cref="IReplicaLagReader.ReadManyAsync"/>) rather than one read each. It needs only the plan's
    /// targets, so it can be read while the databases themselves are described; <see cref="Estimate"/> judges it.</summary>
    public async Task<IReadOnlyDictionary<string, LagSeries>> ReadManyAsync(IReadOnlyList<DatabaseTarget> targets, DateTimeOffset outageBeganAt, CancellationToken cancellationToken)
    {
        if (targets.Count == 0)
        {
            return new Dictionary<string, LagSeries>(StringComparer.Ordinal);
        }

        var series = await reader.ReadManyAsync([.. targets.Select(t => SourceOf(t.Kind, t.Id, t.TargetClusterArn))], outageBeganAt - Lookback, outageBeganAt, cancellationToken);
        return targets.Zip(series).ToDictionary(p => p.First.Id, p => p.Second, StringComparer.Ordinal);
    }

    /// <summary>The estimate for <paramref name="db"/> from its evidence (<see cref="ReadManyAsync"/>).</summary>
    public static RpoEstimate Estimate(DatabaseRun db, LagSeries series, DateTimeOffset outageBeganAt) =>
        RpoEstimator.Estimate(BehaviourOf(db), series.Metric, series.Datapoints, outageBeganAt);

    // An Aurora global database's lag is the secondary cluster's, named by the last part of its ARN.
    private static LagSource SourceOf(string kind, string id, string? targetClusterArn) =>
        new(kind, kind == DatabaseKinds.AuroraGlobal && Arn.TryParse(targetClusterArn, out var target) ? target.ResourceId : id);

    /// <summary>How the database's lag metric behaves once its source is dark. An RDS instance of an unknown engine is
    /// read as the clock-driven kind, whose estimate is the more cautious one for a stalled replica.</summary>
    public static LagBehaviour BehaviourOf(DatabaseRun db) =>
        db.Kind != DatabaseKinds.RdsInstanceReplica ? LagBehaviour.StopsAtMinusOne
        : db.Engine is { } engine && !engine.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) && !engine.StartsWith("oracle", StringComparison.OrdinalIgnoreCase)
            ? LagBehaviour.StopsAtMinusOne
            : LagBehaviour.GrowsWithClock;
}
