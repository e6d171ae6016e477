using System.Text;
using System.Text.Json.Nodes;

namespace Failover.Aws.Transport;

/// <summary>rest-json operations that are all <c>POST /&lt;Operation&gt;</c> with a JSON body (DRS).</summary>
internal static class RestJsonProtocol
{
    public const string ContentType = "application/json";

    /// <summary>POST /<paramref name="operation"/> with <paramref name="body"/>; returns the reply object (empty when none).
    /// Errors are read by <see cref="AwsErrorParser"/>: the x-amzn-ErrorType header names the code.</summary>
    public static async Task<JsonObject> CallAsync(AwsTransport transport, AwsService service, string operation, JsonObject body, bool retrySafe, CancellationToken cancellationToken)
    {
        var request = new AwsRequest(operation, HttpMethod.Post, "/" + operation, Encoding.UTF8.GetBytes(body.ToJsonString()), ContentType, retrySafe);
        var response = await transport.SendAsync(service, request, cancellationToken);
        return JsonProtocol.Parse(service, operation, response.Body);
    }
}
