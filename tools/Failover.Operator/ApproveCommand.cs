using System.CommandLine;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Failover.Aws.Adapters;
using Failover.Aws.Transport;
using Spectre.Console;

namespace Failover.Cli;

/// <summary><c>failover approve</c>: answers a run that waits for approval (SendTaskSuccess or SendTaskFailure).</summary>
public static class ApproveCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build(GlobalOptions global)
    {
        var token = new Option<string>("--token") { Description = "The task token from the approval notification.", Required = true };
        var reject = new Option<bool>("--reject") { Description = "Reject: the run fails before changing anything." };
        var by = new Option<string>("--by") { Description = "Who decides (recorded in the run).", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why (required to reject)." };
        var plan = new Option<FileInfo?>("--plan") { Description = "The plan, whose recovery region runs the state machine when no region is given otherwise (default: the packaged plan)." };
        var command = new Command("approve", "Approve (or reject with --reject) a run that waits for approval.") { token, reject, by, reason, plan };
        command.SetAction(global.Guarded((result, terminal, cancellationToken) => RunAsync(
            result.GetValue(token)!, result.GetValue(reject), result.GetValue(by)!, result.GetValue(reason), result.GetValue(plan),
            global.Session(result), terminal, TimeProvider.System, cancellationToken)));
        return command;
    }

    /// <summary>
    /// Sends the decision to the state machine's region (<see cref="AwsSession.ResolveRegion"/>; a task token names no
    /// region). Exit codes: 0 sent; 1 Step Functions refused it (already decided, expired, or no such token);
    /// 2 unusable input. Other AWS errors propagate (<see cref="CliErrors"/> maps them).
    /// </summary>
    public static async Task<int> RunAsync(string taskToken, bool reject, string by, string? reason, FileInfo? planFile, AwsSession session, Terminal terminal, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(by) || (reject && string.IsNullOrWhiteSpace(reason)))
        {
            return terminal.Fail(ExitCodes.InputError, "Say who decides (--by), and why when rejecting (--reason).");
        }

        var (region, _) = session.ResolveRegion(fallback: () => PlanRegion.RecoveryRegionOf(planFile));
        var stepFunctions = (await session.ClientsAsync(region, clock, terminal, cancellationToken)).StepFunctions;
        try
        {
            await ApprovalDecisions.SendAsync(stepFunctions, taskToken, reject, by, reason, clock, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode is "TaskTimedOut" or "TaskDoesNotExist" or "InvalidToken")
        {
            // SendTaskSuccess / SendTaskFailure "Errors" (Step Functions API Reference): the token is unknown, expired or used.
            return terminal.Fail(ExitCodes.Failed, $"Not sent: {ex.ErrorCode} in {region}. The approval was already decided, has expired, or the token is wrong (or belongs to another region: --region).");
        }

        if (terminal.Json)
        {
            terminal.WriteJson(new JsonObject { ["decision"] = reject ? "rejected" : "approved", ["by"] = by, ["reason"] = reason }.ToJsonString());
        }
        else if (reject)
        {
            terminal.Out.MarkupLineInterpolated($"Rejected by {by}: the run stops before changing anything.");
        }
        else
        {
            terminal.Out.MarkupLineInterpolated($"Approved by {by}: the run goes on.");
        }

        return ExitCodes.Success;
    }

    /// <summary>The same, in <paramref name="region"/>, writing to one console, with explicit credentials (null: the default chain), and AWS errors as exit codes.</summary>
    public static Task<int> RunAsync(string taskToken, bool reject, string by, string? reason, string? region, Uri? endpoint, AWSCredentials? credentials, IAnsiConsole console, TimeProvider clock, CancellationToken cancellationToken)
    {
        var terminal = Terminal.Single(console);
        var session = new AwsSession { Region = region, EndpointUrl = endpoint, Credentials = credentials };
        return CliErrors.GuardAsync(terminal, () => RunAsync(taskToken, reject, by, reason, null, session, terminal, clock, cancellationToken), cancellationToken);
    }
}
