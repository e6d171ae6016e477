using Failover.Core.Ports;
using Failover.Core.Readiness;

namespace Failover.Testing;

/// <summary>The readiness evaluation's own outputs in memory: the stored evaluation and the metrics published.</summary>
public sealed class FakeReadinessOutputs : IReadinessStore, IReadinessMetrics
{
    private readonly List<ReadinessEvaluation> _published = [];

    /// <summary>The stored evaluation; null until one is saved.</summary>
    public ReadinessEvaluation? Stored { get; set; }

    /// <summary>Evaluations whose metrics were published, in order.</summary>
    public IReadOnlyList<ReadinessEvaluation> Published => [.. _published];

    public Task<ReadinessEvaluation?> ReadLastAsync(CancellationToken cancellationToken) => Task.FromResult(Stored);

    public Task SaveAsync(ReadinessEvaluation evaluation, CancellationToken cancellationToken)
    {
        Stored = evaluation;
        return Task.CompletedTask;
    }

    public Task PublishAsync(ReadinessEvaluation evaluation, CancellationToken cancellationToken)
    {
        _published.Add(evaluation);
        return Task.CompletedTask;
    }
}

/// <summary>Drills of the state machine: the start of the last successful one, or none.</summary>
public sealed class FakeDrillHistory : IDrillHistory
{
    public DateTimeOffset? LastSuccessful { get; set; }

    public Task<DateTimeOffset?> LastSuccessfulDrillAsync(CancellationToken cancellationToken) => Task.FromResult(LastSuccessful);
}
