using System.Globalization;
using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Runs;
using Failover.Core.Triggers;

namespace Failover.Core.Services;

/// <summary>
/// Turns an execution input into a validated run: scope, readiness of every resource in the recovery
/// region, and the RPO gate. Reads only; throws with every problem found before anything is changed.
/// </summary>
public sealed class PrepareService(RecoveryPlan plan, PreparePorts ports, TimeProvider clock)
{
    /// <summary>How long Prepare waits for the primary region to answer: one short attempt, so a dark region costs
    /// seconds rather than every retry of the transport.</summary>
    public static readonly TimeSpan PrimaryProbeTimeout = TimeSpan.FromSeconds(5);

    // Replication states from which DRS has no point-in-time snapshot to launch yet.
    private static readonly HashSet<string> NotYetReplicated = new(StringComparer.Ordinal) { "INITIATING", "INITIAL_SYNC", "STOPPED" };

    /// <summary>Prepares the run or throws <see cref="InvalidRunInputException"/>, <see cref="ReadinessFailedException"/> or <see cref="RpoGateBlockedException"/>.</summary>
    public async Task<RunState> PrepareAsync(PrepareRequest prepare, CancellationToken cancellationToken)
    {
        var request = prepare.Request;
        var inputProblems = StartRequestRules.Validate(plan, request);
        if (inputProblems.Count > 0)
        {
            throw new InvalidRunInputException("the execution input is not acceptable: " + string.Join("; ", inputProblems));
        }

        var (databases, servers, switches) = Scope(request.Scope);
        var problems = new List<string>();
        var primaryAnswers = databases.Any(d => d.Kind == DatabaseKinds.AuroraGlobal)
            ? await PrimaryRegionAnswersAsync(databases.First(d => d.Kind == DatabaseKinds.AuroraGlobal).Id, cancellationToken)
            : true;
        var databaseRuns = await Bounded.SelectAsync(databases, plan.DatabaseConcurrency,
            (target, ct) => PrepareDatabaseAsync(target, request, primaryAnswers, problems, ct), cancellationToken);
        var serversRun = plan.Servers is { } group && (servers.Count > 0 || (request.Scope?.Servers is null && group.Tags.Count > 0))
            ? await PrepareServersAsync(group, request.Scope, problems, cancellationToken)
            : null;
        foreach (var target in switches)
        {
            if (await ports.TrafficSwitch.CheckReadyAsync(target, cancellationToken) is { } missing)
            {
                lock (problems)
                {
                    problems.Add($"switch '{target.Id}': {missing}");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new ReadinessFailedException(problems);
        }

        var runs = databaseRuns.OfType<DatabaseRun>().ToList();
        // A drill promotes only temporary copies: it loses nothing, so the gate does not apply.
        var violations = request.AllowDataLoss || request.Mode == RunModes.Drill ? [] : runs.Where(LosesData).Select(Violation).ToList();
        if (violations.Count > 0)
        {
            throw new RpoGateBlockedException(violations);
        }

        return new RunState
        {
            Plan = plan.Name,
            Mode = request.Mode,
            Reason = request.Reason,
            Trigger = request.Trigger,
            ExecutionName = prepare.ExecutionName,
            AllowDataLoss = request.AllowDataLoss,
            Scope = request.Scope,
            PreparedAt = clock.GetUtcNow(),
            Databases = runs,
            DatabaseConcurrency = plan.DatabaseConcurrency,
            DatabasesWritable = runs.Where(d => d.Critical).All(d => d.Status == DatabaseStatuses.Writable),
            Servers = serversRun,
            ServersDone = serversRun is null,
            Switches = [.. switches.Select(s => new SwitchRun { Id = s.Id, Kind = s.Kind })],
            TrafficInSync = switches.Count == 0,
        };
    }

    private bool LosesData(DatabaseRun db) =>
        db.Status != DatabaseStatuses.Writable
        && db.Action != DatabaseActions.GlobalSwitchover
        && !WithinRpo(db.LagSeconds);

    private bool WithinRpo(double lagSeconds) => lagSeconds >= 0 && lagSeconds <= plan.Objectives.RpoSeconds;

    private string Violation(DatabaseRun db) => db.LagSeconds < 0
        ? $"{db.Id}: replica lag is unknown"
        : $"{db.Id}: replica lag {db.LagSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s exceeds the RPO objective of {plan.Objectives.RpoSeconds} s";

    // The input's scope was checked against the plan (StartRequestRules): it only names the plan's resources.
    private (IReadOnlyList<DatabaseTarget> Databases, IReadOnlyList<string> Servers, IReadOnlyList<TrafficSwitchTarget> Switches) Scope(RunScope? scope)
    {
        static IReadOnlyList<T> Narrow<T>(IReadOnlyList<T> all, IReadOnlyList<string>? wanted, Func<T, string> id) =>
            wanted is null ? all : [.. all.Where(a => wanted.Contains(id(a)))];

        return (Narrow(plan.Databases, scope?.Databases, d => d.Id), Narrow(plan.Servers?.SourceServerIds ?? [], scope?.Servers, s => s), Narrow(plan.Switches, scope?.Switches, s => s.Id));
    }

    private async Task<bool> PrimaryRegionAnswersAsync(string globalClusterId, CancellationToken cancellationToken)
    {
        using var probe = new CancellationTokenSource(PrimaryProbeTimeout, clock);
        using var probeOrCaller = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, probe.Token);
        try
        {
            await ports.Aurora.DescribeGlobalClusterAsync(globalClusterId, plan.PrimaryRegion, probeOrCaller.Token);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Any failure to read the primary region counts as an outage of it: the only consequence is
            // choosing failover (with data loss, gated by RPO) over switchover.
            return false;
        }
    }

    private async Task<DatabaseRun?> PrepareDatabaseAsync(DatabaseTarget target, StartRequest request, bool primaryAnswers, List<string> problems, CancellationToken cancellationToken)
    {
        void Problem(string text)
        {
            lock (problems)
            {
                problems.Add(text);
            }
        }

        var run = new DatabaseRun { Id = target.Id, Kind = target.Kind, Critical = target.Critical, TargetClusterArn = target.TargetClusterArn };
        switch (target.Kind)
        {
            case DatabaseKinds.RdsInstanceReplica:
            {
                var state = await ports.Databases.DescribeAsync(target.Id, cancellationToken);
                if (state is null)
                {
                    Problem($"database '{target.Id}' does not exist in {plan.RecoveryRegion}");
                    return null;
                }

                var lag = await ports.ReplicaLag.ReadLagSecondsAsync(target.Id, cancellationToken) ?? -1;
                // A standalone, available instance: an earlier run already promoted it; a redriven run must
                // reach the same end state, not stop.
                if (state is { IsReplica: false, Status: "available" })
                {
                    return run with { Action = DatabaseActions.PromoteInstance, LagSeconds = lag, Status = DatabaseStatuses.Writable, Detail = "already standalone" };
                }

                if (!state.IsReplica)
                {
                    Problem($"database '{target.Id}' is not a read replica (status {state.Status})");
                }
                else if (state.Status != "available")
                {
                    Problem($"replica '{target.Id}' is {state.Status}; RDS promotes only an available replica");
                }

                return run with { Action = DatabaseActions.PromoteInstance, LagSeconds = lag, Detail = $"replica of {state.ReplicationSource}, status {state.Status}" };
            }

            case DatabaseKinds.AuroraClusterReplica:
            {
                var cluster = await ports.Aurora.DescribeClusterAsync(target.Id, cancellationToken);
                if (cluster is null)
                {
                    Problem($"cluster '{target.Id}' does not exist in {plan.RecoveryRegion}");
                    return null;
                }

                var lag = await ports.ReplicaLag.ReadClusterLagSecondsAsync(target.Kind, target.Id, cancellationToken) ?? -1;
                if (cluster is { IsReplica: false, Status: "available" })
                {
                    return run with { Action = DatabaseActions.PromoteCluster, LagSeconds = lag, Status = DatabaseStatuses.Writable, Detail = "already standalone" };
                }

                if (!cluster.IsReplica || cluster.Status != "available")
                {
                    Problem($"cluster '{target.Id}' is not an available replica cluster (status {cluster.Status}, source {cluster.ReplicationSource ?? "none"})");
                }

                return run with { Action = DatabaseActions.PromoteCluster, LagSeconds = lag, Detail = $"replica of {cluster.ReplicationSource}, status {cluster.Status}" };
            }

            default:
            {
                var targetArn = target.TargetClusterArn!;
                var global = await ports.Aurora.DescribeGlobalClusterAsync(target.Id, plan.RecoveryRegion, cancellationToken);
                if (global is null || !global.Members.Any(m => m.DBClusterArn == targetArn))
                {
                    Problem(global is null ? $"global database '{target.Id}' does not exist" : $"cluster {targetArn} is not a member of global database '{target.Id}'");
                    return null;
                }

                var lag = await ports.ReplicaLag.ReadClusterLagSecondsAsync(target.Kind, targetArn.Split(':')[^1], cancellationToken) ?? -1;
                if (global.IsWriter(targetArn))
                {
                    return run with { Action = DatabaseActions.GlobalSwitchover, LagSeconds = lag, Status = DatabaseStatuses.Writable, Detail = "target is already the writer" };
                }

                if (request.Mode == RunModes.Switchover)
                {
                    if (!primaryAnswers)
                    {
                        Problem($"global database '{target.Id}': a switchover needs the primary region {plan.PrimaryRegion}, which does not answer; start a failover instead");
                    }

                    // RDS decides whether the switchover can run; when it refuses or cancels it, the database fails with its reason.
                    return run with { Action = DatabaseActions.GlobalSwitchover, LagSeconds = lag, Detail = "switchover without data loss; never fails over with data loss" };
                }

                // Failover mode (and drills, which change nothing): switch over only when that is possible without risk
                // (aurora-global-database-disaster-recovery.html: switchover is for a healthy global database).
                var risk = request.AllowDataLoss ? "data loss allowed by the input"
                    : !primaryAnswers ? $"primary region {plan.PrimaryRegion} does not answer"
                    : SwitchoverRisk(global);
                if (risk is not null)
                {
                    return run with { Action = DatabaseActions.GlobalFailover, LagSeconds = lag, Detail = $"{risk}: failover with data loss" };
                }

                // Falling back loses what was not replicated: armed only when the lag is within the objective, as the RPO
                // gate would let a failover through.
                var fallBack = WithinRpo(lag);
                const string healthy = "primary region answers and the global database is healthy: switchover without data loss";
                return run with
                {
                    Action = DatabaseActions.GlobalSwitchover,
                    FallBackToFailover = fallBack,
                    LagSeconds = lag,
                    Detail = fallBack ? $"{healthy} (failover with data loss if RDS refuses or cancels it)"
                        : $"{healthy}; no failover if RDS refuses or cancels it ({Violation(run with { LagSeconds = lag })})",
                };
            }
        }
    }

    // Why a switchover is not safe now (API_DescribeGlobalClusters.html): an operation underway, or a member that is not
    // synchronised with the writer; null when the global database is healthy.
    private static string? SwitchoverRisk(GlobalClusterState global) =>
        global.FailoverStatus is { } underway ? $"global database has FailoverState {underway}"
        : global.Members.FirstOrDefault(m => m.SynchronizationStatus != GlobalClusterMember.Connected) is { } behind
            ? $"{behind.DBClusterArn} is {behind.SynchronizationStatus ?? "not reported as synchronised"}"
            : null;

    private async Task<ServersRun> PrepareServersAsync(ServerGroup group, RunScope? scope, List<string> problems, CancellationToken cancellationToken)
    {
        var (found, missing) = await ServerSelection.ResolveAsync(group, scope, ports.Servers, cancellationToken);
        var unready = found.Where(s => NotYetReplicated.Contains(s.ReplicationState)).ToList();
        lock (problems)
        {
            if (missing.Count > 0)
            {
                problems.Add($"{missing.Count} DRS source server(s) not found in {plan.RecoveryRegion}: {string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? ", …" : "")}");
            }

            if (unready.Count > 0)
            {
                problems.Add($"{unready.Count} DRS source server(s) have no recovery snapshot yet: {string.Join(", ", unready.Take(20).Select(s => $"{s.Id} ({s.ReplicationState})"))}");
            }

            if (found.Count == 0 && missing.Count == 0)
            {
                problems.Add("no DRS source server matches the plan's servers selection");
            }
        }

        var lags = found.Select(s => s.LagSeconds ?? -1).ToList();
        return new ServersRun
        {
            Total = found.Count,
            CriticalServerIds = group.CriticalServerIds,
            BatchSize = group.BatchSize,
            MaxConcurrentJobs = group.MaxConcurrentJobs,
            LagSeconds = lags.Count == 0 || lags.Any(l => l < 0) ? -1 : lags.Max(),
        };
    }
}

/// <summary>What Prepare reads.</summary>
public sealed record PreparePorts(IDatabaseInstances Databases, IAuroraClusters Aurora, IReplicaLagReader ReplicaLag, IRecoveryServers Servers, ITrafficSwitch TrafficSwitch);
