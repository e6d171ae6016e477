using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml;
using Failover.Aws.Transport;

namespace Failover.Aws.Clients;

/// <summary>A source server to recover, optionally from a given point-in-time snapshot (omitted: DRS takes an on-demand snapshot).</summary>
public sealed record StartRecoveryRequestSourceServer(string SourceServerID)
{
    /// <summary>The point-in-time snapshot to launch from (recoverySnapshotID, pit-… with 17 characters); null launches from the latest data through an on-demand snapshot (DRS API reference, API_StartRecoveryRequestSourceServer.html).</summary>
    public string? RecoverySnapshotID { get; init; }
}

/// <summary>A server taking part in a job and how far its launch got (PENDING, IN_PROGRESS, LAUNCHED, FAILED, TERMINATED).</summary>
public sealed record ParticipatingServer(string? SourceServerID, string? RecoveryInstanceID, string? LaunchStatus);

/// <summary>A DRS job (LAUNCH or TERMINATE). <see cref="Status"/> is PENDING, STARTED or COMPLETED; a COMPLETED job can
/// still hold FAILED servers.</summary>
public sealed record Job(string JobID, string? Arn, string? Type, string? InitiatedBy, DateTimeOffset? CreationDateTime, DateTimeOffset? EndDateTime, string? Status)
{
    /// <summary>The servers the job acts on, each with its launch status (participatingServers); empty when DRS listed none.</summary>
    public IReadOnlyList<ParticipatingServer> ParticipatingServers { get; init; } = [];

    /// <summary>The job's tags; the run tags every job it starts with its execution name (ServerRecoveryService.ExecutionTag) to find it again, since DescribeJobs cannot filter by tag.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>Filters of DescribeJobs (all optional; none = every job).</summary>
public sealed record DescribeJobsRequestFilters
{
    /// <summary>Only these jobs (jobIDs, at most 1,000); null or empty means every job.</summary>
    public IReadOnlyList<string>? JobIDs { get; init; }

    /// <summary>Start of the creation-date range (fromDate, sent as ISO-8601 UTC); null leaves the range open at the start.</summary>
    public DateTimeOffset? FromDate { get; init; }

    /// <summary>End of the creation-date range (toDate, sent as ISO-8601 UTC); null leaves the range open at the end.</summary>
    public DateTimeOffset? ToDate { get; init; }
}

/// <summary>What happened to a job, per server where it applies.</summary>
public sealed record JobLog(DateTimeOffset? LogDateTime, string? Event, JobLogEventData? EventData);

/// <summary>Detail of a job log event.</summary>
public sealed record JobLogEventData(string? SourceServerID, string? ConversionServerID, string? TargetInstanceID, string? RawError);

/// <summary>Filters of DescribeSourceServers (all optional; none = every server).</summary>
public sealed record DescribeSourceServersRequestFilters
{
    /// <summary>Only these source servers (sourceServerIDs, at most 200); null or empty means every server.</summary>
    public IReadOnlyList<string>? SourceServerIDs { get; init; }

    /// <summary>Only the server with this hardware id (hardwareId): an EC2 instance id, a VMware uuid or a MAC address; null does not filter.</summary>
    public string? HardwareId { get; init; }

    /// <summary>Only extended source servers of these staging accounts (stagingAccountIDs, at most 200); null or empty means every server.</summary>
    public IReadOnlyList<string>? StagingAccountIDs { get; init; }
}

/// <summary>Replication state of a source server.</summary>
/// <param name="LagDuration">The replication lag (sent as an ISO-8601 duration such as PT12S); null when absent or not an ISO-8601 duration.</param>
/// <param name="DataReplicationState">STOPPED, INITIATING, INITIAL_SYNC, BACKLOG, CREATING_SNAPSHOT, CONTINUOUS, PAUSED, RESCAN, STALLED, DISCONNECTED.</param>
public sealed record DataReplicationInfo(TimeSpan? LagDuration, DateTimeOffset? EtaDateTime, string? DataReplicationState, DataReplicationError? DataReplicationError);

/// <summary>Why replication is unhealthy (e.g. AGENT_NOT_SEEN) and the raw text.</summary>
public sealed record DataReplicationError(string? Error, string? RawError);

/// <summary>Who started the last launch of a server, when, and its kind (RECOVERY or DRILL).</summary>
public sealed record LifeCycleLastLaunchInitiated(DateTimeOffset? ApiCallDateTime, string? JobID, string? Type);

/// <summary>The last launch of a server and its status.</summary>
public sealed record LifeCycleLastLaunch(LifeCycleLastLaunchInitiated? Initiated, string? Status);

/// <summary>Life cycle of a source server.</summary>
public sealed record LifeCycle(DateTimeOffset? AddedToServiceDateTime, DateTimeOffset? FirstByteDateTime, TimeSpan? ElapsedReplicationDuration, DateTimeOffset? LastSeenByServiceDateTime, LifeCycleLastLaunch? LastLaunch);

/// <summary>A replicating source server (the members the product reads).</summary>
/// <param name="RecoveryInstanceId">The launched recovery instance (lower-case "d" on the wire: recoveryInstanceId).</param>
/// <param name="LastLaunchResult">NOT_STARTED, PENDING, SUCCEEDED or FAILED.</param>
public sealed record SourceServer(string SourceServerID, string? Arn, string? RecoveryInstanceId, string? LastLaunchResult, string? ReplicationDirection, DataReplicationInfo? DataReplicationInfo, LifeCycle? LifeCycle)
{
    /// <summary>The server's tags; the run selects servers by tag by reading every server, since DescribeSourceServers cannot filter by tag.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>Filters of DescribeRecoverySnapshots.</summary>
public sealed record DescribeRecoverySnapshotsRequestFilters
{
    /// <summary>Start of the range of snapshot times (fromDateTime, sent as ISO-8601 UTC); null leaves the range open at the start.</summary>
    public DateTimeOffset? FromDateTime { get; init; }

    /// <summary>End of the range of snapshot times (toDateTime, sent as ISO-8601 UTC); null leaves the range open at the end.</summary>
    public DateTimeOffset? ToDateTime { get; init; }
}

/// <summary>A point-in-time snapshot of a source server; <see cref="Timestamp"/> is when it was actually taken.</summary>
public sealed record RecoverySnapshot(string SnapshotID, string SourceServerID, DateTimeOffset ExpectedTimestamp, DateTimeOffset? Timestamp)
{
    /// <summary>Ids of the EBS snapshots (snap-…) that make up this point in time (ebsSnapshots); empty when DRS listed none.</summary>
    public IReadOnlyList<string> EbsSnapshots { get; init; } = [];
}

/// <summary>Filters of DescribeRecoveryInstances (all optional; none = every instance).</summary>
public sealed record DescribeRecoveryInstancesRequestFilters
{
    /// <summary>Only these recovery instances (recoveryInstanceIDs, at most 200); null or empty means every instance.</summary>
    public IReadOnlyList<string>? RecoveryInstanceIDs { get; init; }

    /// <summary>Only instances launched for these source servers (sourceServerIDs); null does not filter.</summary>
    public IReadOnlyList<string>? SourceServerIDs { get; init; }
}

/// <summary>An instance DRS launched for a source server.</summary>
public sealed record RecoveryInstance(string RecoveryInstanceID, string? Ec2InstanceID, string? Ec2InstanceState, string? JobID, string? SourceServerID, string? Arn, bool? IsDrill, DateTimeOffset? PointInTimeSnapshotDateTime)
{
    /// <summary>The recovery instance's tags (tags); empty when it has none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>AWS Elastic Disaster Recovery over rest-json (2020-02-26): every operation is POST /&lt;Op&gt; with a JSON body.</summary>
public sealed class DrsClient
{
    /// <summary>Most source servers one StartRecovery accepts (model limit; the per-job service quota may be lower).</summary>
    public const int MaxServersPerStartRecovery = 200;

    private readonly AwsTransport _transport;

    internal DrsClient(AwsTransport transport) => _transport = transport;

    /// <summary>Starts a recovery (or a drill) job for up to 200 servers. No idempotency token: not retried on 5xx;
    /// read the servers' last launch first (a repeat for a server in a running job is a ConflictException).</summary>
    [IamAction(
        "drs:StartRecovery",
        "drs:CreateRecoveryInstanceForDrs",
        "drs:ListTagsForResource",
        "drs:TagResource",
        "ec2:AttachVolume",
        "ec2:AuthorizeSecurityGroupEgress",
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:CreateLaunchTemplate",
        "ec2:CreateLaunchTemplateVersion",
        "ec2:CreateSnapshot",
        "ec2:CreateTags",
        "ec2:CreateVolume",
        "ec2:DeleteLaunchTemplateVersions",
        "ec2:DeleteSnapshot",
        "ec2:DeleteVolume",
        "ec2:DescribeAccountAttributes",
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeImages",
        "ec2:DescribeInstanceAttribute",
        "ec2:DescribeInstanceStatus",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeInstances",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:DescribeLaunchTemplates",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSnapshots",
        "ec2:DescribeSubnets",
        "ec2:DescribeVolumes",
        "ec2:DetachVolume",
        "ec2:ModifyInstanceAttribute",
        "ec2:ModifyLaunchTemplate",
        "ec2:RevokeSecurityGroupEgress",
        "ec2:RunInstances",
        "ec2:StartInstances",
        "ec2:StopInstances",
        "ec2:TerminateInstances",
        "iam:PassRole")]
    public async Task<Job> StartRecoveryAsync(IReadOnlyList<StartRecoveryRequestSourceServer> sourceServers, bool isDrill, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        if (sourceServers.Count is 0 or > MaxServersPerStartRecovery)
        {
            throw new ArgumentException($"StartRecovery takes 1 to {MaxServersPerStartRecovery} source servers, not {sourceServers.Count}", nameof(sourceServers));
        }

        var servers = new JsonArray();
        foreach (var server in sourceServers)
        {
            var item = new JsonObject { ["sourceServerID"] = server.SourceServerID };
            if (server.RecoverySnapshotID is not null)
            {
                item["recoverySnapshotID"] = server.RecoverySnapshotID;
            }

            servers.Add(item);
        }

        var body = new JsonObject { ["sourceServers"] = servers, ["isDrill"] = isDrill };
        if (tags is not null)
        {
            body["tags"] = Map(tags);
        }

        var reply = await CallAsync("StartRecovery", body, retrySafe: false, cancellationToken);
        return Read("StartRecovery", () => ParseJob(reply["job"] as JsonObject ?? throw new FormatException("reply has no 'job'")));
    }

    /// <summary>Describes jobs, newest first; follows every page.</summary>
    [IamAction("drs:DescribeJobs")]
    public Task<IReadOnlyList<Job>> DescribeJobsAsync(DescribeJobsRequestFilters? filters, CancellationToken cancellationToken)
    {
        JsonObject? filterObject = null;
        if (filters is not null)
        {
            filterObject = [];
            AddList(filterObject, "jobIDs", filters.JobIDs);
            AddDate(filterObject, "fromDate", filters.FromDate);
            AddDate(filterObject, "toDate", filters.ToDate);
        }

        return PagesAsync("DescribeJobs", () => filterObject is null ? [] : new JsonObject { ["filters"] = filterObject.DeepClone() }, ParseJob, maxItems: null, cancellationToken);
    }

    /// <summary>The log of a job (per-server events such as LAUNCH_FAILED with rawError); follows every page.</summary>
    [IamAction("drs:DescribeJobLogItems")]
    public Task<IReadOnlyList<JobLog>> DescribeJobLogItemsAsync(string jobID, CancellationToken cancellationToken) =>
        PagesAsync("DescribeJobLogItems", () => new JsonObject { ["jobID"] = jobID }, item => new JobLog(
            Date(item, "logDateTime"),
            Str(item, "event"),
            item["eventData"] is JsonObject data ? new JobLogEventData(Str(data, "sourceServerID"), Str(data, "conversionServerID"), Str(data, "targetInstanceID"), Str(data, "rawError")) : null),
            maxItems: null, cancellationToken);

    /// <summary>Describes source servers with their replication state and lag; follows every page.</summary>
    [IamAction("drs:DescribeSourceServers")]
    public Task<IReadOnlyList<SourceServer>> DescribeSourceServersAsync(DescribeSourceServersRequestFilters? filters, CancellationToken cancellationToken)
    {
        JsonObject? filterObject = null;
        if (filters is not null)
        {
            filterObject = [];
            AddList(filterObject, "sourceServerIDs", filters.SourceServerIDs);
            if (filters.HardwareId is { } hardwareId)
            {
                filterObject["hardwareId"] = hardwareId;
            }

            AddList(filterObject, "stagingAccountIDs", filters.StagingAccountIDs);
        }

        return PagesAsync("DescribeSourceServers", () => filterObject is null ? [] : new JsonObject { ["filters"] = filterObject.DeepClone() }, ParseSourceServer, maxItems: null, cancellationToken);
    }

    /// <summary>Point-in-time snapshots of a server. <paramref name="order"/> is ASC or DESC; <paramref name="maxResults"/> is the page
    /// size and also caps the total returned (order DESC with maxResults 1 = the newest snapshot, one call).</summary>
    [IamAction("drs:DescribeRecoverySnapshots")]
    public Task<IReadOnlyList<RecoverySnapshot>> DescribeRecoverySnapshotsAsync(string sourceServerID, DescribeRecoverySnapshotsRequestFilters? filters, string? order, int? maxResults, CancellationToken cancellationToken)
    {
        return PagesAsync("DescribeRecoverySnapshots", () =>
        {
            var body = new JsonObject { ["sourceServerID"] = sourceServerID };
            if (filters is not null)
            {
                var f = new JsonObject();
                AddDate(f, "fromDateTime", filters.FromDateTime);
                AddDate(f, "toDateTime", filters.ToDateTime);
                body["filters"] = f;
            }

            if (order is not null)
            {
                body["order"] = order;
            }

            if (maxResults is not null)
            {
                body["maxResults"] = maxResults.Value;
            }

            return body;
        }, item => new RecoverySnapshot(RequiredStr(item, "snapshotID"), RequiredStr(item, "sourceServerID"), Date(item, "expectedTimestamp") ?? throw new FormatException("snapshot has no 'expectedTimestamp'"), Date(item, "timestamp"))
        {
            EbsSnapshots = Strings(item, "ebsSnapshots"),
        }, maxResults, cancellationToken);
    }

    /// <summary>Describes recovery instances; follows every page.</summary>
    [IamAction("drs:DescribeRecoveryInstances")]
    public Task<IReadOnlyList<RecoveryInstance>> DescribeRecoveryInstancesAsync(DescribeRecoveryInstancesRequestFilters? filters, CancellationToken cancellationToken)
    {
        JsonObject? filterObject = null;
        if (filters is not null)
        {
            filterObject = [];
            AddList(filterObject, "recoveryInstanceIDs", filters.RecoveryInstanceIDs);
            AddList(filterObject, "sourceServerIDs", filters.SourceServerIDs);
        }

        return PagesAsync("DescribeRecoveryInstances", () => filterObject is null ? [] : new JsonObject { ["filters"] = filterObject.DeepClone() }, item => new RecoveryInstance(
            RequiredStr(item, "recoveryInstanceID"), Str(item, "ec2InstanceID"), Str(item, "ec2InstanceState"), Str(item, "jobID"), Str(item, "sourceServerID"), Str(item, "arn"),
            item["isDrill"] is JsonValue drill && drill.TryGetValue<bool>(out var isDrill) ? isDrill : null, Date(item, "pointInTimeSnapshotDateTime"))
        {
            Tags = Tags(item),
        }, maxItems: null, cancellationToken);
    }

    /// <summary>Terminates recovery instances (after a drill); returns the TERMINATE job. Not retried on 5xx (each call starts a job).</summary>
    [IamAction("drs:TerminateRecoveryInstances", "drs:DescribeSourceServers", "ec2:DeleteVolume", "ec2:DescribeInstances", "ec2:DescribeVolumes", "ec2:TerminateInstances")]
    public async Task<Job> TerminateRecoveryInstancesAsync(IReadOnlyList<string> recoveryInstanceIDs, CancellationToken cancellationToken)
    {
        if (recoveryInstanceIDs.Count is 0 or > 200)
        {
            throw new ArgumentException($"TerminateRecoveryInstances takes 1 to 200 instance ids, not {recoveryInstanceIDs.Count}", nameof(recoveryInstanceIDs));
        }

        var reply = await CallAsync("TerminateRecoveryInstances", new JsonObject { ["recoveryInstanceIDs"] = new JsonArray([.. recoveryInstanceIDs.Select(id => (JsonNode)id)]) }, retrySafe: false, cancellationToken);
        return Read("TerminateRecoveryInstances", () => ParseJob(reply["job"] as JsonObject ?? throw new FormatException("reply has no 'job'")));
    }

    /// <summary>The ISO-8601 form DRS uses for date-times (model pattern: …T…Z).</summary>
    public static string FormatDateTime(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private async Task<IReadOnlyList<T>> PagesAsync<T>(string operation, Func<JsonObject> request, Func<JsonObject, T> parse, int? maxItems, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? nextToken = null;
        do
        {
            var body = request();
            if (nextToken is not null)
            {
                body["nextToken"] = nextToken;
            }

            var reply = await CallAsync(operation, body, retrySafe: true, cancellationToken);
            Read(operation, () =>
            {
                items.AddRange((reply["items"] as JsonArray ?? []).OfType<JsonObject>().Select(parse));
                nextToken = Str(reply, "nextToken");
                return 0;
            });
        }
        while (!string.IsNullOrEmpty(nextToken) && (maxItems is null || items.Count < maxItems));

        return maxItems is { } max && items.Count > max ? [.. items.Take(max)] : items;
    }

    private Task<JsonObject> CallAsync(string operation, JsonObject body, bool retrySafe, CancellationToken cancellationToken) =>
        RestJsonProtocol.CallAsync(_transport, AwsService.Drs, operation, body, retrySafe, cancellationToken);

    // A reply that does not have the model's shape is a typed service error, never a raw FormatException.
    private static T Read<T>(string operation, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw QueryProtocol.Malformed(AwsService.Drs, operation, ex.Message);
        }
    }

    private static Job ParseJob(JsonObject job) => new(
        RequiredStr(job, "jobID"), Str(job, "arn"), Str(job, "type"), Str(job, "initiatedBy"), Date(job, "creationDateTime"), Date(job, "endDateTime"), Str(job, "status"))
    {
        ParticipatingServers = [.. (job["participatingServers"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(s => new ParticipatingServer(Str(s, "sourceServerID"), Str(s, "recoveryInstanceID"), Str(s, "launchStatus")))],
        Tags = Tags(job),
    };

    private static SourceServer ParseSourceServer(JsonObject s)
    {
        var replication = s["dataReplicationInfo"] as JsonObject;
        var lifeCycle = s["lifeCycle"] as JsonObject;
        var lastLaunch = lifeCycle?["lastLaunch"] as JsonObject;
        var initiated = lastLaunch?["initiated"] as JsonObject;
        var error = replication?["dataReplicationError"] as JsonObject;
        return new SourceServer(
            RequiredStr(s, "sourceServerID"),
            Str(s, "arn"),
            Str(s, "recoveryInstanceId"),
            Str(s, "lastLaunchResult"),
            Str(s, "replicationDirection"),
            replication is null ? null : new DataReplicationInfo(Duration(replication, "lagDuration"), Date(replication, "etaDateTime"), Str(replication, "dataReplicationState"),
                error is null ? null : new DataReplicationError(Str(error, "error"), Str(error, "rawError"))),
            lifeCycle is null ? null : new LifeCycle(Date(lifeCycle, "addedToServiceDateTime"), Date(lifeCycle, "firstByteDateTime"), Duration(lifeCycle, "elapsedReplicationDuration"),
                Date(lifeCycle, "lastSeenByServiceDateTime"),
                lastLaunch is null ? null : new LifeCycleLastLaunch(
                    initiated is null ? null : new LifeCycleLastLaunchInitiated(Date(initiated, "apiCallDateTime"), Str(initiated, "jobID"), Str(initiated, "type")),
                    Str(lastLaunch, "status"))))
        {
            Tags = Tags(s),
        };
    }

    private static JsonObject Map(IReadOnlyDictionary<string, string> values)
    {
        var map = new JsonObject();
        foreach (var (key, value) in values)
        {
            map[key] = value;
        }

        return map;
    }

    private static void AddList(JsonObject target, string name, IReadOnlyList<string>? values)
    {
        if (values is not null)
        {
            target[name] = new JsonArray([.. values.Select(v => (JsonNode)v)]);
        }
    }

    private static void AddDate(JsonObject target, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            target[name] = FormatDateTime(v);
        }
    }

    private static string? Str(JsonObject node, string name) => node[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string RequiredStr(JsonObject node, string name) => Str(node, name) ?? throw new FormatException($"reply item has no '{name}'");

    private static IReadOnlyList<string> Strings(JsonObject node, string name) =>
        [.. (node[name] as JsonArray ?? []).OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>()];

    private static Dictionary<string, string> Tags(JsonObject node) =>
        (node["tags"] as JsonObject)?.Where(kv => kv.Value is JsonValue).ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal)
        ?? new Dictionary<string, string>();

    // DRS sends date-times as ISO-8601 strings ending in Z.
    private static DateTimeOffset? Date(JsonObject node, string name) =>
        Str(node, name) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) : null;

    // ISO-8601 durations (PT12S); anything else is treated as unknown rather than failing the whole reply.
    private static TimeSpan? Duration(JsonObject node, string name)
    {
        if (Str(node, name) is not { } text)
        {
            return null;
        }

        try
        {
            return XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
