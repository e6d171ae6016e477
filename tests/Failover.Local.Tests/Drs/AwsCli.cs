using System.Text.Json.Nodes;
using Failover.Testing;

namespace Failover.Local.Tests.Drs;

/// <summary>The outcome of one `aws` command: exit code, parsed stdout (JSON) and stderr.</summary>
public sealed record AwsCliResult(int ExitCode, JsonNode? Output, string Stderr)
{
    public JsonNode RequiredOutput => ExitCode == 0 && Output is not null ? Output : throw new InvalidOperationException($"aws exited {ExitCode}: {Stderr}");
}

/// <summary>
/// Runs the real AWS CLI (awscli 1.x on this machine) against a loopback endpoint with dummy credentials,
/// no config files, no retries and JSON output. Never skips: a missing `aws` is a failure saying so.
/// </summary>
internal static class AwsCli
{
    /// <summary>A ceiling, not a budget: the caller's token bounds the run.</summary>
    private static readonly TimeSpan Ceiling = TimeSpan.FromMinutes(3);

    public static async Task<AwsCliResult> RunAsync(Uri endpoint, CancellationToken cancellationToken, params string[] arguments)
    {
        var environment = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIDAWSCLITEST",
            ["AWS_SECRET_ACCESS_KEY"] = "awscli/secret",
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_PROFILE"] = null,
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["AWS_MAX_ATTEMPTS"] = "1",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_PAGER"] = "",
        };
        var run = await ToolProcess.RunAsync(
            "aws",
            [.. arguments, "--endpoint-url", endpoint.ToString().TrimEnd('/'), "--region", "us-west-2", "--output", "json"],
            AppContext.BaseDirectory,
            Ceiling,
            cancellationToken,
            environment: environment);
        return new AwsCliResult(run.ExitCode, string.IsNullOrWhiteSpace(run.StandardOutput) ? null : JsonNode.Parse(run.StandardOutput), run.StandardError);
    }
}
