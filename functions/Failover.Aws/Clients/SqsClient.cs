using System.Text.Json.Nodes;
using Failover.Aws.Transport;

namespace Failover.Aws.Clients;

/// <summary>A received SQS message.</summary>
public sealed record SqsMessage(string MessageId, string ReceiptHandle, string Body);

/// <summary>Amazon SQS over AWS JSON 1.0 (target AmazonSQS).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1054:URI-like parameters should not be strings", Justification = "SQS names a queue by its QueueUrl, a string on the wire, passed through as received.")]
public sealed class SqsClient
{
    private readonly AwsTransport _transport;

    internal SqsClient(AwsTransport transport) => _transport = transport;

    /// <summary>Creates a queue (idempotent by name) and returns its URL.</summary>
    [IamAction("sqs:CreateQueue")]
    public async Task<string> CreateQueueAsync(string queueName, CancellationToken cancellationToken)
    {
        var reply = await CallAsync("CreateQueue", new JsonObject { ["QueueName"] = queueName }, true, cancellationToken);
        return reply.RequiredStr("QueueUrl");
    }

    /// <summary>Reads named attributes of a queue, e.g. QueueArn.</summary>
    [IamAction("sqs:GetQueueAttributes")]
    public async Task<IReadOnlyDictionary<string, string>> GetQueueAttributesAsync(string queueUrl, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var reply = await CallAsync("GetQueueAttributes", new JsonObject { ["QueueUrl"] = queueUrl, ["AttributeNames"] = new JsonArray([.. names.Select(n => (JsonNode)n)]) }, true, cancellationToken);
        return (reply["Attributes"] as JsonObject)?.ToDictionary(kv => kv.Key, kv => kv.Value?.GetValue<string>() ?? "", StringComparer.Ordinal)
            ?? new Dictionary<string, string>();
    }

    /// <summary>Receives up to <paramref name="maxMessages"/> messages, long-polling for <paramref name="waitSeconds"/>.</summary>
    [IamAction("sqs:ReceiveMessage")]
    public async Task<IReadOnlyList<SqsMessage>> ReceiveMessageAsync(string queueUrl, int maxMessages, int waitSeconds, CancellationToken cancellationToken)
    {
        var reply = await CallAsync("ReceiveMessage", new JsonObject { ["QueueUrl"] = queueUrl, ["MaxNumberOfMessages"] = maxMessages, ["WaitTimeSeconds"] = waitSeconds }, true, cancellationToken);
        return [.. (reply["Messages"] as JsonArray ?? []).OfType<JsonObject>().Select(m => new SqsMessage(m.RequiredStr("MessageId"), m.RequiredStr("ReceiptHandle"), m.RequiredStr("Body")))];
    }

    private Task<JsonObject> CallAsync(string operation, JsonObject body, bool retrySafe, CancellationToken cancellationToken) =>
        JsonProtocol.CallAsync(_transport, AwsService.Sqs, "AmazonSQS", operation, body, retrySafe, cancellationToken);
}
