using Failover.Aws.Clients;
using Failover.Aws.Transport;

namespace Failover.Aws.Tests.Transport;

/// <summary>Route 53 replies in the shape AWS sends (moto leaves parts out; see Route53ClientWireTests).</summary>
public sealed class Route53ClientScriptedTests : ScriptedAwsTest
{
    // GetHealthCheck for a CLOUDWATCH_METRIC check, as documented in the Route 53 API reference.
    internal const string AwsGetHealthCheckReply = """
        <?xml version="1.0" encoding="UTF-8"?>
        <GetHealthCheckResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
          <HealthCheck>
            <Id>abcdef01-2345-6789-abcd-ef0123456789</Id>
            <CallerReference>switch-orders</CallerReference>
            <HealthCheckConfig>
              <Type>CLOUDWATCH_METRIC</Type>
              <Inverted>true</Inverted>
              <Disabled>false</Disabled>
              <AlarmIdentifier><Region>us-west-2</Region><Name>orders-switch</Name></AlarmIdentifier>
              <InsufficientDataHealthStatus>Unhealthy</InsufficientDataHealthStatus>
            </HealthCheckConfig>
            <HealthCheckVersion>4</HealthCheckVersion>
            <CloudWatchAlarmConfiguration>
              <EvaluationPeriods>1</EvaluationPeriods><Threshold>1.0</Threshold><ComparisonOperator>GreaterThanOrEqualToThreshold</ComparisonOperator>
              <Period>60</Period><MetricName>Switch</MetricName><Namespace>Failover</Namespace><Statistic>Maximum</Statistic>
            </CloudWatchAlarmConfiguration>
          </HealthCheck>
        </GetHealthCheckResponse>
        """;

    [Fact]
    public async Task GetHealthCheckAsync_WhenAwsReturnsAnAlarmHealthCheck_ShouldReadItsAlarmFlagsAndVersion()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.Xml(200, AwsGetHealthCheckReply));

        var check = await ScriptedAws.Clients(Server, Http).Route53.GetHealthCheckAsync("abcdef01-2345-6789-abcd-ef0123456789", cts.Token);

        Assert.Equal(new HealthCheck("abcdef01-2345-6789-abcd-ef0123456789", "CLOUDWATCH_METRIC", Inverted: true, Disabled: false, 4, "orders-switch", "us-west-2", "Unhealthy"), check);
    }

    [Fact]
    public async Task UpdateHealthCheckAsync_WhenItSetsInsufficientDataHealthStatus_ShouldSendItLastInModelOrder()
    {
        // Arrange
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.Xml(200, AwsGetHealthCheckReply.Replace("GetHealthCheckResponse", "UpdateHealthCheckResponse", StringComparison.Ordinal)));

        // Act
        await ScriptedAws.Clients(Server, Http).Route53.UpdateHealthCheckAsync(
            new UpdateHealthCheckRequest("hc-9") { Disabled = false, InsufficientDataHealthStatus = "LastKnownStatus" }, cts.Token);

        // Assert
        var request = Assert.Single(Server.Requests);
        Assert.EndsWith("<UpdateHealthCheckRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Disabled>false</Disabled><InsufficientDataHealthStatus>LastKnownStatus</InsufficientDataHealthStatus></UpdateHealthCheckRequest>", request.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAlarmHealthCheckAsync_WhenSent_ShouldPostTheConfigInModelOrder()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.Xml(201, """<?xml version="1.0"?><CreateHealthCheckResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HealthCheck><Id>hc-9</Id></HealthCheck></CreateHealthCheckResponse>"""));

        var id = await ScriptedAws.Clients(Server, Http).Route53.CreateAlarmHealthCheckAsync("ref-1", "us-west-2", "orders-switch", "Unhealthy", cts.Token);

        var request = Assert.Single(Server.Requests);
        Assert.Equal("hc-9", id);
        Assert.Equal("/2013-04-01/healthcheck", request.Target);
        Assert.EndsWith("<CreateHealthCheckRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><CallerReference>ref-1</CallerReference><HealthCheckConfig><Type>CLOUDWATCH_METRIC</Type><AlarmIdentifier><Region>us-west-2</Region><Name>orders-switch</Name></AlarmIdentifier><InsufficientDataHealthStatus>Unhealthy</InsufficientDataHealthStatus></HealthCheckConfig></CreateHealthCheckRequest>", request.BodyText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "Failure: alarm", "Failure: alarm", "Failure: alarm" }, true)]
    [InlineData(new[] { "Success: alarm OK", "Failure: alarm", "Failure: alarm", "Failure: alarm", "Failure: alarm", "Failure: alarm" }, true)]
    [InlineData(new[] { "Success: alarm OK", "Failure: alarm", "Failure: alarm" }, false)]
    [InlineData(new string[0], false)]
    public void IsUnhealthy_WhenCheckersReport_ShouldFollowRoute53sEighteenPercentRule(string[] statuses, bool unhealthy)
    {
        var observations = statuses.Select(s => new HealthCheckObservation("us-east-1", "15.177.0.1", new StatusReport(s, DateTimeOffset.UnixEpoch))).ToList();

        Assert.Equal(unhealthy, Failover.Aws.Adapters.RecoveryTrafficSwitch.IsUnhealthy(observations));
    }


    [Theory]
    [InlineData("Healthy", true)]
    [InlineData("Unhealthy", true)]
    [InlineData("LastKnownStatus", false)]
    public async Task VerifyAsync_WhenTheGuardHealthCheckFallsBackOnMissingData_ShouldFlagWiringThatWouldRevert(string insufficientDataHealthStatus, bool flagged)
    {
        // Arrange: the check follows the switch alarm's data stream; the one switch datapoint ages out of its range.
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.Xml(200, AwsGetHealthCheckReply.Replace("<InsufficientDataHealthStatus>Unhealthy</InsufficientDataHealthStatus>",
            $"<InsufficientDataHealthStatus>{insufficientDataHealthStatus}</InsufficientDataHealthStatus>", StringComparison.Ordinal)));
        var clients = ScriptedAws.Clients(Server, Http);
        var target = new Failover.Core.Plans.TrafficSwitchTarget { Kind = "switch-metric", Id = "orders-web", HealthCheckId = "abcdef01-2345-6789-abcd-ef0123456789" };

        // Act
        var problems = await new Failover.Aws.Adapters.SwitchVerifier(clients.CloudWatch, clients.Route53).VerifyAsync(target, cts.Token);

        // Assert
        Assert.Equal(flagged, problems.Any(p => p.Contains("InsufficientDataHealthStatus", StringComparison.Ordinal) && p.Contains("set it to LastKnownStatus", StringComparison.Ordinal)));
    }

}
