using System.Globalization;
using System.Text.RegularExpressions;
using Failover.Aws;
using Failover.Aws.Clients;
using Failover.Core;
using Failover.Core.Plans;

namespace Failover.Cli;

/// <summary>What <c>failover plan init</c> was asked for: the regions and the choices a person made up front.</summary>
public sealed record PlanInitRequest
{
    /// <summary>The region that runs the workload today.</summary>
    public required string PrimaryRegion { get; init; }

    /// <summary>The region the plan recovers into (where the stack, the replicas and DRS live).</summary>
    public required string RecoveryRegion { get; init; }

    /// <summary>The plan's name; null: <c>PRIMARY-to-RECOVERY</c>, reported as a choice.</summary>
    public string? Name { get; init; }

    /// <summary>The recovery time objective in seconds; null: <see cref="PlanDiscovery.DefaultRtoSeconds"/>, reported as a choice.</summary>
    public int? RtoSeconds { get; init; }

    /// <summary>The recovery point objective in seconds; null: <see cref="PlanDiscovery.DefaultRpoSeconds"/>, reported as a choice.</summary>
    public int? RpoSeconds { get; init; }

    /// <summary>The DRS tag whose value puts a server in a wave; null: one wave.</summary>
    public string? WaveTag { get; init; }

    /// <summary>The values of <see cref="WaveTag"/> in wave order; empty: alphabetical, reported as a choice.</summary>
    public IReadOnlyList<string> WaveOrder { get; init; } = [];

    /// <summary>Outage alarms (names, recovery region) chosen by the user; empty: discovered.</summary>
    public IReadOnlyList<string> OutageAlarms { get; init; } = [];

    /// <summary>Health check id → the alarm it follows, for checks whose reply does not name it.</summary>
    public IReadOnlyDictionary<string, string> SwitchAlarms { get; init; } = new Dictionary<string, string>();
}

/// <summary>A record set and the hosted zone (its bare id) it was listed from.</summary>
/// <param name="HostedZoneId">The zone's id, without the /hostedzone/ prefix.</param>
/// <param name="Record">The record set.</param>
public sealed record ZoneRecord(string HostedZoneId, ResourceRecordSet Record);

/// <summary>
/// A plan discovered from the account: the plan, what was decided and why (<see cref="Decisions"/>), what was found
/// and left out (<see cref="Findings"/>), and what only the user can decide (<see cref="Choices"/>).
/// </summary>
public sealed record DiscoveredPlan(RecoveryPlan Plan, IReadOnlyList<string> Decisions, IReadOnlyList<string> Findings, IReadOnlyList<string> Choices);

/// <summary>
/// Discovers a plan with read-only calls in the primary and the recovery region: RDS cross-region read replicas
/// (DescribeDBInstances), Aurora global databases (DescribeGlobalClusters) and cross-region replica clusters
/// (DescribeDBClusters, ReplicationSourceIdentifier), DRS source servers (DescribeSourceServers), Route 53
/// CLOUDWATCH_METRIC health checks guarding PRIMARY failover records (ListHealthChecks, ListHostedZones,
/// ListResourceRecordSets) and the alarms they follow, and outage alarm candidates (DescribeAlarms). It never guesses
/// silently: what it cannot decide is a choice, what it leaves out is a finding.
/// </summary>
public static partial class PlanDiscovery
{
    /// <summary>The RTO written when none is given (the packaged sample plan's).</summary>
    public const int DefaultRtoSeconds = 900;

    /// <summary>The RPO written when none is given (the packaged sample plan's).</summary>
    public const int DefaultRpoSeconds = 60;

    /// <summary>
    /// DRS replicates a server's writes without a backlog only in this state (DRS API Reference, DataReplicationInfo:
    /// docs.aws.amazon.com/drs/latest/APIReference/API_DataReplicationInfo.html); any other state recovers stale data or nothing.
    /// </summary>
    public const string ContinuousReplication = "CONTINUOUS";

    /// <summary>
    /// The InsufficientDataHealthStatus that keeps a switch flipped once its datapoint ages out (Route 53 Developer Guide,
    /// "How Route 53 determines whether a health check is healthy"; README, "Why the switch holds").
    /// </summary>
    private const string LastKnownStatus = "LastKnownStatus";

    /// <summary>Discovers the plan (see the type's summary).</summary>
    public static async Task<DiscoveredPlan> DiscoverAsync(AwsClients primary, AwsClients recovery, PlanInitRequest request, CancellationToken cancellationToken)
    {
        var found = new Found();
        var databases = await DatabasesAsync(primary, recovery, request, found, cancellationToken);
        var servers = await ServersAsync(recovery, request, found, cancellationToken);
        var alarms = await recovery.CloudWatch.DescribeAlarmsAsync([], [AlarmTypes.MetricAlarm, AlarmTypes.CompositeAlarm], cancellationToken);
        var switches = await SwitchesAsync(recovery, request, alarms.MetricAlarms, found, cancellationToken);
        var alarmArns = OutageAlarms(request, alarms, switches, found);

        var accountId = found.Arns.Concat(alarms.MetricAlarms.Select(a => a.AlarmArn)).OfType<string>()
            .Select(text => Arn.TryParse(text, out var arn) ? arn.Account : null).FirstOrDefault(account => account is { Length: 12 });
        if (accountId is null)
        {
            found.Choices.Add("trigger.accountId: no resource ARN named the account; nothing to fail over was found to take it from.");
        }

        var name = request.Name ?? $"{request.PrimaryRegion}-to-{request.RecoveryRegion}";
        if (request.Name is null)
        {
            found.Choices.Add($"name: '{name}' (from the regions); give --name for your own.");
        }

        if (request.RtoSeconds is null || request.RpoSeconds is null)
        {
            found.Choices.Add($"objectives: RTO {request.RtoSeconds ?? DefaultRtoSeconds} s, RPO {request.RpoSeconds ?? DefaultRpoSeconds} s are defaults; give --rto-seconds and --rpo-seconds for yours.");
        }

        var plan = new RecoveryPlan
        {
            Name = name,
            PrimaryRegion = request.PrimaryRegion,
            RecoveryRegion = request.RecoveryRegion,
            Objectives = new RecoveryObjectives { RtoSeconds = request.RtoSeconds ?? DefaultRtoSeconds, RpoSeconds = request.RpoSeconds ?? DefaultRpoSeconds },
            Databases = databases,
            Servers = servers.Count == 0 ? null : servers,
            Switches = switches,
            Trigger = new TriggerPolicy { AccountId = accountId ?? "", AlarmArns = alarmArns },
        };
        return new DiscoveredPlan(plan, found.Decisions, found.Findings, found.Choices);
    }

    /// <summary>
    /// The value that puts a switch alarm into ALARM, so its health check turns unhealthy: the threshold itself for the
    /// inclusive operators, one beyond it for the strict ones (CloudWatch API Reference, PutMetricAlarm ComparisonOperator);
    /// null for anomaly-detection operators, which have no fixed threshold.
    /// </summary>
    public static double? FailoverValue(string? comparisonOperator, double? threshold) => (comparisonOperator, threshold) switch
    {
        ("GreaterThanOrEqualToThreshold" or "LessThanOrEqualToThreshold", { } t) => t,
        ("GreaterThanThreshold", { } t) => t + 1,
        ("LessThanThreshold", { } t) => t - 1,
        _ => null,
    };

    /// <summary>A switch id from a record name: the name without its final dot, other characters than the plan allows as '-'.</summary>
    public static string SwitchId(string recordName)
    {
        var id = NotInSwitchId().Replace(recordName.TrimEnd('.'), "-");
        return id.Length == 0 ? "switch" : id[..Math.Min(id.Length, 64)];
    }

    /// <summary>
    /// Puts the servers in waves: one wave of every server without <see cref="PlanInitRequest.WaveTag"/>, else one wave per
    /// value of the tag, in <see cref="PlanInitRequest.WaveOrder"/> (alphabetical when none is given, said as a choice). A
    /// server without the tag, or with a value the order does not name, is in no wave: a choice.
    /// </summary>
    public static IReadOnlyList<ServerGroup> Waves(IReadOnlyList<SourceServer> servers, PlanInitRequest request, ICollection<string> decisions, ICollection<string> choices)
    {
        if (servers.Count == 0)
        {
            return [];
        }

        if (request.WaveTag is not { } tag)
        {
            decisions.Add($"servers: {servers.Count} DRS source server(s) in continuous replication, in one wave (--wave-tag puts them in waves).");
            return [new ServerGroup { SourceServerIds = [.. servers.Select(s => s.SourceServerID).Order(StringComparer.Ordinal)] }];
        }

        var byValue = servers.Where(s => s.Tags.ContainsKey(tag)).GroupBy(s => s.Tags[tag], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var untagged in servers.Where(s => !s.Tags.ContainsKey(tag)))
        {
            choices.Add($"servers: {untagged.SourceServerID} has no tag '{tag}' and is in no wave; tag it, or add it to a wave by id.");
        }

        IReadOnlyList<string> order = request.WaveOrder;
        if (order.Count == 0)
        {
            order = [.. byValue.Keys.Order(StringComparer.Ordinal)];
            choices.Add($"servers: no --wave-order; the waves run in alphabetical order of '{tag}': {string.Join(", ", order)}.");
        }

        foreach (var (value, members) in byValue.Where(v => !order.Contains(v.Key, StringComparer.Ordinal)))
        {
            choices.Add($"servers: {members.Count} server(s) tagged {tag}={value} are in no wave; add '{value}' to --wave-order.");
        }

        var waves = new List<ServerGroup>();
        foreach (var value in order)
        {
            if (!byValue.TryGetValue(value, out var members))
            {
                choices.Add($"servers: no server in continuous replication is tagged {tag}={value}; that wave is left out.");
                continue;
            }

            waves.Add(new ServerGroup
            {
                Name = WaveName().IsMatch(value) ? value : null,
                SourceServerIds = [.. members.Select(s => s.SourceServerID).Order(StringComparer.Ordinal)],
            });
            decisions.Add($"servers: wave {waves.Count} ({tag}={value}): {members.Count} DRS source server(s).");
        }

        return waves;
    }

    private static async Task<IReadOnlyList<DatabaseTarget>> DatabasesAsync(AwsClients primary, AwsClients recovery, PlanInitRequest request, Found found, CancellationToken cancellationToken)
    {
        var databases = new List<DatabaseTarget>();
        var primaryInstances = await primary.Rds.DescribeDBInstancesAsync(null, cancellationToken);
        foreach (var replica in (await recovery.Rds.DescribeDBInstancesAsync(null, cancellationToken)).OrderBy(i => i.DBInstanceIdentifier, StringComparer.Ordinal))
        {
            if (replica.ReadReplicaSourceDBInstanceIdentifier is not { } source)
            {
                continue;
            }

            // A cross-region replica names its source by ARN (RDS User Guide, USER_ReadRepl.XRgn); a bare identifier is in the same region.
            var sourceRegion = RegionOfArn(source) ?? request.RecoveryRegion;
            if (sourceRegion != request.PrimaryRegion)
            {
                found.Findings.Add($"databases: {replica.DBInstanceIdentifier} replicates {source} in {sourceRegion}, not the primary region {request.PrimaryRegion}: left out.");
                continue;
            }

            if (!primaryInstances.Any(i => i.DBInstanceArn == source || i.DBInstanceIdentifier == source))
            {
                found.Findings.Add($"databases: the source of {replica.DBInstanceIdentifier}, {source}, was not found in {request.PrimaryRegion}; the replica is in the plan.");
            }

            found.Arns.Add(replica.DBInstanceArn);
            databases.Add(new DatabaseTarget { Kind = DatabaseKinds.RdsInstanceReplica, Id = replica.DBInstanceIdentifier });
            found.Decisions.Add($"databases: {replica.DBInstanceIdentifier} ({DatabaseKinds.RdsInstanceReplica}), a read replica of {source}.");
        }

        var globalMembers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var global in (await recovery.Rds.DescribeGlobalClustersAsync(null, cancellationToken)).OrderBy(g => g.GlobalClusterIdentifier, StringComparer.Ordinal))
        {
            globalMembers.UnionWith(global.GlobalClusterMembers.Select(m => m.DBClusterArn));
            var writer = global.GlobalClusterMembers.FirstOrDefault(m => m.IsWriter);
            var target = global.GlobalClusterMembers.FirstOrDefault(m => !m.IsWriter && RegionOfArn(m.DBClusterArn) == request.RecoveryRegion);
            if (writer is null || RegionOfArn(writer.DBClusterArn) != request.PrimaryRegion || target is null)
            {
                found.Findings.Add($"databases: global database {global.GlobalClusterIdentifier} has no writer in {request.PrimaryRegion} with a secondary cluster in {request.RecoveryRegion}: left out.");
                continue;
            }

            found.Arns.Add(target.DBClusterArn);
            databases.Add(new DatabaseTarget { Kind = DatabaseKinds.AuroraGlobal, Id = global.GlobalClusterIdentifier, TargetClusterArn = target.DBClusterArn });
            found.Decisions.Add($"databases: {global.GlobalClusterIdentifier} ({DatabaseKinds.AuroraGlobal}), secondary cluster {target.DBClusterArn}.");
        }

        foreach (var cluster in (await recovery.Rds.DescribeDBClustersAsync(null, cancellationToken)).OrderBy(c => c.DBClusterIdentifier, StringComparer.Ordinal))
        {
            if (cluster.ReplicationSourceIdentifier is not { } source || cluster.GlobalClusterIdentifier is not null
                || (cluster.DBClusterArn is { } arn && globalMembers.Contains(arn)))
            {
                continue;
            }

            if (RegionOfArn(source) != request.PrimaryRegion)
            {
                found.Findings.Add($"databases: cluster {cluster.DBClusterIdentifier} replicates {source}, not a cluster of the primary region {request.PrimaryRegion}: left out.");
                continue;
            }

            found.Arns.Add(cluster.DBClusterArn);
            databases.Add(new DatabaseTarget { Kind = DatabaseKinds.AuroraClusterReplica, Id = cluster.DBClusterIdentifier });
            found.Decisions.Add($"databases: {cluster.DBClusterIdentifier} ({DatabaseKinds.AuroraClusterReplica}), a replica of {source}.");
        }

        if (databases.Count == 0)
        {
            found.Findings.Add($"databases: no cross-region replica of {request.PrimaryRegion} in {request.RecoveryRegion}.");
        }

        return databases;
    }

    private static async Task<IReadOnlyList<ServerGroup>> ServersAsync(AwsClients recovery, PlanInitRequest request, Found found, CancellationToken cancellationToken)
    {
        var continuous = new List<SourceServer>();
        var servers = await recovery.Drs.DescribeSourceServersAsync(null, cancellationToken);
        if (servers.Count == 0)
        {
            found.Findings.Add($"servers: no DRS source server in {request.RecoveryRegion}.");
        }

        foreach (var server in servers.OrderBy(s => s.SourceServerID, StringComparer.Ordinal))
        {
            found.Arns.Add(server.Arn);
            var state = server.DataReplicationInfo?.DataReplicationState;
            if (state == ContinuousReplication)
            {
                continuous.Add(server);
            }
            else
            {
                var tags = server.Tags.Count == 0 ? "no tags" : "tags " + string.Join(", ", server.Tags.Select(t => $"{t.Key}={t.Value}"));
                found.Findings.Add($"servers: {server.SourceServerID} ({tags}) is not in continuous replication ({state ?? "no state"}): left out.");
            }
        }

        return Waves(continuous, request, found.Decisions, found.Choices);
    }

    private static async Task<IReadOnlyList<TrafficSwitchTarget>> SwitchesAsync(AwsClients recovery, PlanInitRequest request, IReadOnlyList<MetricAlarm> alarms, Found found, CancellationToken cancellationToken)
    {
        var checks = (await recovery.Route53.ListHealthChecksAsync(cancellationToken)).Where(c => c.Type == "CLOUDWATCH_METRIC").ToList();
        if (checks.Count == 0)
        {
            found.Findings.Add("switches: no Route 53 CLOUDWATCH_METRIC health check.");
            return [];
        }

        var records = new List<ZoneRecord>();
        foreach (var zone in await recovery.Route53.ListHostedZonesAsync(cancellationToken))
        {
            records.AddRange((await recovery.Route53.ListResourceRecordSetsAsync(zone.Id, null, null, null, cancellationToken)).Select(r => new ZoneRecord(zone.Id, r)));
        }

        return Switches(checks, records, alarms, request, found.Decisions, found.Findings, found.Choices);
    }

    /// <summary>
    /// One switch-metric switch per CLOUDWATCH_METRIC health check that guards a PRIMARY failover record and follows a
    /// recovery-region alarm comparing one metric with a fixed threshold (Route 53 Developer Guide, "Configuring
    /// DNS failover": the PRIMARY record answers while its health check is healthy). The alarm is the one the check's
    /// AlarmIdentifier names, else the one <see cref="PlanInitRequest.SwitchAlarms"/> names; a check with neither is a choice.
    /// </summary>
    public static IReadOnlyList<TrafficSwitchTarget> Switches(IReadOnlyList<HealthCheck> metricChecks, IReadOnlyList<ZoneRecord> records, IReadOnlyList<MetricAlarm> alarms,
        PlanInitRequest request, ICollection<string> decisions, ICollection<string> findings, ICollection<string> choices)
    {
        var switches = new List<TrafficSwitchTarget>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var check in metricChecks.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            // The PRIMARY failover records the check guards: those are what the switch moves.
            var guardedRecords = records.Where(r => r.Record.Failover == "PRIMARY" && r.Record.HealthCheckId == check.Id).ToList();
            var guarded = guardedRecords.Select(r => r.Record.Name).ToList();
            if (guarded.Count == 0)
            {
                findings.Add($"switches: health check {check.Id} (CLOUDWATCH_METRIC) guards no PRIMARY failover record: not a switch.");
                continue;
            }

            var guards = $"health check {check.Id} guarding {string.Join(", ", guarded)} (PRIMARY)";
            var alarmName = check.AlarmName ?? request.SwitchAlarms.GetValueOrDefault(check.Id);
            if (alarmName is null)
            {
                choices.Add($"switches: {guards}: Route 53 did not name the alarm it follows (AWS always does; moto 5.2.1 keeps no AlarmIdentifier); name it with --switch-alarm {check.Id}=ALARM-NAME.");
                continue;
            }

            if ((check.AlarmRegion ?? request.RecoveryRegion) != request.RecoveryRegion)
            {
                findings.Add($"switches: {guards} follows alarm {alarmName} in {check.AlarmRegion}; the switch metric is published in the recovery region {request.RecoveryRegion}: left out.");
                continue;
            }

            var alarm = alarms.FirstOrDefault(a => a.AlarmName == alarmName);
            if (alarm is null)
            {
                findings.Add($"switches: {guards} follows alarm {alarmName}, which is not in {request.RecoveryRegion}: left out.");
                continue;
            }

            if (alarm.Namespace is null || alarm.MetricName is null || FailoverValue(alarm.ComparisonOperator, alarm.Threshold) is not { } failoverValue)
            {
                findings.Add($"switches: {guards} follows alarm {alarmName}, which does not compare one metric with a fixed threshold: left out (a switch publishes one datapoint).");
                continue;
            }

            if (check.InsufficientDataHealthStatus is { } status && status != LastKnownStatus)
            {
                findings.Add($"switches: {guards} reports {status} without data; a flipped switch falls back once its datapoint ages out: set InsufficientDataHealthStatus to {LastKnownStatus}.");
            }

            var baseId = SwitchId(guarded[0]);
            var id = baseId;
            for (var n = 2; !ids.Add(id); n++)
            {
                id = $"{baseId[..Math.Min(baseId.Length, 60)]}-{n}";
            }

            switches.Add(new TrafficSwitchTarget
            {
                Kind = SwitchKinds.SwitchMetric,
                Id = id,
                Namespace = alarm.Namespace,
                MetricName = alarm.MetricName,
                Dimensions = alarm.Dimensions,
                FailoverValue = failoverValue,
                AlarmName = alarm.AlarmName,
                HealthCheckId = check.Id,
                // The record the switch moves, which Prepare and readiness check the health check still guards.
                HostedZoneId = guardedRecords[0].HostedZoneId,
                RecordName = guardedRecords[0].Record.Name,
            });
            decisions.Add(string.Create(CultureInfo.InvariantCulture,
                $"switches: {id} ({SwitchKinds.SwitchMetric}): {alarm.Namespace}/{alarm.MetricName} = {failoverValue} sets alarm {alarm.AlarmName}, which {guards} follows{(check.AlarmName is null ? " (as --switch-alarm said)" : "")}."));
        }

        return switches;
    }

    /// <summary>
    /// The trigger's alarms: those the user named; else the one candidate (an alarm on a canary, or named like an outage
    /// or health alarm, not a switch's), saying so; else none, listing the candidates as a choice.
    /// </summary>
    private static List<string> OutageAlarms(PlanInitRequest request, DescribeAlarmsResult alarms, IReadOnlyList<TrafficSwitchTarget> switches, Found found)
    {
        var all = alarms.MetricAlarms.Select(a => (a.AlarmName, a.AlarmArn, Canary: IsCanaryMetric(a.Namespace, a.MetricName)))
            .Concat(alarms.CompositeAlarms.Select(a => (a.AlarmName, a.AlarmArn, Canary: false))).ToList();
        if (request.OutageAlarms.Count > 0)
        {
            var arns = new List<string>();
            foreach (var name in request.OutageAlarms)
            {
                var alarm = all.FirstOrDefault(a => a.AlarmName == name);
                if (alarm.AlarmArn is null)
                {
                    throw new CliException(ExitCodes.InputError, $"--outage-alarm {name}: no such alarm in {request.RecoveryRegion} (trigger alarms live in the recovery region).");
                }

                arns.Add(alarm.AlarmArn);
                found.Decisions.Add($"trigger: outage alarm {name} (as --outage-alarm said).");
            }

            return arns;
        }

        var switchAlarms = switches.Select(s => s.AlarmName).ToHashSet(StringComparer.Ordinal);
        var switchNamespaces = switches.Select(s => s.Namespace).ToHashSet(StringComparer.Ordinal);
        var candidates = all.Where(a => a.AlarmArn is not null && !switchAlarms.Contains(a.AlarmName)
                && !alarms.MetricAlarms.Any(m => m.AlarmName == a.AlarmName && m.Namespace is { } ns && switchNamespaces.Contains(ns))
                && (a.Canary || OutageName().IsMatch(a.AlarmName)))
            .OrderBy(a => a.AlarmName, StringComparer.Ordinal).ToList();
        switch (candidates.Count)
        {
            case 0:
                found.Choices.Add($"trigger: no outage alarm candidate in {request.RecoveryRegion} (an alarm on a canary, or named like an outage or health alarm); the plan starts no run by itself until you add one with --outage-alarm NAME.");
                return [];
            case 1:
                found.Decisions.Add($"trigger: outage alarm {candidates[0].AlarmName}, the only candidate in {request.RecoveryRegion} ({(candidates[0].Canary ? "on a canary metric" : "named like an outage alarm")}).");
                return [candidates[0].AlarmArn!];
            default:
                found.Choices.Add($"trigger: {candidates.Count} outage alarm candidates in {request.RecoveryRegion}: {string.Join(", ", candidates.Select(c => c.AlarmName))}; "
                    + "none is in the plan: choose with --outage-alarm NAME (repeat it for several, and set trigger.quorum).");
                return [];
        }
    }

    /// <summary>CloudWatch Synthetics canaries publish to CloudWatchSynthetics (Synthetics User Guide, CloudWatch metrics published by canaries); home-made canaries usually say canary.</summary>
    private static bool IsCanaryMetric(string? metricNamespace, string? metricName) =>
        metricNamespace is "CloudWatchSynthetics" || (metricNamespace?.Contains("canary", StringComparison.OrdinalIgnoreCase) ?? false)
        || (metricName?.Contains("canary", StringComparison.OrdinalIgnoreCase) ?? false);

    private static string? RegionOfArn(string value) => Arn.TryParse(value, out var arn) ? arn.Region : null;

    [GeneratedRegex("(?i)outage|health|canary|unreachable|unavailable|availability")]
    private static partial Regex OutageName();

    [GeneratedRegex("[^A-Za-z0-9_.-]")]
    private static partial Regex NotInSwitchId();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]{1,64}\z")]
    private static partial Regex WaveName();

    /// <summary>What discovery collects on the way.</summary>
    private sealed class Found
    {
        public List<string> Decisions { get; } = [];
        public List<string> Findings { get; } = [];
        public List<string> Choices { get; } = [];

        /// <summary>ARNs seen, the account id's source.</summary>
        public List<string?> Arns { get; } = [];
    }
}
