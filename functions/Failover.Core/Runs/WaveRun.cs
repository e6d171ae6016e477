namespace Failover.Core.Runs;

/// <summary>One wave of servers: when it started and launched, and how it ended. No per-server list beyond a few failures.</summary>
public sealed record WaveRun
{
    /// <summary>Position in the plan's waves, from 0.</summary>
    public int Index { get; set; }

    /// <summary>The wave's name (<see cref="Plans.ServerWaves.Name"/>): the plan's, or "wave N".</summary>
    public string Name { get; set; } = "";

    /// <summary>Servers the wave selected when its batches started.</summary>
    public int Total { get; set; }

    /// <summary>Servers of the wave launched so far.</summary>
    public int Launched { get; set; }

    /// <summary>Servers of the wave that failed to launch.</summary>
    public int Failed { get; set; }

    /// <summary>Failed servers of this wave (at most 20 listed; <see cref="Failed"/> has the count).</summary>
    public IReadOnlyList<string> FailedServerIds { get; set; } = [];

    /// <summary><see cref="ServerOutcomes"/>.</summary>
    public string Outcome { get; set; } = ServerOutcomes.Pending;

    /// <summary>When the wave's first batch was started; null until then.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When every server of the wave had a final launch status.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
}
