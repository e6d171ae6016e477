namespace Failover.Testing;

/// <summary>
/// A clock that moves only when told (Microsoft.Extensions.TimeProvider.Testing is not on the package feed).
/// Timers fire, in due order, when <see cref="Advance"/> passes their due time.
/// </summary>
public sealed class ManualClock : TimeProvider
{
    /// <summary>The default start: a fixed instant so names and figures are predictable.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly DateTimeOffset _start;
    private DateTimeOffset _now;

    public ManualClock()
        : this(DefaultStart)
    {
    }

    public ManualClock(DateTimeOffset start)
    {
        _start = start;
        _now = start;
    }

    /// <summary>Timers created and not yet disposed.</summary>
    public int ActiveTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count;
            }
        }
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => (GetUtcNow() - _start).Ticks;

    /// <summary>Moves the clock forward and fires every timer that falls due on the way.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_gate)
        {
            target = _now + by;
        }

        while (true)
        {
            ManualTimer? due;
            lock (_gate)
            {
                due = _timers.Where(t => t.DueAt is { } at && at <= target).OrderBy(t => t.DueAt).FirstOrDefault();
                if (due is null)
                {
                    _now = target;
                    return;
                }

                _now = due.DueAt!.Value;
                due.DueAt = due.Period is { } period && period > TimeSpan.Zero ? _now + period : null;
            }

            due.Fire();
        }
    }

    /// <summary>
    /// Moves the clock <paramref name="step"/> at a time, and only while a timer is waiting, until <paramref name="task"/>
    /// has finished: for code that waits on this clock again and again, so each wait begins at the time it would.
    /// </summary>
    public async Task RunUntilAsync(Task task, TimeSpan step)
    {
        while (!task.IsCompleted)
        {
            if (ActiveTimers > 0)
            {
                Advance(step);
            }
            else
            {
                // The code under test is between two waits (or on I/O): let it run.
                await Task.Delay(1, CancellationToken.None);
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        return timer;
    }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan? Period { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan ? null : period;
            }

            return true;
        }

        public void Dispose()
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
