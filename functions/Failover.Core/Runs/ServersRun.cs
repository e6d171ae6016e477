namespace Failover.Core.Runs;

/// <summary>DRS recovery of the plan's servers: a summary, never per-server state (1,000 servers must fit a payload).</summary>
public sealed record ServersRun
{
    /// <summary>Servers in scope. The ids are not kept here (1,000 ids would crowd the payload): they are
    /// resolved from the plan and sorted when batches start, so batch i is a fixed slice of that list.</summary>
    public int Total { get; set; }

    /// <summary>The current wave's batch settings (the plan's wave keeps its critical servers).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>DRS jobs of this run in progress at once for the current wave (the plan's <see cref="Plans.ServerGroup.MaxConcurrentJobs"/>).</summary>
    public int MaxConcurrentJobs { get; set; } = 20;

    /// <summary>Largest replication lag among the servers at Prepare; null (left out of the document) when DRS reports
    /// none for some server in scope, or no server was found.</summary>
    public double? LagSeconds { get; set; }

    /// <summary>Jobs of the current wave (earlier waves are summarised in <see cref="Waves"/>).</summary>
    public IReadOnlyList<ServerJob> Jobs { get; set; } = [];

    /// <summary>The waves started so far, in plan order; the last one is the current wave.</summary>
    public IReadOnlyList<WaveRun> Waves { get; set; } = [];

    /// <summary>Servers launched so far, over every wave.</summary>
    public int Launched { get; set; }

    /// <summary>Servers that failed to launch, over every wave.</summary>
    public int Failed { get; set; }

    /// <summary>Failed servers (at most 100 listed; <see cref="Failed"/> has the count).</summary>
    public IReadOnlyList<string> FailedServerIds { get; set; } = [];

    /// <summary><see cref="ServerOutcomes"/>.</summary>
    public string Outcome { get; set; } = ServerOutcomes.Pending;

    /// <summary>StartRecovery calls DRS refused for now (a quota, a server in another job, throttling) and that were retried later.</summary>
    public int Refusals { get; set; }

    /// <summary>The last such refusal, for the report.</summary>
    public string? LastRefusal { get; set; }

    /// <summary>When the first batch was started (StartRecovery); null until then.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When every wave had ended; null until then.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
}
