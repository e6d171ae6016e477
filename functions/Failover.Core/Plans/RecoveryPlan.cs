using System.Text.Json.Serialization;

namespace Failover.Core.Plans;

// Unknown plan members are errors: a misspelt key must not silently drop a resource from failover.

/// <summary>What fails over: the single plan document packaged with the functions.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RecoveryPlan
{
    public string Name { get; set; } = "";
    public string PrimaryRegion { get; set; } = "";
    public string RecoveryRegion { get; set; } = "";
    public RecoveryObjectives Objectives { get; set; } = new();
    public IReadOnlyList<DatabaseTarget> Databases { get; set; } = [];
    public IReadOnlyList<TrafficSwitchTarget> Switches { get; set; } = [];
    public TriggerPolicy Trigger { get; set; } = new();
}

/// <summary>Recovery time and recovery point objectives, in seconds.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RecoveryObjectives
{
    public int RtoSeconds { get; set; }
    public int RpoSeconds { get; set; }
}

/// <summary>A database to make writable in the recovery region.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record DatabaseTarget
{
    /// <summary>Kind of database; <see cref="DatabaseKinds"/>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>The replica's identifier in the recovery region (DBInstanceIdentifier).</summary>
    public string Id { get; set; } = "";

    /// <summary>Traffic is switched only after every critical database is writable.</summary>
    public bool Critical { get; set; } = true;
}

/// <summary>Known values of <see cref="DatabaseTarget.Kind"/>.</summary>
public static class DatabaseKinds
{
    /// <summary>An RDS instance read replica, promoted with PromoteReadReplica.</summary>
    public const string RdsInstanceReplica = "rds-instance-replica";
}

/// <summary>A traffic switch flipped once the databases are writable.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TrafficSwitchTarget
{
    /// <summary>Kind of switch; <see cref="SwitchKinds"/>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Name used in reports and notifications.</summary>
    public string Id { get; set; } = "";

    /// <summary>CloudWatch namespace of the switch metric (data-plane switch).</summary>
    public string Namespace { get; set; } = "";

    /// <summary>Metric the switch alarm watches; a Route 53 CLOUDWATCH_METRIC health check follows that alarm.</summary>
    public string MetricName { get; set; } = "";

    /// <summary>Dimensions of the switch metric.</summary>
    public IReadOnlyDictionary<string, string> Dimensions { get; set; } = new Dictionary<string, string>();

    /// <summary>Value that means "serve from the recovery region".</summary>
    public double FailoverValue { get; set; } = 1;
}

/// <summary>Known values of <see cref="TrafficSwitchTarget.Kind"/>.</summary>
public static class SwitchKinds
{
    /// <summary>PutMetricData on a metric watched by the switch alarm (recovery-region data plane).</summary>
    public const string SwitchMetric = "switch-metric";
}
