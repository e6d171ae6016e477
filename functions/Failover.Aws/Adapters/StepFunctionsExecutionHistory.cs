using System.Text.Json;
using System.Text.Json.Nodes;
using Failover.Aws.Clients;
using Failover.Core.Ports;

namespace Failover.Aws.Adapters;

/// <summary>
/// Recent executions of the failover state machine: ListExecutions, then DescribeExecution on the in-flight
/// and recently ended ones to read the mode from their input.
/// </summary>
public sealed class StepFunctionsExecutionHistory(StepFunctionsClient stepFunctions, string stateMachineArn) : IExecutionHistory
{
    /// <summary>At most this many executions are described; any beyond keep an unknown mode (which counts as a failover).</summary>
    public const int MaxDescribed = 25;

    /// <inheritdoc />
    public async Task<IReadOnlyList<ExecutionRecord>> ListRecentAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var all = await stepFunctions.ListExecutionsAsync(stateMachineArn, null, cancellationToken);
        var recent = all
            .Where(e => ExecutionStatuses.IsInFlight(e.Status) || (e.StopDate ?? e.StartDate) >= since)
            .OrderByDescending(e => e.StartDate)
            .ToList();
        var records = new List<ExecutionRecord>(recent.Count);
        for (var i = 0; i < recent.Count; i++)
        {
            var e = recent[i];
            string? mode = null;
            if (i < MaxDescribed)
            {
                var described = await stepFunctions.DescribeExecutionAsync(e.ExecutionArn, cancellationToken);
                mode = ModeOf(described.Input);
            }

            records.Add(new ExecutionRecord(e.Name, e.Status, e.StartDate ?? DateTimeOffset.MinValue, e.StopDate, mode));
        }

        return records;
    }

    /// <summary>The <c>mode</c> of an execution input (failover when absent); null when the input is not a JSON object or its mode not a string.</summary>
    public static string? ModeOf(string? input)
    {
        if (string.IsNullOrEmpty(input))
        {
            return null;
        }

        try
        {
            // A start without a mode runs as a failover (the input's default).
            return JsonNode.Parse(input) is not JsonObject o ? null
                : !o.ContainsKey("mode") ? Failover.Core.Runs.RunModes.Failover
                : o["mode"] is JsonValue v && v.TryGetValue<string>(out var mode) ? mode : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
