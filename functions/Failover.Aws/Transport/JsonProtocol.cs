using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Failover.Aws.Transport;

/// <summary>The AWS JSON protocols (Step Functions, SQS: json 1.0; ECS: json 1.1) and rest-json (Lambda).</summary>
internal static class JsonProtocol
{
    /// <summary>POST / with X-Amz-Target; returns the reply object (empty when none). <paramref name="jsonVersion"/> is the
    /// service model's jsonVersion (1.0 or 1.1), which names the content type.</summary>
    public static async Task<JsonObject> CallAsync(AwsTransport transport, AwsService service, string targetPrefix, string operation, JsonObject body, bool retrySafe, CancellationToken cancellationToken, string jsonVersion = "1.0")
    {
        var request = new AwsRequest(operation, HttpMethod.Post, "/", Encoding.UTF8.GetBytes(body.ToJsonString()), $"application/x-amz-json-{jsonVersion}", retrySafe)
        {
            Headers = new Dictionary<string, string> { ["X-Amz-Target"] = $"{targetPrefix}.{operation}" },
        };
        var response = await transport.SendAsync(service, request, cancellationToken);
        return Parse(service, operation, response.Body);
    }

    public static JsonObject Parse(AwsService service, string operation, string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw QueryProtocol.Malformed(service, operation, "reply is not a JSON object");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw QueryProtocol.Malformed(service, operation, ex.Message);
        }
    }

    public static string? Str(this JsonNode? node, string name) => node?[name]?.GetValue<string>();

    public static string RequiredStr(this JsonNode node, string name) =>
        node.Str(name) ?? throw new FormatException($"reply has no '{name}'");

    /// <summary>JSON protocols send timestamps as epoch seconds with a fraction.</summary>
    public static DateTimeOffset? EpochSeconds(this JsonNode? node, string name) => node?[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<double>(out var seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)),
        JsonValue v when v.TryGetValue<string>(out var text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture),
        _ => null,
    };
}
