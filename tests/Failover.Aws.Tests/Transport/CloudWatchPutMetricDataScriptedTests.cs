using System.Text.RegularExpressions;
using Failover.Aws.Adapters;
using Failover.Aws.Clients;
using Failover.Aws.Transport;
using Failover.Core.Plans;
using Failover.Core.Ports;

namespace Failover.Aws.Tests.Transport;

/// <summary>How PutMetricData calls are cut: as few as CloudWatch's limits allow (API_PutMetricData.html: at most 1000
/// metrics and 1 MB per call), each call recorded as it went over the wire.</summary>
public sealed partial class CloudWatchPutMetricDataScriptedTests : ScriptedAwsTest
{
    private const string PutMetricDataReply =
        "<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata></PutMetricDataResponse>";

    [Fact]
    public async Task PutMetricDataAsync_When2100Datums_ShouldSendThreeCallsOfAtMost1000()
    {
        // Arrange
        using var cts = TestTimeout.Create();
        Server.Enqueue(Replies(3));
        var data = Enumerable.Range(1, 2100).Select(i => new MetricDatum($"M{i}", i, new Dictionary<string, string> { ["Plan"] = "orders" })).ToList();

        // Act
        await ScriptedAws.Clients(Server, Http).CloudWatch.PutMetricDataAsync("Failover", data, cts.Token);

        // Assert
        Assert.Equal([1000, 1000, 100], Server.Requests.Select(r => MetricNames(r).Count));
        Assert.Equal(data.Select(d => d.MetricName), Server.Requests.SelectMany(MetricNames));
        Assert.All(Server.Requests, r => Assert.Contains("Namespace=Failover", r.BodyText, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PutMetricDataAsync_WhenDatumsWouldPassOneMegabyte_ShouldSplitBySizeKeepingEveryDatumOnce()
    {
        // Arrange: 30 dimensions of 1,024 characters (the API's most) make a datum of about 32 KB.
        using var cts = TestTimeout.Create();
        Server.Enqueue(Replies(10));
        var dimensions = Enumerable.Range(1, 30).ToDictionary(i => $"D{i}", i => new string('v', 1024));
        var data = Enumerable.Range(1, 100).Select(i => new MetricDatum($"M{i}", i, dimensions)).ToList();

        // Act
        await ScriptedAws.Clients(Server, Http).CloudWatch.PutMetricDataAsync("Failover", data, cts.Token);

        // Assert
        Assert.InRange(Server.RequestCount, 4, 5);
        Assert.All(Server.Requests, r => Assert.InRange(r.Body.Length, 1, CloudWatchClient.MaxPutBytes));
        Assert.Equal(data.Select(d => d.MetricName), Server.Requests.SelectMany(MetricNames));
    }

    [Fact]
    public async Task PutMetricDataAsync_WhenNoData_ShouldCallNothing()
    {
        // Arrange
        using var cts = TestTimeout.Create();

        // Act
        await ScriptedAws.Clients(Server, Http).CloudWatch.PutMetricDataAsync("Failover", [], cts.Token);

        // Assert
        Assert.Equal(0, Server.RequestCount);
    }

    [Fact]
    public async Task SwitchMetricsAsync_When100Switches_ShouldPutEveryDatapointInOneCallAndFollowTheGuardedOnes()
    {
        // Arrange
        using var cts = TestTimeout.Create();
        Server.Enqueue(Replies(1));
        var targets = Enumerable.Range(1, 100).Select(i => new TrafficSwitchTarget
        {
            Kind = SwitchKinds.SwitchMetric,
            Id = $"web-{i:000}",
            Namespace = "Failover",
            MetricName = "TrafficSwitch",
            Dimensions = new Dictionary<string, string> { ["Switch"] = $"web-{i:000}" },
            HealthCheckId = i == 7 ? "abcdef01-2345-6789-abcd-ef0123456789" : null,
        }).ToList();
        var clients = ScriptedAws.Clients(Server, Http);

        // Act
        var followed = await new RecoveryTrafficSwitch(clients.CloudWatch, clients.Route53).SwitchMetricsAsync(targets, cts.Token);

        // Assert
        var put = Assert.Single(Server.Requests);
        Assert.Equal(100, MetricNames(put).Count);
        Assert.Contains("MetricData.member.100.Dimensions.member.1.Value=web-100", put.BodyText, StringComparison.Ordinal);
        Assert.Equal(ITrafficSwitch.GuardPrefix + "abcdef01-2345-6789-abcd-ef0123456789", followed[6]);
        Assert.Equal(99, followed.Count(f => f is null));
    }

    private static ScriptedResponse[] Replies(int count) => [.. Enumerable.Repeat(ScriptedResponse.Xml(200, PutMetricDataReply), count)];

    private static List<string> MetricNames(RecordedRequest request) =>
        [.. MetricNamePattern().Matches(request.BodyText).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"MetricData\.member\.\d+\.MetricName=([^&]+)")]
    private static partial Regex MetricNamePattern();
}
