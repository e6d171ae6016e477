using System.Text;
using Failover.Aws.Clients;
using Failover.Core.Reports;

namespace Failover.Aws.Adapters;

/// <summary>Reduces Step Functions history events to what the report's timeline needs.</summary>
public static class ExecutionHistory
{
    /// <summary>Maps raw events to timeline events, measuring each one's input or output in UTF-8 bytes.</summary>
    public static IReadOnlyList<ExecutionHistoryEvent> ToTimeline(IReadOnlyList<HistoryEvent> events)
    {
        var result = new List<ExecutionHistoryEvent>(events.Count);
        string? currentState = null;
        foreach (var e in events)
        {
            var name = e.Details?["name"]?.GetValue<string>();
            if (name is not null && e.Type.EndsWith("StateEntered", StringComparison.Ordinal))
            {
                currentState = name;
            }

            var payload = e.Details?["input"]?.GetValue<string>() ?? e.Details?["output"]?.GetValue<string>() ?? "";
            result.Add(new ExecutionHistoryEvent(e.Type, e.Timestamp, name ?? (e.Type.StartsWith("Execution", StringComparison.Ordinal) ? null : currentState), Encoding.UTF8.GetByteCount(payload)));
        }

        return result;
    }
}
