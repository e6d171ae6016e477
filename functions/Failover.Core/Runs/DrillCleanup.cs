namespace Failover.Core.Runs;

/// <summary>What a drill's cleanup did.</summary>
public sealed record DrillCleanup
{
    /// <summary>Resources the cleanup deleted, as "kind id" (<see cref="Ports.DrillResourceKinds"/>: temporary database copies, DRS drill recovery instances), for the report.</summary>
    public IReadOnlyList<string> Removed { get; set; } = [];

    /// <summary>Resources the cleanup could not delete, each with why; empty when everything went.</summary>
    public IReadOnlyList<string> Problems { get; set; } = [];

    /// <summary>When the cleanup finished; null until it has.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>An operator's cleanup only: resources ("kind id (drill NAME)") of drills still running, left for their own cleanup; null when none.</summary>
    public IReadOnlyList<string>? LeftForRunningDrills { get; set; }
}
