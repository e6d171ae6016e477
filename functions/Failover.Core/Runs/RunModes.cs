namespace Failover.Core.Runs;

/// <summary>Modes an execution can run in.</summary>
public static class RunModes
{
    /// <summary>A real failover: the primary region is taken to be down; replicas are promoted (losing un-replicated writes only when allowed) and traffic moves.</summary>
    public const string Failover = "failover";

    /// <summary>A rehearsal that changes nothing in production: temporary copies are promoted and measured, switches only verified, and everything created is cleaned up.</summary>
    public const string Drill = "drill";

    /// <summary>A planned move while the primary region still answers: Aurora global databases switch over without data loss; never allows data loss.</summary>
    public const string Switchover = "switchover";
}
