using Failover.Core.Ports;

namespace Failover.Testing;

/// <summary>
/// CloudWatch DescribeAlarms in memory: alarms that were set are reported, others are absent (as for an
/// alarm that does not exist). <see cref="BeforeRead"/> runs before every read, e.g. to flip an alarm while
/// the trigger waits for its sustain period.
/// </summary>
public sealed class FakeAlarmStates : IAlarmStates
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AlarmStatus> _alarms = new(StringComparer.Ordinal);

    /// <summary>When set, every read throws it, as throttling or a 5xx would.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Runs before each read with the read's number (1 for the first).</summary>
    public Action<int>? BeforeRead { get; set; }

    /// <summary>How many reads were made.</summary>
    public int Reads { get; private set; }

    /// <summary>Sets an alarm's state and the time it entered it.</summary>
    public FakeAlarmStates Set(string alarmArn, string state, DateTimeOffset since)
    {
        lock (_gate)
        {
            _alarms[alarmArn] = new AlarmStatus(alarmArn, alarmArn[(alarmArn.IndexOf(":alarm:", StringComparison.Ordinal) + 7)..], state, since);
        }

        return this;
    }

    /// <summary>The alarm is in ALARM since <paramref name="since"/>.</summary>
    public FakeAlarmStates InAlarm(string alarmArn, DateTimeOffset since) => Set(alarmArn, AlarmStateValues.Alarm, since);

    /// <summary>The alarm is OK since <paramref name="since"/>.</summary>
    public FakeAlarmStates Ok(string alarmArn, DateTimeOffset since) => Set(alarmArn, AlarmStateValues.Ok, since);

    /// <summary>Forgets an alarm, as if it had been deleted.</summary>
    public FakeAlarmStates Remove(string alarmArn)
    {
        lock (_gate)
        {
            _alarms.Remove(alarmArn);
        }

        return this;
    }

    public Task<IReadOnlyList<AlarmStatus>> ReadAsync(IReadOnlyList<string> alarmArns, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int read;
        lock (_gate)
        {
            read = ++Reads;
        }

        BeforeRead?.Invoke(read);
        if (Failure is { } failure)
        {
            throw failure;
        }

        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<AlarmStatus>>([.. alarmArns.Where(_alarms.ContainsKey).Select(a => _alarms[a])]);
        }
    }
}
