using Failover.Aws;
using Failover.Aws.Adapters;
using Failover.Core.Ports;

namespace Failover.Functions;

/// <summary>The ports the handlers' services use: AWS adapters in Lambda, in-memory fakes in tests.</summary>
/// <param name="Notifications">Null when the function has no topic (only Notify needs one).</param>
public sealed record FunctionPorts(
    IDatabaseInstances Databases,
    IReplicaLagReader ReplicaLag,
    ITrafficSwitch TrafficSwitch,
    INotificationPublisher? Notifications)
{
    /// <summary>The AWS adapters, scoped by the settings (topic, state machine).</summary>
    public static FunctionPorts ForAws(FunctionSettings settings, AwsClients clients, TimeProvider clock) => new(
        new RdsDatabaseInstances(clients.Rds),
        new CloudWatchReplicaLagReader(clients.CloudWatch, clock),
        new MetricTrafficSwitch(clients.CloudWatch),
        settings.TopicArn is { Length: > 0 } topic ? new SnsNotificationPublisher(clients.Sns, topic) : null);
}
