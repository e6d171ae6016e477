using System.CommandLine;
using System.Text.Json;
using Failover.Aws.Adapters;
using Failover.Core;

namespace Failover.Cli;

/// <summary><c>failover status</c>: where an execution is, or how it ended, as the run report.</summary>
public static partial class StatusCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build(GlobalOptions global)
    {
        var execution = new Option<string>("--execution-arn") { Description = "The execution (see the notifications, or the console).", Required = true };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the run report (the same contract as simulate --json), with the Markdown (.md) and HTML (.html) pages beside it." };
        var watch = new Option<bool>("--watch") { Description = "Follow the execution phase by phase until it ends, then show its report." };
        var command = new Command("status", "Show an execution's progress or outcome: steps, resources, RTO and RPO.") { execution, json, watch };
        command.SetAction(global.Guarded((result, terminal, cancellationToken) =>
            RunAsync(result.GetValue(execution)!, result.GetValue(json), global.Session(result), terminal, TimeProvider.System, cancellationToken, result.GetValue(watch))));
        return command;
    }

    /// <summary>
    /// Reads and shows the execution; with <paramref name="watch"/>, follows it until it ends first (<see cref="RunWatch"/>).
    /// Exit codes: 0 succeeded or still running; 1 failed, stopped or timed out; 2 not an execution ARN. AWS errors
    /// propagate (<see cref="CliErrors"/> maps them).
    /// </summary>
    public static async Task<int> RunAsync(string executionArn, FileInfo? jsonFile, AwsSession session, Terminal terminal, TimeProvider clock, CancellationToken cancellationToken, bool watch = false)
    {
        if (!ExecutionArn().IsMatch(executionArn))
        {
            return terminal.Fail(ExitCodes.InputError, $"'{executionArn}' is not an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:STATE-MACHINE:NAME).");
        }

        var reportFiles = ReportFiles.ReportPaths(jsonFile, null);
        ReportFiles.Prepare(reportFiles.Json, reportFiles.Markdown, reportFiles.Html);
        var (region, _) = session.ResolveRegion(executionArn);
        var stepFunctions = (await session.ClientsAsync(region, clock, terminal, cancellationToken)).StepFunctions;
        var snapshot = watch
            ? await RunWatch.FollowAsync(stepFunctions, executionArn, terminal, clock, cancellationToken)
            : await ExecutionReports.ReadAsync(stepFunctions, executionArn, cancellationToken);
        return await ShowAsync(snapshot, reportFiles, terminal, cancellationToken);
    }

    /// <summary>Shows an execution's report (text or JSON, and the <c>--json</c> file); the exit code by its status.</summary>
    internal static async Task<int> ShowAsync(ExecutionSnapshot snapshot, (FileInfo? Json, FileInfo? Markdown, FileInfo? Html) reportFiles, Terminal terminal, CancellationToken cancellationToken)
    {
        var report = ExecutionReports.Build(snapshot, [], []);
        if (terminal.Json)
        {
            terminal.WriteJson(JsonSerializer.Serialize(report, FailoverJson.Indented.RunReport));
        }
        else
        {
            ReportConsole.Render(report, terminal.Out);
        }

        await ReportFiles.WriteReportAsync(reportFiles, report, terminal, cancellationToken);
        return report.Execution.Status is "SUCCEEDED" or "RUNNING" ? ExitCodes.Success : ExitCodes.Failed;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:\s]+:[^:\s]+$")]
    private static partial System.Text.RegularExpressions.Regex ExecutionArn();
}
