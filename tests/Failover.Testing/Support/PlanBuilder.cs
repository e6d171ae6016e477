using System.Text.Json;
using Failover.Core;
using Failover.Core.Plans;

namespace Failover.Testing;

/// <summary>Builds plans; starts from the sample plan so each test states only what it changes.</summary>
public sealed class PlanBuilder
{
    private RecoveryPlan _plan;

    private PlanBuilder(RecoveryPlan plan) => _plan = plan;

    /// <summary>The sample plan: one critical replica, one switch metric, one allow-listed alarm.</summary>
    public static PlanBuilder Sample() => new(new RecoveryPlan
    {
        Name = Samples.PlanName,
        PrimaryRegion = Samples.PrimaryRegion,
        RecoveryRegion = Samples.RecoveryRegion,
        Objectives = new RecoveryObjectives { RtoSeconds = 900, RpoSeconds = 60 },
        Databases = [Database(Samples.ReplicaId)],
        Switches = [Switch(Samples.SwitchId)],
        Trigger = new TriggerPolicy { AccountId = Samples.AccountId, AlarmArns = [Samples.AlarmArn], DecisionWindowMinutes = 15 },
    });

    /// <summary>A database entry of the default kind.</summary>
    public static DatabaseTarget Database(string id, bool critical = true, string kind = DatabaseKinds.RdsInstanceReplica) =>
        new() { Kind = kind, Id = id, Critical = critical };

    /// <summary>An Aurora global database entry failing over to <paramref name="targetClusterArn"/> (the sample secondary by default).</summary>
    public static DatabaseTarget AuroraGlobal(string id = Samples.GlobalClusterId, string? targetClusterArn = null, bool critical = true) =>
        new() { Kind = DatabaseKinds.AuroraGlobal, Id = id, TargetClusterArn = targetClusterArn ?? Samples.SecondaryClusterArn, Critical = critical };

    /// <summary>An Aurora cross-region replica cluster entry.</summary>
    public static DatabaseTarget ClusterReplica(string id = Samples.ReplicaClusterId, bool critical = true) =>
        new() { Kind = DatabaseKinds.AuroraClusterReplica, Id = id, Critical = critical };

    /// <summary>A DRS server selection by ids.</summary>
    public static ServerGroup Servers(params string[] sourceServerIds) => new() { SourceServerIds = sourceServerIds };

    /// <summary>A health-check-invert entry (Route 53 control plane).</summary>
    public static TrafficSwitchTarget HealthCheckSwitch(string id, string healthCheckId = "abcdef11-2222-3333-4444-555555fedcba") =>
        new() { Kind = SwitchKinds.HealthCheckInvert, Id = id, HealthCheckId = healthCheckId, HostedZoneId = "Z0123456789ABCDEFGHIJ", RecordName = $"{id}.example.com." };

    /// <summary>A record-upsert entry (Route 53 control plane): the SECONDARY failover record of www.example.com.</summary>
    public static TrafficSwitchTarget RecordSwitch(string id, string hostedZoneId = "Z0123456789ABCDEFGHIJ") => new()
    {
        Kind = SwitchKinds.RecordUpsert,
        Id = id,
        HostedZoneId = hostedZoneId,
        Record = new RecordSet { Name = "www.example.com.", Type = "CNAME", SetIdentifier = "recovery", Failover = "SECONDARY", Ttl = 60, Values = ["orders.us-west-2.example.com"] },
    };

    /// <summary>A switch-metric entry.</summary>
    public static TrafficSwitchTarget Switch(string id, string metricNamespace = Samples.SwitchNamespace, string metricName = Samples.SwitchMetric) => new()
    {
        Kind = SwitchKinds.SwitchMetric,
        Id = id,
        Namespace = metricNamespace,
        MetricName = metricName,
        Dimensions = new Dictionary<string, string> { ["Plan"] = Samples.PlanName, ["Switch"] = id },
        FailoverValue = 1,
        AlarmName = $"{Samples.PlanName}-{id}-switch",
        HostedZoneId = "Z0123456789ABCDEFGHIJ",
        RecordName = $"{id}.example.com.",
    };

    public PlanBuilder WithName(string name) => Change(p => p with { Name = name });

    public PlanBuilder WithRegions(string primary, string recovery) => Change(p => p with { PrimaryRegion = primary, RecoveryRegion = recovery });

    public PlanBuilder WithObjectives(int rtoSeconds, int rpoSeconds) => Change(p => p with { Objectives = new RecoveryObjectives { RtoSeconds = rtoSeconds, RpoSeconds = rpoSeconds } });

    public PlanBuilder WithDatabases(params DatabaseTarget[] databases) => Change(p => p with { Databases = databases });

    public PlanBuilder WithSwitches(params TrafficSwitchTarget[] switches) => Change(p => p with { Switches = switches });

    /// <summary>One wave of servers (the single-group form); null: no servers.</summary>
    public PlanBuilder WithServers(ServerGroup? servers) => Change(p => p with { Servers = servers is null ? null : [servers] });

    /// <summary>Servers in these waves, in order.</summary>
    public PlanBuilder WithWaves(params ServerGroup[] waves) => Change(p => p with { Servers = waves });

    public PlanBuilder WithDatabaseConcurrency(int concurrency) => Change(p => p with { DatabaseConcurrency = concurrency });

    public PlanBuilder WithTrigger(string? accountId = null, IReadOnlyList<string>? alarmArns = null, int? decisionWindowMinutes = null) => Change(p => p with
    {
        Trigger = new TriggerPolicy
        {
            AccountId = accountId ?? p.Trigger.AccountId,
            AlarmArns = alarmArns ?? p.Trigger.AlarmArns,
            DecisionWindowMinutes = decisionWindowMinutes ?? p.Trigger.DecisionWindowMinutes,
        },
    });

    public PlanBuilder Change(Func<RecoveryPlan, RecoveryPlan> change)
    {
        _plan = change(_plan);
        return this;
    }

    public RecoveryPlan Build() => _plan;

    /// <summary>The plan as the JSON document the functions read.</summary>
    public string ToJson() => JsonSerializer.Serialize(_plan, FailoverJson.Default.RecoveryPlan);
}
