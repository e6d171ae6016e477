using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Failover.Cli;

/// <summary>The <c>failover</c> command line.</summary>
public static class FailoverCommand
{
    /// <summary>Builds the root command with its subcommands and the global options.</summary>
    public static RootCommand Build() => Build(new GlobalOptions());

    private static RootCommand Build(GlobalOptions global)
    {
        var root = new RootCommand("Failover: disaster-recovery orchestration for AWS (databases, DRS, traffic, notifications).");
        global.AddTo(root);
        root.Subcommands.Add(SimulateCommand.Build(global));
        root.Subcommands.Add(PlanCommand.Build(global));
        root.Subcommands.Add(StartCommand.Build(global));
        root.Subcommands.Add(DrillCommand.Build(global));
        root.Subcommands.Add(ApproveCommand.Build(global));
        root.Subcommands.Add(StatusCommand.Build(global));
        root.Subcommands.Add(ReadinessCommand.Build(global));
        root.Subcommands.Add(LocalCommand.Build(global));
        root.Subcommands.Add(CompletionCommand.Build());
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. A usage error (unknown option, missing or malformed value) prints each
    /// error on stderr and exits 2, as the README documents, instead of System.CommandLine's 1; whatever a command does
    /// not handle itself is one line and an exit code too (<see cref="CliErrors"/>), never a stack trace.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        // Ctrl-C cancels the command's token; this long is left for it to stop the local AWS it started before the process ends.
        configuration ??= new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(15) };
        configuration.EnableDefaultExceptionHandler = false;
        var global = new GlobalOptions();
        var result = Build(global).Parse(args);
        if (result.Action is not ParseErrorAction)
        {
            return await CliErrors.GuardAsync(global.Terminal(result), () => result.InvokeAsync(configuration, cancellationToken), cancellationToken);
        }

        foreach (var error in result.Errors)
        {
            await configuration.Error.WriteLineAsync($"failover: {error.Message}");
        }

        // The root command is named after the executable (testhost under a test runner): call it failover.
        var path = new List<string>();
        for (var command = result.CommandResult; command.Parent is CommandResult parent; command = parent)
        {
            path.Insert(0, command.Command.Name);
        }

        await configuration.Error.WriteLineAsync($"See '{string.Join(' ', ["failover", .. path, "--help"])}'.");
        return ExitCodes.InputError;
    }
}
