namespace Failover.Core.Ports;

/// <summary>Values of <see cref="AlarmStatus.State"/> (CloudWatch's StateValue).</summary>
public static class AlarmStateValues
{
    /// <summary>The alarm's condition is not met.</summary>
    public const string Ok = "OK";

    /// <summary>The alarm's condition is met: the state that can start a failover.</summary>
    public const string Alarm = "ALARM";

    /// <summary>CloudWatch has too little data to judge (missing datapoints, a new alarm); never starts a failover.</summary>
    public const string InsufficientData = "INSUFFICIENT_DATA";
}

/// <summary>The current state of one alarm (metric or composite), as CloudWatch reports it now.</summary>
/// <param name="AlarmArn">The alarm's ARN.</param>
/// <param name="AlarmName">The alarm's name.</param>
/// <param name="State">OK, ALARM or INSUFFICIENT_DATA (<see cref="AlarmStateValues"/>).</param>
/// <param name="Since">When the alarm entered <paramref name="State"/> (StateTransitionedTimestamp, else StateUpdatedTimestamp).</param>
public sealed record AlarmStatus(string AlarmArn, string AlarmName, string State, DateTimeOffset Since);

/// <summary>Reads alarm states at decision time (CloudWatch DescribeAlarms, metric and composite alarms).</summary>
public interface IAlarmStates
{
    /// <summary>The current state of each alarm named by ARN; alarms that do not exist (or cannot be read) are absent from the result.</summary>
    Task<IReadOnlyList<AlarmStatus>> ReadAsync(IReadOnlyList<string> alarmArns, CancellationToken cancellationToken);
}

/// <summary>Values of <see cref="ExecutionRecord.Status"/> (Step Functions execution status).</summary>
public static class ExecutionStatuses
{
    /// <summary>The execution is in flight: the trigger starts no second run of the plan.</summary>
    public const string Running = "RUNNING";

    /// <summary>The execution reached its last state without error; its output is the run report.</summary>
    public const string Succeeded = "SUCCEEDED";

    /// <summary>The execution failed at a step; the failure notifier reports it.</summary>
    public const string Failed = "FAILED";

    /// <summary>The execution exceeded the state machine's TimeoutSeconds.</summary>
    public const string TimedOut = "TIMED_OUT";

    /// <summary>The execution was stopped (StopExecution), e.g. by an operator.</summary>
    public const string Aborted = "ABORTED";

    /// <summary>A redrive was requested: the execution is about to run again.</summary>
    public const string PendingRedrive = "PENDING_REDRIVE";

    /// <summary>True for executions that are running or about to run again.</summary>
    public static bool IsInFlight(string status) => status is Running or PendingRedrive;
}

/// <summary>One execution of the failover state machine, as the trigger needs it.</summary>
/// <param name="Name">Execution name.</param>
/// <param name="Status">RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED or PENDING_REDRIVE (<see cref="ExecutionStatuses"/>).</param>
/// <param name="StartDate">When it started.</param>
/// <param name="StopDate">When it ended; null while in flight.</param>
/// <param name="Mode">The <c>mode</c> of its input (failover, drill, switchover); null when the input could not be read.</param>
public sealed record ExecutionRecord(string Name, string Status, DateTimeOffset StartDate, DateTimeOffset? StopDate, string? Mode);

/// <summary>Executions of the failover state machine (Step Functions ListExecutions + DescribeExecution).</summary>
public interface IExecutionHistory
{
    /// <summary>Executions that are in flight, or that ended at or after <paramref name="since"/>, newest first.</summary>
    Task<IReadOnlyList<ExecutionRecord>> ListRecentAsync(DateTimeOffset since, CancellationToken cancellationToken);
}
