using System.Text.Json.Nodes;
using Failover.Aws.Tests.Transport;
using Failover.Aws.Transport;

namespace Failover.Aws.Tests.Wire;

/// <summary>The Step Functions calls moto checks only loosely (it drops SendTaskFailure's cause): our request compared with boto3's.</summary>
public sealed class StepFunctionsClientBoto3Tests : ScriptedAwsTest
{
    private const string ExecutionArn = "arn:aws:states:us-west-2:123456789012:execution:failover:drill-1";
    private async Task<(RecordedRequest Ours, RecordedRequest Boto3, Boto3Reply Reply)> BothAsync(
        ScriptedResponse reply, Func<Failover.Aws.Clients.StepFunctionsClient, CancellationToken, Task> call, string operation, string boto3Parameters, CancellationToken cancellationToken)
    {
        Server.Enqueue(reply, reply);
        await call(ScriptedAws.Clients(Server, Http).StepFunctions, cancellationToken);
        var boto3 = await Boto3.CallAsync(Server.Endpoint, "stepfunctions", operation, JsonNode.Parse(boto3Parameters)!.AsObject(), cancellationToken);
        var requests = Server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal($"AWSStepFunctions.{operation}", requests[0].Header("X-Amz-Target"));
        Assert.Equal(requests[1].Header("X-Amz-Target"), requests[0].Header("X-Amz-Target"));
        return (requests[0], requests[1], boto3);
    }

    [Fact]
    public async Task SendTaskFailureAsync_WhenErrorAndCauseGiven_ShouldSendWhatBoto3Sends()
    {
        using var cts = TestTimeout.Create();

        var (ours, boto3, reply) = await BothAsync(ScriptedResponse.Json(200, "{}"),
            (sfn, ct) => sfn.SendTaskFailureAsync("token/with+chars==", "Approval.Rejected", "ops said no", ct),
            "SendTaskFailure", """{"taskToken":"token/with+chars==","error":"Approval.Rejected","cause":"ops said no"}""", cts.Token);

        WireComparison.AssertSameRequest(ours, boto3);
        Assert.Empty(reply.RequiredResult);
    }

    [Fact]
    public async Task SendTaskSuccessAsync_WhenSent_ShouldSendWhatBoto3Sends()
    {
        using var cts = TestTimeout.Create();

        var (ours, boto3, _) = await BothAsync(ScriptedResponse.Json(200, "{}"),
            (sfn, ct) => sfn.SendTaskSuccessAsync("token-1", """{"approved":true}""", ct),
            "SendTaskSuccess", """{"taskToken":"token-1","output":"{\"approved\":true}"}""", cts.Token);

        WireComparison.AssertSameRequest(ours, boto3);
    }

    [Fact]
    public async Task StopExecutionAsync_WhenErrorAndCauseGiven_ShouldSendWhatBoto3SendsAndReadTheStopDate()
    {
        using var cts = TestTimeout.Create();
        var stopped = default(Failover.Aws.Clients.StopExecutionResult);

        var (ours, boto3, reply) = await BothAsync(ScriptedResponse.Json(200, """{"stopDate":1785585600.25}"""),
            async (sfn, ct) => stopped = await sfn.StopExecutionAsync(ExecutionArn, "Operator.Cancelled", "drill cancelled", ct),
            "StopExecution", $$"""{"executionArn":"{{ExecutionArn}}","error":"Operator.Cancelled","cause":"drill cancelled"}""", cts.Token);

        WireComparison.AssertSameRequest(ours, boto3);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1785585600250), stopped!.StopDate);
        Assert.Equal(stopped.StopDate, DateTimeOffset.Parse(reply.RequiredResult["stopDate"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task SendTaskSuccessAsync_WhenTaskTimedOut_ShouldThrowTheCodeBoto3Reads()
    {
        using var cts = TestTimeout.Create();
        var error = ScriptedResponse.Json(400, """{"__type":"com.amazonaws.swf.service.v2.model#TaskTimedOut","message":"Task Timed Out: 'token-1'"}""");
        Server.Enqueue(error, error);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => ScriptedAws.Clients(Server, Http).StepFunctions.SendTaskSuccessAsync("token-1", "{}", cts.Token));
        var boto3 = await Boto3.CallAsync(Server.Endpoint, "stepfunctions", "SendTaskSuccess", JsonNode.Parse("""{"taskToken":"token-1","output":"{}"}""")!.AsObject(), cts.Token);

        Assert.Equal((boto3.ErrorCode, boto3.ErrorMessage), (ex.ErrorCode, ex.ServiceMessage));
        Assert.Equal("TaskTimedOut", ex.ErrorCode);
    }
}
