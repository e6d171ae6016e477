using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Failover.Local.Tests.Drs;

/// <summary>The outcome of one `aws` command: exit code, parsed stdout (JSON) and stderr.</summary>
public sealed record AwsCliResult(int ExitCode, JsonNode? Output, string Stderr)
{
    public JsonNode RequiredOutput => ExitCode == 0 && Output is not null ? Output : throw new InvalidOperationException($"aws exited {ExitCode}: {Stderr}");
}

/// <summary>
/// Runs the real AWS CLI (awscli 1.x on this machine) against a loopback endpoint with dummy credentials,
/// no config files, no retries and JSON output. Never skips: a missing `aws` is a failure with the install command.
/// </summary>
internal static class AwsCli
{
    public static async Task<AwsCliResult> RunAsync(Uri endpoint, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("aws")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in new[] { "--endpoint-url", endpoint.ToString().TrimEnd('/'), "--region", "us-west-2", "--output", "json" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = "AKIDAWSCLITEST";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "awscli/secret";
        start.Environment.Remove("AWS_SESSION_TOKEN");
        start.Environment.Remove("AWS_PROFILE");
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_PAGER"] = "";

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start aws");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException("the AWS CLI is required for these tests: pip install awscli", ex);
        }

        using (process)
        {
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
            return new AwsCliResult(process.ExitCode, string.IsNullOrWhiteSpace(output) ? null : JsonNode.Parse(output), await stderr);
        }
    }
}
