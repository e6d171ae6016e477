using Failover.Core.Reports;

namespace Failover.Testing;

/// <summary>Builds Step Functions histories as the ExecutionHistory adapter reduces them: events after a state is entered carry its name.</summary>
public sealed class HistoryBuilder(DateTimeOffset start)
{
    private readonly List<ExecutionHistoryEvent> _events = [];
    private DateTimeOffset? _at;

    public HistoryBuilder At(double secondsFromStart)
    {
        _at = start + TimeSpan.FromSeconds(secondsFromStart);
        return this;
    }

    public HistoryBuilder Event(string type, string? stateName = null, int payloadBytes = 0)
    {
        _events.Add(new ExecutionHistoryEvent(type, _at ?? start, stateName, payloadBytes));
        return this;
    }

    /// <summary>A Task state that invokes a Lambda function and succeeds.</summary>
    public HistoryBuilder Task(string name, double enteredAt, double exitedAt) =>
        At(enteredAt).Event("TaskStateEntered", name)
            .Event("LambdaFunctionScheduled", name).Event("LambdaFunctionStarted", name)
            .At(exitedAt).Event("LambdaFunctionSucceeded", name).Event("TaskStateExited", name);

    public IReadOnlyList<ExecutionHistoryEvent> Build() => [.. _events];
}
