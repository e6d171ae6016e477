using System.CommandLine;
using System.Text.Json.Nodes;
using Failover.Aws.Adapters;
using Failover.Core.Runs;
using Failover.Core.Services;
using Spectre.Console;

namespace Failover.Cli;

/// <summary><c>failover drill cleanup</c>: removes what interrupted drills left behind.</summary>
public static class DrillCommand
{
    /// <summary>Builds the <c>drill</c> command and its <c>cleanup</c> subcommand.</summary>
    public static Command Build(GlobalOptions global)
    {
        var execution = new Option<string?>("--execution") { Description = "Only this drill execution's leftovers (default: every drill's)." };
        var plan = new Option<FileInfo?>("--plan") { Description = "The plan, whose recovery region is cleaned when no region is given otherwise (default: the packaged plan)." };
        var cleanup = new Command("cleanup", "Remove drill copies of databases and DRS drill instances left by interrupted drills. Safe to repeat.")
        {
            execution, plan,
        };
        cleanup.SetAction(global.Guarded((result, terminal, cancellationToken) => CleanupAsync(
            result.GetValue(execution), result.GetValue(plan), global.Session(result), terminal, TimeProvider.System, cancellationToken)));
        return new Command("drill", "Drill housekeeping.") { cleanup };
    }

    /// <summary>
    /// Finds and removes drill leftovers in the recovery region (<see cref="AwsSession.ResolveRegion"/>, the plan's last).
    /// Exit codes: 0 clean (or cleaned); 1 something could not be removed; 2 unusable input. AWS errors propagate
    /// (<see cref="CliErrors"/> maps them).
    /// </summary>
    public static async Task<int> CleanupAsync(string? executionName, FileInfo? planFile, AwsSession session, Terminal terminal, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (region, _) = session.ResolveRegion(fallback: () => PlanRegion.RecoveryRegionOf(planFile));
        var clients = await session.ClientsAsync(region, clock, terminal, cancellationToken);
        DrillCleanup result;
        try
        {
            // A drill still running is using its copies and instances, and removes them itself when it ends.
            var runningDrills = await RunningExecutionsAsync(clients.StepFunctions, cancellationToken);
            // No wait: drill launches still in progress are reported (exit 1), and a later run removes what they launch.
            result = await new DrillCleanupService(new DrillResources(clients.Rds, clients.Drs), clock, TimeSpan.Zero)
                .CleanupEndedDrillsAsync(executionName, runningDrills, cancellationToken);
        }
        catch (Exception ex) when (ex is DrillCleanupFailedException or DrillStillRunningException)
        {
            return terminal.Fail(ExitCodes.Failed, ex.Message);
        }

        if (terminal.Json)
        {
            terminal.WriteJson(new JsonObject
            {
                ["region"] = region,
                ["removed"] = new JsonArray([.. result.Removed.Select(r => JsonValue.Create(r))]),
                ["leftForRunningDrills"] = new JsonArray([.. (result.LeftForRunningDrills ?? []).Select(r => JsonValue.Create(r))]),
            }.ToJsonString());
        }
        else
        {
            terminal.Out.MarkupLineInterpolated($"Removed {result.Removed.Count} drill resource(s) in {region}{(result.Removed.Count > 0 ? ": " + string.Join(", ", result.Removed) : "")}");
            if (result.LeftForRunningDrills is { Count: > 0 } left)
            {
                terminal.Out.MarkupLineInterpolated($"Left {left.Count} resource(s) of drills still running: {string.Join(", ", left)}; their own cleanup removes them when they end");
            }
        }

        return ExitCodes.Success;
    }

    // Every execution running in the region, of any state machine: the cleanup cannot tell which stack a leftover's drill
    // belongs to, and an execution's name is unique within its state machine (drill names carry the plan and the time).
    private static async Task<IReadOnlyList<string>> RunningExecutionsAsync(Failover.Aws.Clients.StepFunctionsClient stepFunctions, CancellationToken cancellationToken)
    {
        var running = new List<string>();
        foreach (var stateMachine in await stepFunctions.ListStateMachinesAsync(cancellationToken))
        {
            running.AddRange((await stepFunctions.ListExecutionsAsync(stateMachine, "RUNNING", cancellationToken)).Select(e => e.Name));
        }

        return running;
    }
}
