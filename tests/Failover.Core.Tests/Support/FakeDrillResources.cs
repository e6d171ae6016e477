using Failover.Core.Ports;

namespace Failover.Core.Tests.Support;

/// <summary>
/// What drills create, in memory: a database copy becomes a read replica of the replica in
/// <see cref="FakeDatabaseInstances"/> (when given one) and is listed by FindAsync until removed.
/// </summary>
public sealed class FakeDrillResources(FakeDatabaseInstances? databases = null) : IDrillResources
{
    /// <summary>Kind of a temporary database copy (as the AWS adapter names it).</summary>
    public const string DatabaseCopy = "database-copy";

    private readonly Lock _gate = new();
    private readonly List<(DrillResource Resource, string ExecutionName)> _resources = [];
    private readonly List<(string CopyId, string ReplicaId, IReadOnlyDictionary<string, string> Tags)> _copies = [];
    private readonly List<DrillResource> _removed = [];

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

    /// <summary>Pretends a drill of <paramref name="executionName"/> left <paramref name="resource"/> behind.</summary>
    public FakeDrillResources With(DrillResource resource, string executionName)
    {
        lock (_gate)
        {
            _resources.Add((resource, executionName));
        }

        return this;
    }

    public Task CreateDatabaseCopyAsync(string copyId, string replicaId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _copies.Add((copyId, replicaId, new Dictionary<string, string>(tags)));
            _resources.Add((new DrillResource(DatabaseCopy, copyId), tags.Values.FirstOrDefault() ?? ""));
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
            return Task.FromResult<IReadOnlyList<DrillResource>>(
                [.. _resources.Where(r => executionName is null || r.ExecutionName == executionName).Select(r => r.Resource)]);
        }
    }

    public Task RemoveAsync(DrillResource resource, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (RemoveFailure is { } failure && failure.Kind == resource.Kind)
        {
            throw failure.Exception;
        }

        lock (_gate)
        {
            _removed.Add(resource);
            _resources.RemoveAll(r => r.Resource == resource);
        }

        databases?.Remove(resource.Id);
        return Task.CompletedTask;
    }
}
