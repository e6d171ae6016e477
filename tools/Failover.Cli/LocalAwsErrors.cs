using System.CommandLine;
using Failover.Local;

namespace Failover.Cli;

/// <summary>
/// The emulator's errors as the command line reports them. Only simulate and local run the emulator, so the shared error
/// lines (<see cref="CliErrors"/>, in the operator assembly) do not know its exception.
/// </summary>
internal static class LocalAwsErrors
{
    /// <summary>Runs <paramref name="body"/>; a <see cref="LocalAwsException"/> becomes an input error (exit 2) that says what the local AWS reported.</summary>
    public static async Task<int> TranslateAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (LocalAwsException e)
        {
            throw new CliException(ExitCodes.InputError, $"Local AWS error: {CliErrors.OneLine(e.Message)}", e);
        }
    }

    /// <summary><see cref="GlobalOptions.Guarded"/> for a command that runs the emulator.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Guarded(GlobalOptions global, Func<ParseResult, Terminal, CancellationToken, Task<int>> action) =>
        global.Guarded((result, terminal, cancellationToken) => TranslateAsync(() => action(result, terminal, cancellationToken)));
}
