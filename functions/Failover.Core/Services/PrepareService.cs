using System.Globalization;
using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Readiness;
using Failover.Core.Rpo;
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

    private readonly ResourceChecks _checks = new(plan, ports);

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
        // Databases (with the evidence of their data at risk), servers and switches are read side by side: Prepare is on
        // the critical path of every run, and at scale its reads are most of it. The evidence is read up to the
        // outage's beginning whatever the readiness, so a refused run still says what it would have risked.
        var outageBeganAt = request.Trigger?.AlarmTime ?? clock.GetUtcNow();
        var databasesRead = PrepareDatabasesAsync(databases, request, primaryAnswers, outageBeganAt, problems, cancellationToken);
        var serversRead = plan.Waves.Count > 0 && (servers.Count > 0 || (request.Scope?.Servers is null && plan.Waves.Any(w => w.Tags.Count > 0)))
            ? PrepareServersAsync(plan.Waves, request.Scope, problems, cancellationToken)
            : Task.FromResult<ServersRun?>(null);
        var switchesRead = ReadSwitchesAsync(switches, problems, cancellationToken);
        var capacityRead = new CapacityReadiness(plan, ports.Capacity, clock).ReadAsync(request.Mode, problems, cancellationToken);
        await Task.WhenAll(databasesRead, serversRead, switchesRead, capacityRead);
        var serversRun = await serversRead;
        if (problems.Count > 0)
        {
            throw new ReadinessFailedException(problems);
        }

        var runs = await databasesRead;
        var prepared = new RunState
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
            Capacity = await capacityRead,
            CapacityReady = (await capacityRead).All(c => c.Ended),
            OutageBeganAt = outageBeganAt,
            RtoObjectiveSeconds = plan.Objectives.RtoSeconds,
            RpoObjectiveSeconds = plan.Objectives.RpoSeconds,
            DataLoss = plan.DataLoss,
        };
        prepared = ArmFallbacks(prepared);
        var verdict = RpoGate.Judge(prepared, new Dictionary<string, RpoEstimate>());
        if (verdict.Blocked.Count > 0)
        {
            throw new RpoGateBlockedException(verdict.Blocked);
        }

        return prepared with { ApprovalRequired = request.RequireApproval || verdict.NeedsApproval.Count > 0, DataLossToApprove = verdict.NeedsApproval };
    }

    // A switchover that falls back to failover loses what was not replicated: the fallback stays armed only when the RPO
    // gate would let that failover through without asking anyone.
    private static RunState ArmFallbacks(RunState run) => run with
    {
        Databases = [.. run.Databases.Select(db =>
        {
            if (db is not { Action: DatabaseActions.GlobalSwitchover, FallBackToFailover: true })
            {
                return db;
            }

            var asFailover = RpoGate.Judge(run with { Databases = [db with { Action = DatabaseActions.GlobalFailover }] }, new Dictionary<string, RpoEstimate>());
            var why = asFailover.Blocked.Concat(asFailover.NeedsApproval).FirstOrDefault();
            return why is null ? db : db with
            {
                FallBackToFailover = false,
                Detail = $"primary region answers and the global database is healthy: switchover without data loss; no failover if RDS refuses or cancels it ({why})",
            };
        })],
    };

    // The input's scope was checked against the plan (StartRequestRules): it only names the plan's resources.
    private (IReadOnlyList<DatabaseTarget> Databases, IReadOnlyList<string> Servers, IReadOnlyList<TrafficSwitchTarget> Switches) Scope(RunScope? scope)
    {
        static IReadOnlyList<T> Narrow<T>(IReadOnlyList<T> all, IReadOnlyList<string>? wanted, Func<T, string> id) =>
            wanted is null ? all : [.. all.Where(a => wanted.Contains(id(a)))];

        return (Narrow(plan.Databases, scope?.Databases, d => d.Id), Narrow([.. ServerWaves.SourceServerIds(plan.Waves)], scope?.Servers, s => s), Narrow(plan.Switches, scope?.Switches, s => s.Id));
    }

    private async Task ReadSwitchesAsync(IReadOnlyList<TrafficSwitchTarget> switches, List<string> problems, CancellationToken cancellationToken)
    {
        var missing = (await _checks.SwitchesAsync(switches, cancellationToken)).OfType<ReadinessFinding>().Select(f => f.Problem).ToList();
        lock (problems)
        {
            problems.AddRange(missing);
        }
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

    // RDS instances are described together (a filter of up to 100 ids a call) and every database's lag evidence is read
    // together (up to 500 series a call): one call per database each made Prepare grow with the plan.
    private async Task<List<DatabaseRun>> PrepareDatabasesAsync(IReadOnlyList<DatabaseTarget> databases, StartRequest request, bool primaryAnswers, DateTimeOffset outageBeganAt, List<string> problems, CancellationToken cancellationToken)
    {
        // The evidence of data at risk is read while the databases are described: it needs only the plan.
        List<string> instanceIds = [.. databases.Where(d => d.Kind == DatabaseKinds.RdsInstanceReplica).Select(d => d.Id)];
        var lagRead = new RpoEvidence(ports.ReplicaLag).ReadManyAsync(databases, outageBeganAt, cancellationToken);
        var instancesRead = instanceIds.Count == 0
            ? Task.FromResult<IReadOnlyDictionary<string, DatabaseInstanceState>>(new Dictionary<string, DatabaseInstanceState>())
            : ports.Databases.DescribeManyAsync(instanceIds, cancellationToken);
        await Task.WhenAll(lagRead, instancesRead);
        var instances = await instancesRead;
        var prepared = (await Bounded.SelectAsync(databases, plan.DatabaseConcurrency, (target, ct) =>
            PrepareDatabaseAsync(target, instances.GetValueOrDefault(target.Id), request, primaryAnswers, problems, ct), cancellationToken))
            .OfType<DatabaseRun>().ToList();
        var lag = await lagRead;
        return [.. prepared.Select(db => db with { Rpo = RpoEvidence.Estimate(db, lag[db.Id], outageBeganAt) })];
    }

    // instance: the state read for an RDS read replica (null when it does not exist); unused for the other kinds.
    private async Task<DatabaseRun?> PrepareDatabaseAsync(DatabaseTarget target, DatabaseInstanceState? instance, StartRequest request, bool primaryAnswers, List<string> problems, CancellationToken cancellationToken)
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
                foreach (var finding in _checks.ReplicaInstanceFindings(target, instance, request.Mode == RunModes.Drill && target.DrillMethod == DrillMethods.Copy))
                {
                    Problem(finding.Problem);
                }

                if (instance is null)
                {
                    return null;
                }

                // A standalone, available instance: an earlier run already promoted it; a redriven run must
                // reach the same end state, not stop.
                run = run with { Engine = instance.Engine };
                if (instance is { IsReplica: false, Status: "available" })
                {
                    return run with { Action = DatabaseActions.PromoteInstance, Status = DatabaseStatuses.Writable, Detail = "already standalone" };
                }

                return run with { Action = DatabaseActions.PromoteInstance, Detail = $"replica of {instance.ReplicationSource}, status {instance.Status}" };
            }

            case DatabaseKinds.AuroraClusterReplica:
            {
                var (cluster, findings) = await _checks.ReplicaClusterAsync(target, cancellationToken);
                foreach (var finding in findings)
                {
                    Problem(finding.Problem);
                }

                if (cluster is null)
                {
                    return null;
                }

                if (cluster is { IsReplica: false, Status: "available" })
                {
                    return run with { Action = DatabaseActions.PromoteCluster, Status = DatabaseStatuses.Writable, Detail = "already standalone" };
                }

                return run with { Action = DatabaseActions.PromoteCluster, Detail = $"replica of {cluster.ReplicationSource}, status {cluster.Status}" };
            }

            default:
            {
                var targetArn = target.TargetClusterArn!;
                var (global, findings) = await _checks.GlobalDatabaseAsync(target, cancellationToken);
                foreach (var finding in findings)
                {
                    Problem(finding.Problem);
                }

                if (global is null)
                {
                    return null;
                }

                if (global.IsWriter(targetArn))
                {
                    return run with { Action = DatabaseActions.GlobalSwitchover, Status = DatabaseStatuses.Writable, Detail = "target is already the writer" };
                }

                if (request.Mode == RunModes.Switchover)
                {
                    if (!primaryAnswers)
                    {
                        Problem($"global database '{target.Id}': a switchover needs the primary region {plan.PrimaryRegion}, which does not answer; start a failover instead");
                    }

                    // RDS decides whether the switchover can run; when it refuses or cancels it, the database fails with its reason.
                    return run with { Action = DatabaseActions.GlobalSwitchover, Detail = "switchover without data loss; never fails over with data loss" };
                }

                // Failover mode (and drills, which change nothing): switch over only when that is possible without risk
                // (aurora-global-database-disaster-recovery.html: switchover is for a healthy global database).
                var risk = request.AllowDataLoss ? "data loss allowed by the input"
                    : !primaryAnswers ? $"primary region {plan.PrimaryRegion} does not answer"
                    : ResourceChecks.SwitchoverRisk(global);
                if (risk is not null)
                {
                    return run with { Action = DatabaseActions.GlobalFailover, Detail = $"{risk}: failover with data loss" };
                }

                // Falling back loses what was not replicated: PrepareAsync arms it only when the RPO gate would let that
                // failover through unattended (ArmFallbacks).
                return run with
                {
                    Action = DatabaseActions.GlobalSwitchover,
                    FallBackToFailover = true,
                    Detail = "primary region answers and the global database is healthy: switchover without data loss (failover with data loss if RDS refuses or cancels it)",
                };
            }
        }
    }

    private async Task<ServersRun?> PrepareServersAsync(IReadOnlyList<ServerGroup> waves, RunScope? scope, List<string> problems, CancellationToken cancellationToken)
    {
        var (found, findings) = await _checks.ServersAsync(waves, scope, cancellationToken);
        lock (problems)
        {
            problems.AddRange(findings.Select(f => f.Problem));
        }

        return new ServersRun
        {
            Total = found.Count,
            BatchSize = waves[0].BatchSize,
            MaxConcurrentJobs = waves[0].MaxConcurrentJobs,
            LagSeconds = found.Count == 0 || found.Any(s => s.LagSeconds is null) ? null : found.Max(s => s.LagSeconds),
        };
    }
}

/// <summary>What Prepare reads.</summary>
/// <param name="Capacity">Auto Scaling groups and ECS services; needed only when the plan has capacity entries.</param>
public sealed record PreparePorts(IDatabaseInstances Databases, IAuroraClusters Aurora, IReplicaLagReader ReplicaLag, IRecoveryServers Servers, ITrafficSwitch TrafficSwitch, ICapacity? Capacity = null);
