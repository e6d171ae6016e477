using Failover.Core.Plans;
using Failover.Core.Ports;

namespace Failover.Testing;

/// <summary>
/// Traffic switches in memory. Every switch is wired (ready) unless told otherwise. Flipping a record-upsert
/// switch returns a Route 53 change id (C0001, C0002, ...) that reports INSYNC after
/// <see cref="ChecksUntilInSync"/> IsInSync calls, or once <see cref="MarkInSync"/> is called; the other kinds
/// take effect at once and return no change id. Can be told to fail for one switch or for all.
/// </summary>
public sealed class FakeTrafficSwitch : ITrafficSwitch, ISwitchVerifier
{
    private readonly Lock _gate = new();
    private readonly List<TrafficSwitchTarget> _switched = [];
    private readonly List<string> _comments = [];
    private readonly List<IReadOnlyList<string>> _metricBatches = [];
    private readonly List<string> _readinessChecks = [];
    private readonly List<string> _inSyncCalls = [];
    private readonly Dictionary<string, Exception> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _notReady = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _pendingChecks = new(StringComparer.Ordinal);

    /// <summary>When set, every switch throws it.</summary>
    public Exception? Failure { get; set; }

    /// <summary>How many IsInSync calls report PENDING before a change reports INSYNC.</summary>
    public int ChecksUntilInSync { get; set; } = 1;

    /// <summary>Every switch flipped by a successful SwitchAsync or SwitchMetricsAsync, in order.</summary>
    public IReadOnlyList<TrafficSwitchTarget> Switched
    {
        get
        {
            lock (_gate)
            {
                return [.. _switched];
            }
        }
    }

    /// <summary>The switch ids of every successful SwitchMetricsAsync (one batch each), in order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> MetricBatches
    {
        get
        {
            lock (_gate)
            {
                return [.. _metricBatches];
            }
        }
    }

    /// <summary>The comment of every successful SwitchAsync, in order.</summary>
    public IReadOnlyList<string> Comments
    {
        get
        {
            lock (_gate)
            {
                return [.. _comments];
            }
        }
    }

    /// <summary>Every CheckReadyAsync, by switch id, in order.</summary>
    public IReadOnlyList<string> ReadinessChecks
    {
        get
        {
            lock (_gate)
            {
                return [.. _readinessChecks];
            }
        }
    }

    /// <summary>Every IsInSyncAsync, by change id, in order.</summary>
    public IReadOnlyList<string> InSyncCalls
    {
        get
        {
            lock (_gate)
            {
                return [.. _inSyncCalls];
            }
        }
    }

    /// <summary>Makes switching <paramref name="switchId"/> throw.</summary>
    public void FailFor(string switchId, Exception exception)
    {
        lock (_gate)
        {
            _failures[switchId] = exception;
        }
    }

    /// <summary>Makes the readiness check of <paramref name="switchId"/> report <paramref name="missing"/> (e.g. the health check does not exist).</summary>
    public FakeTrafficSwitch NotReady(string switchId, string missing)
    {
        lock (_gate)
        {
            _notReady[switchId] = missing;
        }

        return this;
    }

    /// <summary>Makes the next IsInSync of <paramref name="changeId"/> report INSYNC.</summary>
    public void MarkInSync(string changeId)
    {
        lock (_gate)
        {
            _pendingChecks[changeId] = 0;
        }
    }

    /// <summary>A drill's wiring check: a switch marked <see cref="NotReady"/> reports what is missing.</summary>
    public Task<IReadOnlyList<string>> VerifyAsync(TrafficSwitchTarget target, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>(_notReady.TryGetValue(target.Id, out var missing) ? [missing] : []);
        }
    }

    public Task<IReadOnlyList<string?>> CheckReadyAsync(IReadOnlyList<TrafficSwitchTarget> targets, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _readinessChecks.AddRange(targets.Select(t => t.Id));
            return Task.FromResult<IReadOnlyList<string?>>([.. targets.Select(t => _notReady.GetValueOrDefault(t.Id))]);
        }
    }

    public Task<string?> SwitchAsync(TrafficSwitchTarget target, string comment, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfFailing(target);
            _comments.Add(comment);
            return Task.FromResult(Flip(target));
        }
    }

    /// <summary>Flips the batch as one call: a failure of any of its switches fails the whole batch, as one
    /// PutMetricData does.</summary>
    public Task<IReadOnlyList<string?>> SwitchMetricsAsync(IReadOnlyList<TrafficSwitchTarget> targets, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var target in targets)
            {
                ThrowIfFailing(target);
            }

            _metricBatches.Add([.. targets.Select(t => t.Id)]);
            return Task.FromResult<IReadOnlyList<string?>>([.. targets.Select(Flip)]);
        }
    }

    public Task<bool> IsInSyncAsync(string changeId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _inSyncCalls.Add(changeId);
            if (!_pendingChecks.TryGetValue(changeId, out var pending))
            {
                throw new SimulatedAwsException("NoSuchChange", $"A change with the specified change ID does not exist: {changeId}");
            }

            if (pending <= 0)
            {
                return Task.FromResult(true);
            }

            _pendingChecks[changeId] = pending - 1;
            return Task.FromResult(false);
        }
    }

    private void ThrowIfFailing(TrafficSwitchTarget target)
    {
        if ((Failure ?? _failures.GetValueOrDefault(target.Id)) is { } failure)
        {
            throw failure;
        }
    }

    private string? Flip(TrafficSwitchTarget target)
    {
        _switched.Add(target);
        if (target.Kind == SwitchKinds.HealthCheckInvert || (target.Kind == SwitchKinds.SwitchMetric && target.HealthCheckId is null))
        {
            return null;
        }

        // A record change is followed until INSYNC, a guarded switch metric until its health check is unhealthy.
        var changeId = target.Kind == SwitchKinds.RecordUpsert ? $"C-{target.Id}" : ITrafficSwitch.GuardPrefix + target.HealthCheckId;
        _pendingChecks[changeId] = ChecksUntilInSync;
        return changeId;
    }
}
