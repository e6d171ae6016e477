using System.Diagnostics;
using Failover.Cli;
using Spectre.Console;

namespace Failover.Cli.Tests;

/// <summary>A terminal over two string writers, as a pipe sees it (no terminal: plain, wide).</summary>
internal sealed class CapturedTerminal : IDisposable
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    public CapturedTerminal(bool json = false) =>
        Terminal = Failover.Cli.Terminal.Create(_out, _error, colour: true, json, debug: false);

    public Terminal Terminal { get; }

    public string Out => _out.ToString();

    public string Error => _error.ToString();

    /// <summary>Both streams, for messages that may go to either.</summary>
    public string All => Out + Error;

    public void Dispose()
    {
        _out.Dispose();
        _error.Dispose();
    }
}

/// <summary>What a run of the real <c>failover</c> program printed and returned.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error);

/// <summary>
/// Runs the built <c>failover</c> program (failover.dll beside the tests) in a process of its own, with no AWS
/// credentials, profiles or instance metadata unless <c>environment</c> adds them.
/// </summary>
internal static class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "failover.dll");

    public static async Task<CliRun> RunAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null, bool pseudoTerminal = false)
    {
        var home = Directory.CreateTempSubdirectory("failover-home-").FullName;
        try
        {
            var start = pseudoTerminal
                // script(1) gives the program a terminal for stdout and stderr, as an operator's shell does.
                ? new ProcessStartInfo("script") { ArgumentList = { "-qec", string.Join(' ', new[] { "dotnet", Dll }.Concat(args).Select(Quote)), "/dev/null" } }
                : new ProcessStartInfo("dotnet") { ArgumentList = { Dll } };
            if (!pseudoTerminal)
            {
                foreach (var arg in args)
                {
                    start.ArgumentList.Add(arg);
                }
            }

            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            start.RedirectStandardInput = true;
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k == "NO_COLOR").ToList())
            {
                start.Environment.Remove(name);
            }

            start.Environment["HOME"] = home;
            start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
            start.Environment["TERM"] = "xterm-256color";
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[name] = value;
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            return new CliRun(process.ExitCode, await output, await error);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
