using Spectre.Console;

namespace Failover.Cli;

/// <summary><c>failover simulate --event FILE</c>: delivers an event through the local AWS's trigger path.</summary>
public static class SimulateEventCommand
{
    /// <summary>Delivers the event and reports the decision.</summary>
    public static Task<int> RunAsync(FileInfo? planFile, FileInfo eventFile, FileInfo? jsonFile, IAnsiConsole console, CancellationToken cancellationToken) =>
        throw new NotSupportedException("being written");
}
