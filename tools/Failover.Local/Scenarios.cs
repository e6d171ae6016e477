using System.Text.Json;
using Failover.Core;
using Failover.Core.Plans;

namespace Failover.Local;

/// <summary>Named plans for <c>failover simulate --scenario</c>.</summary>
public static class Scenarios
{
    /// <summary>Known scenario names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["standard", "scale", "control-plane", "aurora-global", "postgresql", "primary-impaired"];

    /// <summary>
    /// Writes the scenario's plan next to the work directory and returns its path with the deployment
    /// options it needs; "standard" is the packaged plan as it is.
    /// </summary>
    public static (string PlanPath, LocalEnvironmentOptions Options) Prepare(string name, string packagedPlanPath, LocalEnvironmentOptions options) => name switch
    {
        "standard" => (packagedPlanPath, options),
        "control-plane" => (packagedPlanPath, options with { ControlPlaneSwitches = true }),
        "scale" => (Write(Scale(PlanDocument.Parse(File.ReadAllText(packagedPlanPath))), options.WorkDirectory), options with { ServerCount = 1000 }),
        "aurora-global" => (Write(AuroraGlobal(PlanDocument.Parse(File.ReadAllText(packagedPlanPath))), options.WorkDirectory), options),
        // PostgreSQL's ReplicaLag grows with the clock once its source is dark, where MySQL's reads -1. A version a
        // drill can copy (14.1 or later); moto's default PostgreSQL is 9.3.3.
        "postgresql" => (packagedPlanPath, options with { Engine = "postgres", EngineVersion = "16.3" }),
        // The primary region's API answers but its databases are impaired: an Aurora switchover is refused.
        "primary-impaired" => (Write(AuroraGlobal(PlanDocument.Parse(File.ReadAllText(packagedPlanPath))), options.WorkDirectory), options with { Outage = Models.OutageKind.DatabaseImpaired }),
        _ => throw new LocalAwsException($"unknown scenario '{name}'; known: {string.Join(", ", Names)}"),
    };

    /// <summary>The scale plan: 50 databases, 1,000 DRS servers (selected by tag), 50 switches.</summary>
    public static RecoveryPlan Scale(RecoveryPlan basePlan) => basePlan with
    {
        Name = basePlan.Name + "-scale",
        Databases = [.. Enumerable.Range(1, 50).Select(i => new DatabaseTarget { Kind = DatabaseKinds.RdsInstanceReplica, Id = $"scale-db-{i:00}", Critical = i <= 40 })],
        DatabaseConcurrency = 10,
        Servers = new ServerGroup { Tags = new Dictionary<string, string> { ["app"] = "scale" }, BatchSize = 100, MaxConcurrentJobs = 20 },
        Switches = [.. Enumerable.Range(1, 50).Select(i => new TrafficSwitchTarget
        {
            Kind = SwitchKinds.SwitchMetric,
            Id = $"scale-web-{i:00}",
            Namespace = "Failover",
            MetricName = "TrafficSwitch",
            Dimensions = new Dictionary<string, string> { ["Plan"] = basePlan.Name + "-scale", ["Switch"] = $"scale-web-{i:00}" },
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

    private static string Write(RecoveryPlan plan, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"plan-{plan.Name}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(plan, FailoverJson.Indented.RecoveryPlan));
        return path;
    }
}
