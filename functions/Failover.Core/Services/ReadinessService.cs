using System.Globalization;
using System.Text;
using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Readiness;
using Failover.Core.Rpo;
using Failover.Core.Runs;
using Failover.Core.Triggers;

namespace Failover.Core.Services;

/// <summary>What the readiness evaluation reads and writes.</summary>
/// <param name="Resources">What Prepare reads: its resource checks are the evaluation's first ones.</param>
/// <param name="SwitchVerifier">Reads each switch's wiring (alarm, health check, records), as drills do.</param>
/// <param name="Drills">The state machine's drill executions.</param>
/// <param name="Store">The last evaluation, to tell a change.</param>
/// <param name="Metrics">Where Ready and Findings are published.</param>
/// <param name="Notifications">The team's topic; null publishes nothing.</param>
/// <param name="Scope">What the deployed roles may act on; null when the function was not given it (no check).</param>
/// <param name="MoreChecks">Checks other components contribute (the recovery region's capacity targets).</param>
public sealed record ReadinessPorts(
    PreparePorts Resources,
    ISwitchVerifier SwitchVerifier,
    IDrillHistory Drills,
    IReadinessStore Store,
    IReadinessMetrics Metrics,
    INotificationPublisher? Notifications,
    DeployedScope? Scope,
    IReadOnlyList<IReadinessCheck> MoreChecks);

/// <summary>
/// Evaluates, continuously (a schedule) or on demand, whether a failover of the plan started now would find what it
/// needs: Prepare's own resource checks (<see cref="ResourceChecks"/>) plus what only continuous checking can see —
/// replicas replicating, global secondaries healthy, DRS replication and its lag, data at risk against the RPO
/// objective (<see cref="RpoEvidence"/>, as Prepare judges it), the switches' wiring, DRS job slots against the
/// waves, the deployed roles' scope, and the age of the last successful drill. Reads only, except its own metrics,
/// stored evaluation and notification.
/// </summary>
public sealed class ReadinessService(RecoveryPlan plan, ReadinessPorts ports, TimeProvider clock)
{
    /// <summary>The attribute <c>phase</c> of readiness notifications.</summary>
    public const string NotificationPhase = "readiness";

    // dataReplicationState values (API_DataReplicationInfo.html) in which a source server's writes are not reaching the
    // staging area; INITIATING, INITIAL_SYNC and STOPPED are Prepare's (no snapshot yet). Its lagDuration is the time
    // since the server was last in continuous data protection (DRS User Guide, Replication-Related-FAQ.html).
    private static readonly HashSet<string> NotReplicating = new(StringComparer.Ordinal) { "STALLED", "PAUSED", "DISCONNECTED" };

    private readonly ResourceChecks _checks = new(plan, ports.Resources);

    /// <summary>Evaluates the plan now. Every finding is collected; nothing is refused or thrown for a finding.</summary>
    public async Task<ReadinessEvaluation> EvaluateAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var databases = Bounded.SelectAsync(plan.Databases, plan.DatabaseConcurrency, (db, ct) => DatabaseAsync(db, now, ct), cancellationToken);
        var servers = ServersAsync(cancellationToken);
        var switches = SwitchesAsync(cancellationToken);
        var drill = DrillAsync(now, cancellationToken);
        var more = Task.WhenAll(ports.MoreChecks.Select(c => c.CheckAsync(cancellationToken)));
        await Task.WhenAll(databases, servers, switches, drill, more);

        var findings = (await databases).SelectMany(f => f)
            .Concat(await servers)
            .Concat((await switches).SelectMany(f => f))
            .Concat(await drill)
            .Concat(Permissions())
            .Concat((await more).SelectMany(f => f))
            .OrderBy(f => f.Id, StringComparer.Ordinal)
            .ToList();
        return new ReadinessEvaluation { Plan = plan.Name, EvaluatedAt = now, Ready = findings.Count == 0, Findings = findings };
    }

    /// <summary>
    /// One scheduled (or on-demand) evaluation: evaluates, publishes the metrics, tells the team when a finding appeared
    /// or cleared since the stored evaluation, and stores this one.
    /// </summary>
    public async Task<ReadinessResult> RunAsync(CancellationToken cancellationToken)
    {
        var evaluation = await EvaluateAsync(cancellationToken);
        await ports.Metrics.PublishAsync(evaluation, cancellationToken);
        var previous = await ports.Store.ReadLastAsync(cancellationToken);
        var change = ReadinessChange.Between(previous, evaluation);
        var notified = false;
        if (change.Changed && ports.Notifications is { } topic)
        {
            await topic.PublishAsync(ChangeNotification(evaluation, change), cancellationToken);
            notified = true;
        }

        await ports.Store.SaveAsync(evaluation, cancellationToken);
        return new ReadinessResult(evaluation, change, notified);
    }

    /// <summary>The message for a change: the findings that appeared (with what to do) and those that cleared.</summary>
    public Notification ChangeNotification(ReadinessEvaluation evaluation, ReadinessChange change)
    {
        var state = evaluation.Ready ? "ready" : $"NOT ready ({evaluation.Findings.Count} finding{(evaluation.Findings.Count == 1 ? "" : "s")})";
        var body = new StringBuilder();
        body.AppendLine(CultureInfo.InvariantCulture, $"Plan {plan.Name} is {state} as of {evaluation.EvaluatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC.");
        foreach (var f in change.Appeared)
        {
            body.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"NEW {f.Id}: {f.Problem}").AppendLine(CultureInfo.InvariantCulture, $"  What to do: {f.Remedy}");
        }

        foreach (var f in change.Cleared)
        {
            body.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"CLEARED {f.Id}");
        }

        body.AppendLine().AppendLine("Current findings: failover readiness --last");
        var subject = $"Failover {plan.Name}: {state}";
        return new Notification(subject.Length > NotificationService.MaxSubjectLength ? subject[..NotificationService.MaxSubjectLength] : subject, body.ToString(),
            new Dictionary<string, string> { ["plan"] = plan.Name, ["phase"] = NotificationPhase, ["outcome"] = evaluation.Ready ? "ready" : "not-ready" });
    }

    private async Task<IReadOnlyList<ReadinessFinding>> DatabaseAsync(DatabaseTarget target, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var findings = new List<ReadinessFinding>();
        var run = new DatabaseRun { Id = target.Id, Kind = target.Kind, Critical = target.Critical, TargetClusterArn = target.TargetClusterArn };
        bool replicating;
        switch (target.Kind)
        {
            case DatabaseKinds.RdsInstanceReplica:
            {
                var (state, found) = await _checks.ReplicaInstanceAsync(target, target.DrillMethod == DrillMethods.Copy, cancellationToken);
                findings.AddRange(found);
                replicating = state is { IsReplica: true };
                if (state is { IsReplica: true, ReplicationStatus: { } status } && status != DatabaseInstanceState.Replicating)
                {
                    // USER_ReadRepl.Monitoring.html: a replica in error, stopped or terminated replication no longer
                    // receives its source's writes; it stays "available", so Prepare's status check does not see it.
                    findings.Add(new($"replica-not-replicating:{target.Id}", target.Id, $"replica '{target.Id}' is available but its read replication is {status}",
                        $"find the replication error in the RDS events of '{target.Id}' (or its source); restart replication, or recreate the replica if RDS terminated it"));
                    replicating = false;
                }

                run = run with { Engine = state?.Engine };
                break;
            }

            case DatabaseKinds.AuroraClusterReplica:
            {
                var (cluster, found) = await _checks.ReplicaClusterAsync(target, cancellationToken);
                findings.AddRange(found);
                replicating = cluster is { IsReplica: true };
                break;
            }

            default:
            {
                var (global, found) = await _checks.GlobalDatabaseAsync(target, cancellationToken);
                findings.AddRange(found);
                replicating = global is not null && !global.IsWriter(target.TargetClusterArn!);
                if (global is not null && ResourceChecks.SwitchoverRisk(global) is { } risk)
                {
                    findings.Add(new($"global-secondary-unhealthy:{target.Id}", target.Id, $"global database '{target.Id}': {risk}; a failover now could only be one with data loss",
                        "wait for the member to reach connected (or the operation underway to end); if it stays behind, see the cluster's RDS events"));
                }

                break;
            }
        }

        if (replicating && findings.Count == 0)
        {
            // The data at risk if the primary went dark now, by Prepare's evidence rules.
            var estimate = await new RpoEvidence(ports.Resources.ReplicaLag).EstimateAsync(run, now, cancellationToken);
            if (!estimate.Meets(plan.Objectives.RpoSeconds))
            {
                var risk = estimate.Seconds is { } seconds ? $"{seconds.ToString("0.#", CultureInfo.InvariantCulture)} s of writes at risk, over the RPO objective of {plan.Objectives.RpoSeconds} s" : "the data at risk is unknown";
                findings.Add(new($"rpo-at-risk:{target.Id}", target.Id, $"database '{target.Id}': {risk} ({estimate.Evidence})",
                    "find why the replica lags (its lag metric, the source's write load, the network); until it is back within the objective a failover needs approval or allowed data loss"));
            }
        }

        return findings;
    }

    private async Task<IReadOnlyList<ReadinessFinding>> ServersAsync(CancellationToken cancellationToken)
    {
        if (plan.Waves.Count == 0)
        {
            return [];
        }

        var (found, findings) = await _checks.ServersAsync(plan.Waves, null, cancellationToken);
        var all = findings.ToList();
        foreach (var server in found)
        {
            var lag = server.LagSeconds is { } seconds ? $"lag {seconds.ToString("0", CultureInfo.InvariantCulture)} s" : "no lag reported";
            if (NotReplicating.Contains(server.ReplicationState))
            {
                all.Add(new($"server-not-replicating:{server.Id}", server.Id, $"DRS source server {server.Id} is {server.ReplicationState} ({lag}): a recovery would launch from an ever older snapshot",
                    $"see the server's dataReplicationError in the DRS console; check the agent, its connectivity to the staging area and the replication server"));
            }
            else if (server.LagSeconds > plan.Objectives.RpoSeconds && plan.Objectives.RpoSeconds > 0)
            {
                all.Add(new($"server-lag-over-rpo:{server.Id}", server.Id, $"DRS source server {server.Id} replicates with {lag}, over the RPO objective of {plan.Objectives.RpoSeconds} s",
                    "find what holds replication back (bandwidth, the replication server's size, the source's write rate)"));
            }
        }

        all.AddRange(await JobSlotsAsync(found.Count, cancellationToken));
        return all;
    }

    // The account-wide DRS quotas (plan.DrsQuotas) count every tool's jobs: a wave starts its jobs only within what
    // they leave free (ServerRecoveryService), so jobs already in progress slow the recovery down.
    private async Task<IReadOnlyList<ReadinessFinding>> JobSlotsAsync(int servers, CancellationToken cancellationToken)
    {
        var quotas = plan.DrsQuotas;
        var findings = new List<ReadinessFinding>();
        if (servers > quotas.SourceServers)
        {
            findings.Add(new("drs-source-server-quota", "servers", $"the plan selects {servers} source servers, over the DRS quota of {quotas.SourceServers} per account (L-E28BE5E0)",
                "ask for a higher quota in Service Quotas, or split the servers over accounts"));
        }

        var active = await ports.Resources.Servers.DescribeActiveJobsAsync(cancellationToken);
        var freeJobs = quotas.ConcurrentJobs - active.Count;
        var freeServers = quotas.ServersInActiveJobs - active.Sum(j => j.LaunchStatusByServer.Count);
        var wantedJobs = plan.Waves.Max(w => Math.Min(w.MaxConcurrentJobs, (int)Math.Ceiling(servers / (double)Math.Max(1, Math.Min(w.BatchSize, quotas.ServersPerJob)))));
        if (servers > 0 && (freeJobs < wantedJobs || freeServers < Math.Min(servers, quotas.ServersInActiveJobs)))
        {
            findings.Add(new("drs-job-slots", "servers",
                $"{active.Count} DRS job(s) in progress hold {quotas.ServersInActiveJobs - freeServers} server slot(s): {Math.Max(0, freeJobs)} of {quotas.ConcurrentJobs} job slots and {Math.Max(0, freeServers)} of {quotas.ServersInActiveJobs} server slots are free, the waves want {wantedJobs} job(s) for {servers} server(s)",
                "find the jobs in progress (DRS console, DescribeJobs) and let them finish or end them; a recovery now would wait for them"));
        }

        return findings;
    }

    // The targets are read together (switches in one zone share its reads); a switch whose target is there has its wiring verified.
    private async Task<IReadOnlyList<ReadinessFinding>[]> SwitchesAsync(CancellationToken cancellationToken)
    {
        var missing = await _checks.SwitchesAsync(plan.Switches, cancellationToken);
        return await Bounded.SelectAsync([.. plan.Switches.Zip(missing)], TrafficSwitchService.SwitchConcurrency,
            async (s, ct) => s.Second is { } finding ? [finding] : await WiringAsync(s.First, ct), cancellationToken);
    }

    private async Task<IReadOnlyList<ReadinessFinding>> WiringAsync(TrafficSwitchTarget target, CancellationToken cancellationToken)
    {
        var problems = await ports.SwitchVerifier.VerifyAsync(target, cancellationToken);
        return problems.Count == 0 ? [] :
        [
            new($"switch-wiring:{target.Id}", target.Id, $"switch '{target.Id}': {string.Join("; ", problems)}",
                "correct the switch's alarm, health check or records as the problem says; a drill's traffic step verifies the same wiring"),
        ];
    }

    private async Task<IReadOnlyList<ReadinessFinding>> DrillAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var last = await ports.Drills.LastSuccessfulDrillAsync(cancellationToken);
        var objective = TimeSpan.FromDays(plan.Objectives.DrillWithinDays);
        if (last is { } at && now - at <= objective)
        {
            return [];
        }

        var when = last is { } ran ? $"the last successful drill ran {(now - ran).TotalDays.ToString("0", CultureInfo.InvariantCulture)} days ago" : "no drill has succeeded";
        return [new("drill-overdue", plan.Name, $"{when}; the plan's objective is a drill within {plan.Objectives.DrillWithinDays} days",
            $"run a drill: failover start --mode drill (a drill changes nothing in production)")];
    }

    private IEnumerable<ReadinessFinding> Permissions() =>
        (ports.Scope?.Uncovered(plan) ?? []).Select(u => new ReadinessFinding($"outside-role-scope:{u.Resource}", u.Resource,
            $"the plan names {u.Arn}, which the deployed roles may not act on (stack parameter {u.Parameter}): its failover would be refused with AccessDenied",
            $"add {u.Arn} to the stack parameter {u.Parameter} and redeploy the stack"));
}
