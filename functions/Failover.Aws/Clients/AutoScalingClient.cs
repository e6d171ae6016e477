using System.Xml.Linq;
using Failover.Aws.Transport;

namespace Failover.Aws.Clients;

/// <summary>One instance of an Auto Scaling group (the members the product reads).</summary>
/// <param name="LifecycleState">Pending, InService, Terminating, … (Auto Scaling instance lifecycle).</param>
/// <param name="HealthStatus">Healthy or Unhealthy.</param>
public sealed record AutoScalingInstance(string InstanceId, string LifecycleState, string HealthStatus);

/// <summary>An Auto Scaling group (the members the product reads).</summary>
/// <param name="LaunchTemplate">The launch template's name or id; null when the group has none.</param>
/// <param name="LaunchConfigurationName">Null when the group has none.</param>
/// <param name="HasMixedInstancesPolicy">The group launches from a mixed instances policy (its own launch template).</param>
/// <param name="Status">Set only while the group is being deleted ("Delete in progress").</param>
public sealed record AutoScalingGroup(
    string AutoScalingGroupName, int MinSize, int MaxSize, int DesiredCapacity, IReadOnlyList<AutoScalingInstance> Instances,
    string? LaunchTemplate, string? LaunchConfigurationName, bool HasMixedInstancesPolicy, string? Status);

/// <summary>Parameters of CreateAutoScalingGroup that the local environment needs: a group launched from a launch template.</summary>
public sealed record CreateAutoScalingGroupRequest(string AutoScalingGroupName, string LaunchTemplateName, int MinSize, int MaxSize, int DesiredCapacity, IReadOnlyList<string> AvailabilityZones);

/// <summary>Amazon EC2 Auto Scaling over the query protocol (Version 2011-01-01; botocore autoscaling 2011-01-01).</summary>
public sealed class AutoScalingClient
{
    private const string Version = "2011-01-01";
    private readonly AwsTransport _transport;

    internal AutoScalingClient(AwsTransport transport) => _transport = transport;

    /// <summary>The named groups that exist (a name with no group is left out, not an error), every page read.</summary>
    [IamAction("autoscaling:DescribeAutoScalingGroups")]
    public async Task<IReadOnlyList<AutoScalingGroup>> DescribeAutoScalingGroupsAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var groups = new List<AutoScalingGroup>();
        string? nextToken = null;
        do
        {
            var parameters = new QueryParameters();
            for (var i = 0; i < names.Count; i++)
            {
                parameters.Add($"AutoScalingGroupNames.member.{i + 1}", names[i]);
            }

            parameters.Add("NextToken", nextToken);
            var result = await QueryProtocol.CallAsync(_transport, AwsService.AutoScaling, Version, "DescribeAutoScalingGroups", parameters, retrySafe: true, cancellationToken);
            groups.AddRange(result.Items("AutoScalingGroups").Select(Group));
            nextToken = result.Text("NextToken");
        }
        while (!string.IsNullOrEmpty(nextToken));

        return groups;
    }

    /// <summary>Sets the group's sizes (any left null is unchanged). Setting the same sizes again changes nothing, so 5xx are retried.</summary>
    [IamAction("autoscaling:UpdateAutoScalingGroup")]
    public async Task UpdateAutoScalingGroupAsync(string name, int? desiredCapacity, int? minSize, int? maxSize, CancellationToken cancellationToken)
    {
        var parameters = new QueryParameters()
            .Add("AutoScalingGroupName", name)
            .Add("MinSize", minSize)
            .Add("MaxSize", maxSize)
            .Add("DesiredCapacity", desiredCapacity);
        await QueryProtocol.CallAsync(_transport, AwsService.AutoScaling, Version, "UpdateAutoScalingGroup", parameters, retrySafe: true, cancellationToken);
    }

    /// <summary>Creates a group launched from a launch template ($Latest); for the local environment.</summary>
    [IamAction("autoscaling:CreateAutoScalingGroup")]
    public async Task CreateAutoScalingGroupAsync(CreateAutoScalingGroupRequest request, CancellationToken cancellationToken)
    {
        var parameters = new QueryParameters()
            .Add("AutoScalingGroupName", request.AutoScalingGroupName)
            .Add("LaunchTemplate.LaunchTemplateName", request.LaunchTemplateName)
            .Add("LaunchTemplate.Version", "$Latest")
            .Add("MinSize", request.MinSize)
            .Add("MaxSize", request.MaxSize)
            .Add("DesiredCapacity", request.DesiredCapacity);
        for (var i = 0; i < request.AvailabilityZones.Count; i++)
        {
            parameters.Add($"AvailabilityZones.member.{i + 1}", request.AvailabilityZones[i]);
        }

        await QueryProtocol.CallAsync(_transport, AwsService.AutoScaling, Version, "CreateAutoScalingGroup", parameters, retrySafe: false, cancellationToken);
    }

    private static AutoScalingGroup Group(XElement g) => new(
        g.Required("AutoScalingGroupName"),
        g.Int("MinSize") ?? 0,
        g.Int("MaxSize") ?? 0,
        g.Int("DesiredCapacity") ?? 0,
        [.. g.Items("Instances").Select(i => new AutoScalingInstance(i.Required("InstanceId"), i.Required("LifecycleState"), i.Required("HealthStatus")))],
        g.Child("LaunchTemplate") is { } template ? template.Text("LaunchTemplateName") ?? template.Text("LaunchTemplateId") : null,
        g.Text("LaunchConfigurationName"),
        g.Child("MixedInstancesPolicy") is not null,
        g.Text("Status"));
}
