using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Rpo;
using Failover.Core.Runs;

namespace Failover.Core.Services;

/// <summary>
/// Makes databases writable: RDS replica promotion, Aurora global switchover or failover, Aurora replica
/// cluster promotion, with a bounded number at once. Every step reads first, so retries and redrives
/// reach the same end state without a second promotion.
/// </summary>
public sealed class DatabasePromotionService(DatabasePorts ports, TimeProvider clock, TimeSpan promotionTimeout)
{
    /// <summary>Tag carrying the execution name on everything a drill creates.</summary>
    public const string DrillTag = "failover:drill-execution";

    private const string Cancelling = "cancelling";
    private const string NotTheWriter = "not the writer";
    private const string SwitchoverNeverLosesData = "a switchover never loses data: start a failover to accept the loss";

    // Statuses after which an instance or cluster will not become available by itself.
    private static readonly HashSet<string> TerminalStatuses = new(StringComparer.Ordinal)
    {
        "failed", "deleting", "deleted", "storage-full", "incompatible-restore", "incompatible-parameters",
        "incompatible-network", "incompatible-option-group", "inaccessible-encryption-credentials", "restore-error",
    };

    /// <summary>Judges the RPO gate again with fresh evidence, then starts making each ready database writable.</summary>
    public async Task<RunState> PromoteAsync(RunState run, CancellationToken cancellationToken)
    {
        run = await RejudgeRpoAsync(run, cancellationToken);
        var updated = await Bounded.SelectAsync(run.Databases, run.DatabaseConcurrency,
            (db, ct) => db.Status != DatabaseStatuses.Ready ? Task.FromResult(db)
                : run.IsDrill ? RehearseOneAsync(run, db, ct)
                : PromoteOneAsync(db, ct),
            cancellationToken);
        return run with { Databases = updated, DatabasesWritable = AllCriticalDone(updated) };
    }

    // Evidence may have arrived late, and an approval wait can last an hour: the gate is judged again right before
    // anything is promoted. What a person approved counts only as far as it covers the estimate now.
    private async Task<RunState> RejudgeRpoAsync(RunState run, CancellationToken cancellationToken)
    {
        if (run.IsDrill || run.OutageBeganAt is not { } outageBeganAt)
        {
            return run;
        }

        var evidence = new RpoEvidence(ports.ReplicaLag);
        var databases = await Bounded.SelectAsync(run.Databases, run.DatabaseConcurrency,
            async (db, ct) => db.Status == DatabaseStatuses.Ready && RpoGate.LosesData(db) ? db with { Rpo = Fresher(db.Rpo, await evidence.EstimateAsync(db, outageBeganAt, ct)) } : db,
            cancellationToken);
        var approved = run.ApprovalRequired
            ? run.Databases.Where(d => d.Rpo is not null).ToDictionary(d => d.Id, d => d.Rpo!, StringComparer.Ordinal)
            : new Dictionary<string, RpoEstimate>(StringComparer.Ordinal);
        var rejudged = run with { Databases = databases };
        var verdict = RpoGate.Judge(rejudged, approved);
        if (verdict.Blocked.Count > 0 || verdict.NeedsApproval.Count > 0)
        {
            throw new RpoGateBlockedException([.. verdict.Blocked, .. verdict.NeedsApproval.Select(n => $"{n}; no person approved it before promotion")]);
        }

        return rejudged;
    }

    // Datapoints before the outage do not go away: a read that finds none now (a late or failed query) keeps the
    // evidence taken earlier rather than turning it into "unknown".
    private static RpoEstimate Fresher(RpoEstimate? earlier, RpoEstimate now) => now.Seconds is null && earlier?.Seconds is not null ? earlier : now;

    /// <summary>Reads every database being promoted once; fails when a critical one cannot become writable.</summary>
    public async Task<RunState> CheckAsync(RunState run, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var updated = await Bounded.SelectAsync(run.Databases, run.DatabaseConcurrency,
            (db, ct) => db.Status switch
            {
                DatabaseStatuses.Promoting => CheckOneAsync(db, now, ct),
                DatabaseStatuses.Copying => CheckCopyAsync(db, now, ct),
                _ => Task.FromResult(db),
            },
            cancellationToken);

        var failedCritical = updated.Where(d => d.Critical && d.Status == DatabaseStatuses.Failed).ToList();
        if (failedCritical.Count > 0)
        {
            var names = string.Join(", ", failedCritical.Select(d => $"{d.Id} ({d.Detail})"));
            throw failedCritical.Any(d => d.Detail.StartsWith("not writable after", StringComparison.Ordinal))
                ? new DatabasePromotionTimeoutException($"critical databases not writable in time: {names}")
                : new DatabasePromotionFailedException($"critical databases failed: {names}");
        }

        return run with { Databases = updated, DatabasesWritable = AllCriticalDone(updated) };
    }

    /// <summary>Check databases, watched: one look, then more within <paramref name="watch"/>'s window until every
    /// critical database is writable; one DescribeDBInstances (or DescribeDBClusters, DescribeGlobalClusters) per
    /// database still in progress per look, spaced within the RDS share of <see cref="CompletionWatch.RdsCallsPerSecond"/>.</summary>
    public async Task<RunState> CheckWatchedAsync(RunState run, CompletionWatch watch, CancellationToken cancellationToken) =>
        await watch.KeepLookingAsync(
            await CheckAsync(run, cancellationToken),
            CheckAsync,
            r => r.DatabasesWritable,
            r => CompletionWatch.Spacing(r.Databases.Count(d => d.Status is DatabaseStatuses.Promoting or DatabaseStatuses.Copying), CompletionWatch.RdsCallsPerSecond),
            cancellationToken);

    /// <summary>A drill's identifier for the temporary copy of a replica: short, unique per execution, a valid DB identifier.</summary>
    public static string DrillCopyId(string executionName, string replicaId)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(executionName)))[..8];
        return $"drill-{hash}-{replicaId}";
    }

    /// <summary>Whether <paramref name="copyId"/> names a copy the drill <paramref name="executionName"/> made (<see cref="DrillCopyId"/>).</summary>
    public static bool IsDrillCopyOf(string copyId, string executionName) => copyId.StartsWith(DrillCopyId(executionName, ""), StringComparison.Ordinal);

    private static bool AllCriticalDone(IReadOnlyList<DatabaseRun> databases) =>
        databases.Where(d => d.Critical).All(d => d.Status is DatabaseStatuses.Writable or DatabaseStatuses.Verified);

    // A drill never promotes the replica: it promotes a temporary copy (measured), or only reads the replica.
    private async Task<DatabaseRun> RehearseOneAsync(RunState run, DatabaseRun db, CancellationToken cancellationToken)
    {
        if (db.Kind != DatabaseKinds.RdsInstanceReplica || ports.DrillMethod(db.Id) == DrillMethods.Verify)
        {
            var readable = db.Kind switch
            {
                DatabaseKinds.RdsInstanceReplica => await ports.Databases.DescribeAsync(db.Id, cancellationToken) is { IsReplica: true, Status: "available" },
                DatabaseKinds.AuroraClusterReplica => await ports.Aurora.DescribeClusterAsync(db.Id, cancellationToken) is { IsReplica: true, Status: "available" },
                _ => await ports.Aurora.DescribeGlobalClusterAsync(db.Id, ports.RecoveryRegion, cancellationToken) is { FailoverStatus: null } g && g.Members.Any(m => m.DBClusterArn == db.TargetClusterArn),
            };
            return db with
            {
                Status = readable ? DatabaseStatuses.Verified : DatabaseStatuses.Failed,
                Detail = readable ? "drill: replica verified read-only, not promoted" : "drill: replica is not an available replica",
            };
        }

        var copyId = DrillCopyId(run.ExecutionName, db.Id);
        if (await ports.Databases.DescribeAsync(copyId, cancellationToken) is null)
        {
            var tags = new Dictionary<string, string> { [DrillTag] = run.ExecutionName, ["failover:plan"] = run.Plan };
            await ports.Drill.CreateDatabaseCopyAsync(copyId, db.Id, tags, cancellationToken);
        }

        return db with { Status = DatabaseStatuses.Copying, DrillCopyId = copyId, PromotionStartedAt = clock.GetUtcNow(), Detail = $"drill: copying to {copyId}" };
    }

    private async Task<DatabaseRun> CheckCopyAsync(DatabaseRun db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var copy = await ports.Databases.DescribeAsync(db.DrillCopyId!, cancellationToken);
        if (copy is { IsReplica: true, Status: "available" })
        {
            await ports.Databases.PromoteAsync(copy.Id, cancellationToken);
            return db with { Status = DatabaseStatuses.Promoting, PromotionStartedAt = now, Detail = $"drill: promoting the copy {copy.Id}" };
        }

        return now - (db.PromotionStartedAt ?? now) > promotionTimeout
            ? db with { Status = DatabaseStatuses.Failed, Detail = $"not writable after {promotionTimeout.TotalSeconds:0} s (drill copy {db.DrillCopyId} {copy?.Status ?? "missing"})" }
            : db with { Detail = $"drill: copy {db.DrillCopyId} {copy?.Status ?? "not visible yet"}" };
    }

    private async Task<DatabaseRun> PromoteOneAsync(DatabaseRun db, CancellationToken cancellationToken)
    {
        var started = db with { Status = DatabaseStatuses.Promoting, PromotionStartedAt = clock.GetUtcNow() };
        switch (db.Kind)
        {
            case DatabaseKinds.RdsInstanceReplica:
            {
                var state = await ports.Databases.DescribeAsync(db.Id, cancellationToken)
                    ?? throw new DatabasePromotionFailedException($"database '{db.Id}' disappeared before promotion");

                // Only an available replica is promoted. A replica in another status after a retried or
                // redriven step is an earlier promotion still underway (RDS reports "modifying" until it
                // reboots); promoting it again would be rejected, so the check and its timeout decide.
                if (state is { IsReplica: true, Status: "available" })
                {
                    await ports.Databases.PromoteAsync(db.Id, cancellationToken);
                    return started with { Detail = "promotion requested" };
                }

                return started with { Detail = state.IsReplica ? $"promotion underway (status {state.Status})" : "already promoted by an earlier attempt" };
            }

            case DatabaseKinds.AuroraClusterReplica:
            {
                var cluster = await ports.Aurora.DescribeClusterAsync(db.Id, cancellationToken)
                    ?? throw new DatabasePromotionFailedException($"cluster '{db.Id}' disappeared before promotion");
                if (cluster is { IsReplica: true, Status: "available" })
                {
                    await ports.Aurora.PromoteClusterAsync(db.Id, cancellationToken);
                    return started with { Detail = "cluster promotion requested" };
                }

                return started with { Detail = cluster.IsReplica ? $"promotion underway (status {cluster.Status})" : "already promoted by an earlier attempt" };
            }

            default:
            {
                var target = db.TargetClusterArn!;
                var global = await ports.Aurora.DescribeGlobalClusterAsync(db.Id, ports.RecoveryRegion, cancellationToken)
                    ?? throw new DatabasePromotionFailedException($"global database '{db.Id}' disappeared before failover");
                if (global.IsWriter(target) || global.FailoverStatus is not null)
                {
                    return started with { Detail = global.FailoverStatus is null ? "target already the writer" : $"{global.FailoverStatus} underway" };
                }

                if (db.Action == DatabaseActions.GlobalSwitchover)
                {
                    if (await ports.Aurora.SwitchoverGlobalClusterAsync(db.Id, target, cancellationToken) is not { } refusal)
                    {
                        return started with { Detail = "switchover requested" };
                    }

                    var refused = $"switchover refused ({refusal.Reason})";
                    return db.FallBackToFailover
                        ? await FailOverGlobalAsync(started, refused, cancellationToken)
                        : db with { Status = DatabaseStatuses.Failed, Detail = $"{refused}; {SwitchoverNeverLosesData}" };
                }

                return await FailOverGlobalAsync(started, null, cancellationToken);
            }
        }
    }

    // FailoverGlobalCluster with AllowDataLoss, with the lag read just before it: what the failover may lose.
    private async Task<DatabaseRun> FailOverGlobalAsync(DatabaseRun db, string? why, CancellationToken cancellationToken)
    {
        var target = db.TargetClusterArn!;
        await ports.Aurora.FailoverGlobalClusterAsync(db.Id, target, cancellationToken);
        const string requested = "failover with data loss requested";
        return db with { Action = DatabaseActions.GlobalFailover, Detail = why is null ? requested : $"{why}: {requested}" };
    }

    // RDS accepted the switchover but is not carrying it out: it is being cancelled, or it is over and the old writer
    // stayed (FailoverState "cancelling", API_FailoverState.html). Failover mode falls back to a failover once the
    // cancellation is over (RDS refuses a failover while FailoverState is set); switchover mode fails the database.
    private async Task<DatabaseRun> SwitchoverNotCarriedOutAsync(DatabaseRun db, string status, CancellationToken cancellationToken)
    {
        if (!db.FallBackToFailover)
        {
            var what = status == Cancelling ? "switchover cancelled by RDS (status cancelling)" : "switchover ended with the old writer";
            return db with { Status = DatabaseStatuses.Failed, Detail = $"{what}; {SwitchoverNeverLosesData}" };
        }

        return status == Cancelling
            ? db with { Detail = "switchover is being cancelled by RDS (status cancelling): failing over with data loss once the old writer is back" }
            : await FailOverGlobalAsync(db, "switchover cancelled, the old writer kept", cancellationToken);
    }

    private async Task<DatabaseRun> CheckOneAsync(DatabaseRun db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (writable, status) = db.Kind switch
        {
            DatabaseKinds.RdsInstanceReplica => await ports.Databases.DescribeAsync(db.DrillCopyId ?? db.Id, cancellationToken) is { } i
                ? (i is { IsReplica: false, Status: "available" }, i.Status) : (false, "missing"),
            DatabaseKinds.AuroraClusterReplica => await ports.Aurora.DescribeClusterAsync(db.Id, cancellationToken) is { } c
                ? (c is { IsReplica: false, Status: "available" }, c.Status) : (false, "missing"),
            _ => await ports.Aurora.DescribeGlobalClusterAsync(db.Id, ports.RecoveryRegion, cancellationToken) is { } g
                ? (g.IsWriter(db.TargetClusterArn!), g.FailoverStatus ?? (g.IsWriter(db.TargetClusterArn!) ? "available" : NotTheWriter)) : (false, "missing"),
        };

        if (writable)
        {
            return db with { Status = DatabaseStatuses.Writable, WritableAt = now, Detail = db.DrillCopyId is { } copy ? $"drill: copy {copy} promoted and writable" : "writable" };
        }

        if (db.Action == DatabaseActions.GlobalSwitchover && status is Cancelling or NotTheWriter)
        {
            return await SwitchoverNotCarriedOutAsync(db, status, cancellationToken);
        }

        if (status == "missing" || TerminalStatuses.Contains(status) || status == Cancelling)
        {
            return db with { Status = DatabaseStatuses.Failed, Detail = status == "missing" ? "no longer exists" : $"status {status}" };
        }

        return now - (db.PromotionStartedAt ?? now) > promotionTimeout
            ? db with { Status = DatabaseStatuses.Failed, Detail = $"not writable after {promotionTimeout.TotalSeconds:0} s (status {status})" }
            : db with { Detail = $"status {status}" };
    }
}

/// <summary>What the database steps read and change.</summary>
/// <param name="RecoveryRegion">Where the global database is read (its target cluster's region).</param>
/// <param name="DrillMethod">The plan's drill method for a database id.</param>
public sealed record DatabasePorts(IDatabaseInstances Databases, IAuroraClusters Aurora, IReplicaLagReader ReplicaLag, IDrillResources Drill, string RecoveryRegion, Func<string, string> DrillMethod);
