using System.Text.Json;
using System.Xml.Linq;
using Failover.Testing;

namespace Failover.Functions.Tests.Packaging;

/// <summary>
/// What `sam build` does with functions/Failover.Functions: SAM's dotnet workflow (aws-lambda-builders,
/// dotnet_clipackage) runs `dotnet lambda package` in the CodeUri folder with
/// `--msbuild-parameters "--runtime linux-arm64"` for an arm64 function. Amazon.Lambda.Tools first asks msbuild for
/// the target framework with those parameters appended, then reads &lt;TargetFramework&gt; from the .csproj XML
/// (not from Directory.Build.props), then the "framework" of aws-lambda-tools-defaults.json; with none it prompts.
/// </summary>
public sealed class LambdaPackagingTests
{
    private const string ProjectDirectory = "functions/Failover.Functions";
    private const string ProjectFile = "Failover.Functions.csproj";
    private const string DefaultsFile = "aws-lambda-tools-defaults.json";
    private const string SamMsbuildParameters = "--runtime linux-arm64";
    private static readonly TimeSpan MsbuildTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task TargetFrameworkLookup_WhenRunAsSamInvokesAmazonLambdaTools_ShouldFindTheSolutionsFramework()
    {
        // Arrange
        var directory = RepositoryRoot.Combine(ProjectDirectory);
        var expected = await MsbuildPropertyAsync(directory, [], "TargetFramework");

        // Act
        var found = await LookUpLikeAmazonLambdaToolsAsync(directory);

        // Assert
        Assert.True(found == expected, $"Amazon.Lambda.Tools would find '{found ?? "(nothing: it prompts on stdin and sam build fails)"}' for {ProjectDirectory}; the project builds for '{expected}'.");
    }

    [Fact]
    public async Task Publish_WhenRunAsAmazonLambdaToolsPackages_ShouldLeaveNoSymbolsOrDocumentationFiles()
    {
        // Arrange
        var directory = RepositoryRoot.Combine(ProjectDirectory);
        var output = Directory.CreateTempSubdirectory("failover-package-");
        try
        {
            // Act: the publish command Amazon.Lambda.Tools runs for `dotnet lambda package` (arm64, framework-dependent).
            var publish = await ToolProcess.RunAsync(
                "dotnet",
                ["publish", ProjectFile, "--output", output.FullName, "--configuration", "Release", "--framework", "net10.0",
                 "/p:GenerateRuntimeConfigurationFiles=true", "--runtime", "linux-arm64", "--self-contained", "False"],
                directory, PublishTimeout, CancellationToken.None);
            Assert.True(publish.ExitCode == 0, $"dotnet publish failed:{Environment.NewLine}{publish.Output}");
            var unwanted = Directory.EnumerateFiles(output.FullName, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
                .Select(f => Path.GetRelativePath(output.FullName, f))
                .Order(StringComparer.Ordinal)
                .ToList();

            // Assert
            Assert.True(unwanted.Count == 0, $"The deployment package would carry: {string.Join(", ", unwanted)}");
            Assert.True(File.Exists(Path.Combine(output.FullName, "Failover.Functions.dll")), "The package has no Failover.Functions.dll.");
            Assert.True(File.Exists(Path.Combine(output.FullName, "plan.json")), "The package has no plan.json.");
            // Precompiled for the function's architecture (ReadyToRun): a cold start runs native code instead of JIT-compiling it.
            foreach (var assembly in new[] { "Failover.Functions.dll", "Failover.Core.dll", "Failover.Aws.dll" })
            {
                Assert.True(IsReadyToRun(Path.Combine(output.FullName, assembly), System.Reflection.PortableExecutable.Machine.Arm64), $"{assembly} is not ReadyToRun code for arm64.");
            }
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    // The operating-system value a ReadyToRun image's Machine field is XORed with for Linux (dotnet/runtime, crossgen2's
    // TargetOS handling: "Linux = 0x7B79"), so that an image compiled for one OS is not loaded as native code on another.
    private const ushort LinuxMachineOverride = 0x7B79;

    // A ReadyToRun image carries a managed native header (the READYTORUN_HEADER, "Ready to Run file format", dotnet/runtime
    // docs/design/coreclr/botr/readytorun-format.md) and names the target machine and OS; an IL-only assembly has neither.
    private static bool IsReadyToRun(string path, System.Reflection.PortableExecutable.Machine machine)
    {
        using var stream = File.OpenRead(path);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        return pe.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 }
            && (ushort)pe.PEHeaders.CoffHeader.Machine == ((ushort)machine ^ LinuxMachineOverride);
    }

    /// <summary>msbuild with SAM's parameters, then the .csproj XML, then aws-lambda-tools-defaults.json; null when all three fail.</summary>
    private static async Task<string?> LookUpLikeAmazonLambdaToolsAsync(string directory)
    {
        var fromMsbuild = await MsbuildPropertyAsync(directory, SamMsbuildParameters.Split(' '), "TargetFramework");
        if (!string.IsNullOrEmpty(fromMsbuild))
        {
            return fromMsbuild;
        }

        var fromProject = XDocument.Load(Path.Combine(directory, ProjectFile))
            .Descendants("PropertyGroup").Elements("TargetFramework").Select(e => e.Value.Trim()).FirstOrDefault(v => v.Length > 0);
        if (fromProject is not null)
        {
            return fromProject;
        }

        var defaults = Path.Combine(directory, DefaultsFile);
        if (!File.Exists(defaults))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(defaults));
        return document.RootElement.TryGetProperty("framework", out var framework) ? framework.GetString() : null;
    }

    /// <summary>`dotnet msbuild &lt;proj&gt; --getProperty:NAME &lt;extra&gt;`: the value, or null when msbuild fails (as it does on switches it does not know).</summary>
    private static async Task<string?> MsbuildPropertyAsync(string directory, IEnumerable<string> extraArguments, string property)
    {
        var result = await ToolProcess.RunAsync(
            "dotnet", ["msbuild", ProjectFile, $"--getProperty:{property}", .. extraArguments], directory, MsbuildTimeout, CancellationToken.None);
        return result.ExitCode == 0 ? result.StandardOutput.Trim() : null;
    }
}
