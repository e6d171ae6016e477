using System.Net;
using Failover.Aws.Transport;

namespace Failover.Aws.Tests.Transport;

/// <summary>Error replies of each protocol, as bytes on the wire, to the typed exception the ASL matches.</summary>
public sealed class AwsErrorResponseTests : ScriptedAwsTest
{
    private const string ExecutionArn = "arn:aws:states:us-west-2:123456789012:execution:failover:drill-1";
    private AwsClients Clients() => ScriptedAws.Clients(Server, Http, new AutoAdvancingTimeProvider());

    [Fact]
    public async Task StartExecutionAsync_WhenJsonTypeHasNamespaceAndSuffix_ShouldThrowConflictWithTheBareCode()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.Json(400, """{"__type":"com.amazonaws.swf#ExecutionAlreadyExists:http://x","message":"m"}""", new Dictionary<string, string> { ["x-amzn-RequestId"] = "req-json" }));

        var ex = await Assert.ThrowsAsync<AwsConflictException>(() =>
            Clients().StepFunctions.StartExecutionAsync("arn:aws:states:us-west-2:123456789012:stateMachine:failover", "drill-1", "{}", cts.Token));

        Assert.Equal("ExecutionAlreadyExists", ex.ErrorCode);
        Assert.Equal("m", ex.ServiceMessage);
        Assert.Equal("req-json", ex.RequestId);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal(1, Server.RequestCount);
    }

    [Fact]
    public async Task DescribeExecutionAsync_WhenJsonMessageKeyIsCapitalised_ShouldKeepTheMessage()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.Json(400, """{"__type":"ExecutionDoesNotExist","Message":"Execution Does Not Exist"}"""));

        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() => Clients().StepFunctions.DescribeExecutionAsync(ExecutionArn, cts.Token));

        Assert.Equal("ExecutionDoesNotExist", ex.ErrorCode);
        Assert.Equal("Execution Does Not Exist", ex.ServiceMessage);
    }

    [Fact]
    public async Task InvokeAsync_WhenRestJsonErrorTypeHeader_ShouldThrowNotFoundWithTheHeaderCode()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(new ScriptedResponse(404, """{"Type":"User","message":"Function not found: arn:aws:lambda:us-west-2:123456789012:function:f"}""",
            new Dictionary<string, string>
            {
                ["Content-Type"] = "application/json",
                ["x-amzn-ErrorType"] = "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.lambda/",
                ["x-amzn-RequestId"] = "req-lambda",
            }));

        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() => Clients().Lambda.InvokeAsync("f", "{}", "RequestResponse", cts.Token));

        Assert.Equal("ResourceNotFoundException", ex.ErrorCode);
        Assert.Equal("lambda", ex.Service);
        Assert.Equal("req-lambda", ex.RequestId);
        Assert.StartsWith("Function not found", ex.ServiceMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_WhenHeaderAndBodyDisagree_ShouldPreferTheHeaderCode()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(new ScriptedResponse(400, """{"code":"BodyCode","message":"m"}""",
            new Dictionary<string, string> { ["x-amzn-ErrorType"] = "aws.lambda#InvalidRequestContentException:http://x" }));

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => Clients().Lambda.InvokeAsync("f", "not json", "Event", cts.Token));

        Assert.Equal("InvalidRequestContentException", ex.ErrorCode);
        Assert.Equal(typeof(AwsServiceException), ex.GetType());
    }

    [Fact]
    public async Task ReceiveMessageAsync_WhenSqsSendsTheQueryCompatibleCode_ShouldThrowNotFound()
    {
        // What SQS (AWS JSON 1.0, awsQueryCompatible) sends for a missing queue, byte for byte as moto 5.2.1
        // does: both x-amzn-errortype and x-amzn-query-error. botocore reports the query code.
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.Json(400, """{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}""",
            new Dictionary<string, string>
            {
                ["x-amzn-errortype"] = "com.amazonaws.sqs#QueueDoesNotExist",
                ["x-amzn-query-error"] = "AWS.SimpleQueueService.NonExistentQueue;Sender",
            }));

        var ex = await Assert.ThrowsAnyAsync<AwsServiceException>(() => Clients().Sqs.ReceiveMessageAsync("http://127.0.0.1/123456789012/missing", 1, 0, cts.Token));

        Assert.IsType<AwsNotFoundException>(ex);
        Assert.Equal("AWS.SimpleQueueService.NonExistentQueue", ex.ErrorCode);
    }

    [Fact]
    public async Task DescribeDBInstancesAsync_WhenQueryErrorDocument_ShouldReadCodeMessageAndRequestId()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.QueryError(404, "DBInstanceNotFound", "DBInstance orders not found.", "req-xml"));

        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() => Clients().Rds.DescribeDBInstancesAsync("orders", cts.Token));

        Assert.Equal("DBInstanceNotFound", ex.ErrorCode);
        Assert.Equal("DBInstance orders not found.", ex.ServiceMessage);
        Assert.Equal("req-xml", ex.RequestId);
        Assert.Equal(1, Server.RequestCount);
    }

    [Fact]
    public async Task PromoteReadReplicaAsync_WhenInvalidDBInstanceState_ShouldThrowConflict()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.QueryError(400, "InvalidDBInstanceState", "DB Instance is not a read replica."));

        var ex = await Assert.ThrowsAsync<AwsConflictException>(() => Clients().Rds.PromoteReadReplicaAsync("orders", null, cts.Token));

        Assert.Equal("InvalidDBInstanceState", ex.ErrorCode);
    }

    [Theory]
    [InlineData(403, "SignatureDoesNotMatch")]
    [InlineData(403, "InvalidClientTokenId")]
    [InlineData(400, "ExpiredToken")]
    [InlineData(403, "AccessDenied")]
    public async Task DescribeDBInstancesAsync_WhenCredentialsAreRejected_ShouldThrowAccessDenied(int status, string code)
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.QueryError(status, code));

        var ex = await Assert.ThrowsAsync<AwsAccessDeniedException>(() => Clients().Rds.DescribeDBInstancesAsync("orders", cts.Token));

        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal(1, Server.RequestCount);
    }

    [Fact]
    public async Task DescribeDBInstancesAsync_When500IsAnHtmlPage_ShouldThrowTransientWithTheHttpStatusAsCode()
    {
        // moto answers some unhandled cases (e.g. PromoteReadReplica of a missing id) with an HTML 500 page.
        using var cts = TestTimeout.Create();
        var html = new ScriptedResponse(500, "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>", new Dictionary<string, string> { ["Content-Type"] = "text/html" });
        Server.Enqueue(html, html, html);

        var ex = await Assert.ThrowsAsync<AwsTransientException>(() => Clients().Rds.DescribeDBInstancesAsync("orders", cts.Token));

        Assert.Equal("Http500", ex.ErrorCode);
        Assert.Equal(3, Server.RequestCount);
    }

    [Fact]
    public async Task DescribeDBInstancesAsync_WhenSuccessBodyIsNotXml_ShouldThrowAServiceErrorNotAnXmlException()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(new ScriptedResponse(200, "not xml"));

        var ex = await Record.ExceptionAsync(() => Clients().Rds.DescribeDBInstancesAsync("orders", cts.Token));

        Assert.NotNull(ex);
        Assert.IsAssignableFrom<AwsServiceException>(ex);
    }
}
