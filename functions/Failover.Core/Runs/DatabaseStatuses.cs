namespace Failover.Core.Runs;

/// <summary>Values of <see cref="DatabaseRun.Status"/>.</summary>
public static class DatabaseStatuses
{
    /// <summary>Read at Prepare and able to be promoted; nothing requested yet.</summary>
    public const string Ready = "ready";

    /// <summary>Drill: the temporary copy is being created.</summary>
    public const string Copying = "copying";

    /// <summary>Drill: read and found ready, deliberately not promoted.</summary>
    public const string Verified = "verified";

    /// <summary>Promotion (or switchover, failover) requested; waiting for RDS to report the database writable.</summary>
    public const string Promoting = "promoting";

    /// <summary>Writable in the recovery region: the database's part of the run is done.</summary>
    public const string Writable = "writable";

    /// <summary>Could not be made writable (refused, or not writable within the promotion timeout); fails the run when critical.</summary>
    public const string Failed = "failed";
}
