using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Failover.Cli;

namespace Failover.Cli.Tests;

/// <summary>
/// <c>failover local up | down</c>: a real detached local AWS (serve process + moto_server). Every test that starts
/// one kills both by process id in its finally, whatever its assertions did.
/// </summary>
public sealed class LocalCommandTests : IDisposable
{
    private readonly string _stateDir = Directory.CreateTempSubdirectory("failover-local-").FullName;

    public void Dispose() => Directory.Delete(_stateDir, recursive: true);

    [Fact]
    public async Task Up_WhenRun_ShouldLeaveALocalAwsThatTheExportedEnvironmentDrillsAgainstUntilDown()
    {
        LocalAwsState? state = null;
        try
        {
            var up = await InvokeAsync("local", "up", "--state-dir", _stateDir);
            state = LocalCommand.ReadState(new DirectoryInfo(_stateDir));

            Assert.True(up.ExitCode == 0, up.Error);
            Assert.NotNull(state);
            var exported = Exports(up.Out);
            Assert.Equal(["AWS_ENDPOINT_URL", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "FAILOVER_STATE_MACHINE_ARN"], exported.Keys);
            Assert.Equal("us-west-2", exported["AWS_REGION"]);
            Assert.Equal(state.StateMachineArn, exported["FAILOVER_STATE_MACHINE_ARN"]);
            Assert.True(IsAlive(state.ProcessId, "serve") && IsAlive(state.MotoProcessId, "moto_server"), "the local AWS outlives up");

            // A second up finds it, says so, and prints the same environment.
            var again = await InvokeAsync("local", "up", "--state-dir", _stateDir);
            Assert.Equal(2, again.ExitCode);
            Assert.Contains($"A local AWS already runs (process {state.ProcessId}", again.Error, StringComparison.Ordinal);
            Assert.Equal(exported, Exports(again.Out));

            // The operator's commands, in processes of their own with nothing but the exported environment.
            var start = await CliProcess.RunAsync(["start", "--drill", "--state-machine-arn", exported["FAILOVER_STATE_MACHINE_ARN"], "--reason", "Quarterly drill", "--output", "json"], exported);
            Assert.True(start.ExitCode == 0, start.Error);
            var executionArn = JsonDocument.Parse(start.Out).RootElement.GetProperty("executionArn").GetString()!;
            var status = await WaitForEndAsync(executionArn, exported);
            Assert.Equal("SUCCEEDED", status.GetProperty("execution").GetProperty("status").GetString());
            Assert.Equal("drill", status.GetProperty("mode").GetString());
            // Watching: start --wait follows a drill phase by phase and exits with its outcome; status --watch follows one to its end.
            var waited = await CliProcess.RunAsync(["start", "--drill", "--wait", "--state-machine-arn", exported["FAILOVER_STATE_MACHINE_ARN"], "--reason", "Watched drill"], exported);
            Assert.True(waited.ExitCode == 0, waited.Error);
            Assert.Matches(@"\d\d:\d\d  databases done     1/1 verified", waited.Out);
            Assert.Contains("Outcome: succeeded", waited.Out, StringComparison.Ordinal);
            var watched = await CliProcess.RunAsync(["status", "--watch", "--execution-arn", executionArn], exported);
            Assert.True(watched.ExitCode == 0, watched.Error);
            Assert.Matches(@"\d\d:\d\d  report    done", watched.Out);
            var cleanup = await CliProcess.RunAsync(["drill", "cleanup"], exported);
            Assert.True(cleanup.ExitCode == 0, cleanup.Error);
            Assert.Contains("in us-west-2", cleanup.Out, StringComparison.Ordinal);

            var down = await InvokeAsync("local", "down", "--state-dir", _stateDir);

            Assert.True(down.ExitCode == 0, down.Error);
            Assert.Contains($"Stopped the local AWS (process {state.ProcessId})", down.Out, StringComparison.Ordinal);
            Assert.False(IsAlive(state.ProcessId, "serve"), "the serve process stopped");
            Assert.False(IsAlive(state.MotoProcessId, "moto_server"), "its moto_server stopped");
            Assert.Null(LocalCommand.ReadState(new DirectoryInfo(_stateDir)));
        }
        finally
        {
            KillIfAlive(state);
        }
    }

    [Fact]
    public async Task Down_WhenTheServeProcessWasKilled_ShouldStopItsMotoServerAndRemoveTheStateFile()
    {
        LocalAwsState? state = null;
        try
        {
            Assert.Equal(0, (await InvokeAsync("local", "up", "--state-dir", _stateDir)).ExitCode);
            state = LocalCommand.ReadState(new DirectoryInfo(_stateDir))!;
            using (var serve = Process.GetProcessById(state.ProcessId))
            {
                // SIGKILL: no chance to stop moto_server, which is left orphaned.
                serve.Kill(entireProcessTree: false);
                await serve.WaitForExitAsync();
            }

            Assert.True(IsAlive(state.MotoProcessId, "moto_server"), "moto_server outlives a killed serve process");

            var down = await InvokeAsync("local", "down", "--state-dir", _stateDir);

            Assert.Equal(0, down.ExitCode);
            Assert.Contains("was no longer running; removed its state file", down.Out, StringComparison.Ordinal);
            Assert.False(IsAlive(state.MotoProcessId, "moto_server"), "down stopped the orphaned moto_server");
            Assert.Null(LocalCommand.ReadState(new DirectoryInfo(_stateDir)));
        }
        finally
        {
            KillIfAlive(state);
        }
    }

    [Fact]
    public async Task Down_WhenNothingRuns_ShouldSaySoAndExit0()
    {
        var down = await InvokeAsync("local", "down", "--state-dir", _stateDir);

        Assert.Equal(0, down.ExitCode);
        Assert.Contains("No local AWS is running", down.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_WhenThePlanIsMissing_ShouldExit2AndStartNothing()
    {
        var missing = Path.Combine(_stateDir, "nope.json");

        var up = await InvokeAsync("local", "up", "--state-dir", _stateDir, "--plan", missing);

        Assert.Equal(2, up.ExitCode);
        Assert.Contains($"Plan not readable: {missing}", up.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_stateDir, "local.log")), "no local AWS was started");
    }

    [Fact]
    public void StateDirectory_WhenXdgStateHomeIsSet_ShouldBeUnderIt()
    {
        var directory = LocalCommand.StateDirectory(null, name => name == "XDG_STATE_HOME" ? "/var/state" : null);

        Assert.Equal("/var/state/failover/local", directory.FullName);
    }

    /// <summary>Runs the CLI's own entry point in this process (the serve process it starts is a child of this one).</summary>
    private static async Task<CliRun> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await FailoverCommand.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    private static Dictionary<string, string> Exports(string output) => output
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(line => line.StartsWith("export ", StringComparison.Ordinal) ? line["export ".Length..].Split('=', 2) : throw new InvalidOperationException($"not an export: {line}"))
        .ToDictionary(pair => pair[0], pair => pair[1]);

    private static async Task<JsonElement> WaitForEndAsync(string executionArn, Dictionary<string, string> environment)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            var status = await CliProcess.RunAsync(["status", "--execution-arn", executionArn, "--output", "json"], environment);
            Assert.True(status.ExitCode == 0, status.Error);
            var report = JsonDocument.Parse(status.Out).RootElement;
            if (report.GetProperty("execution").GetProperty("status").GetString() != "RUNNING" || started.Elapsed > TimeSpan.FromMinutes(2))
            {
                return report;
            }

            await Task.Delay(1000);
        }
    }

    /// <summary>Alive and still the process we mean (its command line names <paramref name="marker"/>), not a zombie or a reused id.</summary>
    private static bool IsAlive(int processId, string marker) =>
        File.Exists($"/proc/{processId}/cmdline") && File.ReadAllText($"/proc/{processId}/cmdline").Contains(marker, StringComparison.Ordinal);

    private static void KillIfAlive(LocalAwsState? state)
    {
        if (state is null)
        {
            return;
        }

        foreach (var (processId, marker) in new[] { (state.ProcessId, "serve"), (state.MotoProcessId, "moto_server") })
        {
            if (IsAlive(processId, marker))
            {
                using var process = Process.GetProcessById(processId);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
    }
}
