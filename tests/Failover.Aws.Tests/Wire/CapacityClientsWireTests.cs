using Failover.Aws.Adapters;
using Failover.Aws.Clients;
using Failover.Aws.Transport;
using Failover.Core.Plans;

namespace Failover.Aws.Tests.Wire;

/// <summary>AutoScalingClient, EcsClient and Ec2Client over HTTP against moto, and the capacity adapter over them.</summary>
[Collection(MotoCollection.Name)]
public sealed class CapacityClientsWireTests(MotoServer moto) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        using var cts = TestTimeout.Create();
        await moto.ResetAsync(cts.Token);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task DescribeAutoScalingGroupsAsync_WhenOneOfTwoNamesExists_ShouldReadThatGroupWithItsInstancesAndLaunchTemplate()
    {
        // Arrange
        using var cts = TestTimeout.Create();
        var clients = moto.Clients();
        await CreateGroupAsync(clients, "web", cts.Token);

        // Act
        var groups = await clients.AutoScaling.DescribeAutoScalingGroupsAsync(["web", "missing"], cts.Token);

        // Assert
        var group = Assert.Single(groups);
        Assert.Equal(("web", 1, 2, 1, "web-template", (string?)null, false), (group.AutoScalingGroupName, group.MinSize, group.MaxSize, group.DesiredCapacity, group.LaunchTemplate, group.LaunchConfigurationName, group.HasMixedInstancesPolicy));
        var instance = Assert.Single(group.Instances);
        Assert.Equal(("InService", "Healthy"), (instance.LifecycleState, instance.HealthStatus));
        Assert.StartsWith("i-", instance.InstanceId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateAutoScalingGroupAsync_WhenRaised_ShouldSetDesiredMinAndMax()
    {
        // Arrange
        using var cts = TestTimeout.Create();
        var clients = moto.Clients();
        await CreateGroupAsync(clients, "web", cts.Token);

        // Act
        await clients.AutoScaling.UpdateAutoScalingGroupAsync("web", desiredCapacity: 4, minSize: 4, maxSize: 4, cts.Token);

        // Assert
        var group = Assert.Single(await clients.AutoScaling.DescribeAutoScalingGroupsAsync(["web"], cts.Token));
        Assert.Equal((4, 4, 4, 4), (group.MinSize, group.MaxSize, group.DesiredCapacity, group.Instances.Count));
    }

    [Fact]
    public async Task DescribeServicesAsync_WhenOneOfTwoNamesExists_ShouldReadThatServiceAndItsPrimaryDeployment()
    {
        // Arrange
        using var cts = TestTimeout.Create();
        var clients = moto.Clients();
        await CreateServiceAsync(clients, "orders", "api", cts.Token);

        // Act
        var services = await clients.Ecs.DescribeServicesAsync("orders", ["api", "missing"], cts.Token);

        // Assert
        var service = Assert.Single(services);
        Assert.Equal(("api", "ACTIVE", 1, "FARGATE"), (service.ServiceName, service.Status, service.DesiredCount, service.LaunchType));
        Assert.NotNull(service.PrimaryRolloutState);
        Assert.Empty(service.CapacityProviders);
    }

    [Fact]
    public async Task UpdateServiceAsync_WhenRaised_ShouldSetTheDesiredCount()
    {
        // Arrange
        using var cts = TestTimeout.Create();
        var clients = moto.Clients();
        await CreateServiceAsync(clients, "orders", "api", cts.Token);

        // Act
        await clients.Ecs.UpdateServiceAsync("orders", "api", 3, cts.Token);

        // Assert
        Assert.Equal(3, Assert.Single(await clients.Ecs.DescribeServicesAsync("orders", ["api"], cts.Token)).DesiredCount);
    }

    [Fact]
    public async Task DescribeServicesAsync_WhenTheClusterIsMissing_ShouldThrowNotFound()
    {
        // Arrange
        using var cts = TestTimeout.Create();
        var clients = moto.Clients();

        // Act
        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() => clients.Ecs.DescribeServicesAsync("missing", ["api"], cts.Token));

        // Assert
        Assert.Equal("ClusterNotFoundException", ex.ErrorCode);
        Assert.Equal("ecs", ex.Service);
    }

    [Fact]
    public async Task DescribeClustersAsync_WhenOneOfTwoNamesExists_ShouldReadThatCluster()
    {
        // Arrange
        using var cts = TestTimeout.Create();
        var clients = moto.Clients();
        await clients.Ecs.CreateClusterAsync("orders", cts.Token);

        // Act
        var clusters = await clients.Ecs.DescribeClustersAsync(["orders", "missing"], cts.Token);

        // Assert
        var cluster = Assert.Single(clusters);
        Assert.Equal(("orders", "ACTIVE", 0), (cluster.ClusterName, cluster.Status, cluster.RegisteredContainerInstancesCount));
    }

    [Fact]
    public async Task AwsCapacity_WhenTheGroupAndServiceExistOrNot_ShouldDescribeWhatLaunchesThemOrNothing()
    {
        // Arrange
        using var cts = TestTimeout.Create();
        var clients = moto.Clients();
        await CreateGroupAsync(clients, "web", cts.Token);
        await CreateServiceAsync(clients, "orders", "api", cts.Token);
        var capacity = new AwsCapacity(clients.AutoScaling, clients.Ecs, clients.AutoScaling);
        CapacityTarget Group(string name) => new() { Kind = CapacityKinds.AutoScalingGroup, Id = name, Name = name, DesiredCapacity = 4 };
        CapacityTarget Service(string cluster, string service) => new() { Kind = CapacityKinds.EcsService, Id = service, Cluster = cluster, Service = service, DesiredCount = 3 };

        // Act
        var group = await capacity.DescribeAsync(Group("web"), cts.Token);
        var service = await capacity.DescribeAsync(Service("orders", "api"), cts.Token);
        var missing = new[]
        {
            await capacity.DescribeAsync(Group("missing"), cts.Token),
            await capacity.DescribeAsync(Service("orders", "missing"), cts.Token),
            await capacity.DescribeAsync(Service("missing", "api"), cts.Token),
        };

        // Assert
        Assert.Equal(new Core.Ports.CapacityState(1, 1, true, 1, 2, "launch template web-template"), group);
        Assert.Equal((1, "the FARGATE launch type", (string?)null), (service!.Desired, service.LaunchSource, service.Unavailable));
        Assert.All(missing, Assert.Null);
    }

    private static async Task CreateGroupAsync(AwsClients clients, string name, CancellationToken cancellationToken)
    {
        await clients.Ec2.CreateLaunchTemplateAsync($"{name}-template", "ami-0123456789abcdef0", "t3.micro", cancellationToken);
        await clients.AutoScaling.CreateAutoScalingGroupAsync(new CreateAutoScalingGroupRequest(name, $"{name}-template", 1, 2, 1, ["us-west-2a"]), cancellationToken);
    }

    private static async Task CreateServiceAsync(AwsClients clients, string cluster, string service, CancellationToken cancellationToken)
    {
        await clients.Ecs.CreateClusterAsync(cluster, cancellationToken);
        await clients.Ecs.RegisterTaskDefinitionAsync(service, "public.ecr.aws/nginx/nginx:stable", cancellationToken);
        await clients.Ecs.CreateServiceAsync(cluster, service, service, 1, cancellationToken);
    }
}
