using System.Globalization;
using System.Text.Json;
using Failover.Aws;
using Failover.Aws.Clients;
using Failover.Core;
using Failover.Core.Plans;
using Failover.Functions;

namespace Failover.Local;

/// <summary>What the local deployment made, for the simulation and its checks.</summary>
public sealed record DeployedEnvironment
{
    public required RecoveryPlan Plan { get; init; }
    public required string StateMachineArn { get; init; }
    public required string TopicArn { get; init; }
    public required string NotificationQueueUrl { get; init; }
    public required string HostedZoneId { get; init; }
    public required IReadOnlyDictionary<string, string> SwitchHealthCheckIds { get; init; }
    public required string TriggerFunctionName { get; init; }

    /// <summary>The drill cleanup function (the state machine's "Clean up drill"; after a failure, stop or timeout the execution status rule's function cleans up).</summary>
    public required string CleanupFunctionName { get; init; }

    /// <summary>Where the in-process functions write their JSON log lines.</summary>
    public required string FunctionLogPath { get; init; }

    /// <summary>What AWS does on the day: the outage, alarm evaluation, RDS lag, Route 53 health and DNS answers.</summary>
    public required OutageDay Day { get; init; }

    /// <summary>How the primary region's endpoints behave once the outage begins.</summary>
    public required Models.OutageKind Outage { get; init; }

    /// <summary>The failover record name each switch-metric switch guards, by switch id.</summary>
    public required IReadOnlyDictionary<string, string> SwitchRecordNames { get; init; }

    /// <summary>The Readiness function (its schedule's target).</summary>
    public required string ReadinessFunctionName { get; init; }

    /// <summary>Serves the Readiness function again from another plan file, as a new package deployed without updating
    /// the stack's parameters would run: the roles keep the deployed plan's scope.</summary>
    public required Action<string> RepackageReadiness { get; init; }
}

/// <summary>Timings and figures of the local deployment.</summary>
public sealed record LocalEnvironmentOptions
{
    /// <summary>The steady ReplicaLag RDS reports for each replica while its source is up.</summary>
    public double ReplicaLagSeconds { get; init; } = 2.5;

    /// <summary>How the primary region's endpoints behave once the simulation's outage begins.</summary>
    public Models.OutageKind Outage { get; init; } = Models.OutageKind.Unreachable;

    /// <summary>The engine of the RDS primaries and their replicas (mysql reads -1 once the source is dark, postgres
    /// grows with the clock).</summary>
    public string Engine { get; init; } = "mysql";

    /// <summary>The primaries' (and so their replicas') engine version; null takes moto's default for the engine.</summary>
    public string? EngineVersion { get; init; }

    /// <summary>The switch health checks' InsufficientDataHealthStatus. LastKnownStatus keeps traffic on the recovery
    /// region after the switch datapoint ages out; Healthy is the wiring that reverts.</summary>
    public string SwitchInsufficientDataHealthStatus { get; init; } = Models.MetricHealthCheckModel.LastKnownStatus;

    /// <summary>Wait between database, server and traffic checks (the *PollSeconds DefinitionSubstitutions).</summary>
    public int DatabasePollSeconds { get; init; } = 1;

    /// <summary>How often the check steps look again within one invocation (the CheckIntervalMilliseconds parameter): a
    /// tenth of a second, so the simulation sees a completion as soon as the models make it happen.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(0.1);

    /// <summary>DRS source servers registered for the waves that select servers by tags, besides those the plan names by id.</summary>
    public int ServerCount { get; init; } = 4;

    /// <summary>Replication lag of each registered source server.</summary>
    public TimeSpan ServerLag { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Also exercise the Route 53 control-plane switches: after the switch health checks and the zone exist,
    /// the functions' plan adds a health-check-invert switch per health check and a record-upsert switch.</summary>
    public bool ControlPlaneSwitches { get; init; }

    /// <summary>The plan packaged with the functions, when it differs from the deployed one (to prove an invalid plan changes nothing).</summary>
    public string? FunctionPlanPath { get; init; }

    /// <summary>Credentials per function (logical name, e.g. "Prepare"), as each Lambda has its own role; null uses the local default.</summary>
    public Func<string, Amazon.Runtime.AWSCredentials>? FunctionCredentials { get; init; }

    /// <summary>
    /// Time an AWS call from a function may take before it counts as timed out: generous, since moto answers slowly on
    /// a loaded machine (the function's own timeout bounds a call that hangs).
    /// </summary>
    public TimeSpan AttemptTimeout { get; init; } = LocalAws.CallTimeout;

    /// <summary>The size each of the plan's Auto Scaling groups and ECS services is deployed at: the warm standby the run scales up.</summary>
    public int StandbyCapacity { get; init; } = 1;

    /// <summary>Directory for the function log.</summary>
    public string WorkDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "failover-local");
}

/// <summary>Deploys a sample environment for a plan into the local AWS, as template.yaml would deploy the stack.</summary>
public static class LocalEnvironment
{
    private const string FunctionPrefix = "failover-";

    /// <summary>The CloudWatch namespace of the readiness metrics: the template's SwitchNamespace default.</summary>
    public const string ReadinessNamespace = "Failover";

    /// <summary>The state machine's task functions, by the logical name used in DefinitionSubstitutions ({Name}FunctionArn).</summary>
    public static IReadOnlyList<string> TaskFunctionNames { get; } =
        ["Prepare", "PromoteDatabases", "CheckDatabases", "StartRecovery", "CheckRecovery", "ScaleCapacity", "SwitchTraffic", "CheckTraffic", "VerifyTraffic", "CleanupDrill", "Report", "Notify"];

    /// <summary>The state machine's DefinitionSubstitutions for the local deployment: local function ARNs instead of the stack's.</summary>
    public static IReadOnlyDictionary<string, string> Substitutions(string region, int databasePollSeconds)
    {
        var values = TaskFunctionNames.ToDictionary(n => $"{n}FunctionArn", n => FunctionArn(region, n), StringComparer.Ordinal);
        var seconds = databasePollSeconds.ToString(CultureInfo.InvariantCulture);
        values["DatabasePollSeconds"] = seconds;
        values["ServerPollSeconds"] = seconds;
        values["TrafficPollSeconds"] = seconds;
        values["CapacityPollSeconds"] = seconds;
        values["ApprovalTimeoutSeconds"] = "600";
        return values;
    }

    /// <summary>Replaces every ${Name} of the definition; an unknown name is an error, not an empty string.</summary>
    public static string Substitute(string definition, IReadOnlyDictionary<string, string> values) =>
        System.Text.RegularExpressions.Regex.Replace(definition, @"\$\{(?<name>[A-Za-z0-9]+)\}", m =>
            values.TryGetValue(m.Groups["name"].Value, out var v) ? v : throw new LocalAwsException($"no substitution for ${{{m.Groups["name"].Value}}}"));

    /// <summary>The path of the packaged ASL file beside this assembly.</summary>
    public static string AslPath => Path.Combine(AppContext.BaseDirectory, "statemachines", "failover.asl.json");

    /// <summary>The plan packaged with the functions (<see cref="FunctionSettings.PackagedPlanPath"/>), which the local AWS deploys unless told otherwise.</summary>
    public static string PlanPath => FunctionSettings.PackagedPlanPath;

    /// <summary>Creates the plan's resources, the topic and queue, the state machine, and serves the functions in the gateway.</summary>
    public static async Task<DeployedEnvironment> DeployAsync(LocalAws aws, string planPath, LocalEnvironmentOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var plan = PlanDocument.Parse(await File.ReadAllTextAsync(planPath, cancellationToken));
        RefuseUnmodelled(plan);
        var primary = aws.Clients(plan.PrimaryRegion, clock);
        var recovery = aws.Clients(plan.RecoveryRegion, clock);
        var tags = new Dictionary<string, string> { ["failover:plan"] = plan.Name };

        // The Aurora model holds the global databases' lag figure; the day publishes it as RDS would.
        var day = new OutageDay(aws, plan.PrimaryRegion, plan.RecoveryRegion, clock)
        {
            LagSettings = new Models.ReplicaLagSettings
            {
                SteadyLagSeconds = options.ReplicaLagSeconds,
                AuroraGlobalLagMilliseconds = aws.Gateway.AuroraGlobal.Settings.ReplicationLagMilliseconds,
            },
        };
        await AuroraDeployment.DeployAsync(aws, plan, tags, clock, cancellationToken);
        foreach (var global in plan.Databases.Where(d => d.Kind == DatabaseKinds.AuroraGlobal))
        {
            await day.AddReplicaAsync(new ModelledReplica(Arn.Parse(global.TargetClusterArn!).ResourceId, Models.ReplicaEngine.AuroraGlobal), cancellationToken);
        }

        foreach (var clusterId in await AuroraDeployment.DeployReplicaClustersAsync(aws, plan, tags, clock, cancellationToken))
        {
            await day.AddReplicaAsync(new ModelledReplica(clusterId, Models.ReplicaEngine.AuroraMySqlBinlog), cancellationToken);
        }

        foreach (var db in plan.Databases.Where(d => d.Kind == DatabaseKinds.RdsInstanceReplica))
        {
            await DeployReplicaAsync(aws, plan, db.Id, options, day, clock, cancellationToken);
        }

        // The outage alarm watches a canary in the recovery region that probes the primary region once a minute: three
        // failed (or missing) probes in a row are an outage.
        foreach (var alarmArn in plan.Trigger.AlarmArns)
        {
            var alarm = Arn.Parse(alarmArn);
            var outageAlarm = new PutMetricAlarmRequest(alarm.ResourceName, OutageDay.CanaryNamespace, OutageDay.CanaryMetric, OutageDay.CanaryDimensions(plan.Name), "Minimum", 60, 3, 1, "LessThanThreshold")
            {
                TreatMissingData = "breaching",
            };
            await aws.Clients(alarm.Region, clock).CloudWatch.PutMetricAlarmAsync(outageAlarm, cancellationToken);
            day.AddAlarm(new ModelledAlarm(Models.MetricAlarmModel.Of(outageAlarm), alarm.Region, alarmArn));
        }

        await day.PublishCanaryHistoryAsync(plan.Name, cancellationToken);

        // Servers a wave names by id are registered as they are (with the wave's tags). ServerCount more are shared out
        // over the waves that select by tags, in order (the first take the remainder).
        var tagged = plan.Waves.Count(w => w.Tags.Count > 0);
        var position = 0;
        foreach (var wave in plan.Waves)
        {
            foreach (var id in wave.SourceServerIds)
            {
                aws.Gateway.Drs.AddSourceServer(wave.Tags, options.ServerLag, id: id);
            }

            var count = wave.Tags.Count == 0 ? 0 : options.ServerCount / tagged + (position++ < options.ServerCount % tagged ? 1 : 0);
            for (var i = 0; i < count; i++)
            {
                aws.Gateway.Drs.AddSourceServer(wave.Tags, options.ServerLag);
            }
        }

        await DeployCapacityAsync(recovery, plan, options.StandbyCapacity, cancellationToken);

        // The local AWS creates its own Route 53 targets: every health check, zone and guarded record the plan names is one
        // made here, and the plan the functions run with names these (Route 53 ids exist only now).
        var zoneId = await primary.Route53.CreateHostedZoneAsync("example.com.", $"failover-{plan.Name}-zone", cancellationToken);
        var healthChecks = new Dictionary<string, string>(StringComparer.Ordinal);
        var recordNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var zones = new Dictionary<string, string>(StringComparer.Ordinal);
        var switches = new List<TrafficSwitchTarget>();
        foreach (var sw in plan.Switches)
        {
            switch (sw.Kind)
            {
                case SwitchKinds.SwitchMetric:
                {
                    var alarm = new PutMetricAlarmRequest(sw.AlarmName ?? $"{plan.Name}-{sw.Id}-switch", sw.Namespace, sw.MetricName, sw.Dimensions, "Maximum", 60, 1, sw.FailoverValue, "GreaterThanOrEqualToThreshold")
                    {
                        TreatMissingData = "ignore",
                    };
                    var healthCheckId = await DeployGuardedRecordAsync(aws, plan, day, zoneId, sw.Id, alarm, options.SwitchInsufficientDataHealthStatus, clock, cancellationToken);
                    healthChecks[sw.Id] = healthCheckId;
                    recordNames[sw.Id] = GuardedRecordName(sw.Id);
                    switches.Add(sw with { HealthCheckId = healthCheckId, HostedZoneId = zoneId, RecordName = GuardedRecordName(sw.Id) });
                    break;
                }

                case SwitchKinds.HealthCheckInvert:
                {
                    // The health check to invert guards a failover record; its own alarm watches a metric nobody publishes,
                    // so it stays healthy (primary answers) until the switch disables and inverts it.
                    var alarm = new PutMetricAlarmRequest($"{plan.Name}-{sw.Id}-guard", GuardNamespace, "Guard", new Dictionary<string, string> { ["Switch"] = sw.Id }, "Maximum", 60, 1, 1, "GreaterThanOrEqualToThreshold")
                    {
                        TreatMissingData = "ignore",
                    };
                    var healthCheckId = await DeployGuardedRecordAsync(aws, plan, day, zoneId, sw.Id, alarm, "Healthy", clock, cancellationToken);
                    recordNames[sw.Id] = GuardedRecordName(sw.Id);
                    switches.Add(sw with { HealthCheckId = healthCheckId, HostedZoneId = zoneId, RecordName = GuardedRecordName(sw.Id) });
                    break;
                }

                default:
                {
                    // The zone the record lives in, one per hosted zone the plan names, holding the record answering from the
                    // primary region until the switch rewrites it.
                    var record = sw.Record!;
                    if (!zones.TryGetValue(sw.HostedZoneId!, out var localZone))
                    {
                        localZone = await primary.Route53.CreateHostedZoneAsync(ZoneOf(record.Name), $"failover-{plan.Name}-{sw.Id}", cancellationToken);
                        zones[sw.HostedZoneId!] = localZone;
                    }

                    await primary.Route53.ChangeResourceRecordSetsAsync(localZone, new ChangeBatch(
                        [new Change("UPSERT", new ResourceRecordSet(record.Name, record.Type) { SetIdentifier = record.SetIdentifier, Failover = record.Failover, TTL = record.Ttl, ResourceRecords = [new ResourceRecord(PrimaryValue(record.Type, plan.PrimaryRegion))] })]),
                        cancellationToken);
                    switches.Add(sw with { HostedZoneId = localZone });
                    break;
                }
            }
        }

        Directory.CreateDirectory(options.WorkDirectory);
        var functionPlanPath = options.FunctionPlanPath ?? planPath;
        plan = plan with { Switches = switches };

        if (options.ControlPlaneSwitches)
        {
            // Route 53 ids exist only now: the plan the functions run with names them.
            plan = WithControlPlaneSwitches(plan, zoneId, healthChecks);

            // The record the record-upsert switch rewrites, answering from the primary region until then.
            var record = plan.Switches[^1].Record!;
            await primary.Route53.ChangeResourceRecordSetsAsync(zoneId, new ChangeBatch(
                [new Change("UPSERT", new ResourceRecordSet(record.Name, record.Type) { TTL = record.Ttl, ResourceRecords = [new ResourceRecord($"api.{plan.PrimaryRegion}.example.com")] })]),
                cancellationToken);
        }

        if (options.FunctionPlanPath is null && plan.Switches.Count > 0)
        {
            functionPlanPath = Path.Combine(options.WorkDirectory, $"plan-{plan.Name}-{aws.Gateway.Port}.json");
            await File.WriteAllTextAsync(functionPlanPath, JsonSerializer.Serialize(plan, FailoverJson.Indented.RecoveryPlan), cancellationToken);
        }

        var topicArn = await recovery.Sns.CreateTopicAsync($"failover-{plan.Name}", cancellationToken);
        var queueUrl = await recovery.Sqs.CreateQueueAsync($"failover-{plan.Name}-notifications", cancellationToken);
        var queueArn = (await recovery.Sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"], cancellationToken))["QueueArn"];
        await recovery.Sns.SubscribeAsync(topicArn, "sqs", queueArn, cancellationToken);

        var definition = Substitute(await File.ReadAllTextAsync(AslPath, cancellationToken), Substitutions(plan.RecoveryRegion, options.DatabasePollSeconds));
        var stateMachineArn = await recovery.StepFunctions.CreateStateMachineAsync($"failover-{plan.Name}", definition, $"arn:aws:iam::{LocalAws.AccountId}:role/failover-state-machine", cancellationToken);

        // One log per local AWS: several may run at once (tests, a simulation beside them).
        var logPath = Path.Combine(options.WorkDirectory, $"functions-{plan.Name}-{aws.Gateway.Port}.log");
        // Each function is its own Lambda: its own clients, and its own credentials when the options give them.
        AwsClients ClientsFor(string function) => new(
            recovery.Options with { AttemptTimeout = options.AttemptTimeout, Credentials = options.FunctionCredentials?.Invoke(function) ?? recovery.Options.Credentials },
            clock);
        var settings = new FunctionSettings
        {
            PlanPath = functionPlanPath,
            TopicArn = topicArn,
            StateMachineArn = stateMachineArn,
            PromotionTimeout = TimeSpan.FromSeconds(120),
            RecoveryTimeout = TimeSpan.FromSeconds(300),
            FunctionTimeout = TimeSpan.FromSeconds(60),
            CheckInterval = options.CheckInterval,
            ReadinessNamespace = ReadinessNamespace,
            // The stack's parameters are the deployed plan's: the scope does not follow a plan packaged later.
            DeployedScope = DeployedScope(plan),
        };
        var logFile = new StreamWriter(logPath, append: true) { AutoFlush = true };
        aws.KeepUntilReset(logFile);
        var log = TextWriter.Synchronized(logFile);
        ServeFunctions(aws, ClientsFor, settings, log, clock);

        // The execution status rule: moto emits no events, the gateway's model delivers them (reading moto directly).
        var rule = ExecutionStatusRule.FromTemplate(Iam.TemplatePolicies.PackagedPath);
        var moto = new AwsClients(recovery.Options with { EndpointUrl = aws.Moto.Endpoint }, clock).StepFunctions;
        aws.Gateway.ExecutionStatusEvents.Route(new ExecutionStatusRoute(
            rule, stateMachineArn, FunctionPrefix + rule.FunctionId[..^"Function".Length], moto.DescribeExecutionAsync,
            (function, payload, ct) => recovery.Lambda.InvokeAsync(function, payload, "Event", ct)));

        return new DeployedEnvironment
        {
            Plan = plan,
            StateMachineArn = stateMachineArn,
            TopicArn = topicArn,
            NotificationQueueUrl = queueUrl,
            HostedZoneId = zoneId,
            SwitchHealthCheckIds = healthChecks,
            TriggerFunctionName = FunctionPrefix + "Trigger",
            CleanupFunctionName = FunctionPrefix + "CleanupDrill",
            FunctionLogPath = logPath,
            Day = day,
            Outage = options.Outage,
            SwitchRecordNames = recordNames,
            ReadinessFunctionName = FunctionPrefix + "Readiness",
            // A new package of the Readiness function with another plan, the stack's parameters unchanged.
            RepackageReadiness = path => ServeFunction(aws, "Readiness", host => new ReadinessFunction(host).InvokeAsync, ClientsFor, settings with { PlanPath = path }, log, clock),
        };
    }

    // The namespace of the metrics behind the health checks a health-check-invert switch inverts: nothing publishes there.
    private const string GuardNamespace = "Failover/Local";

    // The record types the local AWS can write a primary-region answer for before a record-upsert switch rewrites it.
    private static readonly string[] UpsertableTypes = ["A", "AAAA", "CNAME", "TXT"];

    /// <summary>Refuses, naming the plan path and why, what the local AWS cannot deploy.</summary>
    private static void RefuseUnmodelled(RecoveryPlan plan)
    {
        for (var i = 0; i < plan.Switches.Count; i++)
        {
            if (plan.Switches[i] is { Kind: SwitchKinds.RecordUpsert, Record: { } record } && !UpsertableTypes.Contains(record.Type, StringComparer.Ordinal))
            {
                throw new LocalAwsException($"$.switches[{i}].record.type ({plan.Switches[i].Id}): the local AWS writes the record's primary-region answer only for {string.Join(", ", UpsertableTypes)} records, not {record.Type}; simulate the plan without this switch");
            }
        }
    }

    // A failover record pair in the zone, the PRIMARY guarded by a CLOUDWATCH_METRIC health check on the alarm, both modelled
    // by the day: returns the health check's id.
    private static async Task<string> DeployGuardedRecordAsync(LocalAws aws, RecoveryPlan plan, OutageDay day, string zoneId, string switchId, PutMetricAlarmRequest alarm,
        string insufficientDataHealthStatus, TimeProvider clock, CancellationToken cancellationToken)
    {
        var primary = aws.Clients(plan.PrimaryRegion, clock);
        await aws.Clients(plan.RecoveryRegion, clock).CloudWatch.PutMetricAlarmAsync(alarm, cancellationToken);
        var healthCheckId = await primary.Route53.CreateAlarmHealthCheckAsync($"failover-{plan.Name}-{switchId}", plan.RecoveryRegion, alarm.AlarmName, insufficientDataHealthStatus, cancellationToken);
        var alarmModel = Models.MetricAlarmModel.Of(alarm);
        day.AddAlarm(new ModelledAlarm(alarmModel, plan.RecoveryRegion, $"arn:aws:cloudwatch:{plan.RecoveryRegion}:{LocalAws.AccountId}:alarm:{alarm.AlarmName}"));
        day.AddHealthCheck(new ModelledHealthCheck(
            new Models.MetricHealthCheckModel(healthCheckId, alarmModel, insufficientDataHealthStatus, inverted: false, disabled: false), alarmModel, plan.RecoveryRegion));
        var name = GuardedRecordName(switchId);
        await primary.Route53.UpsertFailoverRecordsAsync(zoneId, $"failover records for {switchId}",
        [
            new FailoverRecord(name, "CNAME", "primary", "PRIMARY", 60, $"{switchId}.{plan.PrimaryRegion}.example.com", healthCheckId),
            new FailoverRecord(name, "CNAME", "secondary", "SECONDARY", 60, $"{switchId}.{plan.RecoveryRegion}.example.com", null),
        ], cancellationToken);
        return healthCheckId;
    }

    private static string GuardedRecordName(string switchId) => $"{switchId}.example.com.";

    // The zone a record-upsert switch's record is placed in locally: its name without the first label.
    private static string ZoneOf(string recordName)
    {
        var labels = recordName.TrimEnd('.').Split('.');
        return (labels.Length > 2 ? string.Join('.', labels[1..]) : string.Join('.', labels)) + ".";
    }

    private static string PrimaryValue(string type, string primaryRegion) => type switch
    {
        "A" => "192.0.2.1",
        "AAAA" => "2001:db8::1",
        "TXT" => $"\"primary {primaryRegion}\"",
        _ => $"primary.{primaryRegion}.example.com",
    };

    /// <summary>An RDS primary in the primary region and its read replica <paramref name="replicaId"/> in the recovery
    /// region, whose lag the day publishes.</summary>
    public static async Task DeployReplicaAsync(LocalAws aws, RecoveryPlan plan, string replicaId, LocalEnvironmentOptions options, OutageDay day, TimeProvider clock, CancellationToken cancellationToken)
    {
        var tags = new Dictionary<string, string> { ["failover:plan"] = plan.Name };
        var source = await aws.Clients(plan.PrimaryRegion, clock).Rds.CreateDBInstanceAsync(
            new CreateDBInstanceRequest($"{replicaId}-primary", options.Engine, "db.t3.micro", 20, "failover", "local-password-1") { BackupRetentionPeriod = 1, EngineVersion = options.EngineVersion, Tags = tags },
            cancellationToken);
        await aws.Clients(plan.RecoveryRegion, clock).Rds.CreateDBInstanceReadReplicaAsync(replicaId, source.DBInstanceArn ?? source.DBInstanceIdentifier, tags, cancellationToken);
        await day.AddReplicaAsync(new ModelledReplica(replicaId, Models.ReplicaLagModel.EngineOf(options.Engine)), cancellationToken);
    }

    /// <summary>What the deployed roles may act on, from the same local parameter values their policies are resolved with.</summary>
    public static Failover.Core.Readiness.DeployedScope DeployedScope(RecoveryPlan plan)
    {
        var values = Iam.TemplatePolicies.LocalValues(plan);
        return new Failover.Core.Readiness.DeployedScope
        {
            ReplicaInstanceArns = Failover.Core.Readiness.DeployedScope.ParseList(values["ReplicaInstanceArns"]),
            ReplicaClusterArns = Failover.Core.Readiness.DeployedScope.ParseList(values["ReplicaClusterArns"]),
            GlobalClusterArns = Failover.Core.Readiness.DeployedScope.ParseList(values["GlobalClusterArns"]),
            HealthCheckArns = Failover.Core.Readiness.DeployedScope.ParseList(values["HealthCheckArns"]),
            HostedZoneArns = Failover.Core.Readiness.DeployedScope.ParseList(values["HostedZoneArns"]),
        };
    }

    // The warm standby: each Auto Scaling group launches from its own launch template, with MaxSize at the standby size so
    // the run must raise it; each ECS service runs FARGATE tasks in its cluster.
    private static async Task DeployCapacityAsync(AwsClients recovery, RecoveryPlan plan, int standby, CancellationToken cancellationToken)
    {
        foreach (var target in plan.Capacity)
        {
            if (target.Kind == CapacityKinds.AutoScalingGroup)
            {
                var template = $"{target.Name}-template";
                await recovery.Ec2.CreateLaunchTemplateAsync(template, StandbyImageId, "t3.micro", cancellationToken);
                await recovery.AutoScaling.CreateAutoScalingGroupAsync(
                    new CreateAutoScalingGroupRequest(target.Name!, template, standby, standby, standby, [$"{plan.RecoveryRegion}a"]), cancellationToken);
                continue;
            }

            await recovery.Ecs.CreateClusterAsync(target.Cluster!, cancellationToken);
            await recovery.Ecs.RegisterTaskDefinitionAsync(target.Service!, "public.ecr.aws/nginx/nginx:stable", cancellationToken);
            await recovery.Ecs.CreateServiceAsync(target.Cluster!, target.Service!, target.Service!, standby, cancellationToken);
        }
    }

    // Any image id: moto launches instances from a launch template without looking the image up.
    private const string StandbyImageId = "ami-0123456789abcdef0";

    private static void ServeFunctions(LocalAws aws, Func<string, AwsClients> clientsFor, FunctionSettings settings, TextWriter log, TimeProvider clock)
    {
        var handlers = new Dictionary<string, Func<FunctionHost, LocalFunction>>
        {
            ["Trigger"] = host => new TriggerFunction(host).InvokeAsync,
            ["Prepare"] = host => new PrepareFunction(host).InvokeAsync,
            ["PromoteDatabases"] = host => new PromoteDatabasesFunction(host).InvokeAsync,
            ["CheckDatabases"] = host => new CheckDatabasesFunction(host).InvokeAsync,
            ["StartRecovery"] = host => new StartRecoveryFunction(host).InvokeAsync,
            ["CheckRecovery"] = host => new CheckRecoveryFunction(host).InvokeAsync,
            ["ScaleCapacity"] = host => new ScaleCapacityFunction(host).InvokeAsync,
            ["SwitchTraffic"] = host => new SwitchTrafficFunction(host).InvokeAsync,
            ["CheckTraffic"] = host => new CheckTrafficFunction(host).InvokeAsync,
            ["VerifyTraffic"] = host => new VerifyTrafficFunction(host).InvokeAsync,
            ["CleanupDrill"] = host => new CleanupDrillFunction(host).InvokeAsync,
            ["Report"] = host => new ReportFunction(host).InvokeAsync,
            ["Notify"] = host => new NotifyFunction(host).InvokeAsync,
            ["NotifyFailure"] = host => new NotifyFailureFunction(host).InvokeAsync,
            ["Readiness"] = host => new ReadinessFunction(host).InvokeAsync,
        };
        foreach (var (name, handler) in handlers)
        {
            ServeFunction(aws, name, handler, clientsFor, settings, log, clock);
        }
    }

    private static void ServeFunction(LocalAws aws, string name, Func<FunctionHost, LocalFunction> handler, Func<string, AwsClients> clientsFor, FunctionSettings settings, TextWriter log, TimeProvider clock)
    {
        // Built on first use, as a Lambda container initialises: a host that cannot start (an invalid
        // plan) fails every invocation with its error instead of failing the deployment.
        var function = new Lazy<LocalFunction>(() => handler(FunctionHost.ForAws(settings, clientsFor(name), clock, log)));
        aws.Gateway.AddFunction(FunctionPrefix + name, (input, ct) => function.Value(input, ct));
    }

    /// <summary>The plan plus one health-check-invert switch per switch health check and one record-upsert switch (the last).</summary>
    private static RecoveryPlan WithControlPlaneSwitches(RecoveryPlan plan, string zoneId, IReadOnlyDictionary<string, string> healthChecks) => plan with
    {
        Switches =
        [
            .. plan.Switches,
            .. healthChecks.Select(hc => new TrafficSwitchTarget { Kind = SwitchKinds.HealthCheckInvert, Id = $"{hc.Key}-health-check", HealthCheckId = hc.Value, HostedZoneId = zoneId, RecordName = GuardedRecordName(hc.Key) }),
            new TrafficSwitchTarget
            {
                Kind = SwitchKinds.RecordUpsert,
                Id = $"{plan.Name}-api-record",
                HostedZoneId = zoneId,
                Record = new RecordSet { Name = $"api.{plan.Name}.example.com.", Type = "CNAME", Ttl = 60, Values = [$"api.{plan.RecoveryRegion}.example.com"] },
            },
        ],
    };

    private static string FunctionArn(string region, string name) => $"arn:aws:lambda:{region}:{LocalAws.AccountId}:function:{FunctionPrefix}{name}";
}
