using System.Net;
using System.Text;
using System.Text.Json;
using Failover.Local;
using Failover.Local.Models;
using Failover.Testing;
using Failover.Local.Tests.Drs;

namespace Failover.Local.Tests;

/// <summary>The gateway over HTTP, without moto: Lambda Invoke in-process, faults, and the region outage.</summary>
public sealed class GatewayTests : IAsyncLifetime
{
    private const string DarkRegion = "us-east-1";
    private static readonly HttpClient Http = new();
    private readonly ManualClock _clock = new();
    private Gateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await Gateway.StartAsync(_clock, CancellationToken.None);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Invoke_WhenFunctionReturns_ShouldAnswerItsPayload()
    {
        _gateway.AddFunction("echo", (input, _) => Task.FromResult(input));

        using var response = await InvokeAsync("arn:aws:lambda:us-west-2:123456789012:function:echo", "{\"a\":1}", "RequestResponse");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Amz-Function-Error"));
        Assert.Equal("{\"a\":1}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invoke_WhenFunctionThrows_ShouldAnswerAnUnhandledErrorNamedByTheExceptionType()
    {
        _gateway.AddFunction("boom", (_, _) => throw new InvalidDataException("bad input"));

        using var response = await InvokeAsync("boom", "{}", "RequestResponse");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Unhandled", response.Headers.GetValues("X-Amz-Function-Error").Single());
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("InvalidDataException", error.RootElement.GetProperty("errorType").GetString());
        Assert.Equal("bad input", error.RootElement.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task Invoke_WhenEventInvocation_ShouldAcceptAt202AndRunTheFunction()
    {
        var ran = new TaskCompletionSource<string>();
        _gateway.AddFunction("async", async (input, ct) =>
        {
            using var reader = new StreamReader(input);
            ran.SetResult(await reader.ReadToEndAsync(ct));
            return new MemoryStream();
        });

        using var response = await InvokeAsync("async", "{\"event\":true}", "Event");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("{\"event\":true}", await ran.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Invoke_WhenFunctionIsUnknown_ShouldAnswerResourceNotFound()
    {
        using var response = await InvokeAsync("missing", "{}", "RequestResponse");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("ResourceNotFoundException", response.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    [Fact]
    public async Task Fault_WhenRuleMatchesQueryAction_ShouldAnswerXmlErrorForItsCountThenPassThrough()
    {
        _gateway.AddFault(new FaultRule("Invoke", "TooManyRequestsException", HttpStatusCode.TooManyRequests, 1));
        _gateway.AddFunction("echo", (input, _) => Task.FromResult(input));

        using var faulted = await InvokeAsync("echo", "{}", "RequestResponse");
        using var passed = await InvokeAsync("echo", "{}", "RequestResponse");

        Assert.Equal(HttpStatusCode.TooManyRequests, faulted.StatusCode);
        Assert.Equal("TooManyRequestsException", faulted.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
        Assert.Equal(2, _gateway.Calls("Invoke"));
    }

    [Fact]
    public async Task Fault_WhenQueryProtocolOperationIsFaulted_ShouldAnswerTheAwsXmlErrorDocument()
    {
        _gateway.AddFault(new FaultRule("PromoteReadReplica", "InvalidDBInstanceState", HttpStatusCode.BadRequest, 1));
        using var content = new StringContent("Action=PromoteReadReplica&Version=2014-10-31&DBInstanceIdentifier=x", Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await Http.PostAsync(_gateway.Endpoint, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("<Code>InvalidDBInstanceState</Code>", body, StringComparison.Ordinal);
        Assert.Contains("<Type>Sender</Type>", body, StringComparison.Ordinal);
        Assert.Equal(1, _gateway.Calls("PromoteReadReplica"));
    }

    [Fact]
    public async Task Outage_WhenTheRegionIsUnreachable_ShouldHoldACallSignedForItUntilTheClientTimesOut()
    {
        _gateway.Outage = new RegionOutage(DarkRegion, _clock.GetUtcNow(), OutageKind.Unreachable);
        using var client = new HttpClient { Timeout = TimeSpan.FromMilliseconds(500) };

        using var request = DrsCall(DarkRegion);
        await Assert.ThrowsAsync<TaskCanceledException>(() => client.SendAsync(request));

        Assert.Equal(1, _gateway.RefusedCalls(DarkRegion));
        Assert.Equal(1, _gateway.Calls("DescribeSourceServers"));
    }

    [Fact]
    public async Task Outage_WhenTheRegionAnswersServerErrors_ShouldAnswer503InTheProtocolsShapeOnceTheOutageBegins()
    {
        _gateway.Outage = new RegionOutage(DarkRegion, _clock.GetUtcNow().AddMinutes(1), OutageKind.ServerErrors);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var beforeRequest = DrsCall(DarkRegion);
        using var before = await client.SendAsync(beforeRequest);
        _clock.Advance(TimeSpan.FromMinutes(1));

        using var jsonRequest = DrsCall(DarkRegion);
        using var json = await client.SendAsync(jsonRequest);
        using var queryRequest = Signed(HttpMethod.Post, "", DarkRegion, "rds",
            new StringContent("Action=DescribeDBInstances&Version=2014-10-31", Encoding.UTF8, "application/x-www-form-urlencoded"));
        using var query = await client.SendAsync(queryRequest);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, json.StatusCode);
        Assert.Equal("ServiceUnavailable", json.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, query.StatusCode);
        Assert.Contains("<Type>Receiver</Type><Code>ServiceUnavailable</Code>", await query.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, _gateway.RefusedCalls(DarkRegion));
    }

    [Fact]
    public async Task Outage_WhenACallIsSignedForAnotherRegion_ShouldAnswerIt()
    {
        _gateway.Outage = new RegionOutage(DarkRegion, _clock.GetUtcNow(), OutageKind.Unreachable);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        using var request = DrsCall("us-west-2");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, _gateway.RefusedCalls("us-west-2"));
    }

    [Fact]
    public async Task Outage_WhenLambdaInvokeIsSignedForTheDarkRegion_ShouldStillRunTheFunction()
    {
        _gateway.Outage = new RegionOutage(DarkRegion, _clock.GetUtcNow(), OutageKind.Unreachable);
        _gateway.AddFunction("echo", (input, _) => Task.FromResult(input));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        using var request = Signed(HttpMethod.Post, "2015-03-31/functions/echo/invocations", DarkRegion, "lambda",
            new StringContent("{\"a\":1}", Encoding.UTF8, "application/json"));
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"a\":1}", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, _gateway.RefusedCalls(DarkRegion));
    }

    [Fact]
    public async Task Outage_WhenOnlyTheDatabasesAreImpaired_ShouldLetTheRegionsCallsThrough()
    {
        _gateway.Outage = new RegionOutage(DarkRegion, _clock.GetUtcNow(), OutageKind.DatabaseImpaired);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        using var request = DrsCall(DarkRegion);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, _gateway.RefusedCalls(DarkRegion));
    }

    [Fact]
    public async Task Outage_WhenTheGatewayStops_ShouldDropTheHeldCalls()
    {
        var gateway = await Gateway.StartAsync(_clock, CancellationToken.None);
        gateway.Outage = new RegionOutage(DarkRegion, _clock.GetUtcNow(), OutageKind.Unreachable);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var call = DrsCall(DarkRegion);
        call.RequestUri = new Uri(gateway.Endpoint, "DescribeSourceServers");
        var held = client.SendAsync(call);
        for (var waited = 0; gateway.RefusedCalls(DarkRegion) == 0 && waited < 1000; waited++)
        {
            await Task.Delay(10);
        }

        await gateway.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<HttpRequestException>(() => held.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task PutMetricData_WhenACallerPublishesIntoAnAwsNamespace_ShouldBeRefusedAsCloudWatchDoes()
    {
        // Arrange: AWS/ namespaces are reserved for AWS services (PutMetricData API reference); RDS publishes ReplicaLag,
        // nobody else may. The gateway has no upstream here, so only a refusal can answer.
        var form = "Action=PutMetricData&Version=2010-08-01&Namespace=AWS%2FRDS&MetricData.member.1.MetricName=ReplicaLag&MetricData.member.1.Value=1";

        // Act
        using var request = Signed(HttpMethod.Post, "", "us-west-2", "monitoring",
            new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"));
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<Code>InvalidParameterValue</Code>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelInvocationsAsync_WhenFunctionsAreStillRunning_ShouldCancelThemAndWaitUntilTheyEnd()
    {
        // Arrange: a synchronous and an asynchronous invocation that run until they are cancelled, as a check that keeps
        // looking or a trigger waiting out a sustain period does.
        var cancelled = 0;
        using var started = new CountdownEvent(2);
        _gateway.AddFunction("watch", async (input, ct) =>
        {
            started.Signal();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelled);
                throw;
            }

            return input;
        });
        var synchronous = InvokeAsync("watch", "{}", "RequestResponse");
        using var accepted = await InvokeAsync("watch", "{}", "Event");
        Assert.True(started.Wait(TimeSpan.FromMinutes(1)), "the invocations did not start");

        // Act
        await _gateway.CancelInvocationsAsync();

        // Assert: both ended cancelled before the reset went on; the synchronous caller got the function's error.
        Assert.Equal(2, cancelled);
        using var answer = await synchronous;
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("Unhandled", answer.Headers.GetValues("X-Amz-Function-Error").Single());
    }

    private HttpRequestMessage DrsCall(string region) =>
        Signed(HttpMethod.Post, "DescribeSourceServers", region, "drs", new StringContent("{}", Encoding.UTF8, "application/json"));

    // The gateway reads only the credential scope; moto checks signatures.
    private HttpRequestMessage Signed(HttpMethod method, string path, string region, string service, HttpContent content)
    {
        var request = new HttpRequestMessage(method, new Uri(_gateway.Endpoint, path)) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential=AKIDLOCALTEST/20260801/{region}/{service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0");
        return request;
    }

    private async Task<HttpResponseMessage> InvokeAsync(string function, string payload, string invocationType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway.Endpoint, $"2015-03-31/functions/{Uri.EscapeDataString(function)}/invocations"))
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Amz-Invocation-Type", invocationType);
        return await Http.SendAsync(request);
    }
}
