using System.Text;
using Failover.Aws.Transport;

namespace Failover.Aws.Clients;

/// <summary>Reply of Invoke: status, the function error kind when the function failed, and the payload.</summary>
public sealed record InvokeResult(int StatusCode, string? FunctionError, string Payload);

/// <summary>AWS Lambda Invoke over rest-json.</summary>
public sealed class LambdaClient
{
    private readonly AwsTransport _transport;

    internal LambdaClient(AwsTransport transport) => _transport = transport;

    /// <summary>Invokes a function. <paramref name="invocationType"/> is RequestResponse or Event (asynchronous, as EventBridge does).</summary>
    [IamAction("lambda:InvokeFunction")]
    public async Task<InvokeResult> InvokeAsync(string functionName, string payload, string invocationType, CancellationToken cancellationToken)
    {
        var request = new AwsRequest("Invoke", HttpMethod.Post, $"/2015-03-31/functions/{Uri.EscapeDataString(functionName)}/invocations", Encoding.UTF8.GetBytes(payload), "application/json", RetrySafe: false)
        {
            Headers = new Dictionary<string, string> { ["X-Amz-Invocation-Type"] = invocationType },
        };
        var response = await _transport.SendAsync(AwsService.Lambda, request, cancellationToken);
        return new InvokeResult(response.StatusCode, response.Headers.GetValueOrDefault("x-amz-function-error"), response.Body);
    }
}
