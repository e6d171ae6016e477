namespace Failover.Core.Readiness;

/// <summary>
/// One thing that would make a failover fail or fall short today, with what to do about it.
/// </summary>
/// <param name="Id">Stable across evaluations (kind and resource, e.g. <c>replica-not-replicating:orders-replica</c>): a
/// finding that appears or clears is told apart by it.</param>
/// <param name="Resource">The plan's resource it is about (database, server, switch id), or the plan.</param>
/// <param name="Problem">What is wrong, in words.</param>
/// <param name="Remedy">What to do about it.</param>
public sealed record ReadinessFinding(string Id, string Resource, string Problem, string Remedy);

/// <summary>The result of one readiness evaluation of a plan.</summary>
public sealed record ReadinessEvaluation
{
    /// <summary>The plan's name.</summary>
    public string Plan { get; set; } = "";

    /// <summary>When the evaluation ran.</summary>
    public DateTimeOffset EvaluatedAt { get; set; }

    /// <summary>No finding: a failover started now would find everything it needs.</summary>
    public bool Ready { get; set; }

    /// <summary>Every finding, ordered by id.</summary>
    public IReadOnlyList<ReadinessFinding> Findings { get; set; } = [];
}

/// <summary>How an evaluation differs from the one before it: the findings that appeared and those that cleared.</summary>
public sealed record ReadinessChange(IReadOnlyList<ReadinessFinding> Appeared, IReadOnlyList<ReadinessFinding> Cleared)
{
    /// <summary>True when a finding appeared or cleared.</summary>
    public bool Changed => Appeared.Count + Cleared.Count > 0;

    /// <summary>Compares by finding id; no previous evaluation counts as one without findings.</summary>
    public static ReadinessChange Between(ReadinessEvaluation? previous, ReadinessEvaluation current)
    {
        var before = previous?.Findings ?? [];
        var beforeIds = before.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        var nowIds = current.Findings.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        return new ReadinessChange([.. current.Findings.Where(f => !beforeIds.Contains(f.Id))], [.. before.Where(f => !nowIds.Contains(f.Id))]);
    }
}

/// <summary>What one scheduled or on-demand evaluation did besides evaluating.</summary>
/// <param name="Evaluation">The evaluation, as stored.</param>
/// <param name="Change">Against the stored one.</param>
/// <param name="Notified">True when the team was told (the findings changed and a topic is set).</param>
public sealed record ReadinessResult(ReadinessEvaluation Evaluation, ReadinessChange Change, bool Notified);

/// <summary>
/// The Readiness function's input: the EventBridge "Scheduled Event" of its schedule (EventBridge User Guide, "Amazon
/// EventBridge events" / scheduled rules: source aws.events, detail-type "Scheduled Event", detail {}), or any object
/// on demand (<c>failover readiness</c> sends <c>{"source":"failover.cli"}</c>). Only what is logged is read.
/// </summary>
public sealed record ReadinessRequest
{
    /// <summary>aws.events for the schedule; failover.cli on demand.</summary>
    public string? Source { get; set; }

    /// <summary>"Scheduled Event" for the schedule.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("detail-type")]
    public string? DetailType { get; set; }

    /// <summary>When the schedule fired.</summary>
    public DateTimeOffset? Time { get; set; }
}
