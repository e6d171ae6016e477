using Amazon.Runtime;
using Failover.Aws.Clients;
using Failover.Aws.Tests.Signing;
using Failover.Aws.Transport;

namespace Failover.Aws.Tests.Transport;

/// <summary>What the transport puts on the wire is exactly what it signed: each request recorded by the
/// scripted server is re-signed from its raw bytes with the reference signer.</summary>
public sealed class WireSigningTests : ScriptedAwsTest
{
    private AwsClients Clients(Func<AwsOptions, AwsOptions>? configure = null) => ScriptedAws.Clients(Server, Http, TimeProvider.System, configure);

    private static void AssertSignatureMatchesTheWire(RecordedRequest request, string secretKey = ScriptedAws.SecretKey)
    {
        var (expected, sent) = SigV4Reference.Verify(request, secretKey);
        Assert.Equal(expected, sent.Signature);
        Assert.Equal(SigV4Reference.Sha256Hex(request.Body), request.Header("X-Amz-Content-SHA256"));
    }

    [Fact]
    public async Task DescribeDBInstancesAsync_WhenSent_ShouldSendTheSignedContentTypeVerbatim()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedAws.DescribeDBInstances("", "orders"));

        await Clients().Rds.DescribeDBInstancesAsync("orders", cts.Token);

        var request = Assert.Single(Server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/", request.Target);
        Assert.Equal("application/x-www-form-urlencoded; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal("Action=DescribeDBInstances&Version=2014-10-31&DBInstanceIdentifier=orders", request.BodyText);
        var authorization = request.Header("Authorization")!;
        Assert.Contains("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,", authorization, StringComparison.Ordinal);
        var parsed = SigV4Authorization.Parse(authorization);
        Assert.Equal((ScriptedAws.AccessKey, "us-west-2", "rds"), (parsed.AccessKeyId, parsed.Region, parsed.Service));
        Assert.Equal(parsed.Date, request.Header("X-Amz-Date")![..8]);
        AssertSignatureMatchesTheWire(request);
    }

    [Fact]
    public async Task PublishAsync_WhenValuesNeedEncoding_ShouldSignTheEncodedBody()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.Xml(200, "<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>"));

        var id = await Clients().Sns.PublishAsync("arn:aws:sns:us-west-2:123456789012:t", "Ünïcode & spaces", "a+b=c/d ~!*'()",
            new Dictionary<string, string> { ["plan"] = "orders" }, cts.Token);

        var request = Assert.Single(Server.Requests);
        Assert.Equal("m-1", id);
        Assert.Contains("&Subject=%C3%9Cn%C3%AFcode%20%26%20spaces&Message=a%2Bb%3Dc%2Fd%20~%21%2A%27%28%29&", request.BodyText, StringComparison.Ordinal);
        Assert.Contains("MessageAttributes.entry.1.Name=plan&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=orders", request.BodyText, StringComparison.Ordinal);
        AssertSignatureMatchesTheWire(request);
    }

    [Fact]
    public async Task StartExecutionAsync_WhenSent_ShouldSignTheTargetHeaderAndJsonContentType()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.Json(200, """{"executionArn":"arn:aws:states:us-west-2:123456789012:execution:failover:drill-1","startDate":1785585600.5}"""));

        var started = await Clients().StepFunctions.StartExecutionAsync("arn:aws:states:us-west-2:123456789012:stateMachine:failover", "drill-1", """{"mode":"drill"}""", cts.Token);

        var request = Assert.Single(Server.Requests);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1785585600500), started.StartDate);
        Assert.Equal("application/x-amz-json-1.0", request.Header("Content-Type"));
        Assert.Equal("AWSStepFunctions.StartExecution", request.Header("X-Amz-Target"));
        var parsed = SigV4Authorization.Parse(request.Header("Authorization")!);
        Assert.Equal("states", parsed.Service);
        Assert.Equal(["content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-target"], parsed.SignedHeaders);
        AssertSignatureMatchesTheWire(request);
    }

    [Fact]
    public async Task GetHealthCheckAsync_WhenRegionIsNotUsEast1_ShouldStillSignForUsEast1()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.Xml(200, Route53ClientScriptedTests.AwsGetHealthCheckReply));

        await Clients(o => o with { Region = "eu-west-1" }).Route53.GetHealthCheckAsync("abcdef01-2345-6789-abcd-ef0123456789", cts.Token);

        var request = Assert.Single(Server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/2013-04-01/healthcheck/abcdef01-2345-6789-abcd-ef0123456789", request.Target);
        Assert.Null(request.Header("Content-Type"));
        var parsed = SigV4Authorization.Parse(request.Header("Authorization")!);
        Assert.Equal(("us-east-1", "route53"), (parsed.Region, parsed.Service));
        AssertSignatureMatchesTheWire(request);
    }

    [Fact]
    public async Task UpsertFailoverRecordsAsync_WhenSent_ShouldPostSignedXmlToTheBareZoneId()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.Xml(200, """<?xml version="1.0"?><ChangeResourceRecordSetsResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeInfo><Id>/change/C2682N5HXP0BZ4</Id><Status>PENDING</Status><SubmittedAt>2026-08-01T12:00:00.000Z</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>"""));

        var change = await Clients().Route53.UpsertFailoverRecordsAsync("/hostedzone/Z1D633PJN98FT9", "switch",
            [new FailoverRecord("app.example.com.", "CNAME", "primary", "PRIMARY", 60, "app.us-east-1.example.com", "hc-1")], cts.Token);

        var request = Assert.Single(Server.Requests);
        Assert.Equal(new ChangeInfo("C2682N5HXP0BZ4", "PENDING"), change);
        Assert.Equal("/2013-04-01/hostedzone/Z1D633PJN98FT9/rrset/", request.Target);
        Assert.Equal("application/xml", request.Header("Content-Type"));
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ChangeResourceRecordSetsRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><ChangeBatch><Comment>switch</Comment><Changes><Change><Action>UPSERT</Action><ResourceRecordSet><Name>app.example.com.</Name><Type>CNAME</Type><SetIdentifier>primary</SetIdentifier><Failover>PRIMARY</Failover><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>app.us-east-1.example.com</Value></ResourceRecord></ResourceRecords><HealthCheckId>hc-1</HealthCheckId></ResourceRecordSet>", request.BodyText, StringComparison.Ordinal);
        AssertSignatureMatchesTheWire(request);
    }

    [Fact]
    public async Task InvokeAsync_WhenFunctionNameIsAnArn_ShouldSignThePathAsTheSpecSays()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(new ScriptedResponse(200, """{"ok":true}""", new Dictionary<string, string> { ["X-Amz-Function-Error"] = "Unhandled" }));

        var result = await Clients().Lambda.InvokeAsync("arn:aws:lambda:us-west-2:123456789012:function:failover-prepare", "{}", "RequestResponse", cts.Token);

        var request = Assert.Single(Server.Requests);
        Assert.Equal("/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-west-2%3A123456789012%3Afunction%3Afailover-prepare/invocations", request.Target);
        Assert.Equal("RequestResponse", request.Header("X-Amz-Invocation-Type"));
        Assert.Equal(("Unhandled", """{"ok":true}"""), (result.FunctionError, result.Payload));
        AssertSignatureMatchesTheWire(request);
    }

    [Fact]
    public async Task DescribeDBInstancesAsync_WhenCredentialsHaveASessionToken_ShouldSendAndSignTheToken()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedAws.DescribeDBInstances("", "orders"));

        await Clients(o => o with { Credentials = new SessionAWSCredentials("ASIATEMP", "temp/secret", "token+with/slashes==") }).Rds.DescribeDBInstancesAsync("orders", cts.Token);

        var request = Assert.Single(Server.Requests);
        Assert.Equal("token+with/slashes==", request.Header("X-Amz-Security-Token"));
        Assert.Contains("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token,", request.Header("Authorization"), StringComparison.Ordinal);
        AssertSignatureMatchesTheWire(request, "temp/secret");
    }

    [Fact]
    public async Task DescribeDBInstancesAsync_WhenServiceEndpointIsSet_ShouldUseItInsteadOfTheGlobalEndpoint()
    {
        using var cts = TestTimeout.Create();
        await using var other = new ScriptedHttpServer(ScriptedAws.DescribeDBInstances("", "orders"));

        await Clients(o => o with { ServiceEndpoints = new Dictionary<string, Uri> { ["RDS"] = other.Endpoint } }).Rds.DescribeDBInstancesAsync("orders", cts.Token);

        Assert.Equal(0, Server.RequestCount);
        Assert.Equal(1, other.RequestCount);
    }
}
