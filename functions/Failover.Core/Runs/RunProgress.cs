namespace Failover.Core.Runs;

/// <summary>The run as far as it got, from the versions of the run document an execution's history holds.</summary>
public static class RunProgress
{
    /// <summary>
    /// Merges <paramref name="versions"/> (oldest first). The last version alone can miss changes: inside the
    /// parallel recovery each branch advances its own part of the run (databases, servers or capacity) while the other part
    /// stays as Prepare left it, so the branch that moved last hides the other's progress. Statuses only move
    /// forward, so each resource is taken from the latest version in which it had left its initial status, and
    /// everything else from the latest version. Null when there is no version.
    /// </summary>
    public static RunState? Merge(IReadOnlyList<RunState> versions)
    {
        if (versions.Count == 0)
        {
            return null;
        }

        var latest = versions[^1];
        DatabaseRun Database(DatabaseRun db) =>
            versions.Select(v => v.Databases.FirstOrDefault(d => d.Id == db.Id)).LastOrDefault(d => d is { Status: not DatabaseStatuses.Ready }) ?? db;
        SwitchRun Switch(SwitchRun sw) =>
            versions.Select(v => v.Switches.FirstOrDefault(s => s.Id == sw.Id)).LastOrDefault(s => s is { Status: not SwitchStatuses.Pending }) ?? sw;
        CapacityRun Capacity(CapacityRun entry) =>
            versions.Select(v => v.Capacity.FirstOrDefault(c => c.Id == entry.Id)).LastOrDefault(c => c is { Status: not CapacityStatuses.Pending }) ?? entry;
        var servers = versions.Select(v => v.Servers).LastOrDefault(s => s is { Outcome: not ServerOutcomes.Pending } or { Jobs.Count: > 0 }) ?? latest.Servers;
        return latest with
        {
            Databases = [.. latest.Databases.Select(Database)],
            Servers = servers,
            Capacity = [.. latest.Capacity.Select(Capacity)],
            Switches = [.. latest.Switches.Select(Switch)],
        };
    }
}
