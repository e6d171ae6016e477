using System.Text.Json;
using Failover.Core;
using Failover.Core.Plans;

namespace Failover.Local;

/// <summary>Named plans for <c>failover simulate --scenario</c>.</summary>
public static class Scenarios
{
    /// <summary>Known scenario names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["standard", "scale", "control-plane", "aurora-global", "postgresql", "primary-impaired", "readiness", "warm-standby"];

    /// <summary>
    /// Writes the scenario's plan next to the work directory and returns its path with the deployment
    /// options it needs; "standard" is the packaged plan as it is.
    /// </summary>
    public static (string PlanPath, LocalEnvironmentOptions Options) Prepare(string name, string packagedPlanPath, LocalEnvironmentOptions options) => name switch
    {
        "standard" => (packagedPlanPath, options),
        "control-plane" => (packagedPlanPath, options with { ControlPlaneSwitches = true }),
        "scale" => (Write(Scale(PlanDocument.Parse(File.ReadAllText(packagedPlanPath))), options.WorkDirectory), options with { ServerCount = ScaleServers }),
        "aurora-global" => (Write(AuroraGlobal(PlanDocument.Parse(File.ReadAllText(packagedPlanPath))), options.WorkDirectory), options),
        // PostgreSQL's ReplicaLag grows with the clock once its source is dark, where MySQL's reads -1. A version a
        // drill can copy (14.1 or later); moto's default PostgreSQL is 9.3.3.
        "postgresql" => (packagedPlanPath, options with { Engine = "postgres", EngineVersion = "16.3" }),
        // The primary region's API answers but its databases are impaired: an Aurora switchover is refused.
        "primary-impaired" => (Write(AuroraGlobal(PlanDocument.Parse(File.ReadAllText(packagedPlanPath))), options.WorkDirectory), options with { Outage = Models.OutageKind.DatabaseImpaired }),
        // The packaged plan: a drill, a ready evaluation, four breakages, a second evaluation (ReadinessSimulation).
        "readiness" => (packagedPlanPath, options),
        // The recovery region's compute runs at standby size (1) until the run scales it up.
        "warm-standby" => (Write(WarmStandby(PlanDocument.Parse(File.ReadAllText(packagedPlanPath))), options.WorkDirectory), options with { StandbyCapacity = 1 }),
        _ => throw new LocalAwsException($"unknown scenario '{name}'; known: {string.Join(", ", Names)}"),
    };

    // The scale plan's waves, in recovery order.
    private static readonly string[] ScaleTiers = ["data", "app", "web"];

    /// <summary>DRS source servers the scale scenario registers, shared out over its three waves.</summary>
    public const int ScaleServers = 3000;

    /// <summary>
    /// The scale plan: 200 databases, 3,000 DRS servers in three waves selected by tag (data, application, web; the
    /// local AWS puts 1,000 in each), 100 switches. Batches of 100 and 20 jobs per wave, within the DRS quotas.
    /// </summary>
    public static RecoveryPlan Scale(RecoveryPlan basePlan) => basePlan with
    {
        Name = basePlan.Name + "-scale",
        Databases = [.. Enumerable.Range(1, 200).Select(i => new DatabaseTarget { Kind = DatabaseKinds.RdsInstanceReplica, Id = $"scale-db-{i:000}", Critical = i <= 160 })],
        DatabaseConcurrency = 10,
        Servers = [.. ScaleTiers.Select(tier => new ServerGroup
        {
            Name = tier,
            Tags = new Dictionary<string, string> { ["app"] = "scale", ["tier"] = tier },
            BatchSize = 100,
            MaxConcurrentJobs = 20,
        })],
        Switches = [.. Enumerable.Range(1, 100).Select(i => new TrafficSwitchTarget
        {
            Kind = SwitchKinds.SwitchMetric,
            Id = $"scale-web-{i:000}",
            Namespace = "Failover",
            MetricName = "TrafficSwitch",
            Dimensions = new Dictionary<string, string> { ["Plan"] = basePlan.Name + "-scale", ["Switch"] = $"scale-web-{i:000}" },
            AlarmName = $"{basePlan.Name}-scale-scale-web-{i:000}-switch",
            HostedZoneId = "Z0123456789SCALEWEB",
            RecordName = $"scale-web-{i:000}.example.com.",
        })],
    };

    /// <summary>The packaged plan with its databases replaced by one Aurora global database failing over to its secondary in the recovery region.</summary>
    public static RecoveryPlan AuroraGlobal(RecoveryPlan basePlan) => basePlan with
    {
        Databases =
        [
            new DatabaseTarget
            {
                Kind = DatabaseKinds.AuroraGlobal,
                Id = $"{basePlan.Name}-global",
                TargetClusterArn = $"arn:aws:rds:{basePlan.RecoveryRegion}:{LocalAws.AccountId}:cluster:{basePlan.Name}-{basePlan.RecoveryRegion}",
                Critical = true,
            },
        ],
    };

    /// <summary>The packaged plan plus an Auto Scaling group scaled to 4 and an ECS service scaled to 3 before traffic moves.</summary>
    public static RecoveryPlan WarmStandby(RecoveryPlan basePlan) => basePlan with
    {
        Capacity =
        [
            new CapacityTarget { Kind = CapacityKinds.AutoScalingGroup, Id = "web", Name = $"{basePlan.Name}-web", DesiredCapacity = 4 },
            new CapacityTarget { Kind = CapacityKinds.EcsService, Id = "api", Cluster = basePlan.Name, Service = $"{basePlan.Name}-api", DesiredCount = 3 },
        ],
    };

    private static string Write(RecoveryPlan plan, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"plan-{plan.Name}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(plan, FailoverJson.Indented.RecoveryPlan));
        return path;
    }
}
