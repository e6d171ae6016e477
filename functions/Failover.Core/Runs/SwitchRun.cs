namespace Failover.Core.Runs;

/// <summary>Outcome of one traffic switch.</summary>
public sealed record SwitchRun
{
    /// <summary>The plan's switch id (<see cref="Plans.TrafficSwitchTarget.Id"/>).</summary>
    public string Id { get; set; } = "";

    /// <summary><see cref="Plans.SwitchKinds"/>, copied from the plan.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Where the switch is (<see cref="SwitchStatuses"/>).</summary>
    public string Status { get; set; } = SwitchStatuses.Pending;

    /// <summary>What was done or found, in words (the Route 53 change, why a drill found it not wired), for notifications and the report.</summary>
    public string Detail { get; set; } = "";

    /// <summary>What to follow until the switch has taken effect: the Route 53 change (record-upsert) or the guarded
    /// health check (switch-metric with a healthCheckId); see <see cref="Ports.ITrafficSwitch.SwitchAsync"/>.</summary>
    public string? ChangeId { get; set; }

    /// <summary>When the switch was flipped; <see cref="SwitchedAt"/> is when it was seen to take effect.</summary>
    public DateTimeOffset? RequestedAt { get; set; }

    /// <summary>When the switch was seen to take effect (INSYNC, or the guarded health check unhealthy); null until then.</summary>
    public DateTimeOffset? SwitchedAt { get; set; }
}
