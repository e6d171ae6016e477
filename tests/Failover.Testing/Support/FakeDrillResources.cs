using Failover.Core.Ports;

namespace Failover.Testing;

/// <summary>
/// What drills create, in memory: a database copy becomes a read replica of the replica in
/// <see cref="FakeDatabaseInstances"/> (when given one) and is listed by FindAsync until removed. A DRS drill launch
/// (<see cref="WithLaunch"/>) is in progress until the clock reaches its launch time; then its instances are listed.
/// </summary>
public sealed class FakeDrillResources(FakeDatabaseInstances? databases = null, TimeProvider? clock = null) : IDrillResources
{
    private readonly Lock _gate = new();
    private readonly List<(DrillResource Resource, string ExecutionName)> _resources = [];
    private readonly List<Launch> _launches = [];
    private readonly List<(string CopyId, string ReplicaId, IReadOnlyDictionary<string, string> Tags)> _copies = [];
    private readonly List<DrillResource> _removed = [];
    private readonly List<IReadOnlyList<string>> _terminateCalls = [];
    private readonly HashSet<string> _failTermination = new(StringComparer.Ordinal);
    private readonly List<DateTimeOffset> _launchReads = [];

    /// <summary>When set, finding resources throws it.</summary>
    public Exception? FindFailure { get; set; }

    /// <summary>When set, removing a resource of this kind throws it (the resource stays).</summary>
    public (string Kind, Exception Exception)? RemoveFailure { get; set; }

    /// <summary>Every copy created, in order.</summary>
    public IReadOnlyList<(string CopyId, string ReplicaId, IReadOnlyDictionary<string, string> Tags)> Copies
    {
        get
        {
            lock (_gate)
            {
                return [.. _copies];
            }
        }
    }

    /// <summary>Every resource removed, in order.</summary>
    public IReadOnlyList<DrillResource> Removed
    {
        get
        {
            lock (_gate)
            {
                return [.. _removed];
            }
        }
    }

    /// <summary>Every TerminateRecoveryInstances call (one DRS job each): the instance ids it named.</summary>
    public IReadOnlyList<IReadOnlyList<string>> TerminateCalls
    {
        get
        {
            lock (_gate)
            {
                return [.. _terminateCalls];
            }
        }
    }

    /// <summary>When the launches in progress were read, in order.</summary>
    public IReadOnlyList<DateTimeOffset> LaunchReads
    {
        get
        {
            lock (_gate)
            {
                return [.. _launchReads];
            }
        }
    }

    /// <summary>Pretends a drill of <paramref name="executionName"/> left <paramref name="resource"/> behind.</summary>
    public FakeDrillResources With(DrillResource resource, string executionName)
    {
        lock (_gate)
        {
            _resources.Add((resource, executionName));
        }

        return this;
    }

    /// <summary>
    /// A drill launch job of <paramref name="executionName"/> that completes at <paramref name="launchedAt"/>, launching
    /// one recovery instance per id in <paramref name="instanceIds"/> (for servers named after them).
    /// </summary>
    public FakeDrillResources WithLaunch(string executionName, string jobId, DateTimeOffset launchedAt, params string[] instanceIds)
    {
        lock (_gate)
        {
            _launches.Add(new Launch(executionName, jobId, launchedAt, instanceIds));
        }

        return this;
    }

    /// <summary>Every TerminateRecoveryInstances call naming this instance fails, as DRS would refuse it.</summary>
    public FakeDrillResources FailTerminationOf(string instanceId)
    {
        lock (_gate)
        {
            _failTermination.Add(instanceId);
        }

        return this;
    }

    public Task CreateDatabaseCopyAsync(string copyId, string replicaId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _copies.Add((copyId, replicaId, new Dictionary<string, string>(tags)));
            _resources.Add((new DrillResource(DrillResourceKinds.DatabaseCopy, copyId), tags.Values.FirstOrDefault() ?? ""));
        }

        databases?.AddReplica(copyId, source: replicaId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DrillResource>> FindAsync(string? executionName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (FindFailure is { } failure)
        {
            throw failure;
        }

        lock (_gate)
        {
            LandCompletedLaunches();
            return Task.FromResult<IReadOnlyList<DrillResource>>(
                [.. _resources.Where(r => executionName is null || r.ExecutionName == executionName)
                    .Select(r => r.Resource.Kind == DrillResourceKinds.RecoveryInstance ? r.Resource with { ExecutionName = r.ExecutionName } : r.Resource)]);
        }
    }

    public Task<IReadOnlyList<DrillLaunch>> FindLaunchesInProgressAsync(string? executionName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _launchReads.Add(Now);
            LandCompletedLaunches();
            return Task.FromResult<IReadOnlyList<DrillLaunch>>(
                [.. _launches.Where(l => executionName is null || l.ExecutionName == executionName).Select(l => new DrillLaunch(l.JobId, [.. l.InstanceIds.Select(ServerOf)], l.ExecutionName))]);
        }
    }

    public Task RemoveDatabaseCopyAsync(string copyId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (RemoveFailure is { Kind: DrillResourceKinds.DatabaseCopy } failure)
        {
            throw failure.Exception;
        }

        lock (_gate)
        {
            Remove(new DrillResource(DrillResourceKinds.DatabaseCopy, copyId));
        }

        databases?.Remove(copyId);
        return Task.CompletedTask;
    }

    public Task TerminateRecoveryInstancesAsync(IReadOnlyList<string> recoveryInstanceIds, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (RemoveFailure is { Kind: DrillResourceKinds.RecoveryInstance } failure)
        {
            throw failure.Exception;
        }

        lock (_gate)
        {
            _terminateCalls.Add([.. recoveryInstanceIds]);
            if (recoveryInstanceIds.FirstOrDefault(_failTermination.Contains) is { } refused)
            {
                throw new SimulatedAwsException("ConflictException", $"Recovery instance {refused} is in a job that is still running");
            }

            foreach (var id in recoveryInstanceIds)
            {
                Remove(new DrillResource(DrillResourceKinds.RecoveryInstance, id));
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The source server id the fake gives the server of <paramref name="instanceId"/>.</summary>
    public static string ServerOf(string instanceId) => "s-" + instanceId[2..];

    private DateTimeOffset Now => (clock ?? TimeProvider.System).GetUtcNow();

    private void Remove(DrillResource resource)
    {
        _removed.Add(resource);
        _resources.RemoveAll(r => r.Resource == resource);
    }

    // Launches whose time has come leave their instances behind and are in progress no more.
    private void LandCompletedLaunches()
    {
        var now = Now;
        foreach (var launch in _launches.Where(l => l.LaunchedAt <= now).ToList())
        {
            _resources.AddRange(launch.InstanceIds.Select(id => (new DrillResource(DrillResourceKinds.RecoveryInstance, id), launch.ExecutionName)));
            _launches.Remove(launch);
        }
    }

    private sealed record Launch(string ExecutionName, string JobId, DateTimeOffset LaunchedAt, IReadOnlyList<string> InstanceIds);
}
