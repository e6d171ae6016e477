using System.Text.Json;
using Failover.Testing;

namespace Failover.Functions.Tests.Packaging;

/// <summary>samconfig.toml as SAM CLI reads it (parsed with Python's tomllib, a TOML 1.0 parser).</summary>
public sealed class SamConfigTests
{
    private static readonly TimeSpan ParseTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task BuildParameters_WhenReadBySamCli_ShouldNotReuseCachedBuilds()
    {
        // Arrange: SAM's build cache key covers the CodeUri folder (functions/Failover.Functions) only, while the logic
        // lives in functions/Failover.Core and functions/Failover.Aws: a cached build can deploy stale code.
        var parsed = await ToolProcess.RunAsync(
            "python3",
            ["-c", "import json,sys,tomllib;print(json.dumps(tomllib.load(open(sys.argv[1],'rb'))))", RepositoryRoot.Combine("samconfig.toml")],
            RepositoryRoot.Path, ParseTimeout, CancellationToken.None);
        Assert.True(parsed.ExitCode == 0, $"samconfig.toml is not valid TOML:{Environment.NewLine}{parsed.Output}");
        using var config = JsonDocument.Parse(parsed.StandardOutput);

        // Act
        var cached = config.RootElement.TryGetProperty("default", out var environment)
            && environment.TryGetProperty("build", out var build)
            && build.TryGetProperty("parameters", out var parameters)
            && parameters.TryGetProperty("cached", out var value)
            && value.ValueKind == JsonValueKind.True;

        // Assert
        Assert.False(cached, "samconfig.toml [default.build.parameters] sets cached = true; SAM would reuse a build whose Failover.Core or Failover.Aws changed.");
    }
}
