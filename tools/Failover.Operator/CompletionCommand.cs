using System.CommandLine;

namespace Failover.Cli;

/// <summary>
/// <c>failover completion bash</c>: a bash completion script. It asks the command itself through System.CommandLine's
/// <c>[suggest:POSITION]</c> directive (the protocol dotnet-suggest uses), so completions always match the installed version.
/// </summary>
public static class CompletionCommand
{
    /// <summary>The script; <c>source &lt;(failover completion bash)</c> in ~/.bashrc enables it.</summary>
    public const string BashScript = """
        # failover bash completion: source <(failover completion bash)
        _failover_complete() {
            local IFS=$'\n'
            COMPREPLY=( $(failover "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null) )
        }
        complete -o default -F _failover_complete failover

        """;

    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var bash = new Command("bash", "Print the bash completion script (add `source <(failover completion bash)` to ~/.bashrc).");
        bash.SetAction(result => result.InvocationConfiguration.Output.Write(BashScript));
        return new Command("completion", "Shell completion scripts.") { bash };
    }
}
