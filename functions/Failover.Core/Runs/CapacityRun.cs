namespace Failover.Core.Runs;

/// <summary>Progress and outcome of one capacity entry (an Auto Scaling group or an ECS service).</summary>
public sealed record CapacityRun
{
    /// <summary>The plan's capacity id.</summary>
    public string Id { get; set; } = "";

    /// <summary><see cref="Plans.CapacityKinds"/>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Traffic moves only once it is in service; a non-critical entry not in service in time leaves the run partial instead.</summary>
    public bool Critical { get; set; }

    /// <summary>The desired size to reach: the plan's, or the primary region's when larger (matchPrimary).</summary>
    public int Target { get; set; }

    /// <summary>In service at least: the target times the plan's minReadyFraction, rounded up.</summary>
    public int MinReady { get; set; }

    /// <summary>InService and Healthy instances, or running tasks, when last read.</summary>
    public int Reached { get; set; }

    /// <summary><see cref="CapacityStatuses"/>.</summary>
    public string Status { get; set; } = CapacityStatuses.Pending;

    /// <summary>When the scale-up was requested (or found already requested); null when nothing needed scaling.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When <see cref="MinReady"/> was first seen in service.</summary>
    public DateTimeOffset? ReadyAt { get; set; }

    /// <summary>The last thing seen or done, in words (e.g. the reached count, a refusal), for notifications and the report.</summary>
    public string Detail { get; set; } = "";

    /// <summary>True once the entry will change no more.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Ended => Status is CapacityStatuses.InService or CapacityStatuses.Verified or CapacityStatuses.NotInService;
}
