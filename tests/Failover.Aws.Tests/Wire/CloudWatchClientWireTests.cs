using System.Net;
using Failover.Aws.Adapters;
using Failover.Aws.Clients;
using Failover.Aws.Transport;
using Failover.Core.Plans;
using Failover.Core.Ports;

namespace Failover.Aws.Tests.Wire;

[Collection(MotoCollection.Name)]
public sealed class CloudWatchClientWireTests(MotoServer moto) : IAsyncLifetime
{
    private static readonly Dictionary<string, string> SwitchDimensions = new() { ["Plan"] = "orders" };

    public async Task InitializeAsync()
    {
        using var cts = TestTimeout.Create();
        await moto.ResetAsync(cts.Token);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task GetMetricDataAsync_WhenDatumWasPut_ShouldReturnItsValue()
    {
        using var cts = TestTimeout.Create();
        var cloudWatch = moto.Clients().CloudWatch;
        var now = DateTimeOffset.UtcNow;
        await cloudWatch.PutMetricDataAsync("Failover/Test", [new MetricDatum("Switch", 42.5, SwitchDimensions) { Unit = "None", Timestamp = now }], cts.Token);

        var results = await cloudWatch.GetMetricDataAsync(
            [new MetricDataQuery("switch", "Failover/Test", "Switch", SwitchDimensions, 60, "Maximum")], now.AddMinutes(-5), now.AddMinutes(5), cts.Token);

        var series = Assert.Single(results);
        Assert.Equal("switch", series.Id);
        Assert.Equal("Complete", series.StatusCode);
        Assert.Equal(42.5, Assert.Single(series.Values));
        Assert.Single(series.Timestamps);
    }

    [Fact]
    public async Task GetMetricDataAsync_WhenDimensionsDiffer_ShouldReturnNoValues()
    {
        using var cts = TestTimeout.Create();
        var cloudWatch = moto.Clients().CloudWatch;
        var now = DateTimeOffset.UtcNow;
        await cloudWatch.PutMetricDataAsync("Failover/Test", [new MetricDatum("Switch", 1, SwitchDimensions) { Timestamp = now }], cts.Token);

        var results = await cloudWatch.GetMetricDataAsync(
            [new MetricDataQuery("other", "Failover/Test", "Switch", new Dictionary<string, string> { ["Plan"] = "billing" }, 60, "Maximum")], now.AddMinutes(-5), now.AddMinutes(5), cts.Token);

        Assert.Empty(Assert.Single(results).Values);
    }

    [Fact]
    public async Task ReadAsync_WhenReplicaLagWasPut_ShouldReturnTheRangesDatapointsOldestFirstWithMinusOneKept()
    {
        using var cts = TestTimeout.Create();
        var cloudWatch = moto.Clients().CloudWatch;
        var now = DateTimeOffset.UtcNow;
        var dimensions = new Dictionary<string, string> { ["DBInstanceIdentifier"] = "orders-replica" };
        await cloudWatch.PutMetricDataAsync("AWS/RDS",
            [
                new MetricDatum("ReplicaLag", 9, dimensions) { Unit = "Seconds", Timestamp = now.AddMinutes(-3) },
                new MetricDatum("ReplicaLag", -1, dimensions) { Unit = "Seconds", Timestamp = now.AddSeconds(-10) },
            ], cts.Token);
        var reader = new CloudWatchReplicaLagReader(cloudWatch);

        var lag = await reader.ReadAsync(DatabaseKinds.RdsInstanceReplica, "orders-replica", now.AddMinutes(-20), now.AddMinutes(1), cts.Token);
        var none = await reader.ReadAsync(DatabaseKinds.RdsInstanceReplica, "other-replica", now.AddMinutes(-20), now.AddMinutes(1), cts.Token);

        Assert.Equal("ReplicaLag", lag.Metric);
        Assert.Equal([9.0, -1.0], lag.Datapoints.Select(d => d.Seconds));
        Assert.Empty(none.Datapoints);
    }

    [Fact]
    public async Task ReadManyAsync_WhenInstancesAndAGlobalSecondary_ShouldReturnEachSeriesInTheOrderAsked()
    {
        using var cts = TestTimeout.Create();
        var cloudWatch = moto.Clients().CloudWatch;
        var now = DateTimeOffset.UtcNow;
        await cloudWatch.PutMetricDataAsync("AWS/RDS",
            [
                new MetricDatum("ReplicaLag", 4, new Dictionary<string, string> { ["DBInstanceIdentifier"] = "orders-replica" }) { Unit = "Seconds", Timestamp = now.AddMinutes(-2) },
                new MetricDatum("ReplicaLag", 7, new Dictionary<string, string> { ["DBInstanceIdentifier"] = "users-replica" }) { Unit = "Seconds", Timestamp = now.AddMinutes(-2) },
                new MetricDatum("AuroraGlobalDBReplicationLag", 1500, new Dictionary<string, string> { ["DBClusterIdentifier"] = "orders-secondary" }) { Unit = "Milliseconds", Timestamp = now.AddMinutes(-2) },
            ], cts.Token);

        var series = await new CloudWatchReplicaLagReader(cloudWatch).ReadManyAsync(
            [
                new(DatabaseKinds.RdsInstanceReplica, "users-replica"),
                new(DatabaseKinds.AuroraGlobal, "orders-secondary"),
                new(DatabaseKinds.RdsInstanceReplica, "nobody"),
                new(DatabaseKinds.RdsInstanceReplica, "orders-replica"),
            ], now.AddMinutes(-20), now, cts.Token);

        Assert.Equal(["ReplicaLag", "AuroraGlobalDBReplicationLag", "ReplicaLag", "ReplicaLag"], series.Select(s => s.Metric));
        Assert.Equal([[7.0], [1.5], [], [4.0]], series.Select(s => s.Datapoints.Select(d => d.Seconds).ToArray()));
    }

    [Fact]
    public async Task SetAlarmStateAsync_WhenAlarmExists_ShouldChangeTheStateDescribeAlarmsReturns()
    {
        using var cts = TestTimeout.Create();
        var cloudWatch = moto.Clients().CloudWatch;
        await cloudWatch.PutMetricAlarmAsync(
            new PutMetricAlarmRequest("orders-switch", "Failover/Test", "Switch", SwitchDimensions, "Maximum", 60, 1, 1, "GreaterThanOrEqualToThreshold") { TreatMissingData = "notBreaching" },
            cts.Token);
        var before = Assert.Single(await cloudWatch.DescribeAlarmsAsync(["orders-switch"], cts.Token));

        await cloudWatch.SetAlarmStateAsync("orders-switch", "ALARM", "drill: rehearsing an outage", cts.Token);
        var after = Assert.Single(await cloudWatch.DescribeAlarmsAsync(["orders-switch"], cts.Token));

        Assert.Equal("orders-switch", before.AlarmName);
        Assert.Equal("arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-switch", before.AlarmArn);
        // A new alarm is INSUFFICIENT_DATA on AWS until its first evaluation; moto 5.2.1 starts every alarm
        // at OK and never evaluates alarms (PutMetricData does not move them).
        Assert.Equal("OK", before.StateValue);
        Assert.Equal("ALARM", after.StateValue);
        Assert.Equal("drill: rehearsing an outage", after.StateReason);
        Assert.NotNull(after.StateUpdatedTimestamp);
    }

    [Fact]
    public async Task DescribeAlarmsAsync_WhenNoNamesGiven_ShouldReturnEveryAlarm()
    {
        using var cts = TestTimeout.Create();
        var cloudWatch = moto.Clients().CloudWatch;
        foreach (var name in new[] { "a-alarm", "b-alarm" })
        {
            await cloudWatch.PutMetricAlarmAsync(new PutMetricAlarmRequest(name, "Failover/Test", "Switch", SwitchDimensions, "Maximum", 60, 1, 1, "GreaterThanOrEqualToThreshold"), cts.Token);
        }

        var all = await cloudWatch.DescribeAlarmsAsync([], cts.Token);
        var missing = await cloudWatch.DescribeAlarmsAsync(["no-such-alarm"], cts.Token);

        Assert.Equal(["a-alarm", "b-alarm"], all.Select(a => a.AlarmName).Order(StringComparer.Ordinal));
        Assert.Empty(missing);
    }

    [Fact]
    public async Task SwitchAsync_WhenMetricAlarmWatchesTheSwitch_ShouldPutTheFailoverValue()
    {
        using var cts = TestTimeout.Create();
        var clients = moto.Clients();
        var cloudWatch = clients.CloudWatch;
        var target = new TrafficSwitchTarget { Kind = SwitchKinds.SwitchMetric, Id = "orders", Namespace = "Failover/Test", MetricName = "Switch", Dimensions = SwitchDimensions, FailoverValue = 1 };
        var now = DateTimeOffset.UtcNow;

        var change = await new RecoveryTrafficSwitch(cloudWatch, clients.Route53).SwitchAsync(target, "drill", cts.Token);

        var series = Assert.Single(await cloudWatch.GetMetricDataAsync(
            [new MetricDataQuery("s", "Failover/Test", "Switch", SwitchDimensions, 60, "Maximum")], now.AddMinutes(-5), now.AddMinutes(5), cts.Token));
        Assert.Equal(1, Assert.Single(series.Values));
        Assert.Null(change);
    }

    [Fact]
    public async Task SwitchMetricsAsync_When1200Switches_ShouldPutEveryFailoverValueThroughTheBatchedCalls()
    {
        using var cts = TestTimeout.Create();
        var clients = moto.Clients();
        var cloudWatch = clients.CloudWatch;
        var targets = Enumerable.Range(1, 1200).Select(i => new TrafficSwitchTarget
        {
            Kind = SwitchKinds.SwitchMetric,
            Id = $"web-{i:0000}",
            Namespace = "Failover/Test",
            MetricName = "Switch",
            Dimensions = new Dictionary<string, string> { ["Switch"] = $"web-{i:0000}" },
            FailoverValue = i,
        }).ToList();
        var now = DateTimeOffset.UtcNow;

        var followed = await new RecoveryTrafficSwitch(cloudWatch, clients.Route53).SwitchMetricsAsync(targets, cts.Token);

        // The first, the last of the first call (1000), the first of the second and the last.
        int[] sampled = [1, 1000, 1001, 1200];
        var series = await cloudWatch.GetMetricDataAsync(
            [.. sampled.Select(i => new MetricDataQuery($"s{i}", "Failover/Test", "Switch", targets[i - 1].Dimensions, 60, "Maximum"))], now.AddMinutes(-5), now.AddMinutes(5), cts.Token);
        Assert.Equal(sampled.Select(i => (double)i), sampled.Select(i => Assert.Single(series.Single(s => s.Id == $"s{i}").Values)));
        Assert.All(followed, Assert.Null);
    }

    [Fact]
    public async Task SetAlarmStateAsync_WhenAlarmMissing_ShouldThrowNotFound()
    {
        using var cts = TestTimeout.Create();
        var cloudWatch = moto.Clients().CloudWatch;

        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() => cloudWatch.SetAlarmStateAsync("no-such-alarm", "ALARM", "x", cts.Token));

        Assert.Equal("ResourceNotFound", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal("cloudwatch", ex.Service);
        Assert.False(string.IsNullOrEmpty(ex.RequestId));
    }
}
