using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Failover.Aws.Tests.Wire;

/// <summary>What boto3 made of one call: the parsed output, or the error it raised.</summary>
public sealed record Boto3Reply(JsonObject? Result, string? ErrorCode, string? ErrorMessage, int? Status, string? RetryAfter)
{
    public JsonObject RequiredResult => Result ?? throw new InvalidOperationException($"boto3 raised {ErrorCode}: {ErrorMessage}");
}

/// <summary>
/// Runs boto3call.py: the same call made with boto3 (its serializers and parsers are botocore's, as in the
/// AWS CLI) against a loopback endpoint, so the request it sends and its parse of the reply can be compared
/// with ours. Never skips: without python3 + boto3 the test fails with the install command.
/// </summary>
internal static class Boto3
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Wire", "Boto3", "boto3call.py");

    public static async Task<Boto3Reply> CallAsync(Uri endpoint, string service, string operation, JsonObject parameters, CancellationToken cancellationToken, string region = "us-west-2")
    {
        var start = new ProcessStartInfo("python3")
        {
            ArgumentList = { Script },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start python3");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException("python3 is required for the boto3 comparison tests: install Python 3 and `pip install boto3`", ex);
        }

        using (process)
        {
            var call = new JsonObject { ["service"] = service, ["operation"] = operation, ["params"] = parameters.DeepClone(), ["endpoint"] = endpoint.ToString(), ["region"] = region };
            await process.StandardInput.WriteAsync(call.ToJsonString().AsMemory(), cancellationToken);
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var output = await stdout;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"boto3call.py {service} {operation} exited {process.ExitCode} (pip install boto3?): {await stderr}");
            }

            var reply = JsonNode.Parse(output)!.AsObject();
            if (reply["error"] is JsonObject error)
            {
                return new Boto3Reply(null, error["Code"]?.GetValue<string>(), error["Message"]?.GetValue<string>(), reply["status"]?.GetValue<int>(), reply["retryAfter"]?.GetValue<string>());
            }

            return new Boto3Reply(reply["result"]!.AsObject(), null, null, null, null);
        }
    }
}
