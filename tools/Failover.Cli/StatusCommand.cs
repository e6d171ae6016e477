using System.CommandLine;
using System.Text.Json;
using Amazon.Runtime;
using Failover.Aws;
using Failover.Aws.Adapters;
using Failover.Aws.Transport;
using Failover.Core;
using Failover.Core.Reports;
using Failover.Core.Triggers;
using Spectre.Console;

namespace Failover.Cli;

/// <summary><c>failover status</c>: where an execution is, or how it ended, as the run report.</summary>
public static class StatusCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var execution = new Option<string>("--execution-arn") { Description = "The execution (see the notifications, or the console).", Required = true };
        var region = new Option<string?>("--region") { Description = "Default: the execution ARN's region." };
        var endpoint = StartCommand.EndpointOption();
        var json = new Option<FileInfo?>("--json") { Description = "Also write the run report (the same contract as simulate --json)." };
        var command = new Command("status", "Show an execution's progress or outcome: steps, resources, RTO and RPO.") { execution, region, endpoint, json };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(execution)!, result.GetValue(region), result.GetValue(endpoint), result.GetValue(json),
            null, AnsiConsole.Console, TimeProvider.System, cancellationToken));
        return command;
    }

    /// <summary>Reads and shows the execution. Exit codes: 0 succeeded or still running; 1 failed, stopped or timed out, or AWS refused; 2 unusable input.</summary>
    /// <param name="credentials">Explicit credentials; null uses the default chain.</param>
    public static async Task<int> RunAsync(string executionArn, string? region, Uri? endpoint, FileInfo? jsonFile, AWSCredentials? credentials, IAnsiConsole console, TimeProvider clock, CancellationToken cancellationToken)
    {
        region ??= AlarmEventParser.RegionOf(executionArn);
        if (region is null || !executionArn.StartsWith("arn:", StringComparison.Ordinal) || !executionArn.Contains(":execution:", StringComparison.Ordinal))
        {
            console.MarkupLineInterpolated($"[red]'{executionArn}' is not an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:STATE-MACHINE:NAME).[/]");
            return 2;
        }

        var stepFunctions = new AwsClients(new AwsOptions { Region = region, EndpointUrl = endpoint, Credentials = credentials }, clock).StepFunctions;
        RunReport report;
        try
        {
            report = ExecutionReports.Build(await ExecutionReports.ReadAsync(stepFunctions, executionArn, cancellationToken), [], []);
        }
        catch (AwsServiceException ex)
        {
            console.MarkupLineInterpolated($"[red]{ex.Message}[/]");
            return 1;
        }

        SimulateCommand.Render(report, console);
        if (jsonFile is not null)
        {
            await File.WriteAllTextAsync(jsonFile.FullName, JsonSerializer.Serialize(report, FailoverJson.Indented.RunReport), cancellationToken);
            console.MarkupLineInterpolated($"Report written to {jsonFile.FullName}");
        }

        return report.Execution.Status is "SUCCEEDED" or "RUNNING" ? 0 : 1;
    }
}
