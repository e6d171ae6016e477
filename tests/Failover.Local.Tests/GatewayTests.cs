using System.Net;
using System.Text;
using System.Text.Json;
using Failover.Local;

namespace Failover.Local.Tests;

/// <summary>The gateway over HTTP, without moto: Lambda Invoke in-process and faults.</summary>
public sealed class GatewayTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private Gateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await Gateway.StartAsync(CancellationToken.None);

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
