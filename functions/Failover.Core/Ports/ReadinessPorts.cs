using Failover.Core.Readiness;

namespace Failover.Core.Ports;

/// <summary>Where the last readiness evaluation of a plan is kept, to tell a change and to show it later.</summary>
public interface IReadinessStore
{
    /// <summary>The last stored evaluation, or null when there is none.</summary>
    Task<ReadinessEvaluation?> ReadLastAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the stored evaluation.</summary>
    Task SaveAsync(ReadinessEvaluation evaluation, CancellationToken cancellationToken);
}

/// <summary>Publishes an evaluation's figures as metrics (Ready 1/0 and the count of findings, per plan).</summary>
public interface IReadinessMetrics
{
    /// <summary>Publishes the evaluation's figures.</summary>
    Task PublishAsync(ReadinessEvaluation evaluation, CancellationToken cancellationToken);
}

/// <summary>The drills the failover state machine ran.</summary>
public interface IDrillHistory
{
    /// <summary>When the newest drill execution that succeeded started; null when none did.</summary>
    Task<DateTimeOffset?> LastSuccessfulDrillAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A check of the plan contributed from outside the readiness service (the seam for checks another component owns, such
/// as the capacity targets of the recovery region): its findings join the evaluation's.
/// </summary>
public interface IReadinessCheck
{
    /// <summary>Every finding of this check; empty when it holds.</summary>
    Task<IReadOnlyList<ReadinessFinding>> CheckAsync(CancellationToken cancellationToken);
}
