using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Failover.Core.Reports;
using Failover.Core.Services;
using Microsoft.AspNetCore.Http;
using static Failover.Local.Drs.DrsWire;

namespace Failover.Local.Drs;

/// <summary>
/// AWS Elastic Disaster Recovery for the local gateway (moto has none): source servers, jobs and recovery
/// instances with a timing model, answering <c>POST /&lt;Op&gt;</c> with the JSON shapes of the DRS model
/// (botocore drs/2020-02-26). A launch job is PENDING for <see cref="JobStartDelay"/>, then STARTED (servers
/// IN_PROGRESS) for <see cref="LaunchDuration"/>, then COMPLETED with each server LAUNCHED, or FAILED when
/// <see cref="FailLaunchOf"/> named it. Time comes from the injected <see cref="TimeProvider"/>. Two service quotas
/// of the General Reference page "AWS Elastic Disaster Recovery endpoints and quotas" (docs.aws.amazon.com/general/latest/gr/drs.html)
/// are enforced on every job, launch or terminate, with ServiceQuotaExceededException (HTTP 402 with serviceCode and quotaCode,
/// botocore drs 2020-02-26): <see cref="MaxSourceServersPerJob"/>, <see cref="MaxSourceServersInActiveJobs"/> and
/// <see cref="MaxConcurrentJobs"/>; a source server in more than <see cref="MaxConcurrentJobsPerSourceServer"/> launch jobs
/// is a ConflictException (409), as the DRS error list has it for a server already participating in a job. Each quota is
/// settable; what the quotas saw is in <see cref="Observed"/>. Servers are indexed by id, and a page of DescribeSourceServers
/// renders only the servers on it, so listing N servers costs O(N) (<see cref="ServerDocumentsRendered"/>).
/// This class keeps the state and the timing and answers each operation; the wire (replies, errors, paging, request
/// fields) is <see cref="DrsWire"/>, and the resources it keeps are the records of DrsRecords.cs.
/// </summary>
public sealed class DrsSimulator
{
    /// <summary>Most source servers one StartRecovery accepts (model limit).</summary>
    public const int MaxServersPerStartRecovery = 200;


    private const string LaunchType = "LAUNCH";
    private const string TerminateType = "TERMINATE";

    private readonly TimeProvider _clock;
    private readonly string _region;
    private readonly string _accountId;
    private readonly Lock _gate = new();
    private readonly List<DrsSourceServer> _servers = [];
    private readonly Dictionary<string, DrsSourceServer> _serversById = new(StringComparer.Ordinal);
    private readonly List<DrsJob> _jobs = [];
    private readonly Dictionary<string, DrsJob> _jobsById = new(StringComparer.Ordinal);
    private readonly HashSet<string> _waves = new(StringComparer.Ordinal);
    private int _launchJobs;
    private int _maxServersPerJob;
    private int _peakServersInActiveJobs;
    private int _peakConcurrentJobs;
    private long _serverDocumentsRendered;
    private readonly List<DrsRecoveryInstance> _instances = [];
    private readonly HashSet<string> _failLaunch = new(StringComparer.Ordinal);

    /// <summary>A simulator for one account and region.</summary>
    public DrsSimulator(TimeProvider clock, string region = "us-west-2", string accountId = "123456789012")
    {
        _clock = clock;
        _region = region;
        _accountId = accountId;
    }

    /// <summary>"Concurrent jobs in progress" (L-D88FAC3A, not adjustable): launch and terminate jobs alike.</summary>
    public int MaxConcurrentJobs { get; set; } = 20;

    /// <summary>"Max source servers in a single Job" (L-B827C881, not adjustable); the API takes up to 200.</summary>
    public int MaxSourceServersPerJob { get; set; } = 100;

    /// <summary>"Max source servers in all Jobs" (L-05AFA8C6, not adjustable): servers in every job in progress together.</summary>
    public int MaxSourceServersInActiveJobs { get; set; } = 500;

    /// <summary>"Max concurrent Jobs per source server" (L-DD6D028C): launch jobs in progress a server may be in.</summary>
    public int MaxConcurrentJobsPerSourceServer { get; set; } = 1;

    /// <summary>What the quotas saw since the start (or <see cref="Clear"/>): every job the account ran, whoever started it.</summary>
    public DrsUsageReport Observed
    {
        get
        {
            lock (_gate)
            {
                return new DrsUsageReport(_launchJobs, _maxServersPerJob, _peakServersInActiveJobs, _peakConcurrentJobs, _waves.Count);
            }
        }
    }

    /// <summary>Source server documents rendered for DescribeSourceServers answers: the work listing costs.</summary>
    public long ServerDocumentsRendered
    {
        get
        {
            lock (_gate)
            {
                return _serverDocumentsRendered;
            }
        }
    }

    /// <summary>How long a new job stays PENDING.</summary>
    public TimeSpan JobStartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a launch job stays STARTED (servers IN_PROGRESS) before it completes.</summary>
    public TimeSpan LaunchDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a terminate job stays STARTED before the instances are gone.</summary>
    public TimeSpan TerminateDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Registers a replicating source server with one recovery snapshot taken now; returns its id.</summary>
    /// <param name="id">The id to register (a plan that names its servers); null: a new one, s- and 17 hex digits.</param>
    public string AddSourceServer(IReadOnlyDictionary<string, string>? tags = null, TimeSpan? lag = null, string dataReplicationState = "CONTINUOUS", string? id = null)
    {
        lock (_gate)
        {
            if (id is not null && _serversById.ContainsKey(id))
            {
                throw new InvalidOperationException($"source server {id} is registered already");
            }

            var now = _clock.GetUtcNow();
            var server = new DrsSourceServer(id ?? "s-" + Hex(17), now, new Dictionary<string, string>(tags ?? new Dictionary<string, string>(), StringComparer.Ordinal))
            {
                ReplicationState = dataReplicationState,
                Lag = lag ?? TimeSpan.Zero,
            };
            server.Snapshots.Add(new DrsSnapshot("pit-" + Hex(17), now, now));
            server.Sequence = _servers.Count;
            _servers.Add(server);
            _serversById.Add(server.Id, server);
            return server.Id;
        }
    }

    /// <summary>Sets a server's dataReplicationState and lag (e.g. STALLED, or a growing lag).</summary>
    public void SetReplication(string sourceServerId, string dataReplicationState, TimeSpan lag)
    {
        lock (_gate)
        {
            var server = FindServer(sourceServerId) ?? throw new ArgumentException($"no source server {sourceServerId}", nameof(sourceServerId));
            server.ReplicationState = dataReplicationState;
            server.Lag = lag;
        }
    }

    /// <summary>Adds a point-in-time snapshot taken at <paramref name="timestamp"/>; returns its id (pit- + 17 hex).</summary>
    public string AddRecoverySnapshot(string sourceServerId, DateTimeOffset timestamp)
    {
        lock (_gate)
        {
            var server = FindServer(sourceServerId) ?? throw new ArgumentException($"no source server {sourceServerId}", nameof(sourceServerId));
            var snapshot = new DrsSnapshot("pit-" + Hex(17), timestamp, timestamp);
            server.Snapshots.Add(snapshot);
            return snapshot.Id;
        }
    }

    /// <summary>Every launch of this server started from now on ends FAILED (the job still COMPLETES).</summary>
    public void FailLaunchOf(string sourceServerId)
    {
        lock (_gate)
        {
            _failLaunch.Add(sourceServerId);
        }
    }

    /// <summary>Launches of this server started from now on succeed again.</summary>
    public void SucceedLaunchOf(string sourceServerId)
    {
        lock (_gate)
        {
            _failLaunch.Remove(sourceServerId);
        }
    }

    /// <summary>Ids of the registered source servers, in the order added.</summary>
    public IReadOnlyList<string> SourceServerIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _servers.Select(s => s.Id)];
            }
        }
    }

    /// <summary>Forgets every server, job and instance.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _servers.Clear();
            _serversById.Clear();
            _jobs.Clear();
            _jobsById.Clear();
            _instances.Clear();
            _failLaunch.Clear();
            _waves.Clear();
            (_launchJobs, _maxServersPerJob, _peakServersInActiveJobs, _peakConcurrentJobs, _serverDocumentsRendered) = (0, 0, 0, 0, 0);
        }
    }

    /// <summary>True when the request is signed for DRS (its SigV4 credential scope names the service "drs").</summary>
    public static bool IsDrsRequest(HttpRequest request) => CredentialScope.Of(request)?.Service == "drs";

    /// <summary>Answers a DRS request (POST /&lt;Op&gt; with a JSON body); returns false, writing nothing, when the request is not for DRS.</summary>
    public async Task<bool> TryHandleAsync(HttpContext context, byte[] body)
    {
        if (!IsDrsRequest(context.Request))
        {
            return false;
        }

        await WriteAsync(context.Response, Handle(context.Request.Method, context.Request.Path.Value ?? "/", body), context.RequestAborted);
        return true;
    }

    /// <summary>One DRS call: the HTTP status, the error type (x-amzn-ErrorType) when it failed, and the JSON reply.</summary>
    internal DrsReply Handle(string method, string path, byte[] body)
    {
        var operation = path.Trim('/');
        JsonObject request;
        try
        {
            request = body.Length == 0 ? [] : JsonNode.Parse(body) as JsonObject ?? throw new JsonException("the body is not a JSON object");
        }
        catch (JsonException ex)
        {
            return Validation($"Unable to parse the request body: {ex.Message}", "cannotParse");
        }

        if (method != "POST")
        {
            return Validation($"{method} {path} is not a DRS operation", "unknownOperation");
        }

        lock (_gate)
        {
            try
            {
                var now = _clock.GetUtcNow();
                Advance(now);
                return operation switch
                {
                    "StartRecovery" => StartRecovery(request, now),
                    "DescribeJobs" => DescribeJobs(request, now),
                    "DescribeJobLogItems" => DescribeJobLogItems(request, now),
                    "DescribeSourceServers" => DescribeSourceServers(request, now),
                    "DescribeRecoverySnapshots" => DescribeRecoverySnapshots(request),
                    "DescribeRecoveryInstances" => DescribeRecoveryInstances(request, now),
                    "TerminateRecoveryInstances" => TerminateRecoveryInstances(request, now),
                    _ => Validation($"Unknown operation {operation}", "unknownOperation"),
                };
            }
            catch (RequestException ex)
            {
                return ex.Reply;
            }
        }
    }

    private DrsReply StartRecovery(JsonObject request, DateTimeOffset now)
    {
        var entries = request["sourceServers"] as JsonArray ?? throw Invalid("sourceServers", "sourceServers is required");
        if (entries.Count is 0 or > MaxServersPerStartRecovery)
        {
            throw Invalid("sourceServers", $"sourceServers must have between 1 and {MaxServersPerStartRecovery} items, not {entries.Count}");
        }

        CheckJobQuotas(entries.Count, now);

        var activeLaunches = _jobs.Where(j => j.Type == LaunchType && Phase(j, now) != "COMPLETED").ToList();
        var picked = new List<(DrsSourceServer Server, DrsSnapshot? DrsSnapshot)>();
        foreach (var entry in entries)
        {
            var id = Str(entry, "sourceServerID") ?? throw Invalid("sourceServerID", "sourceServerID is required");
            var server = FindServer(id) ?? throw NotFound(id, "SOURCE_SERVER", $"Source server {id} not found");
            if (picked.Any(p => p.Server == server))
            {
                throw Invalid("sourceServers", $"Source server {id} appears more than once");
            }

            DrsSnapshot? snapshot = null;
            if (Str(entry, "recoverySnapshotID") is { } snapshotId)
            {
                snapshot = server.Snapshots.FirstOrDefault(s => s.Id == snapshotId) ?? throw NotFound(snapshotId, "RECOVERY_SNAPSHOT", $"Recovery snapshot {snapshotId} not found for {id}");
            }

            var running = activeLaunches.Where(j => j.Servers.Any(s => s.SourceServerId == id)).ToList();
            if (running.Count >= MaxConcurrentJobsPerSourceServer)
            {
                throw new RequestException(Error(409, "ConflictException", $"Source server {id} is already participating in job {running[0].Id}", id, "SOURCE_SERVER"));
            }

            picked.Add((server, snapshot));
        }

        var isDrill = request["isDrill"] is JsonValue drill && drill.TryGetValue<bool>(out var d) && d;
        var job = new DrsJob("drsjob-" + Hex(17), LaunchType, isDrill ? "START_DRILL" : "START_RECOVERY", now, LaunchDuration, Tags(request));
        foreach (var (server, snapshot) in picked)
        {
            // Without a snapshot id DRS takes an on-demand snapshot: the latest data.
            var pointInTime = snapshot ?? new DrsSnapshot("pit-" + Hex(17), now, now);
            if (snapshot is null)
            {
                server.Snapshots.Add(pointInTime);
            }

            job.Servers.Add(new DrsJobServer(server.Id, _failLaunch.Contains(server.Id), pointInTime.Timestamp));
            server.LastLaunch = (job.Id, isDrill);
        }

        AddJob(job, now);
        return new DrsReply(202, null, new JsonObject { ["job"] = JobJson(job, now) });
    }

    private DrsReply DescribeJobs(JsonObject request, DateTimeOffset now)
    {
        var filters = request["filters"] as JsonObject;
        var ids = Strings(filters, "jobIDs");
        var from = Date(filters, "fromDate");
        var to = Date(filters, "toDate");
        var jobs = _jobs
            .Where(j => ids.Count == 0 || ids.Contains(j.Id))
            .Where(j => (from is null || j.Created >= from) && (to is null || j.Created <= to))
            .OrderByDescending(j => j.Created)
            .Select(j => (JsonNode)JobJson(j, now));
        return Page(request, jobs);
    }

    private DrsReply DescribeJobLogItems(JsonObject request, DateTimeOffset now)
    {
        var id = Str(request, "jobID") ?? throw Invalid("jobID", "jobID is required");
        var job = _jobsById.GetValueOrDefault(id) ?? throw NotFound(id, "JOB", $"Job {id} not found");
        var items = new List<(DateTimeOffset At, JsonObject Item)>();
        void Log(DateTimeOffset at, string @event, JsonObject? data = null)
        {
            if (at <= now)
            {
                var item = new JsonObject { ["logDateTime"] = Iso(at), ["event"] = @event };
                if (data is not null)
                {
                    item["eventData"] = data;
                }

                items.Add((at, item));
            }
        }

        Log(job.Created, "JOB_START");
        foreach (var server in job.Servers)
        {
            if (job.Type == LaunchType)
            {
                Log(job.Started(JobStartDelay), "LAUNCH_START", new JsonObject { ["sourceServerID"] = server.SourceServerId });
                if (server.Fails)
                {
                    Log(job.Completed(JobStartDelay), "LAUNCH_FAILED", new JsonObject { ["sourceServerID"] = server.SourceServerId, ["rawError"] = "Simulated launch failure (DrsSimulator.FailLaunchOf)" });
                }
            }
            else
            {
                Log(job.Started(JobStartDelay), "CLEANUP_START", new JsonObject { ["sourceServerID"] = server.SourceServerId, ["targetInstanceID"] = server.RecoveryInstanceId });
                Log(job.Completed(JobStartDelay), "CLEANUP_END", new JsonObject { ["sourceServerID"] = server.SourceServerId, ["targetInstanceID"] = server.RecoveryInstanceId });
            }
        }

        Log(job.Completed(JobStartDelay), "JOB_END");
        return Page(request, items.OrderBy(i => i.At).Select(i => (JsonNode)i.Item));
    }

    private DrsReply DescribeSourceServers(JsonObject request, DateTimeOffset now)
    {
        var ids = Strings(request["filters"] as JsonObject, "sourceServerIDs");
        IReadOnlyList<DrsSourceServer> servers = ids.Count == 0 ? _servers : [.. ids.Select(FindServer).OfType<DrsSourceServer>().OrderBy(s => s.Sequence)];
        return Page(request, servers, server =>
        {
            _serverDocumentsRendered++;
            return ServerJson(server, now);
        });
    }

    private DrsReply DescribeRecoverySnapshots(JsonObject request)
    {
        var id = Str(request, "sourceServerID") ?? throw Invalid("sourceServerID", "sourceServerID is required");
        var server = FindServer(id) ?? throw NotFound(id, "SOURCE_SERVER", $"Source server {id} not found");
        var filters = request["filters"] as JsonObject;
        var from = Date(filters, "fromDateTime");
        var to = Date(filters, "toDateTime");
        var order = Str(request, "order") ?? "ASC";
        if (order is not ("ASC" or "DESC"))
        {
            throw Invalid("order", "order must be ASC or DESC");
        }

        var snapshots = server.Snapshots.Where(s => (from is null || s.Timestamp >= from) && (to is null || s.Timestamp <= to));
        snapshots = order == "ASC" ? snapshots.OrderBy(s => s.ExpectedTimestamp) : snapshots.OrderByDescending(s => s.ExpectedTimestamp);
        return Page(request, snapshots.Select(s => (JsonNode)new JsonObject
        {
            ["snapshotID"] = s.Id,
            ["sourceServerID"] = server.Id,
            ["expectedTimestamp"] = Iso(s.ExpectedTimestamp),
            ["timestamp"] = Iso(s.Timestamp),
            ["ebsSnapshots"] = new JsonArray("snap-" + Hex(17)),
        }));
    }

    private DrsReply DescribeRecoveryInstances(JsonObject request, DateTimeOffset now)
    {
        var filters = request["filters"] as JsonObject;
        var ids = Strings(filters, "recoveryInstanceIDs");
        var servers = Strings(filters, "sourceServerIDs");
        return Page(request, _instances
            .Where(i => (ids.Count == 0 || ids.Contains(i.Id)) && (servers.Count == 0 || servers.Contains(i.SourceServerId)))
            .Select(i => (JsonNode)InstanceJson(i, now)));
    }

    private DrsReply TerminateRecoveryInstances(JsonObject request, DateTimeOffset now)
    {
        var ids = request["recoveryInstanceIDs"] as JsonArray ?? throw Invalid("recoveryInstanceIDs", "recoveryInstanceIDs is required");
        if (ids.Count is 0 or > 200)
        {
            throw Invalid("recoveryInstanceIDs", $"recoveryInstanceIDs must have between 1 and 200 items, not {ids.Count}");
        }

        CheckJobQuotas(ids.Count, now);

        var job = new DrsJob("drsjob-" + Hex(17), TerminateType, "TERMINATE_RECOVERY_INSTANCES", now, TerminateDuration, new Dictionary<string, string>(StringComparer.Ordinal));
        foreach (var node in ids)
        {
            var id = node?.GetValue<string>() ?? throw Invalid("recoveryInstanceIDs", "ids must be strings");
            var instance = _instances.FirstOrDefault(i => i.Id == id) ?? throw NotFound(id, "RECOVERY_INSTANCE", $"Recovery instance {id} not found");
            if (instance.TerminatingJob is not null)
            {
                throw new RequestException(Error(409, "ConflictException", $"Recovery instance {id} is already being terminated by job {instance.TerminatingJob}", id, "RECOVERY_INSTANCE"));
            }

            job.Servers.Add(new DrsJobServer(instance.SourceServerId, false, instance.PointInTime) { RecoveryInstanceId = id });
        }

        foreach (var server in job.Servers)
        {
            _instances.First(i => i.Id == server.RecoveryInstanceId).TerminatingJob = job.Id;
        }

        AddJob(job, now);
        return new DrsReply(200, null, new JsonObject { ["job"] = JobJson(job, now) });
    }

    // Every job, launch or terminate, counts against both quotas.
    private void CheckJobQuotas(int servers, DateTimeOffset now)
    {
        if (servers > MaxSourceServersPerJob)
        {
            throw QuotaExceeded("L-B827C881", $"A job can include at most {MaxSourceServersPerJob} source servers (Max source servers in a single Job); this one has {servers}");
        }

        var inProgress = _jobs.Where(j => Phase(j, now) != "COMPLETED").ToList();
        if (inProgress.Count >= MaxConcurrentJobs)
        {
            throw QuotaExceeded("L-D88FAC3A", $"{inProgress.Count} jobs are in progress; at most {MaxConcurrentJobs} may be (Concurrent jobs in progress)");
        }

        var inActiveJobs = inProgress.Sum(j => j.Servers.Count);
        if (inActiveJobs + servers > MaxSourceServersInActiveJobs)
        {
            throw QuotaExceeded("L-05AFA8C6", $"{inActiveJobs} source servers are in jobs in progress; {servers} more would exceed {MaxSourceServersInActiveJobs} (Max source servers in all Jobs)");
        }
    }

    // Records the job and what the quotas see once it is in progress.
    private void AddJob(DrsJob job, DateTimeOffset now)
    {
        _jobs.Add(job);
        _jobsById.Add(job.Id, job);
        var inProgress = _jobs.Where(j => Phase(j, now) != "COMPLETED").ToList();
        _peakConcurrentJobs = Math.Max(_peakConcurrentJobs, inProgress.Count);
        _peakServersInActiveJobs = Math.Max(_peakServersInActiveJobs, inProgress.Sum(j => j.Servers.Count));
        if (job.Type == LaunchType)
        {
            _launchJobs++;
            _maxServersPerJob = Math.Max(_maxServersPerJob, job.Servers.Count);
            if (job.Tags.TryGetValue(ServerRecoveryService.WaveTag, out var wave))
            {
                _waves.Add(wave);
            }
        }
    }

    // Applies what has happened by now: finished launches create recovery instances; finished terminations remove them.
    private void Advance(DateTimeOffset now)
    {
        foreach (var job in _jobs.Where(j => !j.Applied && Phase(j, now) == "COMPLETED"))
        {
            job.Applied = true;
            foreach (var server in job.Servers)
            {
                var source = FindServer(server.SourceServerId);
                if (job.Type == TerminateType)
                {
                    _instances.RemoveAll(i => i.Id == server.RecoveryInstanceId);
                    if (source is not null && source.RecoveryInstanceId == server.RecoveryInstanceId)
                    {
                        source.RecoveryInstanceId = null;
                    }

                    continue;
                }

                if (server.Fails)
                {
                    continue;
                }

                // A new launch replaces the server's previous recovery instance.
                _instances.RemoveAll(i => i.SourceServerId == server.SourceServerId && i.TerminatingJob is null);
                var instance = new DrsRecoveryInstance("i-" + Hex(17), server.SourceServerId, job.Id, job.InitiatedBy == "START_DRILL", server.PointInTime, new Dictionary<string, string>(source?.Tags ?? new Dictionary<string, string>(), StringComparer.Ordinal));
                server.RecoveryInstanceId = instance.Id;
                _instances.Add(instance);
                if (source is not null)
                {
                    source.RecoveryInstanceId = instance.Id;
                }
            }
        }
    }

    private string Phase(DrsJob job, DateTimeOffset now) =>
        now < job.Started(JobStartDelay) ? "PENDING" : now < job.Completed(JobStartDelay) ? "STARTED" : "COMPLETED";

    private JsonObject JobJson(DrsJob job, DateTimeOffset now)
    {
        var phase = Phase(job, now);
        var servers = new JsonArray();
        foreach (var server in job.Servers)
        {
            var status = (phase, job.Type) switch
            {
                ("PENDING", _) => "PENDING",
                ("STARTED", _) => "IN_PROGRESS",
                (_, TerminateType) => "TERMINATED",
                _ => server.Fails ? "FAILED" : "LAUNCHED",
            };
            var item = new JsonObject { ["sourceServerID"] = server.SourceServerId };
            if (server.RecoveryInstanceId is not null)
            {
                item["recoveryInstanceID"] = server.RecoveryInstanceId;
            }

            item["launchStatus"] = status;
            servers.Add(item);
        }

        var json = new JsonObject
        {
            ["jobID"] = job.Id,
            ["arn"] = $"arn:aws:drs:{_region}:{_accountId}:job/{job.Id}",
            ["type"] = job.Type,
            ["initiatedBy"] = job.InitiatedBy,
            ["creationDateTime"] = Iso(job.Created),
            ["status"] = phase,
            ["participatingServers"] = servers,
            ["tags"] = TagsJson(job.Tags),
        };
        if (phase == "COMPLETED")
        {
            json["endDateTime"] = Iso(job.Completed(JobStartDelay));
        }

        return json;
    }

    private JsonObject ServerJson(DrsSourceServer server, DateTimeOffset now)
    {
        var json = new JsonObject
        {
            ["sourceServerID"] = server.Id,
            ["arn"] = $"arn:aws:drs:{_region}:{_accountId}:source-server/{server.Id}",
            ["tags"] = TagsJson(server.Tags),
        };
        if (server.RecoveryInstanceId is not null)
        {
            json["recoveryInstanceId"] = server.RecoveryInstanceId;
        }

        var lifeCycle = new JsonObject
        {
            ["addedToServiceDateTime"] = Iso(server.Added),
            ["firstByteDateTime"] = Iso(server.Added),
            ["elapsedReplicationDuration"] = XmlConvert.ToString(now - server.Added),
            ["lastSeenByServiceDateTime"] = Iso(now),
        };
        var lastLaunchResult = "NOT_STARTED";
        if (server.LastLaunch is { } last && _jobsById.TryGetValue(last.JobId, out var job))
        {
            var phase = Phase(job, now);
            var fails = job.Servers.First(s => s.SourceServerId == server.Id).Fails;
            lastLaunchResult = phase != "COMPLETED" ? "PENDING" : fails ? "FAILED" : "SUCCEEDED";
            lifeCycle["lastLaunch"] = new JsonObject
            {
                ["initiated"] = new JsonObject { ["apiCallDateTime"] = Iso(job.Created), ["jobID"] = job.Id, ["type"] = last.IsDrill ? "DRILL" : "RECOVERY" },
                ["status"] = phase switch { "PENDING" => "PENDING", "STARTED" => "IN_PROGRESS", _ => fails ? "FAILED" : "LAUNCHED" },
            };
        }

        json["lastLaunchResult"] = lastLaunchResult;
        json["dataReplicationInfo"] = new JsonObject
        {
            ["lagDuration"] = XmlConvert.ToString(server.Lag),
            ["dataReplicationState"] = server.ReplicationState,
            ["replicatedDisks"] = new JsonArray(new JsonObject
            {
                ["deviceName"] = "/dev/xvda",
                ["totalStorageBytes"] = 8589934592,
                ["replicatedStorageBytes"] = 8589934592,
                ["backloggedStorageBytes"] = 0,
            }),
            ["stagingAvailabilityZone"] = _region + "a",
        };
        json["lifeCycle"] = lifeCycle;
        json["replicationDirection"] = "FAILOVER";
        return json;
    }

    private JsonObject InstanceJson(DrsRecoveryInstance instance, DateTimeOffset now)
    {
        var terminating = instance.TerminatingJob is { } jobId && Phase(_jobsById[jobId], now) != "PENDING";
        return new JsonObject
        {
            ["ec2InstanceID"] = instance.Id,
            ["ec2InstanceState"] = terminating ? "SHUTTING-DOWN" : "RUNNING",
            ["jobID"] = instance.JobId,
            ["recoveryInstanceID"] = instance.Id,
            ["sourceServerID"] = instance.SourceServerId,
            ["arn"] = $"arn:aws:drs:{_region}:{_accountId}:recovery-instance/{instance.Id}",
            ["tags"] = TagsJson(instance.Tags),
            ["pointInTimeSnapshotDateTime"] = Iso(instance.PointInTime),
            ["isDrill"] = instance.IsDrill,
            ["originEnvironment"] = "AWS",
        };
    }

    private DrsSourceServer? FindServer(string id) => _serversById.GetValueOrDefault(id);

    private static string Hex(int length) => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes((length + 1) / 2))[..length];
}

