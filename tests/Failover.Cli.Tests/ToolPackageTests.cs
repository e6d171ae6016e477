using System.Diagnostics;
using System.Reflection;
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
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Parent!.Name;
        var packages = Path.Combine(_directory, "packages");
        var tools = Path.Combine(_directory, "tools");

        // Act
        var pack = await RunAsync("dotnet", "pack", Path.Combine(root, "tools", "Failover.Cli"), "-c", configuration, "-o", packages);
        // --ignore-failed-sources: nuget.org need not be reachable; the tool has no dependencies to fetch.
        var install = await RunAsync("dotnet", "tool", "install", "--tool-path", tools, "--add-source", packages, "--ignore-failed-sources", "Failover.Cli");
        var version = await RunAsync(Path.Combine(tools, "failover"), "--version");
        var store = Directory.GetDirectories(Path.Combine(tools, ".store", "failover.cli"), "any", SearchOption.AllDirectories).Single();
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
    }

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
