namespace Failover.Testing;

/// <summary>
/// Counts the calls a fake port is serving at once. Every call is held until <paramref name="barrier"/> calls are
/// in flight together (so a test proves the work really runs in parallel, not one at a time); then the gate
/// opens for good. A call that waits longer than <see cref="MaxWait"/> fails with a message saying how many
/// calls ran at once.
/// </summary>
/// <param name="barrier">Calls that must be in flight together before any proceeds; 1 holds nothing.</param>
public sealed class ConcurrencyProbe(int barrier)
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _maxInFlight;
    private int _calls;

    /// <summary>How long a held call waits for the others (real time: the work runs on the thread pool).</summary>
    public static TimeSpan MaxWait { get; } = TimeSpan.FromSeconds(15);

    /// <summary>The most calls that were in flight at the same time.</summary>
    public int MaxInFlight
    {
        get
        {
            lock (_gate)
            {
                return _maxInFlight;
            }
        }
    }

    /// <summary>Every call that entered.</summary>
    public int Calls
    {
        get
        {
            lock (_gate)
            {
                return _calls;
            }
        }
    }

    /// <summary>Enters a call; dispose the result when the call ends.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _calls++;
            _inFlight++;
            _maxInFlight = Math.Max(_maxInFlight, _inFlight);
            if (_inFlight >= barrier)
            {
                _open.TrySetResult();
            }
        }

        try
        {
            await _open.Task.WaitAsync(MaxWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            Exit();
            throw new TimeoutException($"only {MaxInFlight} call(s) ran at once; {barrier} were expected to run together");
        }
        catch (OperationCanceledException)
        {
            Exit();
            throw;
        }

        // Stay in flight a little, so calls that are not bounded pile up and are counted.
        await Task.Yield();
        return new Exiting(this);
    }

    private void Exit()
    {
        lock (_gate)
        {
            _inFlight--;
        }
    }

    private sealed class Exiting(ConcurrencyProbe probe) : IDisposable
    {
        public void Dispose() => probe.Exit();
    }
}
