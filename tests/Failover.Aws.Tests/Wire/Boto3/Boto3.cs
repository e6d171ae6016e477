using System.Text.Json.Nodes;
using Failover.Testing;

namespace Failover.Aws.Tests.Wire;

/// <summary>What boto3 made of one call: the parsed output, or the error it raised.</summary>
public sealed record Boto3Reply(JsonObject? Result, string? ErrorCode, string? ErrorMessage, int? Status, string? RetryAfter)
{
    public JsonObject RequiredResult => Result ?? throw new InvalidOperationException($"boto3 raised {ErrorCode}: {ErrorMessage}");
}

/// <summary>
/// Runs boto3call.py: the same call made with boto3 (its serializers and parsers are botocore's, as in the
/// AWS CLI) against a loopback endpoint, so the request it sends and its parse of the reply can be compared
/// with ours. Never skips: without python3 + boto3 the test fails saying what is missing.
/// </summary>
internal static class Boto3
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Wire", "Boto3", "boto3call.py");

    public static async Task<Boto3Reply> CallAsync(Uri endpoint, string service, string operation, JsonObject parameters, CancellationToken cancellationToken, string region = "us-west-2")
    {
        var call = new JsonObject { ["service"] = service, ["operation"] = operation, ["params"] = parameters.DeepClone(), ["endpoint"] = endpoint.ToString(), ["region"] = region };
        var run = await ToolProcess.RunAsync("python3", [Script], AppContext.BaseDirectory, TestTimeout.Ceiling, cancellationToken, call.ToJsonString());
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"boto3call.py {service} {operation} exited {run.ExitCode} (pip install boto3?): {run.StandardError}");
        }

        var reply = JsonNode.Parse(run.StandardOutput)!.AsObject();
        if (reply["error"] is JsonObject error)
        {
            return new Boto3Reply(null, error["Code"]?.GetValue<string>(), error["Message"]?.GetValue<string>(), reply["status"]?.GetValue<int>(), reply["retryAfter"]?.GetValue<string>());
        }

        return new Boto3Reply(reply["result"]!.AsObject(), null, null, null, null);
    }
}
