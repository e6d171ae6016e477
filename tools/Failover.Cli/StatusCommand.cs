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
        var json = new Option<FileInfo?>("--json") { Description = "Also write the run report (the same contract as simulate --json)." };
        var command = new Command("status", "Show an execution's progress or outcome: steps, resources, RTO and RPO.") { execution, json };
        command.SetAction(global.Guarded((result, terminal, cancellationToken) =>
            RunAsync(result.GetValue(execution)!, result.GetValue(json), global.Session(result), terminal, TimeProvider.System, cancellationToken)));
        return command;
    }

    /// <summary>
    /// Reads and shows the execution. Exit codes: 0 succeeded or still running; 1 failed, stopped or timed out;
    /// 2 not an execution ARN. AWS errors propagate (<see cref="CliErrors"/> maps them).
    /// </summary>
    public static async Task<int> RunAsync(string executionArn, FileInfo? jsonFile, AwsSession session, Terminal terminal, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!ExecutionArn().IsMatch(executionArn))
        {
            return terminal.Fail(ExitCodes.InputError, $"'{executionArn}' is not an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:STATE-MACHINE:NAME).");
        }

        ReportFiles.Prepare(jsonFile);
        var (region, _) = session.ResolveRegion(executionArn);
        var stepFunctions = (await session.ClientsAsync(region, clock, terminal, cancellationToken)).StepFunctions;
        var report = ExecutionReports.Build(await ExecutionReports.ReadAsync(stepFunctions, executionArn, cancellationToken), [], []);
        if (terminal.Json)
        {
            terminal.WriteJson(JsonSerializer.Serialize(report, FailoverJson.Indented.RunReport));
        }
        else
        {
            SimulateCommand.Render(report, terminal.Out);
        }

        await ReportFiles.WriteReportAsync(jsonFile, null, report, terminal, cancellationToken);
        return report.Execution.Status is "SUCCEEDED" or "RUNNING" ? ExitCodes.Success : ExitCodes.Failed;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:\s]+:[^:\s]+$")]
    private static partial System.Text.RegularExpressions.Regex ExecutionArn();
}
