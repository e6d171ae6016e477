using Failover.Core.Ports;

namespace Failover.Testing;

/// <summary>
/// Aurora clusters and global databases in memory, behaving like RDS:
/// <list type="bullet">
/// <item>PromoteReadReplicaDBCluster is accepted only for an available replica cluster; the cluster then reports
/// "promoting" (still naming its source) for <see cref="DescribesWhilePromoting"/> describes, then available and standalone.</item>
/// <item>SwitchoverGlobalCluster and FailoverGlobalCluster are refused while another one is underway or when the target
/// is not a secondary member; a switchover is also refused when the current writer's region does not answer, or when
/// <see cref="Switchovers"/> says so (a refused switchover is answered with a <see cref="SwitchoverRefusal"/>, as the
/// adapter answers RDS's conflicts). The global database then reports FailoverState "switching-over" / "failing-over"
/// for <see cref="DescribesWhileFailingOver"/> describes, after which the target is the writer and no failover is
/// underway; a cancelled switchover reports "cancelling" for as many describes and then keeps the old writer.</item>
/// <item>A region made unreachable throws a transient error on every describe from it; a region that hangs answers
/// nothing until the caller gives up.</item>
/// </list>
/// Every call can be held by a <see cref="ConcurrencyProbe"/> to count calls in flight at once.
/// </summary>
public sealed class FakeAuroraClusters : IAuroraClusters
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Cluster> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Global> _globals = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unreachable = new(StringComparer.Ordinal);
    private readonly HashSet<string> _hanging = new(StringComparer.Ordinal);
    private readonly List<string> _describeClusterCalls = [];
    private readonly List<(string GlobalClusterId, string Region)> _describeGlobalCalls = [];
    private readonly List<string> _promoteClusterCalls = [];
    private readonly List<(string GlobalClusterId, string TargetClusterArn)> _switchoverCalls = [];
    private readonly List<(string GlobalClusterId, string TargetClusterArn)> _failoverCalls = [];

    /// <summary>How many describes after a cluster promotion still report "promoting".</summary>
    public int DescribesWhilePromoting { get; set; } = 1;

    /// <summary>How many describes of the global database after a switchover or failover still report it underway.</summary>
    public int DescribesWhileFailingOver { get; set; } = 1;

    /// <summary>What RDS does with a switchover of a healthy global database: accept it, refuse it, or accept and then cancel it.</summary>
    public SwitchoverBehaviour Switchovers { get; set; } = SwitchoverBehaviour.Accept;

    /// <summary>When set, every call enters it first (to count calls in flight at once).</summary>
    public ConcurrencyProbe? Probe { get; set; }

    /// <summary>When set, every promote, switchover and failover throws it (after recording the call).</summary>
    public Exception? ChangeFailure { get; set; }

    public IReadOnlyList<string> DescribeClusterCalls => Snapshot(_describeClusterCalls);

    public IReadOnlyList<(string GlobalClusterId, string Region)> DescribeGlobalCalls => Snapshot(_describeGlobalCalls);

    public IReadOnlyList<string> PromoteClusterCalls => Snapshot(_promoteClusterCalls);

    public IReadOnlyList<(string GlobalClusterId, string TargetClusterArn)> SwitchoverCalls => Snapshot(_switchoverCalls);

    public IReadOnlyList<(string GlobalClusterId, string TargetClusterArn)> FailoverCalls => Snapshot(_failoverCalls);

    /// <summary>Every call that changes something (promote, switchover, failover).</summary>
    public int ChangeCalls
    {
        get
        {
            lock (_gate)
            {
                return _promoteClusterCalls.Count + _switchoverCalls.Count + _failoverCalls.Count;
            }
        }
    }

    /// <summary>Adds a cross-region replica cluster in the recovery region.</summary>
    public FakeAuroraClusters AddReplicaCluster(string id, string? source = null, string status = "available")
    {
        lock (_gate)
        {
            _clusters[id] = new Cluster(Samples.ClusterArn(Samples.RecoveryRegion, id), status, source ?? Samples.ClusterArn(Samples.PrimaryRegion, Samples.PrimaryClusterId));
        }

        return this;
    }

    /// <summary>Adds a cluster that replicates from nothing (for example one promoted by an earlier attempt).</summary>
    public FakeAuroraClusters AddStandaloneCluster(string id, string status = "available")
    {
        lock (_gate)
        {
            _clusters[id] = new Cluster(Samples.ClusterArn(Samples.RecoveryRegion, id), status, null);
        }

        return this;
    }

    /// <summary>Adds a global database whose writer is <paramref name="writerArn"/>, with the given secondary clusters.</summary>
    public FakeAuroraClusters AddGlobalCluster(string globalClusterId, string writerArn, params string[] secondaryArns)
    {
        lock (_gate)
        {
            _globals[globalClusterId] = new Global([writerArn, .. secondaryArns]) { Writer = writerArn };
        }

        return this;
    }

    /// <summary>Sets the status a cluster reports, e.g. a terminal one such as "failed".</summary>
    public void SetClusterStatus(string id, string status)
    {
        lock (_gate)
        {
            _clusters[id].Status = status;
        }
    }

    /// <summary>Deletes a cluster or a global database: describes return null from now on.</summary>
    public void Remove(string id)
    {
        lock (_gate)
        {
            _clusters.Remove(id);
            _globals.Remove(id);
        }
    }

    /// <summary>Sets the global database's FailoverState status as it is now (null: none underway); it stays until changed.</summary>
    public void SetFailoverStatus(string globalClusterId, string? status)
    {
        lock (_gate)
        {
            var global = _globals[globalClusterId];
            global.FailoverStatus = status;
            global.DescribesLeft = null;
        }
    }

    /// <summary>Makes every describe from <paramref name="region"/> throw a transient error (the region is down).</summary>
    public FakeAuroraClusters MakeUnreachable(string region)
    {
        lock (_gate)
        {
            _unreachable.Add(region);
        }

        return this;
    }

    /// <summary>Makes every describe from <paramref name="region"/> wait, answering nothing, until the caller gives up.</summary>
    public FakeAuroraClusters MakeHang(string region)
    {
        lock (_gate)
        {
            _hanging.Add(region);
        }

        return this;
    }

    /// <summary>Sets the SynchronizationStatus a member reports (connected unless set), e.g. pending-resync.</summary>
    public void SetSynchronizationStatus(string globalClusterId, string memberArn, string status)
    {
        lock (_gate)
        {
            _globals[globalClusterId].Synchronization[memberArn] = status;
        }
    }

    /// <summary>The writer of a global database, without counting as a describe.</summary>
    public string WriterOf(string globalClusterId)
    {
        lock (_gate)
        {
            return _globals[globalClusterId].Writer;
        }
    }

    public async Task<ClusterState?> DescribeClusterAsync(string clusterId, CancellationToken cancellationToken)
    {
        using var probe = await EnterAsync(cancellationToken);
        lock (_gate)
        {
            _describeClusterCalls.Add(clusterId);
            if (!_clusters.TryGetValue(clusterId, out var cluster))
            {
                return null;
            }

            if (cluster.PromotingDescribesLeft is { } left)
            {
                if (left <= 0)
                {
                    cluster.Status = "available";
                    cluster.Source = null;
                    cluster.PromotingDescribesLeft = null;
                }
                else
                {
                    cluster.PromotingDescribesLeft = left - 1;
                }
            }

            return new ClusterState(clusterId, cluster.Arn, cluster.Status, cluster.Source);
        }
    }

    public async Task PromoteClusterAsync(string clusterId, CancellationToken cancellationToken)
    {
        using var probe = await EnterAsync(cancellationToken);
        lock (_gate)
        {
            _promoteClusterCalls.Add(clusterId);
            if (ChangeFailure is { } failure)
            {
                throw failure;
            }

            if (!_clusters.TryGetValue(clusterId, out var cluster))
            {
                throw new SimulatedAwsException("DBClusterNotFoundFault", $"DBCluster {clusterId} not found.");
            }

            if (cluster.Source is null || cluster.Status != "available")
            {
                throw new SimulatedAwsException("InvalidDBClusterStateFault", $"DB cluster {clusterId} is not an available read replica (status {cluster.Status}).");
            }

            cluster.Status = "promoting";
            cluster.PromotingDescribesLeft = DescribesWhilePromoting;
        }
    }

    public async Task<GlobalClusterState?> DescribeGlobalClusterAsync(string globalClusterId, string region, CancellationToken cancellationToken)
    {
        using var probe = await EnterAsync(cancellationToken);
        bool hangs;
        lock (_gate)
        {
            _describeGlobalCalls.Add((globalClusterId, region));
            hangs = _hanging.Contains(region);
        }

        if (hangs)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        lock (_gate)
        {
            if (_unreachable.Contains(region))
            {
                throw new SimulatedAwsException("RequestTimeout", $"rds.{region}.amazonaws.com did not answer");
            }

            if (!_globals.TryGetValue(globalClusterId, out var global))
            {
                return null;
            }

            if (global.DescribesLeft is { } left)
            {
                if (left <= 0)
                {
                    global.Writer = global.Cancelled ? global.Writer : global.Target!;
                    global.FailoverStatus = null;
                    global.DescribesLeft = null;
                }
                else
                {
                    global.DescribesLeft = left - 1;
                }
            }

            return new GlobalClusterState(globalClusterId, global.FailoverStatus,
                [.. global.Members.Select(m => new GlobalClusterMember(m, m == global.Writer, global.Synchronization.GetValueOrDefault(m, GlobalClusterMember.Connected)))]);
        }
    }

    public async Task<SwitchoverRefusal?> SwitchoverGlobalClusterAsync(string globalClusterId, string targetClusterArn, CancellationToken cancellationToken)
    {
        using var probe = await EnterAsync(cancellationToken);
        lock (_gate)
        {
            _switchoverCalls.Add((globalClusterId, targetClusterArn));
            Global global;
            try
            {
                global = Changeable(globalClusterId, targetClusterArn);
            }
            catch (SimulatedAwsException ex) when (ex.Code.StartsWith("Invalid", StringComparison.Ordinal))
            {
                return new SwitchoverRefusal(ex.Message);
            }

            var writerRegion = global.Writer.Split(':')[3];
            if (_unreachable.Contains(writerRegion))
            {
                return new SwitchoverRefusal($"InvalidGlobalClusterStateFault: switchover needs the writer's region {writerRegion}, which does not answer");
            }

            if (Switchovers == SwitchoverBehaviour.Refuse)
            {
                return new SwitchoverRefusal($"InvalidGlobalClusterStateFault: the primary cluster of {globalClusterId} is not healthy");
            }

            Start(global, targetClusterArn, Switchovers == SwitchoverBehaviour.Cancel ? "cancelling" : "switching-over");
            global.Cancelled = Switchovers == SwitchoverBehaviour.Cancel;
            return null;
        }
    }

    public async Task FailoverGlobalClusterAsync(string globalClusterId, string targetClusterArn, CancellationToken cancellationToken)
    {
        using var probe = await EnterAsync(cancellationToken);
        lock (_gate)
        {
            _failoverCalls.Add((globalClusterId, targetClusterArn));
            Start(Changeable(globalClusterId, targetClusterArn), targetClusterArn, "failing-over");
        }
    }

    private Global Changeable(string globalClusterId, string targetClusterArn)
    {
        if (ChangeFailure is { } failure)
        {
            throw failure;
        }

        if (!_globals.TryGetValue(globalClusterId, out var global))
        {
            throw new SimulatedAwsException("GlobalClusterNotFoundFault", $"Global cluster {globalClusterId} not found.");
        }

        if (global.FailoverStatus is not null)
        {
            throw new SimulatedAwsException("InvalidGlobalClusterStateFault", $"Global cluster {globalClusterId} is {global.FailoverStatus}.");
        }

        if (!global.Members.Contains(targetClusterArn) || global.Writer == targetClusterArn)
        {
            throw new SimulatedAwsException("InvalidDBClusterStateFault", $"{targetClusterArn} is not a secondary cluster of {globalClusterId}.");
        }

        return global;
    }

    private void Start(Global global, string targetClusterArn, string status)
    {
        global.Cancelled = false;
        global.FailoverStatus = status;
        global.Target = targetClusterArn;
        global.DescribesLeft = DescribesWhileFailingOver;
    }

    private async Task<IDisposable?> EnterAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Probe is { } probe ? await probe.EnterAsync(cancellationToken) : null;
    }

    private IReadOnlyList<T> Snapshot<T>(List<T> list)
    {
        lock (_gate)
        {
            return [.. list];
        }
    }

    private sealed class Cluster(string arn, string status, string? source)
    {
        public string Arn { get; } = arn;

        public string Status { get; set; } = status;

        public string? Source { get; set; } = source;

        public int? PromotingDescribesLeft { get; set; }
    }

    private sealed class Global(IReadOnlyList<string> members)
    {
        public IReadOnlyList<string> Members { get; } = members;

        public string Writer { get; set; } = "";

        public string? FailoverStatus { get; set; }

        public string? Target { get; set; }

        public int? DescribesLeft { get; set; }

        /// <summary>The operation underway was cancelled: it ends with the old writer.</summary>
        public bool Cancelled { get; set; }

        public Dictionary<string, string> Synchronization { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>What RDS does with a switchover of a healthy-looking global database.</summary>
public enum SwitchoverBehaviour
{
    /// <summary>Accepted: the target becomes the writer.</summary>
    Accept,

    /// <summary>Refused at once (InvalidGlobalClusterStateFault).</summary>
    Refuse,

    /// <summary>Accepted, then cancelled: FailoverState "cancelling", then back to the old writer.</summary>
    Cancel,
}
