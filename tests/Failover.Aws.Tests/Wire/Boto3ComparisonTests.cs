using System.Text.Json.Nodes;
using Failover.Aws.Tests.Transport;

namespace Failover.Aws.Tests.Wire;

/// <summary>
/// Sends the same call from our client and from boto3 to one loopback capture server that answers both with
/// the same canned reply: the two requests can be compared, and boto3's parse of the reply (by the service
/// model) checks ours.
/// </summary>
public abstract class Boto3ComparisonTests : ScriptedAwsTest
{
    protected static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>Answers <paramref name="reply"/> to our call and then to boto3's; returns both requests and both parses.</summary>
    protected async Task<(RecordedRequest Ours, RecordedRequest Boto3, T Parsed, Boto3Reply Reply)> CompareAsync<T>(
        ScriptedResponse reply, Func<CancellationToken, Task<T>> ours, string boto3Service, string operation, JsonObject boto3Parameters, CancellationToken cancellationToken)
    {
        Server.Enqueue(reply);
        var parsed = await ours(cancellationToken);
        var before = Server.RequestCount;
        Server.Enqueue(reply);
        var boto3 = await Boto3.CallAsync(Server.Endpoint, boto3Service, operation, boto3Parameters, cancellationToken);
        var requests = Server.Requests;
        Assert.Equal(before + 1, requests.Count);
        return (requests[before - 1], requests[before], parsed, boto3);
    }
}
