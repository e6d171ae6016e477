using Failover.Aws.Clients;
using Failover.Core.Plans;
using Failover.Core.Ports;

namespace Failover.Aws.Adapters;

/// <summary>The data-plane switch: a datapoint on the switch metric moves its alarm, and the Route 53 health check that follows it.</summary>
public sealed class MetricTrafficSwitch(CloudWatchClient cloudWatch) : ITrafficSwitch
{
    /// <inheritdoc />
    public async Task SwitchAsync(TrafficSwitchTarget target, CancellationToken cancellationToken) =>
        await cloudWatch.PutMetricDataAsync(target.Namespace, [new MetricDatum(target.MetricName, target.FailoverValue, target.Dimensions) { Unit = "None" }], cancellationToken);
}
