using System.Text.Json;
using Failover.Core.Plans;

namespace Failover.Core.Tests.Support;

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

    /// <summary>A switch-metric entry.</summary>
    public static TrafficSwitchTarget Switch(string id, string metricNamespace = Samples.SwitchNamespace, string metricName = Samples.SwitchMetric) => new()
    {
        Kind = SwitchKinds.SwitchMetric,
        Id = id,
        Namespace = metricNamespace,
        MetricName = metricName,
        Dimensions = new Dictionary<string, string> { ["Plan"] = Samples.PlanName, ["Switch"] = id },
        FailoverValue = 1,
    };

    public PlanBuilder WithName(string name) => Change(p => p with { Name = name });

    public PlanBuilder WithRegions(string primary, string recovery) => Change(p => p with { PrimaryRegion = primary, RecoveryRegion = recovery });

    public PlanBuilder WithObjectives(int rtoSeconds, int rpoSeconds) => Change(p => p with { Objectives = new RecoveryObjectives { RtoSeconds = rtoSeconds, RpoSeconds = rpoSeconds } });

    public PlanBuilder WithDatabases(params DatabaseTarget[] databases) => Change(p => p with { Databases = databases });

    public PlanBuilder WithSwitches(params TrafficSwitchTarget[] switches) => Change(p => p with { Switches = switches });

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
