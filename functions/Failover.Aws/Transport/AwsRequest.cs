namespace Failover.Aws.Transport;

/// <summary>One HTTP request to an AWS service, before signing.</summary>
/// <param name="Operation">API operation name, for errors and logs.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Already-encoded path starting with '/'.</param>
/// <param name="Body">Request body; empty for none.</param>
/// <param name="ContentType">Exact Content-Type to send and sign; null for no body.</param>
/// <param name="RetrySafe">True when repeating the call cannot cause a second effect (reads, idempotent writes).
/// Throttled calls are always retried: the service rejected them before acting.</param>
internal sealed record AwsRequest(string Operation, HttpMethod Method, string Path, byte[] Body, string? ContentType, bool RetrySafe)
{
    /// <summary>Extra headers (e.g. X-Amz-Target) that are sent and signed.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Encoded query string without '?'.</summary>
    public string Query { get; init; } = "";
}

/// <summary>A successful response.</summary>
internal sealed record AwsResponse(int StatusCode, string Body, IReadOnlyDictionary<string, string> Headers);
