using System.Text.Json.Nodes;
using Failover.Aws.Clients;

namespace Failover.Aws.Adapters;

/// <summary>
/// Answers a run that waits at "Wait for approval" (a waitForTaskToken task): SendTaskSuccess records who approved and
/// why, and the run goes on; SendTaskFailure fails it there with <see cref="RejectedError"/>, before anything changed.
/// </summary>
public static class ApprovalDecisions
{
    /// <summary>The error name a rejected run fails with.</summary>
    public const string RejectedError = "ApprovalRejected";

    /// <summary>Sends the decision. Step Functions refuses a token that is unknown, expired or already answered (TaskDoesNotExist, TaskTimedOut, InvalidToken).</summary>
    public static async Task SendAsync(StepFunctionsClient stepFunctions, string taskToken, bool reject, string by, string? reason, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (reject)
        {
            await stepFunctions.SendTaskFailureAsync(taskToken, RejectedError, $"rejected by {by}: {reason}", cancellationToken);
        }
        else
        {
            var output = new JsonObject { ["approvedBy"] = by, ["reason"] = reason ?? "", ["at"] = clock.GetUtcNow().ToString("O") }.ToJsonString();
            await stepFunctions.SendTaskSuccessAsync(taskToken, output, cancellationToken);
        }
    }
}
