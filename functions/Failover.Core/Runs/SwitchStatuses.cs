namespace Failover.Core.Runs;

/// <summary>Values of <see cref="SwitchRun.Status"/>.</summary>
public static class SwitchStatuses
{
    /// <summary>Not flipped yet: the switch waits for every critical database to be writable.</summary>
    public const string Pending = "pending";

    /// <summary>Drill: verified as wired, deliberately not switched.</summary>
    public const string Verified = "verified";

    /// <summary>Drill: the switch's alarm, health check or records are missing.</summary>
    public const string NotWired = "not-wired";

    /// <summary>Requested; waiting for Route 53 to report the change INSYNC or the guarded health check unhealthy.</summary>
    public const string Propagating = "propagating";

    /// <summary>Taken effect: traffic is answered from the recovery region.</summary>
    public const string Switched = "switched";
}
