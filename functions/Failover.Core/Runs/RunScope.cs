namespace Failover.Core.Runs;

/// <summary>Narrows a run to some of the plan's resources (ids); null means all. Never adds resources.</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record RunScope
{
    /// <summary>Plan database ids to recover; null means every database of the plan.</summary>
    public IReadOnlyList<string>? Databases { get; set; }

    /// <summary>DRS source server ids to recover; null means every server of the plan.</summary>
    public IReadOnlyList<string>? Servers { get; set; }

    /// <summary>Plan switch ids to flip; null means every switch of the plan.</summary>
    public IReadOnlyList<string>? Switches { get; set; }
}
