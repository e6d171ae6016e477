using Failover.Aws.Clients;
using Failover.Aws.Transport;
using Failover.Core.Plans;
using Failover.Core.Ports;

namespace Failover.Aws.Adapters;

/// <summary>
/// Auto Scaling groups and ECS services through <see cref="AutoScalingClient"/> and <see cref="EcsClient"/>. What counts
/// as in service: a group's instances with LifecycleState InService and HealthStatus Healthy ("Amazon EC2 Auto Scaling
/// instance lifecycle", ec2-auto-scaling-lifecycle.html: Pending until launched and through any launch hook); a service's
/// runningCount, the tasks in the RUNNING state ("Amazon ECS task lifecycle", task-lifecycle-explanation.html), with its
/// PRIMARY deployment's rolloutState telling whether the service is steady.
/// </summary>
/// <param name="primaryAutoScaling">The primary region's Auto Scaling, asked once and briefly (matchPrimary).</param>
public sealed class AwsCapacity(AutoScalingClient autoScaling, EcsClient ecs, AutoScalingClient primaryAutoScaling) : ICapacity
{
    /// <inheritdoc />
    public async Task<CapacityState?> DescribeAsync(CapacityTarget target, CancellationToken cancellationToken) => target.Kind == CapacityKinds.EcsService
        ? await DescribeServiceAsync(target.Cluster!, target.Service!, cancellationToken)
        : await DescribeGroupAsync(autoScaling, target.Name!, cancellationToken);

    /// <inheritdoc />
    public async Task<CapacityState?> DescribePrimaryAsync(CapacityTarget target, CancellationToken cancellationToken) =>
        await DescribeGroupAsync(primaryAutoScaling, target.Name!, cancellationToken);

    /// <inheritdoc />
    public async Task EnsureAsync(CapacityTarget target, CapacitySize size, CancellationToken cancellationToken)
    {
        if (target.Kind == CapacityKinds.EcsService)
        {
            await ecs.UpdateServiceAsync(target.Cluster!, target.Service!, size.Desired, cancellationToken);
            return;
        }

        await autoScaling.UpdateAutoScalingGroupAsync(target.Name!, size.Desired, size.MinSize, size.MaxSize, cancellationToken);
    }

    private static async Task<CapacityState?> DescribeGroupAsync(AutoScalingClient client, string name, CancellationToken cancellationToken)
    {
        var group = (await client.DescribeAutoScalingGroupsAsync([name], cancellationToken)).FirstOrDefault(g => g.AutoScalingGroupName == name);
        if (group is null)
        {
            return null;
        }

        var inService = group.Instances.Count(i => i is { LifecycleState: "InService", HealthStatus: "Healthy" });
        var launchSource = group.HasMixedInstancesPolicy ? "a mixed instances policy"
            : group.LaunchTemplate is { } template ? $"launch template {template}"
            : group.LaunchConfigurationName is { } configuration ? $"launch configuration {configuration}"
            : null;
        return new CapacityState(group.DesiredCapacity, inService, Steady: true, group.MinSize, group.MaxSize, launchSource, group.Status is { Length: > 0 } status ? $"group status {status}" : null);
    }

    private async Task<CapacityState?> DescribeServiceAsync(string cluster, string name, CancellationToken cancellationToken)
    {
        IReadOnlyList<EcsService> services;
        try
        {
            services = await ecs.DescribeServicesAsync(cluster, [name], cancellationToken);
        }
        catch (AwsNotFoundException)
        {
            // ClusterNotFoundException: no cluster, so no service.
            return null;
        }

        if (services.FirstOrDefault(s => s.ServiceName == name) is not { } service || service.Status == "INACTIVE")
        {
            return null;
        }

        var clusters = await ecs.DescribeClustersAsync([cluster], cancellationToken);
        var clusterState = clusters.Count > 0 ? clusters[0] : null;
        var launchSource = service.LaunchType == "FARGATE" ? "the FARGATE launch type"
            : service.CapacityProviders.Count > 0 ? $"capacity providers {string.Join(", ", service.CapacityProviders)}"
            : clusterState is { CapacityProviders.Count: > 0 } ? $"the cluster's capacity providers {string.Join(", ", clusterState.CapacityProviders)}"
            : clusterState is { RegisteredContainerInstancesCount: > 0 } ? $"{clusterState.RegisteredContainerInstancesCount} container instances of the cluster"
            : null;
        var unavailable = service.Status != "ACTIVE" ? $"service status {service.Status}"
            : clusterState is { Status: not "ACTIVE" } ? $"cluster status {clusterState.Status}"
            : null;
        return new CapacityState(service.DesiredCount, service.RunningCount, service.PrimaryRolloutState is null or "COMPLETED", null, null, launchSource, unavailable);
    }
}
