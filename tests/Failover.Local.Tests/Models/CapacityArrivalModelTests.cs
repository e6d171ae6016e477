using System.Text.Json.Nodes;
using Failover.Testing;
using Failover.Local.Models;

namespace Failover.Local.Tests.Models;

/// <summary>
/// <see cref="CapacityArrivalModel"/> against "Amazon EC2 Auto Scaling instance lifecycle" (ec2-auto-scaling-lifecycle.html:
/// a scale-out's instances start Pending and enter InService once ready) and "Amazon ECS task lifecycle"
/// (task-lifecycle-explanation.html: new tasks count in runningCount once RUNNING).
/// </summary>
public sealed class CapacityArrivalModelTests
{
    private const string Region = "us-west-2";

    private readonly ManualClock _clock = new();

    [Fact]
    public void RewriteAutoScalingGroups_BeforeAnyScaleUp_ShouldLeaveTheStandbyInService()
    {
        // Arrange
        var model = new CapacityArrivalModel(_clock);

        // Act
        var states = LifecycleStates(model.RewriteAutoScalingGroups(Region, GroupReply(2)));

        // Assert
        Assert.Equal(["InService", "InService"], states);
    }

    [Fact]
    public void RewriteAutoScalingGroups_UntilTheWarmupHasPassed_ShouldReportTheNewInstancesPending()
    {
        // Arrange: a standby of 1 seen, then raised to 4 (moto launched all 4 at once).
        var model = new CapacityArrivalModel(_clock) { InstanceWarmup = TimeSpan.FromSeconds(60) };
        model.RewriteAutoScalingGroups(Region, GroupReply(1));
        model.Scaled(Region, "web", 4);

        // Act
        _clock.Advance(TimeSpan.FromSeconds(59));
        var during = LifecycleStates(model.RewriteAutoScalingGroups(Region, GroupReply(4)));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var after = LifecycleStates(model.RewriteAutoScalingGroups(Region, GroupReply(4)));

        // Assert
        Assert.Equal(["InService", "Pending", "Pending", "Pending"], during);
        Assert.Equal(["InService", "InService", "InService", "InService"], after);
    }

    [Fact]
    public void Scaled_WhenTheSameSizeIsSetAgain_ShouldNotRestartTheWarmup()
    {
        // Arrange
        var model = new CapacityArrivalModel(_clock) { InstanceWarmup = TimeSpan.FromSeconds(60) };
        model.RewriteAutoScalingGroups(Region, GroupReply(1));
        model.Scaled(Region, "web", 4);
        _clock.Advance(TimeSpan.FromSeconds(30));
        model.RewriteAutoScalingGroups(Region, GroupReply(4));

        // Act
        model.Scaled(Region, "web", 4);
        _clock.Advance(TimeSpan.FromSeconds(30));

        // Assert
        Assert.All(LifecycleStates(model.RewriteAutoScalingGroups(Region, GroupReply(4))), s => Assert.Equal("InService", s));
    }

    [Fact]
    public void RewriteEcsServices_UntilTheTasksHaveStarted_ShouldCountOnlyTheStandbyAsRunning()
    {
        // Arrange
        var model = new CapacityArrivalModel(_clock) { TaskStartup = TimeSpan.FromSeconds(20) };
        model.RewriteEcsServices(Region, "orders", ServiceReply(1));
        model.Scaled(Region, "orders/api", 3);

        // Act
        var during = JsonNode.Parse(model.RewriteEcsServices(Region, "orders", ServiceReply(3)))!["services"]![0]!;
        _clock.Advance(TimeSpan.FromSeconds(20));
        var after = JsonNode.Parse(model.RewriteEcsServices(Region, "arn:aws:ecs:us-west-2:123456789012:cluster/orders", ServiceReply(3)))!["services"]![0]!;

        // Assert
        Assert.Equal((1, 2, "IN_PROGRESS"), ((int)during["runningCount"]!, (int)during["pendingCount"]!, (string)during["deployments"]![0]!["rolloutState"]!));
        Assert.Equal((3, 0, "COMPLETED"), ((int)after["runningCount"]!, (int)after["pendingCount"]!, (string)after["deployments"]![0]!["rolloutState"]!));
    }

    [Fact]
    public void RewriteEcsServices_WhenTheCapacityNeverArrives_ShouldKeepTheStandbyOnly()
    {
        // Arrange
        var model = new CapacityArrivalModel(_clock);
        model.NeverArrives["orders/api"] = true;
        model.RewriteEcsServices(Region, "orders", ServiceReply(1));
        model.Scaled(Region, "orders/api", 3);

        // Act
        _clock.Advance(TimeSpan.FromHours(1));
        var service = JsonNode.Parse(model.RewriteEcsServices(Region, "orders", ServiceReply(3)))!["services"]![0]!;

        // Assert
        Assert.Equal(1, (int)service["runningCount"]!);
    }

    // moto's reply once it launched every instance of the desired capacity (all InService).
    private static string GroupReply(int instances) => $"""
        <DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><DescribeAutoScalingGroupsResult><AutoScalingGroups>
        <member><AutoScalingGroupName>web</AutoScalingGroupName><DesiredCapacity>{instances}</DesiredCapacity><Instances>
        {string.Concat(Enumerable.Range(1, instances).Select(i => $"<member><InstanceId>i-{i}</InstanceId><LifecycleState>InService</LifecycleState><HealthStatus>Healthy</HealthStatus></member>"))}
        </Instances></member></AutoScalingGroups></DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>
        """;

    // moto's reply: runningCount follows desiredCount at once, the deployment stays as created.
    private static string ServiceReply(int desired) =>
        $$"""{"services":[{"serviceName":"api","desiredCount":{{desired}},"runningCount":{{desired}},"pendingCount":0,"deployments":[{"status":"PRIMARY","desiredCount":1,"runningCount":0,"rolloutState":"IN_PROGRESS"}]}],"failures":[]}""";

    private static List<string> LifecycleStates(string xml) =>
        [.. System.Xml.Linq.XDocument.Parse(xml).Descendants().Where(e => e.Name.LocalName == "LifecycleState").Select(e => e.Value)];
}
