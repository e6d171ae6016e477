using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Runs;

namespace Failover.Core.Services;

/// <summary>Which DRS source servers a run covers: the plan's ids and tags, or only the ids the input's scope names.</summary>
public static class ServerSelection
{
    /// <summary>The servers found, sorted by id, and the requested ids that DRS does not know.</summary>
    public static async Task<(IReadOnlyList<SourceServerState> Found, IReadOnlyList<string> Missing)> ResolveAsync(
        ServerGroup group, RunScope? scope, IRecoveryServers servers, CancellationToken cancellationToken)
    {
        // A scope names ids only: it narrows the plan and never widens it to tagged servers.
        var ids = scope?.Servers is { } scoped ? [.. group.SourceServerIds.Where(scoped.Contains)] : group.SourceServerIds;
        var tags = scope?.Servers is null ? group.Tags : new Dictionary<string, string>();
        if (ids.Count + tags.Count == 0)
        {
            return ([], []);
        }

        var found = await servers.DescribeSourceServersAsync(ids, tags, cancellationToken);
        var known = found.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        return ([.. found.OrderBy(s => s.Id, StringComparer.Ordinal)], [.. ids.Where(id => !known.Contains(id))]);
    }
}
