namespace Failover.Core.Runs;

/// <summary>Values of <see cref="NotifyRequest.Event"/>.</summary>
public static class NotificationEvents
{
    /// <summary>Prepare accepted the run: its mode, reason and scope.</summary>
    public const string Started = "started";

    /// <summary>The run waits for a person: the message carries the task token and how to answer.</summary>
    public const string ApprovalRequested = "approval-requested";

    /// <summary>Databases writable and servers launched (or partially).</summary>
    public const string Recovered = "recovered";

    /// <summary>Every traffic switch has taken effect: the recovery region answers.</summary>
    public const string TrafficSwitched = "traffic-switched";

    /// <summary>The run ended: outcome, RTO and RPO against the objectives.</summary>
    public const string Succeeded = "succeeded";
}
