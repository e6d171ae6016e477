using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Failover.Aws.Clients;
using Failover.Aws.Tests.Signing;
using Failover.Aws.Tests.Transport;
using Failover.Aws.Transport;

namespace Failover.Aws.Tests.Wire;

/// <summary>
/// DRS has no moto backend. For each operation our client and boto3 make the same call
/// against one loopback capture server: the requests must agree (method, path, content type, JSON body), and
/// the same canned reply, which boto3 parses with the DRS model, must give our client the same values.
/// </summary>
public sealed class DrsClientWireTests : Boto3ComparisonTests
{
    private const string ServerA = "s-1234567890abcdef0";
    private const string ServerB = "s-abcdef01234567890";
    private const string JobId = "drsjob-1234567890abcdef0";
    private const string InstanceA = "i-0123456789abcdef0";

    private const string DrillJob = """
        {"jobID":"drsjob-1234567890abcdef0","arn":"arn:aws:drs:us-west-2:123456789012:job/drsjob-1234567890abcdef0","type":"LAUNCH",
         "initiatedBy":"START_DRILL","creationDateTime":"2026-08-01T12:00:00.123456Z","status":"PENDING",
         "participatingServers":[{"sourceServerID":"s-1234567890abcdef0","launchStatus":"PENDING"},{"sourceServerID":"s-abcdef01234567890","launchStatus":"PENDING"}],
         "tags":{"dr-run":"r42"}}
        """;

    private const string CompletedJob = """
        {"jobID":"drsjob-1234567890abcdef0","arn":"arn:aws:drs:us-west-2:123456789012:job/drsjob-1234567890abcdef0","type":"LAUNCH",
         "initiatedBy":"START_RECOVERY","creationDateTime":"2026-08-01T12:00:00Z","endDateTime":"2026-08-01T12:09:30.5Z","status":"COMPLETED",
         "participatingServers":[
           {"sourceServerID":"s-1234567890abcdef0","recoveryInstanceID":"i-0123456789abcdef0","launchStatus":"LAUNCHED","launchActionsStatus":{"runs":[]}},
           {"sourceServerID":"s-abcdef01234567890","launchStatus":"FAILED"}],
         "participatingResources":[],"tags":{}}
        """;

    private readonly AutoAdvancingTimeProvider _clock = new();

    private DrsClient Drs(int maxAttempts = 3) => ScriptedAws.Clients(Server, Http, _clock, o => o with { MaxAttempts = maxAttempts }).Drs;

    private static DateTimeOffset Iso(JsonNode? node) => DateTimeOffset.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Answers <paramref name="reply"/> to our call and then to boto3's; returns both requests and both parses.</summary>
    private async Task<(RecordedRequest Ours, RecordedRequest Boto3, T Parsed, JsonObject Boto3Result)> BothAsync<T>(
        ScriptedResponse reply, Func<DrsClient, CancellationToken, Task<T>> call, string operation, JsonObject boto3Parameters, CancellationToken cancellationToken)
    {
        var (ours, boto3, parsed, boto3Reply) = await CompareAsync(reply, ct => call(Drs(), ct), "drs", operation, boto3Parameters, cancellationToken);
        return (ours, boto3, parsed, boto3Reply.RequiredResult);
    }

    private static void AssertSameJob(JsonNode expected, Job job)
    {
        Assert.Equal(expected["jobID"]!.GetValue<string>(), job.JobID);
        Assert.Equal(expected["arn"]?.GetValue<string>(), job.Arn);
        Assert.Equal(expected["type"]?.GetValue<string>(), job.Type);
        Assert.Equal(expected["initiatedBy"]?.GetValue<string>(), job.InitiatedBy);
        Assert.Equal(expected["status"]?.GetValue<string>(), job.Status);
        Assert.Equal(Iso(expected["creationDateTime"]), job.CreationDateTime);
        Assert.Equal(expected["endDateTime"] is null ? null : Iso(expected["endDateTime"]), job.EndDateTime);
        var servers = expected["participatingServers"]!.AsArray();
        Assert.Equal(servers.Count, job.ParticipatingServers.Count);
        for (var i = 0; i < servers.Count; i++)
        {
            Assert.Equal(
                new ParticipatingServer(servers[i]!["sourceServerID"]?.GetValue<string>(), servers[i]!["recoveryInstanceID"]?.GetValue<string>(), servers[i]!["launchStatus"]?.GetValue<string>()),
                job.ParticipatingServers[i]);
        }

        Assert.Equal(
            (expected["tags"] as JsonObject ?? []).Select(kv => (kv.Key, kv.Value!.GetValue<string>())).Order(),
            job.Tags.Select(kv => (kv.Key, kv.Value)).Order());
    }

    [Fact]
    public async Task StartRecoveryAsync_WhenDrillOfTwoServers_ShouldSendWhatBoto3SendsAndParseTheAcceptedJob()
    {
        using var cts = TestTimeout.Create();
        var reply = ScriptedResponse.RestJson(202, "{\"job\":" + DrillJob + "}");

        var (ours, boto3, job, parsed) = await BothAsync(reply,
            (drs, ct) => drs.StartRecoveryAsync(
                [new StartRecoveryRequestSourceServer(ServerA), new StartRecoveryRequestSourceServer(ServerB) { RecoverySnapshotID = "pit-1234567890abcdef0" }],
                isDrill: true, new Dictionary<string, string> { ["dr-run"] = "r42" }, ct),
            "StartRecovery",
            Json("""{"sourceServers":[{"sourceServerID":"s-1234567890abcdef0"},{"sourceServerID":"s-abcdef01234567890","recoverySnapshotID":"pit-1234567890abcdef0"}],"isDrill":true,"tags":{"dr-run":"r42"}}"""),
            cts.Token);

        WireComparison.AssertSameRequest(ours, boto3);
        Assert.Equal(("POST", "/StartRecovery", "application/json"), (ours.Method, ours.Target, ours.Header("Content-Type")));
        Assert.Equal("drs", SigV4Authorization.Parse(ours.Header("Authorization")!).Service);
        AssertSameJob(parsed["job"]!, job);
        Assert.Equal("START_DRILL", job.InitiatedBy);
        Assert.Equal(new DateTimeOffset(2026, 8, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1234560), job.CreationDateTime);
    }

    [Fact]
    public async Task StartRecoveryAsync_WhenNotADrillAndNoTags_ShouldSendIsDrillFalseAndNoTags()
    {
        using var cts = TestTimeout.Create();
        var reply = ScriptedResponse.RestJson(202, "{\"job\":" + DrillJob.Replace("START_DRILL", "START_RECOVERY", StringComparison.Ordinal) + "}");

        var (ours, boto3, job, _) = await BothAsync(reply,
            (drs, ct) => drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(ServerA)], isDrill: false, tags: null, ct),
            "StartRecovery", Json("""{"sourceServers":[{"sourceServerID":"s-1234567890abcdef0"}],"isDrill":false}"""), cts.Token);

        WireComparison.AssertSameRequest(ours, boto3);
        Assert.Equal("""{"sourceServers":[{"sourceServerID":"s-1234567890abcdef0"}],"isDrill":false}""", ours.BodyText);
        Assert.Equal("START_RECOVERY", job.InitiatedBy);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(201)]
    public async Task StartRecoveryAsync_WhenServerCountOutsideOneTo200_ShouldThrowArgumentExceptionWithoutCalling(int count)
    {
        using var cts = TestTimeout.Create();
        var servers = Enumerable.Range(0, count).Select(i => new StartRecoveryRequestSourceServer("s-" + i.ToString("x17", CultureInfo.InvariantCulture))).ToList();

        await Assert.ThrowsAsync<ArgumentException>(() => Drs().StartRecoveryAsync(servers, false, null, cts.Token));

        Assert.Equal(0, Server.RequestCount);
    }

    [Fact]
    public async Task DescribeJobsAsync_WhenFilteredByIdAndDates_ShouldSendWhatBoto3SendsAndParseEveryJob()
    {
        using var cts = TestTimeout.Create();
        var reply = ScriptedResponse.RestJson(200, "{\"items\":[" + CompletedJob + "," + DrillJob + "]}");
        var from = new DateTimeOffset(2026, 8, 1, 11, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 8, 1, 13, 0, 0, TimeSpan.Zero);

        var (ours, boto3, jobs, parsed) = await BothAsync(reply,
            (drs, ct) => drs.DescribeJobsAsync(new DescribeJobsRequestFilters { JobIDs = [JobId], FromDate = from, ToDate = to }, ct),
            "DescribeJobs", Json("""{"filters":{"jobIDs":["drsjob-1234567890abcdef0"],"fromDate":"2026-08-01T11:00:00.000Z","toDate":"2026-08-01T13:00:00.000Z"}}"""), cts.Token);

        WireComparison.AssertSameRequest(ours, boto3);
        var items = parsed["items"]!.AsArray();
        Assert.Equal(2, jobs.Count);
        AssertSameJob(items[0]!, jobs[0]);
        AssertSameJob(items[1]!, jobs[1]);
        Assert.Equal(new ParticipatingServer(ServerA, InstanceA, "LAUNCHED"), jobs[0].ParticipatingServers[0]);
        Assert.Equal("FAILED", jobs[0].ParticipatingServers[1].LaunchStatus);
    }

    [Fact]
    public async Task DescribeJobsAsync_WhenNoFilters_ShouldSendAnEmptyObjectAsBoto3Does()
    {
        using var cts = TestTimeout.Create();
        var reply = ScriptedResponse.RestJson(200, """{"items":[]}""");

        var (ours, boto3, jobs, _) = await BothAsync(reply, (drs, ct) => drs.DescribeJobsAsync(null, ct), "DescribeJobs", [], cts.Token);

        WireComparison.AssertSameRequest(ours, boto3);
        Assert.Equal("{}", ours.BodyText);
        Assert.Empty(jobs);
    }

    [Fact]
    public async Task DescribeJobsAsync_WhenReplyHasNextToken_ShouldSendTheTokenAsBoto3DoesUntilTheLastPage()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(
            ScriptedResponse.RestJson(200, "{\"items\":[" + CompletedJob + "],\"nextToken\":\"page+2/==\"}"),
            ScriptedResponse.RestJson(200, "{\"items\":[" + DrillJob + "]}"),
            ScriptedResponse.RestJson(200, """{"items":[]}"""));

        var jobs = await Drs().DescribeJobsAsync(new DescribeJobsRequestFilters { JobIDs = [JobId] }, cts.Token);
        await Boto3.CallAsync(Server.Endpoint, "drs", "DescribeJobs", Json("""{"filters":{"jobIDs":["drsjob-1234567890abcdef0"]},"nextToken":"page+2/=="}"""), cts.Token);

        var requests = Server.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Equal(["COMPLETED", "PENDING"], jobs.Select(j => j.Status));
        Assert.Equal("""{"filters":{"jobIDs":["drsjob-1234567890abcdef0"]}}""", requests[0].BodyText);
        WireComparison.AssertSameRequest(requests[1], requests[2]);
    }

    [Fact]
    public async Task DescribeJobLogItemsAsync_WhenLaunchFailed_ShouldSendWhatBoto3SendsAndParseTheEvents()
    {
        using var cts = TestTimeout.Create();
        var reply = ScriptedResponse.RestJson(200, """
            {"items":[
              {"logDateTime":"2026-08-01T12:00:00Z","event":"JOB_START"},
              {"logDateTime":"2026-08-01T12:01:00Z","event":"LAUNCH_START","eventData":{"sourceServerID":"s-1234567890abcdef0"}},
              {"logDateTime":"2026-08-01T12:05:00Z","event":"LAUNCH_FAILED","eventData":{"sourceServerID":"s-abcdef01234567890","conversionServerID":"i-0aaaaaaaaaaaaaaaa","rawError":"InsufficientInstanceCapacity"}},
              {"logDateTime":"2026-08-01T12:09:30Z","event":"JOB_END"}]}
            """);

        var (ours, boto3, logs, parsed) = await BothAsync(reply, (drs, ct) => drs.DescribeJobLogItemsAsync(JobId, ct), "DescribeJobLogItems", Json("""{"jobID":"drsjob-1234567890abcdef0"}"""), cts.Token);

        WireComparison.AssertSameRequest(ours, boto3);
        var items = parsed["items"]!.AsArray();
        Assert.Equal(items.Select(i => i!["event"]!.GetValue<string>()), logs.Select(l => l.Event));
        Assert.Equal(items.Select(i => Iso(i!["logDateTime"])), logs.Select(l => l.LogDateTime!.Value));
        Assert.Null(logs[0].EventData);
        Assert.Equal(new JobLogEventData(ServerB, "i-0aaaaaaaaaaaaaaaa", null, "InsufficientInstanceCapacity"), logs[2].EventData);
        Assert.Equal(items[2]!["eventData"]!["rawError"]!.GetValue<string>(), logs[2].EventData!.RawError);
    }

    [Fact]
    public async Task DescribeSourceServersAsync_WhenFilteredById_ShouldSendWhatBoto3SendsAndParseLagStateAndLastLaunch()
    {
        using var cts = TestTimeout.Create();
        var reply = ScriptedResponse.RestJson(200, """
            {"items":[
              {"sourceServerID":"s-1234567890abcdef0","arn":"arn:aws:drs:us-west-2:123456789012:source-server/s-1234567890abcdef0","tags":{"app":"orders"},
               "recoveryInstanceId":"i-0123456789abcdef0","lastLaunchResult":"SUCCEEDED","replicationDirection":"FAILOVER",
               "dataReplicationInfo":{"lagDuration":"PT12S","dataReplicationState":"CONTINUOUS","replicatedDisks":[{"deviceName":"/dev/xvda","totalStorageBytes":8589934592,"replicatedStorageBytes":8589934592,"backloggedStorageBytes":0}],"stagingAvailabilityZone":"us-west-2a"},
               "lifeCycle":{"addedToServiceDateTime":"2026-07-01T08:00:00Z","firstByteDateTime":"2026-07-01T08:05:00Z","elapsedReplicationDuration":"P31DT3H55M",
                 "lastSeenByServiceDateTime":"2026-08-01T11:59:50Z",
                 "lastLaunch":{"initiated":{"apiCallDateTime":"2026-08-01T12:00:00Z","jobID":"drsjob-1234567890abcdef0","type":"DRILL"},"status":"LAUNCHED"}},
               "sourceProperties":{"recommendedInstanceType":"m5.large","cpus":[{"cores":2,"modelName":"x"}],"ramBytes":8589934592}},
              {"sourceServerID":"s-abcdef01234567890","dataReplicationInfo":{"lagDuration":"P1DT2H3M4.5S","dataReplicationState":"STALLED",
                 "dataReplicationError":{"error":"AGENT_NOT_SEEN","rawError":"agent has not reported for 1 day"}},"lastLaunchResult":"NOT_STARTED"}]}
            """);

        var (ours, boto3, servers, parsed) = await BothAsync(reply,
            (drs, ct) => drs.DescribeSourceServersAsync(new DescribeSourceServersRequestFilters { SourceServerIDs = [ServerA, ServerB] }, ct),
            "DescribeSourceServers", Json("""{"filters":{"sourceServerIDs":["s-1234567890abcdef0","s-abcdef01234567890"]}}"""), cts.Token);

        WireComparison.AssertSameRequest(ours, boto3);
        var items = parsed["items"]!.AsArray();
        Assert.Equal(items.Select(i => i!["sourceServerID"]!.GetValue<string>()), servers.Select(s => s.SourceServerID));
        var a = servers[0];
        Assert.Equal(items[0]!["recoveryInstanceId"]!.GetValue<string>(), a.RecoveryInstanceId);
        Assert.Equal(TimeSpan.FromSeconds(12), a.DataReplicationInfo!.LagDuration);
        Assert.Equal("CONTINUOUS", a.DataReplicationInfo.DataReplicationState);
        Assert.Equal("SUCCEEDED", a.LastLaunchResult);
        Assert.Equal("FAILOVER", a.ReplicationDirection);
        Assert.Equal("orders", a.Tags["app"]);
        Assert.Equal(new LifeCycleLastLaunch(new LifeCycleLastLaunchInitiated(Iso(items[0]!["lifeCycle"]!["lastLaunch"]!["initiated"]!["apiCallDateTime"]), JobId, "DRILL"), "LAUNCHED"), a.LifeCycle!.LastLaunch);
        Assert.Equal(new TimeSpan(31, 3, 55, 0), a.LifeCycle.ElapsedReplicationDuration);
        Assert.Equal(Iso(items[0]!["lifeCycle"]!["lastSeenByServiceDateTime"]), a.LifeCycle.LastSeenByServiceDateTime);
        var b = servers[1];
        Assert.Equal(new TimeSpan(1, 2, 3, 4, 500), b.DataReplicationInfo!.LagDuration);
        Assert.Equal(new DataReplicationError("AGENT_NOT_SEEN", "agent has not reported for 1 day"), b.DataReplicationInfo.DataReplicationError);
        Assert.Null(b.LifeCycle);
    }

    [Fact]
    public async Task DescribeSourceServersAsync_WhenLagIsNotAnIsoDuration_ShouldReportTheLagAsUnknown()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.RestJson(200, """{"items":[{"sourceServerID":"s-1234567890abcdef0","dataReplicationInfo":{"lagDuration":"12 seconds","dataReplicationState":"CONTINUOUS"}}]}"""));

        var server = Assert.Single(await Drs().DescribeSourceServersAsync(null, cts.Token));

        Assert.Null(server.DataReplicationInfo!.LagDuration);
        Assert.Equal("CONTINUOUS", server.DataReplicationInfo.DataReplicationState);
    }

    [Fact]
    public async Task DescribeRecoverySnapshotsAsync_WhenNewestOneAsked_ShouldSendWhatBoto3SendsAndStopAfterOnePage()
    {
        using var cts = TestTimeout.Create();
        var reply = ScriptedResponse.RestJson(200, """
            {"items":[{"snapshotID":"pit-1234567890abcdef0","sourceServerID":"s-1234567890abcdef0","expectedTimestamp":"2026-08-01T11:50:00Z","timestamp":"2026-08-01T11:50:02.25Z","ebsSnapshots":["snap-0123456789abcdef0"]}],
             "nextToken":"more"}
            """);

        var (ours, boto3, snapshots, parsed) = await BothAsync(reply,
            (drs, ct) => drs.DescribeRecoverySnapshotsAsync(ServerA, new DescribeRecoverySnapshotsRequestFilters { FromDateTime = new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero) }, "DESC", 1, ct),
            "DescribeRecoverySnapshots", Json("""{"sourceServerID":"s-1234567890abcdef0","filters":{"fromDateTime":"2026-08-01T00:00:00.000Z"},"order":"DESC","maxResults":1}"""), cts.Token);

        WireComparison.AssertSameRequest(ours, boto3);
        Assert.Equal(2, Server.RequestCount);
        var item = parsed["items"]![0]!;
        var snapshot = Assert.Single(snapshots);
        Assert.Equal(item["snapshotID"]!.GetValue<string>(), snapshot.SnapshotID);
        Assert.Equal(ServerA, snapshot.SourceServerID);
        Assert.Equal(Iso(item["expectedTimestamp"]), snapshot.ExpectedTimestamp);
        Assert.Equal(Iso(item["timestamp"]), snapshot.Timestamp);
        Assert.Equal(["snap-0123456789abcdef0"], snapshot.EbsSnapshots);
    }

    [Fact]
    public async Task DescribeRecoveryInstancesAsync_WhenFilteredBySourceServer_ShouldSendWhatBoto3SendsAndParseTheInstance()
    {
        using var cts = TestTimeout.Create();
        var reply = ScriptedResponse.RestJson(200, """
            {"items":[{"ec2InstanceID":"i-0123456789abcdef0","ec2InstanceState":"RUNNING","jobID":"drsjob-1234567890abcdef0","recoveryInstanceID":"i-0123456789abcdef0","sourceServerID":"s-1234567890abcdef0",
              "arn":"arn:aws:drs:us-west-2:123456789012:recovery-instance/i-0123456789abcdef0","tags":{"dr-run":"r42"},"isDrill":true,
              "pointInTimeSnapshotDateTime":"2026-08-01T11:50:02Z","originEnvironment":"AWS",
              "recoveryInstanceProperties":{"cpus":[{"cores":2,"modelName":"x"}],"ramBytes":8589934592}}]}
            """);

        var (ours, boto3, instances, parsed) = await BothAsync(reply,
            (drs, ct) => drs.DescribeRecoveryInstancesAsync(new DescribeRecoveryInstancesRequestFilters { SourceServerIDs = [ServerA] }, ct),
            "DescribeRecoveryInstances", Json("""{"filters":{"sourceServerIDs":["s-1234567890abcdef0"]}}"""), cts.Token);

        WireComparison.AssertSameRequest(ours, boto3);
        var item = parsed["items"]![0]!;
        var instance = Assert.Single(instances);
        Assert.Equal(
            new RecoveryInstance(InstanceA, InstanceA, "RUNNING", JobId, ServerA, item["arn"]!.GetValue<string>(), item["isDrill"]!.GetValue<bool>(), Iso(item["pointInTimeSnapshotDateTime"])) { Tags = instance.Tags },
            instance);
        Assert.Equal("r42", instance.Tags["dr-run"]);
    }

    [Fact]
    public async Task TerminateRecoveryInstancesAsync_WhenDrillEnds_ShouldSendWhatBoto3SendsAndParseTheTerminateJob()
    {
        using var cts = TestTimeout.Create();
        var reply = ScriptedResponse.RestJson(200, """
            {"job":{"jobID":"drsjob-00000000000000001","arn":"arn:aws:drs:us-west-2:123456789012:job/drsjob-00000000000000001","type":"TERMINATE",
              "initiatedBy":"TERMINATE_RECOVERY_INSTANCES","creationDateTime":"2026-08-01T13:00:00Z","status":"PENDING",
              "participatingServers":[{"sourceServerID":"s-1234567890abcdef0","recoveryInstanceID":"i-0123456789abcdef0","launchStatus":"PENDING"}],"tags":{}}}
            """);

        var (ours, boto3, job, parsed) = await BothAsync(reply, (drs, ct) => drs.TerminateRecoveryInstancesAsync([InstanceA], ct),
            "TerminateRecoveryInstances", Json("""{"recoveryInstanceIDs":["i-0123456789abcdef0"]}"""), cts.Token);

        WireComparison.AssertSameRequest(ours, boto3);
        AssertSameJob(parsed["job"]!, job);
        Assert.Equal(("TERMINATE", "TERMINATE_RECOVERY_INSTANCES"), (job.Type, job.InitiatedBy));
    }

    [Fact]
    public async Task DescribeJobsAsync_WhenThrottledWithRetryAfter_ShouldWaitAtLeastThatLongAndReadTheHeaderCodeAsBoto3Does()
    {
        // DRS error bodies carry their own "code" member; the x-amzn-ErrorType header names the error (botocore:
        // RestJSONParser._inject_error_code).
        using var cts = TestTimeout.Create();
        var throttled = ScriptedResponse.RestJson(429, """{"message":"Rate exceeded","code":"TooManyRequests","serviceCode":"drs","quotaCode":"L-1234"}""",
            new Dictionary<string, string> { ["x-amzn-ErrorType"] = "ThrottlingException:http://internal.amazon.com/coral/com.amazonaws.drs/", ["Retry-After"] = "2", ["x-amzn-RequestId"] = "req-drs" });
        Server.Enqueue(throttled, ScriptedResponse.RestJson(200, """{"items":[]}"""), throttled);

        var jobs = await Drs().DescribeJobsAsync(null, cts.Token);
        var boto3 = await Boto3.CallAsync(Server.Endpoint, "drs", "DescribeJobs", [], cts.Token);

        Assert.Empty(jobs);
        Assert.True(_clock.Waits[0] >= TimeSpan.FromSeconds(2), $"waited {_clock.Waits[0]}");
        Assert.Equal(("ThrottlingException", 429, "2"), (boto3.ErrorCode, boto3.Status, boto3.RetryAfter));
    }

    [Fact]
    public async Task DescribeJobsAsync_WhenThrottledOnEveryAttempt_ShouldThrowThrottlingWithRetryAfter()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.RestJson(429, """{"message":"Rate exceeded","code":"TooManyRequests"}""",
            new Dictionary<string, string> { ["x-amzn-ErrorType"] = "ThrottlingException", ["Retry-After"] = "3", ["x-amzn-RequestId"] = "req-drs" }));

        var ex = await Assert.ThrowsAsync<AwsThrottlingException>(() => Drs(maxAttempts: 1).DescribeJobsAsync(null, cts.Token));

        Assert.Equal(("ThrottlingException", HttpStatusCode.TooManyRequests, "req-drs", "Rate exceeded"), (ex.ErrorCode, ex.StatusCode, ex.RequestId, ex.ServiceMessage));
        Assert.Equal(TimeSpan.FromSeconds(3), ex.RetryAfter);
        Assert.Equal(("drs", "DescribeJobs"), (ex.Service, ex.Operation));
    }

    [Theory]
    [InlineData(409, "ConflictException", typeof(AwsConflictException))]
    [InlineData(404, "ResourceNotFoundException", typeof(AwsNotFoundException))]
    [InlineData(400, "ValidationException", typeof(AwsServiceException))]
    [InlineData(400, "UninitializedAccountException", typeof(AwsServiceException))]
    [InlineData(402, "ServiceQuotaExceededException", typeof(AwsServiceQuotaExceededException))]
    [InlineData(403, "AccessDeniedException", typeof(AwsAccessDeniedException))]
    public async Task StartRecoveryAsync_WhenServiceRejects_ShouldThrowTheTypedErrorBoto3NamesFromTheHeader(int status, string code, Type expected)
    {
        using var cts = TestTimeout.Create();
        var error = ScriptedResponse.RestJson(status, $$"""{"message":"rejected: {{code}}","code":"BodyCode-{{code}}","resourceId":"{{ServerA}}","resourceType":"SOURCE_SERVER"}""",
            new Dictionary<string, string> { ["x-amzn-ErrorType"] = code, ["x-amzn-RequestId"] = "req-" + code });
        Server.Enqueue(error, error);

        var ex = await Assert.ThrowsAnyAsync<AwsServiceException>(() => Drs().StartRecoveryAsync([new StartRecoveryRequestSourceServer(ServerA)], false, null, cts.Token));
        var boto3 = await Boto3.CallAsync(Server.Endpoint, "drs", "StartRecovery", Json("""{"sourceServers":[{"sourceServerID":"s-1234567890abcdef0"}],"isDrill":false}"""), cts.Token);

        Assert.Equal(expected, ex.GetType());
        Assert.Equal(boto3.ErrorCode, ex.ErrorCode);
        Assert.Equal(boto3.ErrorMessage, ex.ServiceMessage);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal("req-" + code, ex.RequestId);
        Assert.Equal(2, Server.RequestCount);
    }

    [Fact]
    public async Task StartRecoveryAsync_WhenAQuotaRefuses_ShouldThrowQuotaExceededWithTheQuotaCodeWithoutRetrying()
    {
        // Waiting for a job to end is the caller's business (the recovery's poll loop), not the transport's.
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.RestJson(402, """{"message":"Concurrent jobs in progress","quotaCode":"L-D88FAC3A","serviceCode":"drs","resourceType":"JOB"}""",
            new Dictionary<string, string> { ["x-amzn-ErrorType"] = "ServiceQuotaExceededException" }));

        var ex = await Assert.ThrowsAsync<AwsServiceQuotaExceededException>(() => Drs().StartRecoveryAsync([new StartRecoveryRequestSourceServer(ServerA)], false, null, cts.Token));

        Assert.Equal(("ServiceQuotaExceededException", "L-D88FAC3A"), (ex.ErrorCode, ex.QuotaCode));
        Assert.Equal(1, Server.RequestCount);
    }

    [Fact]
    public async Task StartRecoveryAsync_WhenInternalServerError_ShouldThrowTransientWithoutRetrying()
    {
        // StartRecovery has no idempotency token: a 5xx may hide a started job, so it is not repeated.
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.RestJson(500, """{"message":"internal"}""", new Dictionary<string, string> { ["x-amzn-ErrorType"] = "InternalServerException", ["Retry-After"] = "1" }));

        var ex = await Assert.ThrowsAsync<AwsTransientException>(() => Drs().StartRecoveryAsync([new StartRecoveryRequestSourceServer(ServerA)], false, null, cts.Token));

        Assert.Equal("InternalServerException", ex.ErrorCode);
        Assert.Equal(1, Server.RequestCount);
    }

    [Fact]
    public async Task DescribeJobsAsync_WhenJobHasNoJobId_ShouldThrowMalformedResponse()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.RestJson(200, """{"items":[{"status":"PENDING"}]}"""));

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => Drs().DescribeJobsAsync(null, cts.Token));

        Assert.Equal("MalformedResponse", ex.ErrorCode);
    }

    [Fact]
    public async Task StartRecoveryAsync_WhenSent_ShouldBeSignedForDrsAsTheWireShowsIt()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.RestJson(202, "{\"job\":" + DrillJob + "}"));

        await Drs().StartRecoveryAsync([new StartRecoveryRequestSourceServer(ServerA)], true, new Dictionary<string, string> { ["ünï"] = "<&>" }, cts.Token);

        var request = Assert.Single(Server.Requests);
        var (expected, sent) = SigV4Reference.Verify(request, ScriptedAws.SecretKey);
        Assert.Equal(expected, sent.Signature);
        Assert.Equal(["content-type", "host", "x-amz-content-sha256", "x-amz-date"], SigV4Authorization.Parse(request.Header("Authorization")!).SignedHeaders);
        Assert.Equal("<&>", JsonNode.Parse(request.BodyText)!["tags"]!["ünï"]!.GetValue<string>());
    }
}
