using System.CommandLine;
using Amazon.Runtime;
using Failover.Aws;
using Failover.Aws.Adapters;
using Failover.Aws.Transport;
using Failover.Core.Plans;
using Failover.Core.Services;
using Failover.Local;
using Spectre.Console;

namespace Failover.Cli;

/// <summary><c>failover drill cleanup</c>: removes what interrupted drills left behind.</summary>
public static class DrillCommand
{
    /// <summary>Builds the <c>drill</c> command and its <c>cleanup</c> subcommand.</summary>
    public static Command Build()
    {
        var execution = new Option<string?>("--execution") { Description = "Only this drill execution's leftovers (default: every drill's)." };
        var region = new Option<string?>("--region") { Description = "The recovery region (default: the plan's)." };
        var endpoint = StartCommand.EndpointOption();
        var plan = new Option<FileInfo?>("--plan") { Description = "The plan (for its recovery region; default: the packaged plan)." };
        var cleanup = new Command("cleanup", "Remove drill copies of databases and DRS drill instances left by interrupted drills. Safe to repeat.")
        {
            execution, region, endpoint, plan,
        };
        cleanup.SetAction((result, cancellationToken) => CleanupAsync(
            result.GetValue(execution), result.GetValue(region), result.GetValue(endpoint), result.GetValue(plan), null, AnsiConsole.Console, TimeProvider.System, cancellationToken));
        return new Command("drill", "Drill housekeeping.") { cleanup };
    }

    /// <summary>Finds and removes drill leftovers. Exit codes: 0 clean (or cleaned); 1 something could not be removed; 2 unusable input.</summary>
    /// <param name="credentials">Explicit credentials; null uses the default chain.</param>
    public static async Task<int> CleanupAsync(string? executionName, string? region, Uri? endpoint, FileInfo? planFile, AWSCredentials? credentials, IAnsiConsole console, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (region is null)
        {
            var planPath = planFile?.FullName ?? LocalEnvironment.PlanPath;
            try
            {
                region = PlanDocument.Parse(await File.ReadAllTextAsync(planPath, cancellationToken)).RecoveryRegion;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlanInvalidException)
            {
                console.MarkupLineInterpolated($"[red]Give --region, or a readable valid plan:[/] {planPath}: {ex.Message}");
                return 2;
            }
        }

        var clients = new AwsClients(new AwsOptions { Region = region, EndpointUrl = endpoint, Credentials = credentials }, clock);
        try
        {
            // No wait: drill launches still in progress are reported (exit 1), and a later run removes what they launch.
            var result = await new DrillCleanupService(new DrillResources(clients.Rds, clients.Drs), clock, TimeSpan.Zero).CleanupAsync(executionName, cancellationToken);
            console.MarkupLineInterpolated($"Removed {result.Removed.Count} drill resource(s) in {region}{(result.Removed.Count > 0 ? ": " + string.Join(", ", result.Removed) : "")}");
            return 0;
        }
        catch (DrillCleanupFailedException ex)
        {
            console.MarkupLineInterpolated($"[red]{ex.Message}[/]");
            return 1;
        }
        catch (AwsServiceException ex)
        {
            console.MarkupLineInterpolated($"[red]{ex.Message}[/]");
            return 1;
        }
    }
}
