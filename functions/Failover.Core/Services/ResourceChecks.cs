using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Readiness;
using Failover.Core.Runs;

namespace Failover.Core.Services;

/// <summary>
/// The checks of the plan's resources in the recovery region that both Prepare (before a run) and the readiness
/// evaluation (every few minutes) make: one implementation, so a failover is refused for exactly what readiness
/// reported. Each problem is a <see cref="ReadinessFinding"/>; Prepare reports its <see cref="ReadinessFinding.Problem"/>.
/// </summary>
public sealed class ResourceChecks(RecoveryPlan plan, PreparePorts ports)
{
    // Replication states from which DRS has no point-in-time snapshot to launch yet.
    private static readonly HashSet<string> NotYetReplicated = new(StringComparer.Ordinal) { "INITIATING", "INITIAL_SYNC", "STOPPED" };

    /// <summary>An RDS read replica: it exists, is a replica (or already standalone and available), is available, and
    /// (when <paramref name="drillCopy"/>) RDS can copy it for a drill (<see cref="DrillCopyRules"/>).</summary>
    public async Task<(DatabaseInstanceState? State, IReadOnlyList<ReadinessFinding> Findings)> ReplicaInstanceAsync(DatabaseTarget target, bool drillCopy, CancellationToken cancellationToken)
    {
        var state = await ports.Databases.DescribeAsync(target.Id, cancellationToken);
        return (state, ReplicaInstanceFindings(target, state, drillCopy));
    }

    /// <summary>The checks of <see cref="ReplicaInstanceAsync"/> on a state read already (null: the instance does not
    /// exist), for a caller that reads many instances together.</summary>
    public IReadOnlyList<ReadinessFinding> ReplicaInstanceFindings(DatabaseTarget target, DatabaseInstanceState? state, bool drillCopy)
    {
        if (state is null)
        {
            return [new($"database-missing:{target.Id}", target.Id, $"database '{target.Id}' does not exist in {plan.RecoveryRegion}",
                $"create the read replica '{target.Id}' in {plan.RecoveryRegion}, or correct the plan's database id")];
        }

        // A standalone, available instance: an earlier run already promoted it.
        if (state is { IsReplica: false, Status: "available" })
        {
            return [];
        }

        var findings = new List<ReadinessFinding>();
        if (!state.IsReplica)
        {
            findings.Add(new($"database-not-replica:{target.Id}", target.Id, $"database '{target.Id}' is not a read replica (status {state.Status})",
                $"wait until '{target.Id}' is available, or recreate it as a read replica of the primary"));
        }
        else if (state.Status != "available")
        {
            findings.Add(new($"replica-unavailable:{target.Id}", target.Id, $"replica '{target.Id}' is {state.Status}; RDS promotes only an available replica",
                $"bring '{target.Id}' back to available (see its RDS events)"));
        }

        if (drillCopy && DrillCopyRules.Refusal(state) is { } refusal)
        {
            findings.Add(new($"drill-copy-refused:{target.Id}", target.Id, refusal, $"change '{target.Id}' as the problem says, or set its drill to {DrillMethods.Verify} in the plan"));
        }

        return findings;
    }

    /// <summary>An Aurora replica cluster: it exists and is an available replica (or already standalone and available).</summary>
    public async Task<(ClusterState? State, IReadOnlyList<ReadinessFinding> Findings)> ReplicaClusterAsync(DatabaseTarget target, CancellationToken cancellationToken)
    {
        var cluster = await ports.Aurora.DescribeClusterAsync(target.Id, cancellationToken);
        if (cluster is null)
        {
            return (null, [new($"database-missing:{target.Id}", target.Id, $"cluster '{target.Id}' does not exist in {plan.RecoveryRegion}",
                $"create the replica cluster '{target.Id}' in {plan.RecoveryRegion}, or correct the plan's database id")]);
        }

        return cluster.Status == "available"
            ? (cluster, [])
            : (cluster, [new($"replica-unavailable:{target.Id}", target.Id,
                $"cluster '{target.Id}' is not an available replica cluster (status {cluster.Status}, source {cluster.ReplicationSource ?? "none"})",
                $"bring '{target.Id}' back to an available replica cluster (see its RDS events)")]);
    }

    /// <summary>An Aurora global database seen from the recovery region, with the plan's target cluster as a member.</summary>
    public async Task<(GlobalClusterState? State, IReadOnlyList<ReadinessFinding> Findings)> GlobalDatabaseAsync(DatabaseTarget target, CancellationToken cancellationToken)
    {
        var targetArn = target.TargetClusterArn!;
        var global = await ports.Aurora.DescribeGlobalClusterAsync(target.Id, plan.RecoveryRegion, cancellationToken);
        if (global is null)
        {
            return (null, [new($"database-missing:{target.Id}", target.Id, $"global database '{target.Id}' does not exist",
                $"create the global database '{target.Id}', or correct the plan's database id")]);
        }

        return global.Members.Any(m => m.DBClusterArn == targetArn)
            ? (global, [])
            : (null, [new($"global-target-not-member:{target.Id}", target.Id, $"cluster {targetArn} is not a member of global database '{target.Id}'",
                $"add {targetArn} to '{target.Id}' as a secondary cluster, or correct the plan's targetClusterArn")]);
    }

    /// <summary>Why a switchover is not safe now (API_DescribeGlobalClusters.html): an operation underway, or a member that
    /// is not synchronised with the writer; null when the global database is healthy.</summary>
    public static string? SwitchoverRisk(GlobalClusterState global) =>
        global.FailoverStatus is { } underway ? $"global database has FailoverState {underway}"
        : global.Members.FirstOrDefault(m => m.SynchronizationStatus != GlobalClusterMember.Connected) is { } behind
            ? $"{behind.DBClusterArn} is {behind.SynchronizationStatus ?? "not reported as synchronised"}"
            : null;

    /// <summary>The DRS source servers the waves select (narrowed by <paramref name="scope"/>): every one found, and each
    /// has a recovery snapshot to launch.</summary>
    public async Task<(IReadOnlyList<SourceServerState> Found, IReadOnlyList<ReadinessFinding> Findings)> ServersAsync(IReadOnlyList<ServerGroup> waves, RunScope? scope, CancellationToken cancellationToken)
    {
        // Side by side: DRS cannot filter by tag, so each wave selected by tags pages through every source server (30
        // pages at 3,000 servers), and one wave's reads need nothing from another's.
        var resolved = await Task.WhenAll(waves.Select(wave => ServerSelection.ResolveAsync(wave, scope, ports.Servers, cancellationToken)));
        var found = resolved.SelectMany(r => r.Found).ToList();
        var missing = resolved.SelectMany(r => r.Missing).ToList();

        var findings = new List<ReadinessFinding>();
        if (missing.Count > 0)
        {
            findings.Add(new("servers-missing", "servers",
                $"{missing.Count} DRS source server(s) not found in {plan.RecoveryRegion}: {string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? ", …" : "")}",
                $"install the replication agent on them (DRS in {plan.RecoveryRegion}), or remove them from the plan"));
        }

        var unready = found.Where(s => NotYetReplicated.Contains(s.ReplicationState)).ToList();
        if (unready.Count > 0)
        {
            findings.Add(new("servers-not-replicated", "servers",
                $"{unready.Count} DRS source server(s) have no recovery snapshot yet: {string.Join(", ", unready.Take(20).Select(s => $"{s.Id} ({s.ReplicationState})"))}",
                "start or finish their initial replication in DRS; a server is ready once it reaches CONTINUOUS"));
        }

        if (found.Count == 0 && missing.Count == 0)
        {
            findings.Add(new("servers-none-selected", "servers", "no DRS source server matches the plan's servers selection",
                "tag the source servers as the plan's waves select them, or correct the plan's tags"));
        }

        return (found, findings);
    }

    /// <summary>Each switch's target exists (the health check or zone, the guarded record), in the order of
    /// <paramref name="targets"/>; null where it is wired.</summary>
    public async Task<IReadOnlyList<ReadinessFinding?>> SwitchesAsync(IReadOnlyList<TrafficSwitchTarget> targets, CancellationToken cancellationToken)
    {
        var missing = targets.Count == 0 ? [] : await ports.TrafficSwitch.CheckReadyAsync(targets, cancellationToken);
        return [.. targets.Zip(missing, (target, problem) => problem is null ? null
            : new ReadinessFinding($"switch-target-missing:{target.Id}", target.Id, $"switch '{target.Id}': {problem}", $"create what switch '{target.Id}' names, or correct the plan"))];
    }
}
