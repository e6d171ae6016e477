using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Failover.Core.Plans;
using Failover.Local;
using Spectre.Console;

namespace Failover.Cli;

/// <summary>Where a running local AWS answers and who runs it: the state file <c>failover local up</c> writes.</summary>
public sealed record LocalAwsState
{
    /// <summary>The detached <c>failover local serve</c> process.</summary>
    public required int ProcessId { get; init; }

    /// <summary>Its moto_server, stopped by <c>down</c> even if the serve process was killed.</summary>
    public required int MotoProcessId { get; init; }

    /// <summary>The gateway: every AWS call goes here (AWS_ENDPOINT_URL).</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The plan's recovery region, where the state machine runs (AWS_REGION).</summary>
    public required string Region { get; init; }

    /// <summary>The deployed state machine (FAILOVER_STATE_MACHINE_ARN).</summary>
    public required string StateMachineArn { get; init; }

    /// <summary>The plan deployed.</summary>
    public required string PlanPath { get; init; }

    /// <summary>The serve process's stdout and stderr, and the function log beside it.</summary>
    public required string LogPath { get; init; }

    /// <summary>The environment an operator exports to reach it: the local AWS accepts any key while it enforces no IAM.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment() =>
    [
        new("AWS_ENDPOINT_URL", Endpoint.ToString()),
        new("AWS_REGION", Region),
        new("AWS_ACCESS_KEY_ID", "test"),
        new("AWS_SECRET_ACCESS_KEY", "test"),
        new("FAILOVER_STATE_MACHINE_ARN", StateMachineArn),
    ];
}

[JsonSerializable(typeof(LocalAwsState))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class LocalStateJson : JsonSerializerContext;

/// <summary>
/// <c>failover local up | down</c>: a local AWS (moto + gateway, as <c>simulate</c> runs it) with the plan's sample
/// environment deployed, left running in a detached process so that <c>start</c>, <c>status</c> and
/// <c>drill cleanup</c> can be tried against it.
/// </summary>
public static class LocalCommand
{
    /// <summary>The hidden subcommand the detached process runs; also how <c>down</c> recognises it by its command line.</summary>
    public const string ServeCommandName = "serve";

    private const string StateFileName = "local.json";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Builds <c>local</c> with <c>up</c>, <c>down</c> and the hidden <c>serve</c>.</summary>
    public static Command Build(GlobalOptions global)
    {
        var stateDir = new Option<DirectoryInfo?>("--state-dir") { Description = "Where the state file and logs go (default: $XDG_STATE_HOME/failover/local, else ~/.failover/local).", Recursive = true };
        var plan = new Option<FileInfo?>("--plan") { Description = "Plan to deploy (default: the plan packaged with the functions)." };
        var up = new Command("up", "Start the local AWS with the plan's sample environment in the background, and print the environment to export.") { plan };
        up.SetAction(LocalAwsErrors.Guarded(global, (result, terminal, cancellationToken) =>
            UpAsync(result.GetValue(plan), StateDirectory(result.GetValue(stateDir)), terminal, cancellationToken)));
        var down = new Command("down", "Stop the local AWS that local up started.");
        down.SetAction(LocalAwsErrors.Guarded(global, (result, terminal, cancellationToken) =>
            DownAsync(StateDirectory(result.GetValue(stateDir)), terminal, cancellationToken)));
        var servePlan = new Option<FileInfo?>("--plan");
        var serve = new Command(ServeCommandName) { Hidden = true, Options = { servePlan } };
        serve.SetAction(LocalAwsErrors.Guarded(global, (result, terminal, cancellationToken) =>
            ServeAsync(result.GetValue(servePlan), StateDirectory(result.GetValue(stateDir)), terminal, cancellationToken)));
        return new Command("local", "A local AWS that stays up, to try the operator commands against.") { stateDir, up, down, serve };
    }

    /// <summary>The default state directory: $XDG_STATE_HOME/failover/local (XDG Base Directory), else ~/.failover/local.</summary>
    public static DirectoryInfo StateDirectory(DirectoryInfo? given, Func<string, string?>? getVariable = null)
    {
        getVariable ??= System.Environment.GetEnvironmentVariable;
        return given ?? new DirectoryInfo(getVariable("XDG_STATE_HOME") is { Length: > 0 } xdg
            ? Path.Combine(xdg, "failover", "local")
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".failover", "local"));
    }

    /// <summary>
    /// Starts the detached serve process and waits until the environment is deployed. Exit codes: 0 started; 2 the plan
    /// cannot be used, the local AWS could not start, or one already runs (its environment is printed again).
    /// </summary>
    public static async Task<int> UpAsync(FileInfo? planFile, DirectoryInfo stateDir, Terminal terminal, CancellationToken cancellationToken)
    {
        var planPath = planFile?.FullName ?? LocalEnvironment.PlanPath;
        try
        {
            PlanDocument.Parse(await File.ReadAllTextAsync(planPath, cancellationToken));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return terminal.Fail(ExitCodes.InputError, $"Plan not readable: {planPath}: {ex.Message}");
        }
        catch (PlanInvalidException ex)
        {
            return PlanErrors.Print(terminal.Error, ex);
        }

        if (ReadState(stateDir) is { } existing)
        {
            if (IsServing(existing.ProcessId))
            {
                terminal.Fail(ExitCodes.InputError, $"A local AWS already runs (process {existing.ProcessId}, state {StatePath(stateDir)}); its environment:");
                PrintEnvironment(existing, terminal);
                return ExitCodes.InputError;
            }

            // The last one died without cleaning up: make sure its moto_server is gone too before starting anew.
            StopLeftovers(existing);
            File.Delete(StatePath(stateDir));
        }

        stateDir.Create();
        var logPath = Path.Combine(stateDir.FullName, "local.log");
        terminal.Error.MarkupLineInterpolated($"Starting the local AWS (moto + gateway) and deploying {planPath}; log {logPath}");
        using var serve = Process.Start(ServeStart(planFile is null ? null : planPath, stateDir, logPath))
            ?? throw new LocalAwsException("could not start the local AWS process");
        try
        {
            var state = await WaitUntilServingAsync(serve, stateDir, logPath, cancellationToken);
            terminal.Error.MarkupLineInterpolated($"Local AWS running (process {state.ProcessId}) at {state.Endpoint}; stop it with: failover local down");
            PrintEnvironment(state, terminal);
            return ExitCodes.Success;
        }
        catch
        {
            // Failed or interrupted before it was ready: nothing of it may stay.
            Stop(serve);
            throw;
        }
    }

    /// <summary>Stops the local AWS and removes the state file. Exit code 0, also when none was running.</summary>
    public static async Task<int> DownAsync(DirectoryInfo stateDir, Terminal terminal, CancellationToken cancellationToken)
    {
        if (ReadState(stateDir) is not { } state)
        {
            terminal.Out.MarkupLineInterpolated($"No local AWS is running (no state file {StatePath(stateDir)}).");
            return ExitCodes.Success;
        }

        var wasServing = IsServing(state.ProcessId);
        if (wasServing)
        {
            // SIGTERM: the serve process cancels its token and disposes the local AWS, which stops moto_server.
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", state.ProcessId.ToString(CultureInfo.InvariantCulture) } });
            await kill!.WaitForExitAsync(cancellationToken);
            var started = TimeProvider.System.GetTimestamp();
            while (IsServing(state.ProcessId) && TimeProvider.System.GetElapsedTime(started) < StopTimeout)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        StopLeftovers(state);
        File.Delete(StatePath(stateDir));
        terminal.Out.MarkupLine(Markup.Escape(wasServing
            ? $"Stopped the local AWS (process {state.ProcessId}) at {state.Endpoint}."
            : $"The local AWS (process {state.ProcessId}) was no longer running; removed its state file."));
        return ExitCodes.Success;
    }

    /// <summary>
    /// The detached process: starts the local AWS, deploys the plan, writes the state file, and serves until SIGTERM or
    /// Ctrl-C; then stops moto_server and removes the state file.
    /// </summary>
    public static async Task<int> ServeAsync(FileInfo? planFile, DirectoryInfo stateDir, Terminal terminal, CancellationToken cancellationToken)
    {
        var planPath = planFile?.FullName ?? LocalEnvironment.PlanPath;
        await using var aws = await LocalAws.StartAsync(null, cancellationToken);
        var environment = await LocalEnvironment.DeployAsync(aws, planPath,
            new LocalEnvironmentOptions { WorkDirectory = stateDir.FullName }, TimeProvider.System, cancellationToken);
        var state = new LocalAwsState
        {
            ProcessId = System.Environment.ProcessId,
            MotoProcessId = aws.Moto.ProcessId,
            Endpoint = aws.Gateway.Endpoint,
            Region = environment.Plan.RecoveryRegion,
            StateMachineArn = environment.StateMachineArn,
            PlanPath = planPath,
            LogPath = Path.Combine(stateDir.FullName, "local.log"),
        };
        // Written whole, then renamed: up never reads half a file.
        var temporary = StatePath(stateDir) + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(state, LocalStateJson.Default.LocalAwsState), cancellationToken);
        File.Move(temporary, StatePath(stateDir), overwrite: true);
        terminal.Out.MarkupLineInterpolated($"Serving plan {environment.Plan.Name} at {state.Endpoint}; state machine {state.StateMachineArn}; function log {environment.FunctionLogPath}");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            terminal.Out.MarkupLine("Stopping.");
        }
        finally
        {
            if (ReadState(stateDir)?.ProcessId == state.ProcessId)
            {
                File.Delete(StatePath(stateDir));
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>The state a running local AWS wrote in <paramref name="stateDir"/>; null when there is none.</summary>
    public static LocalAwsState? ReadState(DirectoryInfo stateDir)
    {
        var path = StatePath(stateDir);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), LocalStateJson.Default.LocalAwsState);
        }
        catch (JsonException ex)
        {
            throw new CliException(ExitCodes.InputError, $"The state file {path} is not a local AWS state ({ex.Message}); remove it.");
        }
    }

    private static string StatePath(DirectoryInfo stateDir) => Path.Combine(stateDir.FullName, StateFileName);

    private static void PrintEnvironment(LocalAwsState state, Terminal terminal)
    {
        if (terminal.Json)
        {
            var variables = new JsonObject();
            foreach (var (name, value) in state.Environment())
            {
                variables[name] = value;
            }

            terminal.WriteJson(new JsonObject
            {
                ["endpoint"] = state.Endpoint.ToString(), ["region"] = state.Region, ["stateMachineArn"] = state.StateMachineArn,
                ["processId"] = state.ProcessId, ["log"] = state.LogPath, ["environment"] = variables,
            }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return;
        }

        // Raw lines (no markup, no wrapping) that a shell can eval: eval "$(failover local up)".
        foreach (var (name, value) in state.Environment())
        {
            terminal.Out.Profile.Out.Writer.WriteLine($"export {name}={value}");
        }
    }

    /// <summary>
    /// The same failover program, re-invoked as <c>local serve</c> in a session of its own (setsid, where there is one)
    /// so that it outlives <c>up</c> and its terminal, with stdin from /dev/null and stdout and stderr to the log.
    /// </summary>
    private static ProcessStartInfo ServeStart(string? planPath, DirectoryInfo stateDir, string logPath)
    {
        var processPath = System.Environment.ProcessPath ?? "dotnet";
        // The installed tool's apphost runs as itself; under dotnet (or a test host) the assembly is run by dotnet.
        string[] self = Path.GetFileNameWithoutExtension(processPath) == "failover"
            ? [processPath]
            : [Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? processPath : System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
                typeof(LocalCommand).Assembly.Location];
        var start = new ProcessStartInfo(File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : "/bin/sh") { UseShellExecute = false };
        if (start.FileName != "/bin/sh")
        {
            start.ArgumentList.Add("/bin/sh");
        }

        foreach (var argument in new[] { "-c", "log=$1; shift; exec \"$@\" >>\"$log\" 2>&1 </dev/null", "sh", logPath }
            .Concat(self).Concat(["local", ServeCommandName, "--state-dir", stateDir.FullName, "--no-color"])
            .Concat(planPath is null ? [] : ["--plan", planPath]))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static async Task<LocalAwsState> WaitUntilServingAsync(Process serve, DirectoryInfo stateDir, string logPath, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < StartTimeout)
        {
            if (ReadState(stateDir) is { } state && state.ProcessId == serve.Id)
            {
                return state;
            }

            if (serve.HasExited)
            {
                throw new LocalAwsException($"the local AWS process exited with code {serve.ExitCode}: {LogTail(logPath)}");
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new LocalAwsException($"the local AWS was not deployed within {StartTimeout.TotalSeconds:0} s: {LogTail(logPath)}");
    }

    private static string LogTail(string logPath)
    {
        var lines = File.Exists(logPath) ? File.ReadAllLines(logPath).Where(l => l.Length > 0).TakeLast(3) : [];
        return string.Join(" | ", lines) is { Length: > 0 } tail ? tail : $"nothing in {logPath}";
    }

    /// <summary>True when <paramref name="processId"/> is alive and is a <c>failover local serve</c> (not a reused id).</summary>
    private static bool IsServing(int processId) => CommandLineOf(processId).Contains(ServeCommandName, StringComparison.Ordinal);

    /// <summary>The process's command line from /proc, arguments separated by spaces; empty when it is gone (or a zombie).</summary>
    private static string CommandLineOf(int processId)
    {
        try
        {
            return File.ReadAllText($"/proc/{processId}/cmdline").Replace('\0', ' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>Kills what a serve process that did not stop left: itself and its moto_server.</summary>
    private static void StopLeftovers(LocalAwsState state)
    {
        foreach (var (processId, marker) in new[] { (state.ProcessId, ServeCommandName), (state.MotoProcessId, "moto_server") })
        {
            if (CommandLineOf(processId).Contains(marker, StringComparison.Ordinal))
            {
                using var process = Process.GetProcessById(processId);
                Stop(process);
            }
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(StopTimeout);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
