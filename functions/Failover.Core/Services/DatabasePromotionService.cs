using Failover.Core.Ports;
using Failover.Core.Runs;

namespace Failover.Core.Services;

/// <summary>Promotes replicas and follows them until writable. Every step reads first, so retries and redrives are safe.</summary>
public sealed class DatabasePromotionService(IDatabaseInstances databases, IReplicaLagReader lagReader, TimeProvider clock, TimeSpan promotionTimeout)
{
    // RDS statuses after which an instance will not become available by itself.
    private static readonly HashSet<string> TerminalStatuses = new(StringComparer.Ordinal)
    {
        "failed", "deleting", "deleted", "storage-full", "incompatible-restore", "incompatible-parameters",
        "incompatible-network", "incompatible-option-group", "inaccessible-encryption-credentials", "restore-error",
    };

    /// <summary>Starts promotion of each replica that is still a replica.</summary>
    public async Task<RunState> PromoteAsync(RunState run, CancellationToken cancellationToken)
    {
        var updated = new List<DatabaseRun>();
        foreach (var db in run.Databases)
        {
            if (db.Status != DatabaseStatuses.Ready)
            {
                updated.Add(db);
                continue;
            }

            var state = await databases.DescribeAsync(db.Id, cancellationToken)
                ?? throw new DatabasePromotionFailedException($"database '{db.Id}' disappeared before promotion");
            // Only an available replica is promoted. A replica in another status after a retried or redriven
            // step is an earlier promotion still underway (RDS reports "modifying" until it reboots);
            // promoting it again would be rejected, so the check and its timeout decide instead.
            var lag = db.LagSeconds;
            var promoteNow = state is { IsReplica: true, Status: "available" };
            if (promoteNow)
            {
                lag = await lagReader.ReadLagSecondsAsync(db.Id, cancellationToken) ?? -1;
                await databases.PromoteAsync(db.Id, cancellationToken);
            }

            updated.Add(db with
            {
                Status = DatabaseStatuses.Promoting,
                LagSeconds = lag,
                PromotionStartedAt = clock.GetUtcNow(),
                Detail = promoteNow ? "promotion requested" : state.IsReplica ? $"promotion underway (status {state.Status})" : "already promoted by an earlier attempt",
            });
        }

        return run with { Databases = updated };
    }

    /// <summary>Reads every promoting database once and records which are writable; fails when a critical one cannot be.</summary>
    public async Task<RunState> CheckAsync(RunState run, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var updated = new List<DatabaseRun>();
        foreach (var db in run.Databases)
        {
            if (db.Status != DatabaseStatuses.Promoting)
            {
                updated.Add(db);
                continue;
            }

            var state = await databases.DescribeAsync(db.Id, cancellationToken);
            updated.Add(state switch
            {
                null => db with { Status = DatabaseStatuses.Failed, Detail = "instance no longer exists" },
                { IsReplica: false, Status: "available" } => db with { Status = DatabaseStatuses.Writable, WritableAt = now, Detail = "standalone and available" },
                _ when TerminalStatuses.Contains(state.Status) => db with { Status = DatabaseStatuses.Failed, Detail = $"status {state.Status}" },
                _ when now - (db.PromotionStartedAt ?? now) > promotionTimeout => db with { Status = DatabaseStatuses.Failed, Detail = $"not writable after {promotionTimeout.TotalSeconds:0} s (status {state.Status})" },
                _ => db with { Detail = $"status {state.Status}" },
            });
        }

        var failedCritical = updated.Where(d => d.Critical && d.Status == DatabaseStatuses.Failed).ToList();
        if (failedCritical.Count > 0)
        {
            var names = string.Join(", ", failedCritical.Select(d => $"{d.Id} ({d.Detail})"));
            throw failedCritical.Any(d => d.Detail.StartsWith("not writable after", StringComparison.Ordinal))
                ? new DatabasePromotionTimeoutException($"critical databases not writable in time: {names}")
                : new DatabasePromotionFailedException($"critical databases failed: {names}");
        }

        return run with
        {
            Databases = updated,
            DatabasesWritable = updated.Where(d => d.Critical).All(d => d.Status == DatabaseStatuses.Writable),
        };
    }
}
