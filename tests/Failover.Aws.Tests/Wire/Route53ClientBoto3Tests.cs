using System.Text.Json.Nodes;
using Failover.Aws.Clients;
using Failover.Aws.Tests.Transport;
using Failover.Aws.Transport;

namespace Failover.Aws.Tests.Wire;

/// <summary>
/// Route 53 requests whose exact form moto does not check (element order, every record member, the identifier
/// page key) compared with boto3's, and AWS-shaped replies parsed by both.
/// </summary>
public sealed class Route53ClientBoto3Tests : Boto3ComparisonTests
{
    private const string Ns = "https://route53.amazonaws.com/doc/2013-04-01/";

    private Route53Client Route53() => ScriptedAws.Clients(Server, Http, new AutoAdvancingTimeProvider()).Route53;

    private Task<(RecordedRequest Ours, RecordedRequest Boto3, T Parsed, Boto3Reply Reply)> BothAsync<T>(
        ScriptedResponse reply, Func<Route53Client, CancellationToken, Task<T>> call, string operation, JsonObject boto3Parameters, CancellationToken cancellationToken) =>
        CompareAsync(reply, ct => call(Route53(), ct), "route53", operation, boto3Parameters, cancellationToken);

    private static void AssertRoute53Differences(RecordedRequest ours, RecordedRequest boto3)
    {
        // Known, harmless differences: boto3 sends rest-xml bodies without a Content-Type and without an XML
        // declaration (we send application/xml, as the AWS SDK for .NET does); with a custom endpoint_url it signs
        // for the client's region, where the Route 53 endpoint rules (and we) sign for us-east-1.
        WireComparison.AssertSameRequest(ours, boto3, compareContentType: false);
        Assert.Null(boto3.Header("Content-Type"));
        Assert.Equal(ours.Body.Length == 0 ? null : "application/xml", ours.Header("Content-Type"));
        Assert.Contains("/us-east-1/route53/aws4_request", ours.Header("Authorization"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateHealthCheckAsync_WhenVersionInvertedAndDisabled_ShouldSendTheModelOrderBoto3Sends()
    {
        using var cts = TestTimeout.Create();
        var reply = ScriptedResponse.Xml(200, Route53ClientScriptedTests.AwsGetHealthCheckReply.Replace("GetHealthCheckResponse", "UpdateHealthCheckResponse", StringComparison.Ordinal)
            .Replace("<Disabled>false</Disabled>", "<Disabled>true</Disabled>", StringComparison.Ordinal));

        var (ours, boto3, check, parsed) = await BothAsync(reply,
            (r53, ct) => r53.UpdateHealthCheckAsync(new UpdateHealthCheckRequest("abcdef01-2345-6789-abcd-ef0123456789") { HealthCheckVersion = 3, Inverted = true, Disabled = true }, ct),
            "UpdateHealthCheck", Json("""{"HealthCheckId":"abcdef01-2345-6789-abcd-ef0123456789","HealthCheckVersion":3,"Inverted":true,"Disabled":true}"""), cts.Token);

        AssertRoute53Differences(ours, boto3);
        Assert.Equal(("POST", "/2013-04-01/healthcheck/abcdef01-2345-6789-abcd-ef0123456789"), (ours.Method, ours.Target));
        Assert.EndsWith($"<UpdateHealthCheckRequest xmlns=\"{Ns}\"><HealthCheckVersion>3</HealthCheckVersion><Inverted>true</Inverted><Disabled>true</Disabled></UpdateHealthCheckRequest>", ours.BodyText, StringComparison.Ordinal);
        var expected = parsed.RequiredResult["HealthCheck"]!;
        Assert.Equal(
            (expected["Id"]!.GetValue<string>(), expected["HealthCheckConfig"]!["Type"]!.GetValue<string>(), expected["HealthCheckConfig"]!["Inverted"]!.GetValue<bool>(),
                expected["HealthCheckConfig"]!["Disabled"]!.GetValue<bool>(), expected["HealthCheckVersion"]!.GetValue<long>(), expected["HealthCheckConfig"]!["AlarmIdentifier"]!["Name"]!.GetValue<string>()),
            (check.Id, check.Type, check.Inverted, check.Disabled, check.HealthCheckVersion, check.AlarmName!));
    }

    [Fact]
    public async Task UpdateHealthCheckAsync_WhenVersionMismatch_ShouldThrowConflict()
    {
        using var cts = TestTimeout.Create();
        var error = ScriptedResponse.Xml(409, $"<?xml version=\"1.0\"?><ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>HealthCheckVersionMismatch</Code><Message>version 3 is stale</Message></Error><RequestId>req-r53</RequestId></ErrorResponse>");
        Server.Enqueue(error, error);

        var ex = await Assert.ThrowsAsync<AwsConflictException>(() => Route53().UpdateHealthCheckAsync(new UpdateHealthCheckRequest("hc-1") { HealthCheckVersion = 3, Disabled = true }, cts.Token));
        var boto3 = await Boto3.CallAsync(Server.Endpoint, "route53", "UpdateHealthCheck", Json("""{"HealthCheckId":"hc-1","HealthCheckVersion":3,"Disabled":true}"""), cts.Token);

        Assert.Equal((boto3.ErrorCode, boto3.ErrorMessage, 409), (ex.ErrorCode, ex.ServiceMessage, (int)ex.StatusCode!));
        Assert.Equal("req-r53", ex.RequestId);
    }

    [Fact]
    public async Task UpdateHealthCheckAsync_WhenVersionSentAndServiceFails_ShouldNotRetry()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.QueryError(503, "ServiceUnavailable"), ScriptedResponse.QueryError(503, "ServiceUnavailable"));

        await Assert.ThrowsAsync<AwsTransientException>(() => Route53().UpdateHealthCheckAsync(new UpdateHealthCheckRequest("hc-1") { HealthCheckVersion = 3, Disabled = true }, cts.Token));

        Assert.Equal(1, Server.RequestCount);
    }

    [Fact]
    public async Task ChangeResourceRecordSetsAsync_WhenEveryMemberIsSet_ShouldSendTheElementOrderBoto3Sends()
    {
        using var cts = TestTimeout.Create();
        var reply = ScriptedResponse.Xml(200, $"<?xml version=\"1.0\"?><ChangeResourceRecordSetsResponse xmlns=\"{Ns}\"><ChangeInfo><Id>/change/C2682N5HXP0BZ4</Id><Status>PENDING</Status><SubmittedAt>2026-08-01T12:00:01.123Z</SubmittedAt><Comment>switch</Comment></ChangeInfo></ChangeResourceRecordSetsResponse>");
        var batch = new ChangeBatch(
        [
            new Change("UPSERT", new ResourceRecordSet("app.example.com.", "A")
            {
                SetIdentifier = "use1", Weight = 0, Region = "us-east-1",
                AliasTarget = new AliasTarget("Z35SXDOTRQ7X7K", "lb-1.us-east-1.elb.amazonaws.com.", EvaluateTargetHealth: true), HealthCheckId = "hc-1",
            }),
            new Change("DELETE", new ResourceRecordSet("db.example.com.", "CNAME") { SetIdentifier = "secondary", Failover = "SECONDARY", TTL = 60, ResourceRecords = [new("db.us-west-2.example.com")] }),
            new Change("CREATE", new ResourceRecordSet("www.example.com.", "A") { MultiValueAnswer = true, SetIdentifier = "mv-1", TTL = 300, ResourceRecords = [new("192.0.2.1"), new("192.0.2.2")], HealthCheckId = "hc-2" }),
        ]) { Comment = "switch" };

        var (ours, boto3, change, parsed) = await BothAsync(reply, (r53, ct) => r53.ChangeResourceRecordSetsAsync("/hostedzone/Z1D633PJN98FT9", batch, ct), "ChangeResourceRecordSets", Json("""
            {"HostedZoneId":"/hostedzone/Z1D633PJN98FT9","ChangeBatch":{"Comment":"switch","Changes":[
              {"Action":"UPSERT","ResourceRecordSet":{"Name":"app.example.com.","Type":"A","SetIdentifier":"use1","Weight":0,"Region":"us-east-1",
                "AliasTarget":{"HostedZoneId":"Z35SXDOTRQ7X7K","DNSName":"lb-1.us-east-1.elb.amazonaws.com.","EvaluateTargetHealth":true},"HealthCheckId":"hc-1"}},
              {"Action":"DELETE","ResourceRecordSet":{"Name":"db.example.com.","Type":"CNAME","SetIdentifier":"secondary","Failover":"SECONDARY","TTL":60,"ResourceRecords":[{"Value":"db.us-west-2.example.com"}]}},
              {"Action":"CREATE","ResourceRecordSet":{"Name":"www.example.com.","Type":"A","SetIdentifier":"mv-1","MultiValueAnswer":true,"TTL":300,"ResourceRecords":[{"Value":"192.0.2.1"},{"Value":"192.0.2.2"}],"HealthCheckId":"hc-2"}}]}}
            """), cts.Token);

        AssertRoute53Differences(ours, boto3);
        Assert.Equal("/2013-04-01/hostedzone/Z1D633PJN98FT9/rrset/", ours.Target);
        var info = parsed.RequiredResult["ChangeInfo"]!;
        Assert.Equal(new ChangeInfo(Route53Client.BareId(info["Id"]!.GetValue<string>()), info["Status"]!.GetValue<string>()), change);
    }

    [Fact]
    public async Task ChangeResourceRecordSetsAsync_WhenBatchCreatesAndServiceFails_ShouldNotRetry()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.QueryError(503, "ServiceUnavailable"), ScriptedResponse.QueryError(503, "ServiceUnavailable"));
        var batch = new ChangeBatch([new Change("CREATE", new ResourceRecordSet("a.example.com.", "A") { TTL = 60, ResourceRecords = [new("192.0.2.1")] })]);

        await Assert.ThrowsAsync<AwsTransientException>(() => Route53().ChangeResourceRecordSetsAsync("Z1", batch, cts.Token));

        Assert.Equal(1, Server.RequestCount);
    }

    [Fact]
    public async Task ListResourceRecordSetsAsync_WhenTruncatedWithAnIdentifier_ShouldAskForTheRestWithTheNextKeysAsBoto3Does()
    {
        using var cts = TestTimeout.Create();
        var first = ScriptedResponse.Xml(200, $"""
            <?xml version="1.0"?>
            <ListResourceRecordSetsResponse xmlns="{Ns}">
              <ResourceRecordSets>
                <ResourceRecordSet><Name>app.example.com.</Name><Type>A</Type><SetIdentifier>blue</SetIdentifier><Weight>90</Weight><TTL>60</TTL>
                  <ResourceRecords><ResourceRecord><Value>192.0.2.1</Value></ResourceRecord></ResourceRecords><HealthCheckId>hc-1</HealthCheckId></ResourceRecordSet>
                <ResourceRecordSet><Name>lb.example.com.</Name><Type>A</Type><Failover>PRIMARY</Failover><SetIdentifier>primary</SetIdentifier>
                  <AliasTarget><HostedZoneId>Z35SXDOTRQ7X7K</HostedZoneId><DNSName>lb-1.us-east-1.elb.amazonaws.com.</DNSName><EvaluateTargetHealth>true</EvaluateTargetHealth></AliasTarget></ResourceRecordSet>
              </ResourceRecordSets>
              <IsTruncated>true</IsTruncated><NextRecordName>app.example.com.</NextRecordName><NextRecordType>A</NextRecordType><NextRecordIdentifier>green</NextRecordIdentifier><MaxItems>2</MaxItems>
            </ListResourceRecordSetsResponse>
            """);
        var last = ScriptedResponse.Xml(200, $"<?xml version=\"1.0\"?><ListResourceRecordSetsResponse xmlns=\"{Ns}\"><ResourceRecordSets/><IsTruncated>false</IsTruncated><MaxItems>2</MaxItems></ListResourceRecordSetsResponse>");
        Server.Enqueue(first, last);

        var sets = await Route53().ListResourceRecordSetsAsync("/hostedzone/Z1", "app.example.com.", "A", 3, cts.Token);
        Server.Enqueue(first);
        var boto3 = await Boto3.CallAsync(Server.Endpoint, "route53", "ListResourceRecordSets", Json("""{"HostedZoneId":"/hostedzone/Z1","StartRecordName":"app.example.com.","StartRecordType":"A","MaxItems":"3"}"""), cts.Token);
        Server.Enqueue(last);
        await Boto3.CallAsync(Server.Endpoint, "route53", "ListResourceRecordSets",
            Json("""{"HostedZoneId":"/hostedzone/Z1","StartRecordName":"app.example.com.","StartRecordType":"A","StartRecordIdentifier":"green","MaxItems":"1"}"""), cts.Token);

        var requests = Server.Requests;
        AssertRoute53Differences(requests[0], requests[2]);
        AssertRoute53Differences(requests[1], requests[3]);
        Assert.Equal("/2013-04-01/hostedzone/Z1/rrset?name=app.example.com.&type=A&identifier=green&maxitems=1", requests[1].Target);
        var expected = boto3.RequiredResult["ResourceRecordSets"]!.AsArray();
        Assert.Equal(2, sets.Count);
        Assert.Equal(
            (expected[0]!["Name"]!.GetValue<string>(), expected[0]!["SetIdentifier"]!.GetValue<string>(), expected[0]!["Weight"]!.GetValue<long>(), expected[0]!["TTL"]!.GetValue<long>(),
                expected[0]!["ResourceRecords"]![0]!["Value"]!.GetValue<string>(), expected[0]!["HealthCheckId"]!.GetValue<string>()),
            (sets[0].Name, sets[0].SetIdentifier!, sets[0].Weight!.Value, sets[0].TTL!.Value, sets[0].ResourceRecords[0].Value, sets[0].HealthCheckId!));
        var alias = expected[1]!["AliasTarget"]!;
        Assert.Equal(new AliasTarget(alias["HostedZoneId"]!.GetValue<string>(), alias["DNSName"]!.GetValue<string>(), alias["EvaluateTargetHealth"]!.GetValue<bool>()), sets[1].AliasTarget);
        Assert.Equal((expected[1]!["Failover"]!.GetValue<string>(), (long?)null), (sets[1].Failover!, sets[1].TTL));
    }

    [Fact]
    public async Task GetHealthCheckStatusAsync_WhenAwsReportsSeveralCheckers_ShouldParseWhatBoto3Parses()
    {
        using var cts = TestTimeout.Create();
        var reply = ScriptedResponse.Xml(200, $"""
            <?xml version="1.0"?>
            <GetHealthCheckStatusResponse xmlns="{Ns}"><HealthCheckObservations>
              <HealthCheckObservation><Region>us-east-1</Region><IPAddress>15.177.2.1</IPAddress><StatusReport><Status>Success: HTTP Status Code 200, OK</Status><CheckedTime>2026-08-01T12:00:01.123Z</CheckedTime></StatusReport></HealthCheckObservation>
              <HealthCheckObservation><Region>eu-west-1</Region><IPAddress>15.177.62.1</IPAddress><StatusReport><Status>Failure: Connection timed out.</Status><CheckedTime>2026-08-01T12:00:02Z</CheckedTime></StatusReport></HealthCheckObservation>
            </HealthCheckObservations></GetHealthCheckStatusResponse>
            """);

        var (ours, boto3, observations, parsed) = await BothAsync(reply, (r53, ct) => r53.GetHealthCheckStatusAsync("hc-1", ct), "GetHealthCheckStatus", Json("""{"HealthCheckId":"hc-1"}"""), cts.Token);

        AssertRoute53Differences(ours, boto3);
        Assert.Equal("/2013-04-01/healthcheck/hc-1/status", ours.Target);
        var expected = parsed.RequiredResult["HealthCheckObservations"]!.AsArray();
        Assert.Equal(expected.Count, observations.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i]!["Region"]!.GetValue<string>(), observations[i].Region);
            Assert.Equal(expected[i]!["IPAddress"]!.GetValue<string>(), observations[i].IPAddress);
            Assert.Equal(expected[i]!["StatusReport"]!["Status"]!.GetValue<string>(), observations[i].StatusReport!.Status);
            Assert.Equal(DateTimeOffset.Parse(expected[i]!["StatusReport"]!["CheckedTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), observations[i].StatusReport!.CheckedTime);
        }
    }
}
