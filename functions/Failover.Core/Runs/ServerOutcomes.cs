namespace Failover.Core.Runs;

/// <summary>Values of <see cref="ServersRun.Outcome"/>.</summary>
public static class ServerOutcomes
{
    /// <summary>No server of the current wave has a final launch status yet.</summary>
    public const string Pending = "pending";

    /// <summary>Every server launched.</summary>
    public const string Launched = "launched";

    /// <summary>Some servers failed to launch; the run goes on.</summary>
    public const string Partial = "partial";

    /// <summary>Every critical server failed: the run fails.</summary>
    public const string Failed = "failed";
}
