using System.Diagnostics;
using System.Reflection;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace Failover.Cli.Tests;

/// <summary>The README's install: `dotnet pack` makes a .NET tool that `dotnet tool install` puts on disk as `failover`, offline.</summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("failover-tool-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Pack_WhenInstalledAsATool_ShouldRunAsFailoverWithThePackagedPlanAndWorkflow()
    {
        // Arrange: the configuration these tests were built in, so the pack only builds what changed (a pack without a build can take a stale publish folder).
        var root = RepositoryRoot();
        var configuration = BuildConfiguration();
        var packages = Path.Combine(_directory, "packages");
        var tools = Path.Combine(_directory, "tools");

        // Act
        var pack = await RunAsync("dotnet", "pack", Path.Combine(root, "tools", "Failover.Cli"), "-c", configuration, "-o", packages);
        // --ignore-failed-sources: nuget.org need not be reachable; the tool has no dependencies to fetch.
        var install = await RunAsync("dotnet", "tool", "install", "--tool-path", tools, "--add-source", packages, "--ignore-failed-sources", "Failover.Cli");
        var version = await RunAsync(Path.Combine(tools, "failover"), "--version");
        // The package is built for the machine's runtime (tools/net10.0/RID/), precompiled as `dotnet build` leaves it.
        var store = Path.GetDirectoryName(Directory.GetFiles(Path.Combine(tools, ".store", "failover.cli"), "plan.json", SearchOption.AllDirectories).Single())!;
        var validate = await RunAsync(Path.Combine(tools, "failover"), "plan", "validate", Path.Combine(store, "plan.json"));

        // Assert
        Assert.True(pack.ExitCode == 0, pack.Output);
        Assert.True(install.ExitCode == 0, install.Output);
        // The version, and the commit the pack was built from (a commit since these tests were built changes only that).
        var expected = typeof(FailoverCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        Assert.Matches($"^{Regex.Escape(expected)}\\+[0-9a-f]{{40}}$", version.Output.Trim());
        Assert.True(validate.ExitCode == 0, validate.Output);
        Assert.True(File.Exists(Path.Combine(store, "statemachines", "failover.asl.json")));
        Assert.True(File.Exists(Path.Combine(store, "template.yaml")));
        Assert.True(IsReadyToRun(Path.Combine(store, "Failover.Functions.dll")), "the installed tool's functions are not precompiled");
    }

    [Fact]
    public void Build_WhenTheSimulationRunsTheFunctionsInItsProcess_ShouldRunThemPrecompiledAsTheirLambdaPackageIs()
    {
        // Arrange: the command's own build output, as `dotnet run --project tools/Failover.Cli` runs it.
        var configuration = BuildConfiguration();
        var output = Path.Combine(RepositoryRoot(), "tools", "Failover.Cli", "bin", configuration, "net10.0");
        string[] assemblies = ["Failover.Functions.dll", "Failover.Core.dll", "Failover.Aws.dll", "Failover.Local.dll", "AWSSDK.Core.dll", "failover.dll"];

        // Act
        var interpreted = assemblies.Where(a => !IsReadyToRun(Path.Combine(output, a))).ToList();

        // Assert
        Assert.True(interpreted.Count == 0, $"not precompiled in {output}: {string.Join(", ", interpreted)}");
    }

    // A ReadyToRun image carries native code beside its IL, announced by the CLI header's managed native header.
    private static bool IsReadyToRun(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        return pe.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    // bin/CONFIGURATION/net10.0/ holds these tests.
    private static string BuildConfiguration() => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "Failover.sln")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("Failover.sln not found above " + AppContext.BaseDirectory);
        }

        return directory.FullName;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
