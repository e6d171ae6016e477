using System.Collections.Concurrent;
using Failover.Aws;
using Failover.Aws.Clients;
using Failover.Core.Plans;
using Failover.Local.Models;

namespace Failover.Local;

/// <summary>A replica the day publishes lag for, as RDS does from the recovery region.</summary>
/// <param name="Id">The replica's DBInstanceIdentifier, or the DBClusterIdentifier of an Aurora global database's secondary or of an Aurora replica cluster.</param>
/// <param name="Engine">Its engine (lag behaves per engine once the source is dark).</param>
public sealed record ModelledReplica(string Id, ReplicaEngine Engine)
{
    /// <summary>RDS instances report ReplicaLag in seconds; an Aurora global secondary AuroraGlobalDBReplicationLag in
    /// milliseconds; an Aurora MySQL replica cluster AuroraBinlogReplicaLag in seconds.</summary>
    public (string Metric, string Dimension, string Unit) Metric => Engine switch
    {
        ReplicaEngine.AuroraGlobal => ("AuroraGlobalDBReplicationLag", "DBClusterIdentifier", "Milliseconds"),
        ReplicaEngine.AuroraMySqlBinlog => ("AuroraBinlogReplicaLag", "DBClusterIdentifier", "Seconds"),
        _ => ("ReplicaLag", "DBInstanceIdentifier", "Seconds"),
    };
}

/// <summary>A Route 53 CLOUDWATCH_METRIC health check the day evaluates, and the alarm whose data stream it follows.</summary>
/// <param name="Check">The health check's model.</param>
/// <param name="Alarm">The switch alarm (in <paramref name="AlarmRegion"/>).</param>
/// <param name="AlarmRegion">Where the alarm and its metric live.</param>
public sealed record ModelledHealthCheck(MetricHealthCheckModel Check, MetricAlarmModel Alarm, string AlarmRegion);

/// <summary>A metric alarm the day evaluates, in its region.</summary>
/// <param name="Alarm">The alarm's evaluation settings.</param>
/// <param name="Region">Where it lives.</param>
/// <param name="AlarmArn">Its ARN, for the EventBridge event.</param>
public sealed record ModelledAlarm(MetricAlarmModel Alarm, string Region, string AlarmArn);

/// <summary>
/// What the local AWS does on the day of a regional outage, on top of moto (which models the API surface only). The day
/// plays AWS's side: CloudWatch evaluating alarms (<see cref="AlarmEvaluator"/>) and EventBridge delivering their state
/// changes to the Trigger as the template's rule does; RDS publishing ReplicaLag per engine (<see cref="ReplicaLagModel"/>)
/// into AWS/RDS, a namespace callers may not publish to; Route 53 evaluating CLOUDWATCH_METRIC health checks on their
/// alarm's data stream (<see cref="MetricHealthCheckModel"/>) and answering DNS queries from the failover records
/// (<see cref="FailoverResolver"/>); and the primary region going dark (<see cref="RegionOutage"/>, enforced by the
/// gateway). Everything the day writes goes straight to moto, as the services themselves would, never through the
/// gateway that the product's calls pass. Times are the local AWS's clock; "24 hours later" is an evaluation at a later
/// time, not a wait.
/// </summary>
public sealed class OutageDay
{
    /// <summary>The namespace of the canary that watches the primary region from the recovery region.</summary>
    public const string CanaryNamespace = "Failover/Canary";

    /// <summary>The canary's metric: 1 when its probe of the primary region's endpoints answered, 0 when it did not.</summary>
    public const string CanaryMetric = "PrimaryRegionAvailable";

    private readonly LocalAws _aws;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, AwsClients> _services = new(StringComparer.Ordinal);
    private readonly List<ModelledReplica> _replicas = [];
    private readonly List<ModelledAlarm> _alarms = [];
    private readonly ConcurrentDictionary<string, ModelledHealthCheck> _healthChecks = new(StringComparer.Ordinal);

    // Healthy history is published up to this moment (at deployment: OutageAge ago), so an outage played later, which
    // begins OutageAge before it is played, finds no healthy datapoint already published for its own minutes.
    private DateTimeOffset _historyUntil;

    /// <summary>The day of a local AWS; the gateway asks it for the health of the checks it models.</summary>
    public OutageDay(LocalAws aws, string primaryRegion, string recoveryRegion, TimeProvider clock)
    {
        _aws = aws;
        _clock = clock;
        PrimaryRegion = primaryRegion;
        RecoveryRegion = recoveryRegion;
        _historyUntil = clock.GetUtcNow() - OutageAge;
        aws.Gateway.HealthChecks = this;
    }

    /// <summary>The region that goes dark.</summary>
    public string PrimaryRegion { get; }

    /// <summary>The region the product runs in.</summary>
    public string RecoveryRegion { get; }

    /// <summary>Replica lag figures no AWS page states.</summary>
    public ReplicaLagSettings LagSettings { get; init; } = new();

    /// <summary>How long before <see cref="BeginOutageAsync"/> returns the outage began: the time the outage alarm needs to
    /// see it, so the alarm can be evaluated at once instead of after minutes of waiting.</summary>
    public static TimeSpan OutageAge { get; } = TimeSpan.FromMinutes(3);

    /// <summary>The outage once it has begun.</summary>
    public RegionOutage? Outage => _aws.Gateway.Outage;

    /// <summary>The canary's dimensions for a plan.</summary>
    public static IReadOnlyDictionary<string, string> CanaryDimensions(string planName) =>
        new Dictionary<string, string> { ["Plan"] = planName, ["Region"] = "primary" };

    /// <summary>Adds a replica whose ReplicaLag the day publishes, with the last hour of history.</summary>
    public async Task AddReplicaAsync(ModelledReplica replica, CancellationToken cancellationToken)
    {
        lock (_replicas)
        {
            _replicas.Add(replica);
        }

        await PublishLagAsync(replica, _historyUntil.AddHours(-1), _historyUntil, cancellationToken);
    }

    /// <summary>Adds a metric alarm the day evaluates (an outage alarm or a switch alarm).</summary>
    public void AddAlarm(ModelledAlarm alarm)
    {
        AlarmEvaluator.Validate(alarm.Alarm);
        lock (_alarms)
        {
            _alarms.Add(alarm);
        }
    }

    /// <summary>Adds a CLOUDWATCH_METRIC health check the gateway answers GetHealthCheckStatus for.</summary>
    public void AddHealthCheck(ModelledHealthCheck check) => _healthChecks[check.Check.HealthCheckId] = check;

    /// <summary>True when the day models this health check.</summary>
    public bool Models(string healthCheckId) => _healthChecks.ContainsKey(healthCheckId);

    /// <summary>The health check's model, for settings the gateway reports and updates.</summary>
    public MetricHealthCheckModel? HealthCheck(string healthCheckId) => _healthChecks.TryGetValue(healthCheckId, out var c) ? c.Check : null;

    /// <summary>Publishes the canary's last hour of successful probes (the primary region answered).</summary>
    public Task PublishCanaryHistoryAsync(string planName, CancellationToken cancellationToken) =>
        PublishCanaryAsync(planName, _historyUntil.AddHours(-1), _historyUntil, _ => 1, cancellationToken);

    /// <summary>
    /// The region stays up until now: the canary's probes succeeded and replica lag was healthy up to this moment. An
    /// outage played afterwards begins no earlier than now.
    /// </summary>
    public async Task StayUpUntilNowAsync(string planName, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var from = _historyUntil.AddSeconds(1);
        if (from > now)
        {
            // Called again within the second: the history already reaches now.
            return;
        }

        await PublishEveryLagAsync(from, now, cancellationToken);
        await PublishCanaryAsync(planName, from, now, _ => 1, cancellationToken);
        _historyUntil = now;
    }

    /// <summary>
    /// The primary region goes dark: from <see cref="OutageAge"/> ago (or the end of the published healthy history, when
    /// that is later), its endpoints behave as <paramref name="kind"/>
    /// says; the canary's probes since then failed and replica lag behaves as each engine's does with its source dark.
    /// The canary then probes the primary region once for real, through the gateway, and records what it met.
    /// </summary>
    /// <returns>What the real probe met.</returns>
    public async Task<string> BeginOutageAsync(string planName, OutageKind kind, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var began = now - OutageAge > _historyUntil ? now - OutageAge : _historyUntil.AddSeconds(1);
        _aws.Gateway.Outage = new RegionOutage(PrimaryRegion, began, kind);
        // From the end of the published history: healthy until the outage began, then what the outage does.
        var from = _historyUntil.AddSeconds(1);
        await PublishEveryLagAsync(from, now, cancellationToken);

        await PublishCanaryAsync(planName, from, now.AddMinutes(-1), at => at < began ? 1 : 0, cancellationToken);
        var probe = await ProbePrimaryAsync(kind, cancellationToken);
        await PublishCanaryAsync(planName, now, now, _ => probe.Answered ? 1 : 0, cancellationToken);
        return probe.What;
    }

    /// <summary>
    /// Evaluates every alarm at the clock's time, as CloudWatch does, and sets the state of those that change (so a state
    /// set with SetAlarmState holds only until this evaluation). Returns the alarms that changed, with their new state.
    /// Every alarm is read and evaluated first, then the changes are set one after another: each alarm is judged on what
    /// there was at that instant, and the reads (three calls an alarm, a hundred alarms at scale) are over before the run
    /// a change starts shares the local AWS with them. CloudWatch evaluates alarms on its own side; nothing of it slows
    /// the services a run calls.
    /// </summary>
    /// <param name="changed">Hears of each change as soon as the alarm's state is set, before the alarms after it are
    /// set: CloudWatch sends an event to EventBridge whenever an alarm changes state (CloudWatch User Guide, "Alarm
    /// events and EventBridge"), so the outage alarm's event does not wait for the plan's other alarms (one per switch:
    /// 100 at scale).</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    public async Task<IReadOnlyList<(ModelledAlarm Alarm, AlarmEvaluation Evaluation)>> EvaluateAlarmsAsync(
        Func<ModelledAlarm, AlarmEvaluation, CancellationToken, Task>? changed, CancellationToken cancellationToken)
    {
        List<ModelledAlarm> alarms;
        lock (_alarms)
        {
            alarms = [.. _alarms];
        }

        var now = _clock.GetUtcNow();
        var changes = new List<(ModelledAlarm, AlarmEvaluation)>();
        foreach (var modelled in alarms)
        {
            var cloudWatch = Service(modelled.Region).CloudWatch;
            var current = (await cloudWatch.DescribeAlarmsAsync([modelled.Alarm.AlarmName], cancellationToken)).SingleOrDefault()?.StateValue ?? AlarmEvaluator.InsufficientData;
            var datapoints = await DatapointsAsync(modelled.Alarm, modelled.Region, now, cancellationToken);
            var evaluation = AlarmEvaluator.Evaluate(modelled.Alarm, datapoints, current, now);
            if (evaluation.State != current)
            {
                changes.Add((modelled, evaluation));
            }
        }

        foreach (var (modelled, evaluation) in changes)
        {
            await Service(modelled.Region).CloudWatch.SetAlarmStateAsync(modelled.Alarm.AlarmName, evaluation.State, Bounded(evaluation.Reason), cancellationToken);
            if (changed is not null)
            {
                await changed(modelled, evaluation, cancellationToken);
            }
        }

        return changes;
    }

    /// <summary>Whether Route 53 considers the health check healthy at <paramref name="at"/>; null when the day does not model it.</summary>
    public async Task<bool?> IsHealthyAsync(string healthCheckId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!_healthChecks.TryGetValue(healthCheckId, out var modelled))
        {
            return null;
        }

        var datapoints = await DatapointsAsync(modelled.Alarm, modelled.AlarmRegion, at, cancellationToken);
        lock (modelled.Check)
        {
            return modelled.Check.IsHealthy(datapoints, at);
        }
    }

    /// <summary>What Route 53 answers for <paramref name="name"/> at <paramref name="at"/>, from the zone's records and the
    /// health the day models; a health check it does not model counts as healthy.</summary>
    public async Task<DnsAnswer?> ResolveAsync(string hostedZoneId, string name, string type, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var sets = await Service(PrimaryRegion).Route53.ListResourceRecordSetsAsync(hostedZoneId, null, null, null, cancellationToken);
        var records = sets.Where(r => r.AliasTarget is null)
            .Select(r => new ModelRecord(r.Name, r.Type, r.SetIdentifier, r.Failover, r.HealthCheckId, (int)(r.TTL ?? 0), [.. r.ResourceRecords.Select(v => v.Value)]))
            .ToList();
        // Only the health checks of the records the query chooses from: each is read from its alarm's datapoints.
        var health = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var id in records.Where(r => FailoverResolver.Answers(r, name, type)).Select(r => r.HealthCheckId).OfType<string>().Distinct())
        {
            health[id] = await IsHealthyAsync(id, at, cancellationToken) ?? true;
        }

        return FailoverResolver.Resolve(name, type, records, id => health.GetValueOrDefault(id, true));
    }

    // The services write straight into moto: they are AWS, not callers of it.
    private AwsClients Service(string region) => _services.GetOrAdd(region, r => new AwsClients(
        new AwsOptions { Region = r, Credentials = _aws.Credentials, EndpointUrl = _aws.Moto.Endpoint, RetryBaseDelay = TimeSpan.FromMilliseconds(50) }, _clock));

    private async Task<IReadOnlyList<MetricPoint>> DatapointsAsync(MetricAlarmModel alarm, string region, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // The service reads its own store: one-second buckets keep each datapoint at its own time, and the evaluator
        // groups them into the alarm's periods.
        var range = TimeSpan.FromSeconds(alarm.PeriodSeconds * alarm.EvaluationPeriods);
        var query = new MetricDataQuery("m", alarm.Namespace, alarm.MetricName, alarm.Dimensions, 1, alarm.Statistic);
        var results = await Service(region).CloudWatch.GetMetricDataAsync([query], at - range - TimeSpan.FromSeconds(alarm.PeriodSeconds), at.AddSeconds(1), cancellationToken);
        var series = results.FirstOrDefault(r => r.Id == "m");
        return series is null ? [] : [.. series.Timestamps.Zip(series.Values, (t, v) => new MetricPoint(t, v)).Where(p => p.Timestamp <= at)];
    }

    private async Task PublishEveryLagAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        List<ModelledReplica> replicas;
        lock (_replicas)
        {
            replicas = [.. _replicas];
        }

        foreach (var replica in replicas)
        {
            await PublishLagAsync(replica, from, to, cancellationToken);
        }
    }

    private async Task PublishLagAsync(ModelledReplica replica, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var outage = _aws.Gateway.Outage?.Region == PrimaryRegion ? _aws.Gateway.Outage.StartsAt : (DateTimeOffset?)null;
        var series = ReplicaLagModel.Series(replica.Engine, from, to, outage, null, LagSettings);
        var (metric, dimension, unit) = replica.Metric;
        var dimensions = new Dictionary<string, string> { [dimension] = replica.Id };
        await Service(RecoveryRegion).CloudWatch.PutMetricDataAsync("AWS/RDS",
            [.. series.Select(p => new MetricDatum(metric, p.Value, dimensions) { Unit = unit, Timestamp = p.Timestamp })], cancellationToken);
    }

    private async Task PublishCanaryAsync(string planName, DateTimeOffset from, DateTimeOffset to, Func<DateTimeOffset, double> value, CancellationToken cancellationToken)
    {
        var points = new List<MetricDatum>();
        for (var at = from; at <= to; at = at.AddMinutes(1))
        {
            points.Add(new MetricDatum(CanaryMetric, value(at), CanaryDimensions(planName)) { Unit = "Count", Timestamp = at });
        }

        await Service(RecoveryRegion).CloudWatch.PutMetricDataAsync(CanaryNamespace, points, cancellationToken);
    }

    // The canary's probe: one quick call to the primary region's RDS endpoint through the gateway, where the outage is.
    private async Task<(bool Answered, string What)> ProbePrimaryAsync(OutageKind kind, CancellationToken cancellationToken)
    {
        var probe = new AwsClients(new AwsOptions
        {
            Region = PrimaryRegion,
            Credentials = _aws.Credentials,
            EndpointUrl = _aws.Gateway.Endpoint,
            MaxAttempts = 1,
            AttemptTimeout = TimeSpan.FromSeconds(2),
        }, _clock);
        try
        {
            await probe.Rds.DescribeDBInstancesAsync(null, cancellationToken);
            // The canary's own check of the application's database is what fails when only the databases are impaired.
            return kind == OutageKind.DatabaseImpaired
                ? (false, $"the canary's probe of {PrimaryRegion}'s API was answered; its database check failed (databases impaired)")
                : (true, $"the canary's probe of {PrimaryRegion} was answered");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (false, $"the canary's probe of {PrimaryRegion} failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    // CloudWatch's StateReason holds at most 1,023 characters.
    private static string Bounded(string reason) => reason.Length <= 1023 ? reason : reason[..1022] + "…";
}
