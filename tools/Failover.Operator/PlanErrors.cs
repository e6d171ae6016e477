using Failover.Core.Plans;
using Spectre.Console;

namespace Failover.Cli;

/// <summary>How every command reports an invalid plan: each error with its JSON path (and line and column when read from a file).</summary>
internal static class PlanErrors
{
    /// <summary>Prints the errors and returns exit code 2 (the plan cannot be used; nothing was done).</summary>
    public static int Print(IAnsiConsole console, PlanInvalidException invalid)
    {
        console.MarkupLine("[red]The plan is invalid:[/]");
        foreach (var error in invalid.Errors)
        {
            console.MarkupLineInterpolated($"  {error}");
        }

        return 2;
    }
}
