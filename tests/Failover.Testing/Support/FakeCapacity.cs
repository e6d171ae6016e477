using Failover.Core.Plans;
using Failover.Core.Ports;

namespace Failover.Testing;

/// <summary>Auto Scaling groups and ECS services in memory: a scale-up brings its instances or tasks into service
/// <see cref="ArrivalTime"/> after it was requested, on the given clock.</summary>
public sealed class FakeCapacity(TimeProvider clock) : ICapacity
{
    private readonly Dictionary<string, Entry> _recovery = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> _primary = new(StringComparer.Ordinal);

    /// <summary>How long new capacity takes to be in service; null: it never arrives.</summary>
    public TimeSpan? ArrivalTime { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Every size requested, in order.</summary>
    public List<(string Key, CapacitySize Size)> Updates { get; } = [];

    /// <summary>The primary region does not answer.</summary>
    public bool PrimaryDark { get; set; }

    /// <summary>Adds a group or service in the recovery region with <paramref name="desired"/> all in service.</summary>
    public FakeCapacity With(CapacityTarget target, int desired, int? minSize = null, int? maxSize = null, string? launchSource = "launch template lt-1", bool primary = false)
    {
        var entry = new Entry(desired, desired, target.Kind == CapacityKinds.AutoScalingGroup ? minSize ?? desired : null, target.Kind == CapacityKinds.AutoScalingGroup ? maxSize ?? desired : null, launchSource, clock.GetUtcNow());
        (primary ? _primary : _recovery)[Key(target)] = entry;
        return this;
    }

    /// <inheritdoc />
    public Task<CapacityState?> DescribeAsync(CapacityTarget target, CancellationToken cancellationToken) =>
        Task.FromResult(_recovery.TryGetValue(Key(target), out var entry) ? State(entry) : null);

    /// <inheritdoc />
    public Task<CapacityState?> DescribePrimaryAsync(CapacityTarget target, CancellationToken cancellationToken) =>
        PrimaryDark ? throw new TimeoutException("primary region does not answer")
            : Task.FromResult(_primary.TryGetValue(Key(target), out var entry) ? State(entry) : null);

    /// <inheritdoc />
    public Task EnsureAsync(CapacityTarget target, CapacitySize size, CancellationToken cancellationToken)
    {
        var key = Key(target);
        Updates.Add((key, size));
        var entry = _recovery[key];
        _recovery[key] = entry with
        {
            Before = Reached(entry),
            Desired = size.Desired,
            MinSize = size.MinSize ?? entry.MinSize,
            MaxSize = size.MaxSize ?? entry.MaxSize,
            ChangedAt = clock.GetUtcNow(),
        };
        return Task.CompletedTask;
    }

    private static string Key(CapacityTarget target) => target.Kind == CapacityKinds.EcsService ? $"{target.Cluster}/{target.Service}" : target.Name!;

    private CapacityState State(Entry entry)
    {
        var reached = Reached(entry);
        return new CapacityState(entry.Desired, reached, reached >= entry.Desired, entry.MinSize, entry.MaxSize, entry.LaunchSource);
    }

    private int Reached(Entry entry) =>
        ArrivalTime is { } arrival && clock.GetUtcNow() - entry.ChangedAt >= arrival ? entry.Desired : Math.Min(entry.Before, entry.Desired);

    private sealed record Entry(int Desired, int Before, int? MinSize, int? MaxSize, string? LaunchSource, DateTimeOffset ChangedAt);
}
