using System.CommandLine;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Failover.Aws;
using Failover.Aws.Transport;
using Spectre.Console;

namespace Failover.Cli;

/// <summary><c>failover approve</c>: answers a run that waits for approval (SendTaskSuccess or SendTaskFailure).</summary>
public static class ApproveCommand
{
    /// <summary>The error name a rejected run fails with.</summary>
    public const string RejectedError = "ApprovalRejected";

    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var token = new Option<string>("--token") { Description = "The task token from the approval notification.", Required = true };
        var reject = new Option<bool>("--reject") { Description = "Reject: the run fails before changing anything." };
        var by = new Option<string>("--by") { Description = "Who decides (recorded in the run).", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why (required to reject)." };
        var region = new Option<string>("--region") { Description = "Region of the state machine.", Required = true };
        var endpoint = StartCommand.EndpointOption();
        var command = new Command("approve", "Approve (or reject with --reject) a run that waits for approval.") { token, reject, by, reason, region, endpoint };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(token)!, result.GetValue(reject), result.GetValue(by)!, result.GetValue(reason), result.GetValue(region)!, result.GetValue(endpoint),
            null, AnsiConsole.Console, TimeProvider.System, cancellationToken));
        return command;
    }

    /// <summary>Sends the decision. Exit codes: 0 sent; 1 AWS refused it (e.g. already decided or expired); 2 unusable input.</summary>
    /// <param name="credentials">Explicit credentials; null uses the default chain.</param>
    public static async Task<int> RunAsync(string taskToken, bool reject, string by, string? reason, string region, Uri? endpoint, AWSCredentials? credentials, IAnsiConsole console, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(by) || (reject && string.IsNullOrWhiteSpace(reason)))
        {
            console.MarkupLine("[red]Say who decides (--by), and why when rejecting (--reason).[/]");
            return 2;
        }

        var stepFunctions = new AwsClients(new AwsOptions { Region = region, EndpointUrl = endpoint, Credentials = credentials }, clock).StepFunctions;
        try
        {
            if (reject)
            {
                await stepFunctions.SendTaskFailureAsync(taskToken, RejectedError, $"rejected by {by}: {reason}", cancellationToken);
                console.MarkupLineInterpolated($"Rejected by {by}: the run stops before changing anything.");
            }
            else
            {
                var output = new JsonObject { ["approvedBy"] = by, ["reason"] = reason ?? "", ["at"] = clock.GetUtcNow().ToString("O") }.ToJsonString();
                await stepFunctions.SendTaskSuccessAsync(taskToken, output, cancellationToken);
                console.MarkupLineInterpolated($"Approved by {by}: the run goes on.");
            }

            return 0;
        }
        catch (AwsServiceException ex) when (ex.ErrorCode is "TaskTimedOut" or "TaskDoesNotExist" or "InvalidToken")
        {
            console.MarkupLineInterpolated($"[red]Not sent: {ex.ErrorCode}. The approval was already decided, has expired, or the token is wrong.[/]");
            return 1;
        }
        catch (AwsServiceException ex)
        {
            console.MarkupLineInterpolated($"[red]{ex.Message}[/]");
            return 1;
        }
    }
}
