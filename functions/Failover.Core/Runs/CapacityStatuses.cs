namespace Failover.Core.Runs;

/// <summary>Values of <see cref="CapacityRun.Status"/>.</summary>
public static class CapacityStatuses
{
    /// <summary>Read at Prepare; not scaled yet.</summary>
    public const string Pending = "pending";

    /// <summary>Scale-up requested; waiting for instances or tasks to be in service.</summary>
    public const string Scaling = "scaling";

    /// <summary>At least <see cref="CapacityRun.MinReady"/> in service.</summary>
    public const string InService = "in-service";

    /// <summary>Drill: read and found able to reach its target; deliberately not scaled.</summary>
    public const string Verified = "verified";

    /// <summary>A non-critical entry that was not in service within its plan's readyWithinSeconds; the run goes on, partial.</summary>
    public const string NotInService = "not-in-service";
}
