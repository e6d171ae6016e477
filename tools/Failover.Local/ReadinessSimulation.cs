using System.Text.Json;
using System.Text.Json.Nodes;
using Failover.Aws;
using Failover.Aws.Clients;
using Failover.Core;
using Failover.Core.Plans;
using Failover.Core.Readiness;
using Failover.Core.Reports;
using Failover.Core.Services;

namespace Failover.Local;

/// <summary>
/// The readiness scenario: a drill proves the plan (the drill objective), the Readiness function evaluates the deployed
/// environment (ready), four things break — the replica stops replicating, a DRS source server's replication stalls,
/// the switch health check is set to revert on missing data, a plan packaged later names a replica outside the
/// deployed roles' scope — and it evaluates again: exactly those four findings, one notification for the change.
/// </summary>
public sealed class ReadinessSimulation(LocalAws aws, DeployedEnvironment environment, TimeProvider clock)
{
    /// <summary>The replica the later plan adds, which the stack's ReplicaInstanceArns do not name.</summary>
    public const string OutOfScopeReplicaSuffix = "-reports-replica";

    private readonly AwsClients _recovery = aws.Clients(environment.Plan.RecoveryRegion, clock);
    private readonly AwsClients _primary = aws.Clients(environment.Plan.PrimaryRegion, clock);

    /// <summary>The finding ids the breakage must produce, for the deployed plan.</summary>
    public IReadOnlyList<string> ExpectedFindingIds(string stalledServerId) =>
    [
        $"outside-role-scope:{environment.Plan.Name}{OutOfScopeReplicaSuffix}",
        $"replica-not-replicating:{environment.Plan.Databases.First(d => d.Kind == DatabaseKinds.RdsInstanceReplica).Id}",
        $"server-not-replicating:{stalledServerId}",
        $"switch-wiring:{environment.Plan.Switches.First(s => s.Kind == SwitchKinds.SwitchMetric).Id}",
    ];

    /// <summary>Runs the scenario and returns its report (mode readiness) with its checks and evaluations.</summary>
    public async Task<RunReport> RunAsync(IProgress<SimulationProgress>? progress, LocalEnvironmentOptions options, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        void Say(string message) => progress?.Report(new SimulationProgress(clock.GetElapsedTime(started), message));
        var plan = environment.Plan;
        if (!plan.Databases.Any(d => d.Kind == DatabaseKinds.RdsInstanceReplica) || !plan.Switches.Any(s => s.Kind == SwitchKinds.SwitchMetric && s.HealthCheckId is not null) || plan.Waves.Count == 0)
        {
            throw new LocalAwsException("the readiness scenario needs a plan with an RDS read replica, a switch-metric switch and DRS servers (the packaged plan has them)");
        }

        // The drill objective needs a successful drill: run one, as a team does before relying on the plan.
        var drill = await new DrillSimulation(aws, environment, clock).RunAsync(progress, cancellationToken);
        Say($"drill {drill.Execution.Name}: {drill.Execution.Status}");
        await new Simulation(aws, environment, clock).ReadNotificationsAsync(cancellationToken);

        var evaluations = new List<ReadinessEvaluation> { await EvaluateAsync(Say, cancellationToken) };

        // Break four things.
        var replica = plan.Databases.First(d => d.Kind == DatabaseKinds.RdsInstanceReplica).Id;
        aws.Gateway.ReadReplication.Set(plan.RecoveryRegion, replica, "error", "Error 1236 reading binary log from the source");
        Say($"RDS: replica {replica}'s read replication is in error (it stays available)");

        var server = (await _recovery.Drs.DescribeSourceServersAsync(null, cancellationToken)).Select(s => s.SourceServerID).Order(StringComparer.Ordinal).First();
        aws.Gateway.Drs.SetReplication(server, "STALLED", TimeSpan.FromMinutes(20));
        Say($"DRS: source server {server}'s replication STALLED (lag 20 min)");

        var sw = plan.Switches.First(s => s.Kind == SwitchKinds.SwitchMetric && s.HealthCheckId is not null);
        await _primary.Route53.UpdateHealthCheckAsync(new UpdateHealthCheckRequest(sw.HealthCheckId!) { InsufficientDataHealthStatus = "Healthy" }, cancellationToken);
        Say($"Route 53: health check {sw.HealthCheckId} of switch {sw.Id} turns Healthy on insufficient data");

        var added = plan.Name + OutOfScopeReplicaSuffix;
        await LocalEnvironment.DeployReplicaAsync(aws, plan, added, options, environment.Day, clock, cancellationToken);
        var later = plan with { Databases = [.. plan.Databases, new DatabaseTarget { Kind = DatabaseKinds.RdsInstanceReplica, Id = added }] };
        var laterPath = Path.Combine(options.WorkDirectory, $"plan-{plan.Name}-readiness-{aws.Gateway.Port}.json");
        await File.WriteAllTextAsync(laterPath, JsonSerializer.Serialize(later, FailoverJson.Indented.RecoveryPlan), cancellationToken);
        environment.RepackageReadiness(laterPath);
        Say($"the plan now names replica {added}; the Readiness function is repackaged with it, the stack's ReplicaInstanceArns unchanged");

        evaluations.Add(await EvaluateAsync(Say, cancellationToken));

        var notifications = (await new Simulation(aws, environment, clock).ReadNotificationsAsync(cancellationToken))
            .Where(n => n.Attributes.GetValueOrDefault("phase") == ReadinessService.NotificationPhase && n.Attributes.GetValueOrDefault("plan") == plan.Name)
            .ToList();
        var changes = evaluations.Select((e, i) => ReadinessChange.Between(i == 0 ? null : evaluations[i - 1], e)).Count(c => c.Changed);
        var expected = ExpectedFindingIds(server);
        var last = evaluations[^1];
        var lastIds = last.Findings.Select(f => f.Id).ToList();
        List<CheckReport> checks =
        [
            new("the first evaluation is ready", evaluations[0].Ready,
                evaluations[0].Ready ? "no finding" : "findings: " + string.Join("; ", evaluations[0].Findings.Select(f => $"{f.Id}: {f.Problem}")), "readiness-first-ready"),
            new("the last evaluation has exactly the four findings, each with a remedy",
                !last.Ready && lastIds.Order(StringComparer.Ordinal).SequenceEqual(expected.Order(StringComparer.Ordinal)) && last.Findings.All(f => f.Remedy.Length > 0),
                $"expected {string.Join(", ", expected)}; found {string.Join(", ", lastIds)}", "readiness-findings"),
            new("one notification per change", notifications.Count == changes,
                $"{changes} change(s) of the findings, {notifications.Count} notification(s): {string.Join("; ", notifications.Select(n => n.Subject))}", "readiness-notified-once-per-change"),
        ];
        return new RunReport
        {
            Outcome = checks.All(c => c.Passed) ? ReportOutcomes.Succeeded : ReportOutcomes.Failed,
            Mode = "readiness",
            Plan = plan.Name,
            Reason = "readiness scenario",
            Region = plan.RecoveryRegion,
            Checks = checks,
            Readiness = new ReadinessReport(evaluations, notifications.Count),
        };
    }

    // The schedule's target invoked as EventBridge would, with a Scheduled Event; the primary stays up until now.
    private async Task<ReadinessEvaluation> EvaluateAsync(Action<string> say, CancellationToken cancellationToken)
    {
        await environment.Day.StayUpUntilNowAsync(environment.Plan.Name, cancellationToken);
        var started = clock.GetTimestamp();
        var invoke = await _recovery.Lambda.InvokeAsync(environment.ReadinessFunctionName, ScheduledEvent(clock.GetUtcNow(), environment.Plan.RecoveryRegion), "RequestResponse", cancellationToken);
        if (invoke.FunctionError is not null)
        {
            throw new LocalAwsException($"{environment.ReadinessFunctionName} failed: {invoke.Payload}; see {environment.FunctionLogPath}");
        }

        var evaluation = JsonSerializer.Deserialize(invoke.Payload, FailoverJson.Default.ReadinessEvaluation)
            ?? throw new LocalAwsException($"{environment.ReadinessFunctionName} returned no evaluation");
        say($"readiness evaluated in {clock.GetElapsedTime(started).TotalSeconds:0.00} s: {(evaluation.Ready ? "ready" : "NOT ready")}{string.Concat(evaluation.Findings.Select(f => $"\n    {f.Id}: {f.Problem}"))}");
        return evaluation;
    }

    /// <summary>The EventBridge "Scheduled Event" a rate schedule delivers (EventBridge User Guide, scheduled rules).</summary>
    public static string ScheduledEvent(DateTimeOffset time, string region) => new JsonObject
    {
        ["version"] = "0",
        ["id"] = Guid.NewGuid().ToString(),
        ["detail-type"] = "Scheduled Event",
        ["source"] = "aws.events",
        ["account"] = LocalAws.AccountId,
        ["time"] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["region"] = region,
        ["resources"] = new JsonArray($"arn:aws:events:{region}:{LocalAws.AccountId}:rule/failover-readiness"),
        ["detail"] = new JsonObject(),
    }.ToJsonString();
}
