using Failover.Core.Plans;
using Spectre.Console;

namespace Failover.Cli;

/// <summary>How every command reports an invalid plan: each error with its JSON path.</summary>
internal static class PlanErrors
{
    /// <summary>Prints the errors and returns exit code 2 (the plan cannot be used; nothing was done).</summary>
    public static int Print(IAnsiConsole console, PlanInvalidException invalid)
    {
        console.MarkupLine("[red]The plan is invalid:[/]");
        foreach (var error in invalid.Errors)
        {
            console.MarkupLineInterpolated($"  {error.Path}: {error.Message}");
        }

        return 2;
    }
}
