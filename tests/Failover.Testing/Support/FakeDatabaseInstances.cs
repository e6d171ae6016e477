using Failover.Core.Ports;

namespace Failover.Testing;

/// <summary>
/// RDS instances in memory, promoting like RDS does: PromoteReadReplica is accepted only for an available read
/// replica; the instance then reports "modifying" (still naming its source) for
/// <see cref="DescribesWhileModifying"/> describes, or until <see cref="CompletePromotion"/>, and then
/// reports an available, standalone instance.
/// </summary>
public sealed class FakeDatabaseInstances : IDatabaseInstances
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Instance> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Exception Exception, int Times)> _describeFailures = new(StringComparer.Ordinal);
    private readonly List<string> _describeCalls = [];
    private readonly List<IReadOnlyList<string>> _describeBatches = [];
    private readonly List<string> _promoteCalls = [];

    /// <summary>How many describes after a promotion still report "modifying".</summary>
    public int DescribesWhileModifying { get; set; } = 1;

    /// <summary>When set, every PromoteAsync throws it (after recording the call).</summary>
    public Exception? PromoteFailure { get; set; }

    /// <summary>Every DescribeAsync, by identifier, in order.</summary>
    public IReadOnlyList<string> DescribeCalls
    {
        get
        {
            lock (_gate)
            {
                return [.. _describeCalls];
            }
        }
    }

    /// <summary>The ids of every DescribeManyAsync (one batch each), in order; each id is also in <see cref="DescribeCalls"/>.</summary>
    public IReadOnlyList<IReadOnlyList<string>> DescribeBatches
    {
        get
        {
            lock (_gate)
            {
                return [.. _describeBatches];
            }
        }
    }

    /// <summary>Every PromoteAsync, by identifier, in order (including refused ones).</summary>
    public IReadOnlyList<string> PromoteCalls
    {
        get
        {
            lock (_gate)
            {
                return [.. _promoteCalls];
            }
        }
    }

    /// <summary>Adds a read replica of <paramref name="source"/>.</summary>
    public FakeDatabaseInstances AddReplica(string id, string source = "orders-primary", string status = "available") =>
        Put(id, new Instance(status, source));

    /// <summary>Sets the engine facts RDS reports for <paramref name="id"/> (engine, version, backup retention).</summary>
    public FakeDatabaseInstances SetEngine(string id, string engine, string? engineVersion = null, int? backupRetentionPeriod = null)
    {
        lock (_gate)
        {
            var instance = _instances[id];
            (instance.Engine, instance.EngineVersion, instance.BackupRetentionPeriod) = (engine, engineVersion, backupRetentionPeriod);
        }

        return this;
    }

    /// <summary>Sets the read replication status (StatusInfos) RDS reports for a replica, e.g. error.</summary>
    public FakeDatabaseInstances SetReplicationStatus(string id, string status)
    {
        lock (_gate)
        {
            _instances[id].ReplicationStatus = status;
        }

        return this;
    }

    /// <summary>Adds an instance that is not a replica (for example one promoted by an earlier attempt).</summary>
    public FakeDatabaseInstances AddStandalone(string id, string status = "available") => Put(id, new Instance(status, null));

    /// <summary>Sets the status RDS reports, e.g. a terminal one such as "incompatible-parameters".</summary>
    public void SetStatus(string id, string status)
    {
        lock (_gate)
        {
            _instances[id].Status = status;
        }
    }

    /// <summary>Finishes a promotion now: the next describe reports an available, standalone instance.</summary>
    public void CompletePromotion(string id)
    {
        lock (_gate)
        {
            var instance = _instances[id];
            instance.Status = "available";
            instance.Source = null;
            instance.ModifyingDescribesLeft = null;
        }
    }

    /// <summary>Deletes the instance: describes return null from now on.</summary>
    public void Remove(string id)
    {
        lock (_gate)
        {
            _instances.Remove(id);
        }
    }

    /// <summary>Makes the next <paramref name="times"/> describes of <paramref name="id"/> throw (all of them by default).</summary>
    public void FailDescribe(string id, Exception exception, int times = int.MaxValue)
    {
        lock (_gate)
        {
            _describeFailures[id] = (exception, times);
        }
    }

    /// <summary>The state as the next describe would see it, without counting as a describe.</summary>
    public DatabaseInstanceState? Peek(string id)
    {
        lock (_gate)
        {
            return _instances.TryGetValue(id, out var i) ? State(id, i) : null;
        }
    }

    public Task<DatabaseInstanceState?> DescribeAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _describeCalls.Add(id);
            if (_describeFailures.TryGetValue(id, out var failure))
            {
                if (failure.Times <= 1)
                {
                    _describeFailures.Remove(id);
                }
                else
                {
                    _describeFailures[id] = (failure.Exception, failure.Times - 1);
                }

                throw failure.Exception;
            }

            if (!_instances.TryGetValue(id, out var instance))
            {
                return Task.FromResult<DatabaseInstanceState?>(null);
            }

            if (instance.ModifyingDescribesLeft is { } left)
            {
                if (left <= 0)
                {
                    instance.Status = "available";
                    instance.Source = null;
                    instance.ModifyingDescribesLeft = null;
                }
                else
                {
                    instance.ModifyingDescribesLeft = left - 1;
                }
            }

            return Task.FromResult<DatabaseInstanceState?>(State(id, instance));
        }
    }

    /// <summary>Describes each id as <see cref="DescribeAsync"/> does (a failure of one fails the batch, as one call would).</summary>
    public async Task<IReadOnlyDictionary<string, DatabaseInstanceState>> DescribeManyAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _describeBatches.Add([.. ids]);
        }

        var found = new Dictionary<string, DatabaseInstanceState>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in ids)
        {
            if (await DescribeAsync(id, cancellationToken) is { } state)
            {
                found[id] = state;
            }
        }

        return found;
    }

    public Task PromoteAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _promoteCalls.Add(id);
            if (PromoteFailure is { } failure)
            {
                throw failure;
            }

            if (!_instances.TryGetValue(id, out var instance))
            {
                throw new SimulatedAwsException("DBInstanceNotFound", $"DBInstance {id} not found.");
            }

            if (instance.Source is null)
            {
                throw new SimulatedAwsException("InvalidDBInstanceState", $"DB instance {id} is not a read replica.");
            }

            if (instance.Status != "available")
            {
                throw new SimulatedAwsException("InvalidDBInstanceState", $"DB instance {id} is not in available state (status {instance.Status}).");
            }

            instance.Status = "modifying";
            instance.ModifyingDescribesLeft = DescribesWhileModifying;
        }

        return Task.CompletedTask;
    }

    private FakeDatabaseInstances Put(string id, Instance instance)
    {
        lock (_gate)
        {
            _instances[id] = instance;
        }

        return this;
    }

    private static DatabaseInstanceState State(string id, Instance instance) =>
        new(id, instance.Status, instance.Source, instance.Engine, instance.EngineVersion, instance.BackupRetentionPeriod, instance.ReplicationStatus);

    private sealed class Instance(string status, string? source)
    {
        public string Status { get; set; } = status;

        public string? Source { get; set; } = source;

        public string? Engine { get; set; }

        public string? EngineVersion { get; set; }

        public int? BackupRetentionPeriod { get; set; }

        public int? ModifyingDescribesLeft { get; set; }

        public string? ReplicationStatus { get; set; }
    }
}
