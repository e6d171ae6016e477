namespace Failover.Core.Reports;

/// <summary>
/// Where an execution's latest attempt ended. A redrive (redrive-executions.html, "Redriving executions") continues
/// the same execution: its history keeps the failed attempt and goes on after an <c>ExecutionRedriven</c> event, so
/// only the events after the last one describe the attempt that just ended.
/// </summary>
public static class ExecutionAttempts
{
    /// <summary>The history event that opens a redriven attempt (HistoryEventType ExecutionRedriven).</summary>
    public const string RedrivenEvent = "ExecutionRedriven";

    // History event types that report a failed attempt of a task (HistoryEventType in the Step Functions API reference).
    private static readonly HashSet<string> FailureEvents = new(StringComparer.Ordinal)
    {
        "TaskFailed", "TaskTimedOut", "TaskStartFailed", "TaskSubmitFailed",
        "LambdaFunctionFailed", "LambdaFunctionTimedOut", "LambdaFunctionStartFailed", "LambdaFunctionScheduleFailed",
        "ActivityFailed", "ActivityTimedOut", "ActivityScheduleFailed",
    };

    private static readonly HashSet<string> SuccessEvents = new(StringComparer.Ordinal) { "TaskSucceeded", "LambdaFunctionSucceeded", "ActivitySucceeded" };

    /// <summary>The events of the latest attempt: everything after the last redrive, or the whole history.</summary>
    public static IReadOnlyList<ExecutionHistoryEvent> Latest(IReadOnlyList<ExecutionHistoryEvent> history)
    {
        var redriven = -1;
        for (var i = 0; i < history.Count; i++)
        {
            if (history[i].Type == RedrivenEvent)
            {
                redriven = i;
            }
        }

        return redriven < 0 ? history : [.. history.Skip(redriven + 1)];
    }

    /// <summary>How many times the execution was redriven (its <c>ExecutionRedriven</c> events).</summary>
    public static int RedriveCount(IReadOnlyList<ExecutionHistoryEvent> history) => history.Count(e => e.Type == RedrivenEvent);

    /// <summary>
    /// The step the latest attempt ended in: the state whose task failed last without a later success of that state
    /// (a retry that succeeded clears it), else the state it was in when it was stopped or timed out (entered, never
    /// left; the innermost when several are open); null when it ended in no state.
    /// </summary>
    public static string? EndedIn(IReadOnlyList<ExecutionHistoryEvent> history)
    {
        string? failed = null;
        var open = new List<string>();
        foreach (var e in Latest(history))
        {
            if (e.StateName is not { } state)
            {
                continue;
            }

            if (e.Type.EndsWith("StateEntered", StringComparison.Ordinal))
            {
                open.Remove(state);
                open.Add(state);
            }
            else if (e.Type.EndsWith("StateExited", StringComparison.Ordinal))
            {
                open.Remove(state);
                failed = failed == state ? null : failed;
            }
            else if (FailureEvents.Contains(e.Type))
            {
                failed = state;
            }
            else if (SuccessEvents.Contains(e.Type) && failed == state)
            {
                failed = null;
            }
        }

        return failed ?? (open.Count > 0 ? open[^1] : null);
    }
}
