using Failover.Core.Ports;

namespace Failover.Testing;

/// <summary>
/// Elastic Disaster Recovery in memory. Source servers carry a replication state, a lag and tags. StartRecovery
/// creates a job (drsjob- and 17 hex digits) stamped with the clock's time and the tags it was given; the job
/// reports PENDING, then STARTED, and COMPLETED on the <see cref="DescribesUntilCompleted"/>-th DescribeJobs that
/// includes it (or at once after <see cref="CompleteJob"/>). Each participating server then reports LAUNCHED, or
/// FAILED when told with <see cref="FailLaunch"/> (or when it does not exist) — a COMPLETED job can hold FAILED
/// servers, as in DRS. Like DRS, StartRecovery is refused while <see cref="JobLimit"/> jobs are in progress, when
/// more than <see cref="ServersInActiveJobsLimit"/> servers would be in jobs, or when a server is in a job already;
/// <see cref="RefuseNextStarts"/> refuses the next calls as a quota would. Jobs of other tools count
/// (<see cref="AddForeignJob"/>).
/// </summary>
public sealed class FakeRecoveryServers(TimeProvider clock) : IRecoveryServers
{
    private readonly Lock _gate = new();
    private readonly List<Server> _servers = [];
    private readonly List<Job> _jobs = [];
    private readonly HashSet<string> _failingLaunches = new(StringComparer.Ordinal);
    private readonly List<DescribeServersCall> _describeServersCalls = [];
    private readonly List<StartRecoveryCall> _startCalls = [];
    private readonly List<FindJobsCall> _findJobsCalls = [];
    private readonly List<IReadOnlyList<string>> _describeJobsCalls = [];
    private readonly HashSet<int> _lostAnswers = [];
    private int _maxJobsInProgress;
    private int _maxServersInActiveJobs;
    private int _refusedStarts;
    private int _refuseNext;
    private int _startRecoveryCalls;

    /// <summary>DescribeJobs calls including a job until it reports COMPLETED (the ones before report STARTED).</summary>
    public int DescribesUntilCompleted { get; set; } = 2;

    /// <summary>Jobs DRS runs at once: StartRecovery is refused (ConflictException) while this many are not COMPLETED.</summary>
    public int JobLimit { get; set; } = 20;

    /// <summary>Servers DRS keeps in all jobs in progress together (L-05AFA8C6).</summary>
    public int ServersInActiveJobsLimit { get; set; } = 500;

    /// <summary>The most servers in jobs in progress at once, counted after each start.</summary>
    public int MaxServersInActiveJobs
    {
        get
        {
            lock (_gate)
            {
                return _maxServersInActiveJobs;
            }
        }
    }

    /// <summary>StartRecovery calls refused (nothing started).</summary>
    public int RefusedStarts
    {
        get
        {
            lock (_gate)
            {
                return _refusedStarts;
            }
        }
    }

    /// <summary>The next <paramref name="count"/> StartRecovery calls are refused with ServiceQuotaExceededException.</summary>
    public void RefuseNextStarts(int count)
    {
        lock (_gate)
        {
            _refuseNext = count;
        }
    }

    /// <summary>A job another tool started, in progress until completed with <see cref="CompleteJob"/>; returns its id.</summary>
    public string AddForeignJob(params string[] serverIds)
    {
        lock (_gate)
        {
            var job = new Job($"drsjob-f{_jobs.Count + 1:x16}", clock.GetUtcNow(), [.. serverIds], new Dictionary<string, string>()) { DescribesLeft = int.MaxValue };
            _jobs.Add(job);
            return job.Id;
        }
    }

    /// <summary>When set, every StartRecovery throws it before creating a job.</summary>
    public Exception? StartFailure { get; set; }

    /// <summary>The most jobs in progress (not COMPLETED) at once, counted after each start.</summary>
    public int MaxJobsInProgress
    {
        get
        {
            lock (_gate)
            {
                return _maxJobsInProgress;
            }
        }
    }

    public IReadOnlyList<DescribeServersCall> DescribeServersCalls => Snapshot(_describeServersCalls);

    /// <summary>Every StartRecovery that created a job, in order.</summary>
    public IReadOnlyList<StartRecoveryCall> StartCalls => Snapshot(_startCalls);

    public IReadOnlyList<FindJobsCall> FindJobsCalls => Snapshot(_findJobsCalls);

    public IReadOnlyList<IReadOnlyList<string>> DescribeJobsCalls => Snapshot(_describeJobsCalls);

    /// <summary>Adds a source server.</summary>
    public FakeRecoveryServers AddServer(string id, string replicationState = "CONTINUOUS", double? lagSeconds = 1, IReadOnlyDictionary<string, string>? tags = null)
    {
        lock (_gate)
        {
            _servers.Add(new Server(id, replicationState, lagSeconds, tags ?? new Dictionary<string, string>()));
        }

        return this;
    }

    /// <summary>Adds <paramref name="count"/> continuously replicating servers <see cref="Samples.ServerId"/>(first) onwards; returns their ids.</summary>
    public IReadOnlyList<string> AddServers(int count, int first = 1, IReadOnlyDictionary<string, string>? tags = null)
    {
        var ids = Enumerable.Range(first, count).Select(Samples.ServerId).ToList();
        foreach (var id in ids)
        {
            AddServer(id, tags: tags);
        }

        return ids;
    }

    /// <summary>Makes these servers end FAILED in the job that launches them.</summary>
    public void FailLaunch(params string[] serverIds)
    {
        lock (_gate)
        {
            _failingLaunches.UnionWith(serverIds);
        }
    }

    /// <summary>The <paramref name="callNumber"/>-th StartRecovery call (1 for the first) creates its job and then throws, as if its answer was lost.</summary>
    public void LoseAnswerOfStart(int callNumber)
    {
        lock (_gate)
        {
            _lostAnswers.Add(callNumber);
        }
    }

    /// <summary>Completes a job now: the next describe reports it COMPLETED with its servers' final launch status.</summary>
    public void CompleteJob(string jobId)
    {
        lock (_gate)
        {
            _jobs.Single(j => j.Id == jobId).DescribesLeft = 0;
        }
    }

    /// <summary>Every job created, oldest first, as DRS would report it now (without counting as a describe).</summary>
    public IReadOnlyList<RecoveryJobState> Jobs
    {
        get
        {
            lock (_gate)
            {
                return [.. _jobs.Select(ToState)];
            }
        }
    }

    public Task<IReadOnlyList<SourceServerState>> DescribeSourceServersAsync(IReadOnlyList<string> ids, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _describeServersCalls.Add(new DescribeServersCall([.. ids], new Dictionary<string, string>(tags)));
            var found = _servers.Where(s => ids.Contains(s.Id)
                || (tags.Count > 0 && tags.All(t => s.Tags.TryGetValue(t.Key, out var v) && v == t.Value)));
            return Task.FromResult<IReadOnlyList<SourceServerState>>([.. found.Select(s => new SourceServerState(s.Id, s.ReplicationState, s.LagSeconds))]);
        }
    }

    public Task<StartRecoveryOutcome> StartRecoveryAsync(IReadOnlyList<string> sourceServerIds, bool isDrill, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _startRecoveryCalls++;
            if (StartFailure is { } failure)
            {
                throw failure;
            }

            var active = _jobs.Where(j => j.Status != "COMPLETED").ToList();
            var inActiveJobs = active.Sum(j => j.ServerIds.Count);
            var refusal = _refuseNext > 0 ? "ServiceQuotaExceededException: refused as told"
                : active.Count >= JobLimit ? $"ServiceQuotaExceededException (L-D88FAC3A): {active.Count} jobs are in progress; DRS runs at most {JobLimit}"
                : inActiveJobs + sourceServerIds.Count > ServersInActiveJobsLimit ? $"ServiceQuotaExceededException (L-05AFA8C6): {inActiveJobs} servers in jobs; at most {ServersInActiveJobsLimit}"
                : active.SelectMany(j => j.ServerIds).Intersect(sourceServerIds).FirstOrDefault() is { } busy ? $"ConflictException: {busy} is in a job already"
                : null;
            if (refusal is not null)
            {
                _refuseNext = Math.Max(0, _refuseNext - 1);
                _refusedStarts++;
                return Task.FromResult(StartRecoveryOutcome.Refused(refusal));
            }

            var job = new Job($"drsjob-{_jobs.Count + 1:x17}", clock.GetUtcNow(), [.. sourceServerIds], new Dictionary<string, string>(tags))
            {
                DescribesLeft = DescribesUntilCompleted,
            };
            _jobs.Add(job);
            _startCalls.Add(new StartRecoveryCall(job.Id, job.ServerIds, isDrill, job.Tags));
            _maxJobsInProgress = Math.Max(_maxJobsInProgress, active.Count + 1);
            _maxServersInActiveJobs = Math.Max(_maxServersInActiveJobs, inActiveJobs + sourceServerIds.Count);
            if (_lostAnswers.Contains(_startRecoveryCalls))
            {
                throw new SimulatedAwsException("RequestTimeout", "the answer to StartRecovery was lost");
            }

            return Task.FromResult(StartRecoveryOutcome.Started(job.Id));
        }
    }

    public Task<IReadOnlyList<RecoveryJobState>> DescribeActiveJobsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<RecoveryJobState>>([.. _jobs.Where(j => j.Status != "COMPLETED").Select(ToState)]);
        }
    }

    public Task<IReadOnlyList<RecoveryJobState>> FindJobsAsync(DateTimeOffset since, string tagKey, string tagValue, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _findJobsCalls.Add(new FindJobsCall(since, tagKey, tagValue));
            return Task.FromResult<IReadOnlyList<RecoveryJobState>>(
                [.. _jobs.Where(j => j.CreatedAt >= since && j.Tags.TryGetValue(tagKey, out var v) && v == tagValue).Select(ToState)]);
        }
    }

    public Task<IReadOnlyList<RecoveryJobState>> DescribeJobsAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _describeJobsCalls.Add([.. jobIds]);
            var found = _jobs.Where(j => jobIds.Contains(j.Id)).ToList();
            foreach (var job in found)
            {
                job.Described++;
                job.DescribesLeft--;
            }

            return Task.FromResult<IReadOnlyList<RecoveryJobState>>([.. found.Select(ToState)]);
        }
    }

    private RecoveryJobState ToState(Job job)
    {
        var status = job.Status;
        var launches = job.ServerIds.ToDictionary(
            id => id,
            id => status switch
            {
                "COMPLETED" => _failingLaunches.Contains(id) || _servers.All(s => s.Id != id) ? "FAILED" : "LAUNCHED",
                "STARTED" => "IN_PROGRESS",
                _ => "PENDING",
            },
            StringComparer.Ordinal);
        return new RecoveryJobState(job.Id, status, launches, job.Tags);
    }

    private IReadOnlyList<T> Snapshot<T>(List<T> list)
    {
        lock (_gate)
        {
            return [.. list];
        }
    }

    private sealed record Server(string Id, string ReplicationState, double? LagSeconds, IReadOnlyDictionary<string, string> Tags);

    private sealed class Job(string id, DateTimeOffset createdAt, IReadOnlyList<string> serverIds, IReadOnlyDictionary<string, string> tags)
    {
        public string Id { get; } = id;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public IReadOnlyList<string> ServerIds { get; } = serverIds;

        public IReadOnlyDictionary<string, string> Tags { get; } = tags;

        public int DescribesLeft { get; set; }

        public int Described { get; set; }

        public string Status => DescribesLeft <= 0 ? "COMPLETED" : Described > 0 ? "STARTED" : "PENDING";
    }
}

/// <summary>One DescribeSourceServers call of <see cref="FakeRecoveryServers"/>.</summary>
public sealed record DescribeServersCall(IReadOnlyList<string> Ids, IReadOnlyDictionary<string, string> Tags);

/// <summary>One StartRecovery call of <see cref="FakeRecoveryServers"/> and the job it created.</summary>
public sealed record StartRecoveryCall(string JobId, IReadOnlyList<string> ServerIds, bool IsDrill, IReadOnlyDictionary<string, string> Tags);

/// <summary>One FindJobs call of <see cref="FakeRecoveryServers"/>.</summary>
public sealed record FindJobsCall(DateTimeOffset Since, string TagKey, string TagValue);
