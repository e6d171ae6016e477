using System.Text.Json;
using System.Text.Json.Nodes;
using Failover.Aws.Clients;
using Failover.Core.Ports;
using Failover.Core.Runs;

namespace Failover.Aws.Adapters;

/// <summary>Reads an ended execution with DescribeExecution and GetExecutionHistory.</summary>
public sealed class StepFunctionsExecutionDetails(StepFunctionsClient stepFunctions) : IExecutionDetails
{
    /// <inheritdoc />
    public async Task<ExecutionDetails> ReadAsync(string executionArn, CancellationToken cancellationToken)
    {
        var snapshot = await ExecutionReports.ReadAsync(stepFunctions, executionArn, cancellationToken);
        var execution = snapshot.Execution;
        return new ExecutionDetails(
            execution.ExecutionArn,
            execution.Name,
            execution.Status,
            execution.Error,
            execution.Cause,
            StepFunctionsExecutionHistory.ModeOf(execution.Input),
            ReasonOf(execution.Input),
            RunProgress.Merge(snapshot.RunVersions),
            ExecutionHistory.ToTimeline(snapshot.History));
    }

    // The input was refused by Prepare when the run ended there: read it leniently.
    private static string? ReasonOf(string? input)
    {
        try
        {
            return input is { Length: > 0 } && JsonNode.Parse(input) is JsonObject start && start["reason"] is JsonValue reason && reason.TryGetValue<string>(out var text) ? text : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
