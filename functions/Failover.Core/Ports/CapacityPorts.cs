using Failover.Core.Plans;

namespace Failover.Core.Ports;

/// <summary>An Auto Scaling group or ECS service as the workflow needs it.</summary>
/// <param name="Desired">DesiredCapacity (group) or desiredCount (service).</param>
/// <param name="Reached">Instances with LifecycleState InService and HealthStatus Healthy (group), or runningCount (service).</param>
/// <param name="Steady">Service: its PRIMARY deployment's rolloutState is COMPLETED; always true for a group.</param>
/// <param name="MinSize">Group: MinSize; null for a service.</param>
/// <param name="MaxSize">Group: MaxSize; null for a service.</param>
/// <param name="LaunchSource">What starts new capacity: the group's launch template, launch configuration or mixed
/// instances policy; the service's FARGATE launch type, capacity providers, or EC2 container instances. Null when nothing
/// can start any.</param>
/// <param name="Unavailable">Why it cannot be scaled now (a group being deleted, a service or cluster not ACTIVE); null when it can.</param>
public sealed record CapacityState(int Desired, int Reached, bool Steady, int? MinSize, int? MaxSize, string? LaunchSource, string? Unavailable = null);

/// <summary>The size to set: never lower than what the group or service has (<see cref="ICapacity.EnsureAsync"/>).</summary>
/// <param name="Desired">DesiredCapacity or desiredCount.</param>
/// <param name="MinSize">Group only: MinSize; null leaves it.</param>
/// <param name="MaxSize">Group only: MaxSize; null leaves it.</param>
public sealed record CapacitySize(int Desired, int? MinSize, int? MaxSize);

/// <summary>Auto Scaling groups and ECS services.</summary>
public interface ICapacity
{
    /// <summary>The entry's group or service in the recovery region, or null when it does not exist.</summary>
    Task<CapacityState?> DescribeAsync(CapacityTarget target, CancellationToken cancellationToken);

    /// <summary>The entry's group in the primary region, or null when it does not exist there. Throws when the primary
    /// region does not answer.</summary>
    Task<CapacityState?> DescribePrimaryAsync(CapacityTarget target, CancellationToken cancellationToken);

    /// <summary>Sets the size (UpdateAutoScalingGroup, UpdateService). Setting the same size again changes nothing.</summary>
    Task EnsureAsync(CapacityTarget target, CapacitySize size, CancellationToken cancellationToken);
}
