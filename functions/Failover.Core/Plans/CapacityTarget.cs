using System.Text.Json.Serialization;

namespace Failover.Core.Plans;

/// <summary>
/// Compute in the recovery region to bring to production size before traffic moves: an EC2 Auto Scaling group
/// (<see cref="CapacityKinds.AutoScalingGroup"/>) or an ECS service (<see cref="CapacityKinds.EcsService"/>).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CapacityTarget
{
    /// <summary>Kind of capacity; <see cref="CapacityKinds"/>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Name used in reports and notifications; unique among the plan's capacity entries.</summary>
    public string Id { get; set; } = "";

    /// <summary>auto-scaling-group: the AutoScalingGroupName in the recovery region (and, with <see cref="MatchPrimary"/>, in the primary region).</summary>
    public string? Name { get; set; }

    /// <summary>auto-scaling-group: the desired capacity to reach; with <see cref="MatchPrimary"/>, the floor and the
    /// fallback when the primary region does not answer.</summary>
    public int? DesiredCapacity { get; set; }

    /// <summary>auto-scaling-group: reach the primary region's group's desired capacity when it is larger (read once at Prepare).</summary>
    public bool MatchPrimary { get; set; }

    /// <summary>ecs-service: the cluster's name.</summary>
    public string? Cluster { get; set; }

    /// <summary>ecs-service: the service's name.</summary>
    public string? Service { get; set; }

    /// <summary>ecs-service: the desired count of tasks to reach.</summary>
    public int? DesiredCount { get; set; }

    /// <summary>Traffic moves only once every critical entry is in service; a non-critical entry that does not arrive in
    /// time leaves the run partial.</summary>
    public bool Critical { get; set; } = true;

    /// <summary>The fraction of the target that counts as in service (0 &lt; f ≤ 1): below 1 for an ungraceful failover
    /// that accepts less than full size.</summary>
    public double MinReadyFraction { get; set; } = 1.0;

    /// <summary>Seconds the capacity may take to be in service once scaling started (60-7200).</summary>
    public int ReadyWithinSeconds { get; set; } = 900;

    /// <summary>The size the plan asks for: <see cref="DesiredCapacity"/> or <see cref="DesiredCount"/> (never written).</summary>
    [JsonIgnore]
    public int PlannedSize => (Kind == CapacityKinds.EcsService ? DesiredCount : DesiredCapacity) ?? 0;
}

/// <summary>Known values of <see cref="CapacityTarget.Kind"/>.</summary>
public static class CapacityKinds
{
    /// <summary>An EC2 Auto Scaling group: UpdateAutoScalingGroup, then InService and Healthy instances.</summary>
    public const string AutoScalingGroup = "auto-scaling-group";

    /// <summary>An Amazon ECS service: UpdateService desiredCount, then running tasks.</summary>
    public const string EcsService = "ecs-service";

    /// <summary>Every kind, for messages.</summary>
    public static IReadOnlyList<string> All { get; } = [AutoScalingGroup, EcsService];
}
