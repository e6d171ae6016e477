using System.Text.Json.Nodes;
using Failover.Aws.Transport;

namespace Failover.Aws.Clients;

/// <summary>An ECS service (the members the product reads).</summary>
/// <param name="Status">ACTIVE, DRAINING or INACTIVE.</param>
/// <param name="LaunchType">EC2, FARGATE or EXTERNAL; null when the service uses a capacity provider strategy.</param>
/// <param name="CapacityProviders">The service's capacity provider strategy, by provider name.</param>
/// <param name="PrimaryRolloutState">The PRIMARY deployment's rolloutState (IN_PROGRESS, COMPLETED, FAILED); null when not reported.</param>
public sealed record EcsService(string ServiceName, string Status, int DesiredCount, int RunningCount, int PendingCount, string? LaunchType, IReadOnlyList<string> CapacityProviders, string? PrimaryRolloutState);

/// <summary>An ECS cluster (the members the product reads).</summary>
/// <param name="Status">ACTIVE, PROVISIONING, DEPROVISIONING, FAILED or INACTIVE.</param>
public sealed record EcsCluster(string ClusterName, string Status, IReadOnlyList<string> CapacityProviders, int RegisteredContainerInstancesCount);

/// <summary>Amazon ECS over AWS JSON 1.1 (target AmazonEC2ContainerServiceV20141113; botocore ecs 2014-11-13).</summary>
public sealed class EcsClient
{
    private const string TargetPrefix = "AmazonEC2ContainerServiceV20141113";
    private readonly AwsTransport _transport;

    internal EcsClient(AwsTransport transport) => _transport = transport;

    /// <summary>The named services of a cluster that exist (a name ECS reports MISSING is left out). A cluster that does not exist is <see cref="AwsNotFoundException"/> (ClusterNotFoundException).</summary>
    [IamAction("ecs:DescribeServices")]
    public async Task<IReadOnlyList<EcsService>> DescribeServicesAsync(string cluster, IReadOnlyList<string> services, CancellationToken cancellationToken)
    {
        var reply = await CallAsync("DescribeServices", new JsonObject { ["cluster"] = cluster, ["services"] = new JsonArray([.. services.Select(s => (JsonNode)s)]) }, retrySafe: true, cancellationToken);
        return [.. (reply["services"] as JsonArray ?? []).OfType<JsonObject>().Select(s => new EcsService(
            s.RequiredStr("serviceName"),
            s.Str("status") ?? "",
            s["desiredCount"]?.GetValue<int>() ?? 0,
            s["runningCount"]?.GetValue<int>() ?? 0,
            s["pendingCount"]?.GetValue<int>() ?? 0,
            s.Str("launchType"),
            [.. (s["capacityProviderStrategy"] as JsonArray ?? []).OfType<JsonObject>().Select(c => c.RequiredStr("capacityProvider"))],
            (s["deployments"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(d => d.Str("status") == "PRIMARY").Str("rolloutState")))];
    }

    /// <summary>Sets a service's desired count. Setting the same count again changes nothing, so 5xx are retried.</summary>
    [IamAction("ecs:UpdateService")]
    public async Task UpdateServiceAsync(string cluster, string service, int desiredCount, CancellationToken cancellationToken) =>
        await CallAsync("UpdateService", new JsonObject { ["cluster"] = cluster, ["service"] = service, ["desiredCount"] = desiredCount }, retrySafe: true, cancellationToken);

    /// <summary>The named clusters that exist (a name ECS reports MISSING is left out).</summary>
    [IamAction("ecs:DescribeClusters")]
    public async Task<IReadOnlyList<EcsCluster>> DescribeClustersAsync(IReadOnlyList<string> clusters, CancellationToken cancellationToken)
    {
        var reply = await CallAsync("DescribeClusters", new JsonObject { ["clusters"] = new JsonArray([.. clusters.Select(c => (JsonNode)c)]) }, retrySafe: true, cancellationToken);
        return [.. (reply["clusters"] as JsonArray ?? []).OfType<JsonObject>().Select(c => new EcsCluster(
            c.RequiredStr("clusterName"),
            c.Str("status") ?? "",
            [.. (c["capacityProviders"] as JsonArray ?? []).Select(p => p?.GetValue<string>()).OfType<string>()],
            c["registeredContainerInstancesCount"]?.GetValue<int>() ?? 0))];
    }

    /// <summary>Creates a cluster (idempotent by name); for the local environment.</summary>
    [IamAction("ecs:CreateCluster")]
    public async Task CreateClusterAsync(string name, CancellationToken cancellationToken) =>
        await CallAsync("CreateCluster", new JsonObject { ["clusterName"] = name }, retrySafe: true, cancellationToken);

    /// <summary>Registers a task definition of one container; for the local environment.</summary>
    [IamAction("ecs:RegisterTaskDefinition")]
    public async Task RegisterTaskDefinitionAsync(string family, string image, CancellationToken cancellationToken) =>
        await CallAsync("RegisterTaskDefinition", new JsonObject
        {
            ["family"] = family,
            ["requiresCompatibilities"] = new JsonArray("FARGATE"),
            ["networkMode"] = "awsvpc",
            ["cpu"] = "256",
            ["memory"] = "512",
            ["containerDefinitions"] = new JsonArray(new JsonObject { ["name"] = family, ["image"] = image, ["essential"] = true }),
        }, retrySafe: false, cancellationToken);

    /// <summary>Creates a FARGATE service of <paramref name="desiredCount"/> tasks; for the local environment.</summary>
    [IamAction("ecs:CreateService")]
    public async Task CreateServiceAsync(string cluster, string service, string taskDefinition, int desiredCount, CancellationToken cancellationToken) =>
        await CallAsync("CreateService", new JsonObject
        {
            ["cluster"] = cluster,
            ["serviceName"] = service,
            ["taskDefinition"] = taskDefinition,
            ["desiredCount"] = desiredCount,
            ["launchType"] = "FARGATE",
        }, retrySafe: false, cancellationToken);

    private Task<JsonObject> CallAsync(string operation, JsonObject body, bool retrySafe, CancellationToken cancellationToken) =>
        JsonProtocol.CallAsync(_transport, AwsService.Ecs, TargetPrefix, operation, body, retrySafe, cancellationToken, jsonVersion: "1.1");
}
