using System.Text;
using Failover.Aws.Clients;
using Failover.Core.Reports;

namespace Failover.Aws.Adapters;

/// <summary>Reduces Step Functions history events to what the report's timeline needs.</summary>
public static class ExecutionHistory
{
    /// <summary>
    /// Maps raw events to timeline events, measuring each one's input or output in UTF-8 bytes. An event without a
    /// state name belongs to the state of the event it follows (previousEventId): the branches of a Parallel state
    /// interleave, so the state entered last is not always the one an event belongs to. Without that link the
    /// event belongs to the state entered last.
    /// </summary>
    public static IReadOnlyList<ExecutionHistoryEvent> ToTimeline(IReadOnlyList<HistoryEvent> events)
    {
        var result = new List<ExecutionHistoryEvent>(events.Count);
        var stateOfEvent = new Dictionary<long, string?>();
        string? currentState = null;
        foreach (var e in events)
        {
            var name = e.Details?["name"]?.GetValue<string>();
            if (name is not null && e.Type.EndsWith("StateEntered", StringComparison.Ordinal))
            {
                currentState = name;
            }

            var state = name
                ?? (e.Type.StartsWith("Execution", StringComparison.Ordinal) ? null
                : stateOfEvent.TryGetValue(e.PreviousEventId, out var previous) && previous is not null ? previous
                : currentState);
            stateOfEvent[e.Id] = state;
            var payload = e.Details?["input"]?.GetValue<string>() ?? e.Details?["output"]?.GetValue<string>() ?? "";
            result.Add(new ExecutionHistoryEvent(e.Type, e.Timestamp, state, Encoding.UTF8.GetByteCount(payload)));
        }

        return result;
    }
}
