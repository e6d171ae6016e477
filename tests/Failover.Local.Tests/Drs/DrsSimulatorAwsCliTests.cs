using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Failover.Aws.Clients;
using Failover.Aws.Transport;

namespace Failover.Local.Tests.Drs;

/// <summary>
/// The DRS simulator over HTTP, driven by the real AWS CLI (`aws drs … --endpoint-url`, botocore parsing every
/// reply with the DRS model) and by our <see cref="DrsClient"/>: both must read the same state.
/// </summary>
public sealed partial class DrsSimulatorAwsCliTests : IAsyncLifetime
{
    private DrsSimulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await DrsSimulatorHost.StartAsync(CancellationToken.None);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static CancellationTokenSource Timeout() => new(TimeSpan.FromSeconds(60));

    private Task<AwsCliResult> AwsAsync(CancellationToken cancellationToken, params string[] arguments) => AwsCli.RunAsync(_host.Endpoint, cancellationToken, ["drs", .. arguments]);

    private static string Input(JsonObject input) => input.ToJsonString();

    [GeneratedRegex("^drsjob-[0-9a-zA-Z]{17}$")]
    private static partial Regex JobIdPattern();

    [GeneratedRegex("^s-[0-9a-zA-Z]{17}$")]
    private static partial Regex ServerIdPattern();

    [GeneratedRegex("^i-[0-9a-fA-F]{8,}$")]
    private static partial Regex InstanceIdPattern();

    [Fact]
    public async Task StartRecovery_WhenAwsCliStartsADrill_ShouldReturnAPendingDrillJobThatOurClientReadsToo()
    {
        using var cts = Timeout();
        var a = _host.Simulator.AddSourceServer(new Dictionary<string, string> { ["app"] = "orders" });
        var b = _host.Simulator.AddSourceServer();

        var started = await AwsAsync(cts.Token, "start-recovery", "--cli-input-json",
            Input(new JsonObject { ["sourceServers"] = new JsonArray(new JsonObject { ["sourceServerID"] = a }, new JsonObject { ["sourceServerID"] = b }), ["isDrill"] = true, ["tags"] = new JsonObject { ["dr-run"] = "r42" } }));
        var job = started.RequiredOutput["job"]!;
        var jobId = job["jobID"]!.GetValue<string>();
        var ours = Assert.Single(await _host.Drs.DescribeJobsAsync(new DescribeJobsRequestFilters { JobIDs = [jobId] }, cts.Token));

        Assert.Matches(JobIdPattern(), jobId);
        Assert.Matches(ServerIdPattern(), a);
        Assert.Equal(("LAUNCH", "START_DRILL", "PENDING"), (job["type"]!.GetValue<string>(), job["initiatedBy"]!.GetValue<string>(), job["status"]!.GetValue<string>()));
        Assert.Equal([a, b], job["participatingServers"]!.AsArray().Select(s => s!["sourceServerID"]!.GetValue<string>()));
        Assert.All(job["participatingServers"]!.AsArray(), s => Assert.Equal("PENDING", s!["launchStatus"]!.GetValue<string>()));
        Assert.Equal("r42", job["tags"]!["dr-run"]!.GetValue<string>());
        Assert.Equal($"arn:aws:drs:us-west-2:123456789012:job/{jobId}", job["arn"]!.GetValue<string>());
        Assert.Equal(("START_DRILL", "PENDING", _host.Clock.GetUtcNow()), (ours.InitiatedBy, ours.Status, ours.CreationDateTime!.Value));
        Assert.Equal([a, b], ours.ParticipatingServers.Select(s => s.SourceServerID));
    }

    [Fact]
    public async Task DescribeJobs_WhenTimePasses_ShouldMoveFromPendingThroughStartedToCompletedWithEachServersOutcome()
    {
        using var cts = Timeout();
        var ok = _host.Simulator.AddSourceServer();
        var bad = _host.Simulator.AddSourceServer();
        _host.Simulator.FailLaunchOf(bad);
        var job = await _host.Drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(ok), new StartRecoveryRequestSourceServer(bad)], isDrill: false, tags: null, cts.Token);
        var filter = Input(new JsonObject { ["filters"] = new JsonObject { ["jobIDs"] = new JsonArray(job.JobID) } });

        _host.Clock.Advance(TimeSpan.FromSeconds(3));
        var started = (await AwsAsync(cts.Token, "describe-jobs", "--cli-input-json", filter)).RequiredOutput["items"]![0]!;
        _host.Clock.Advance(TimeSpan.FromSeconds(30));
        var completed = (await AwsAsync(cts.Token, "describe-jobs", "--cli-input-json", filter)).RequiredOutput["items"]![0]!;
        var ours = Assert.Single(await _host.Drs.DescribeJobsAsync(new DescribeJobsRequestFilters { JobIDs = [job.JobID] }, cts.Token));

        Assert.Equal("PENDING", job.Status);
        Assert.Equal("STARTED", started["status"]!.GetValue<string>());
        Assert.All(started["participatingServers"]!.AsArray(), s => Assert.Equal("IN_PROGRESS", s!["launchStatus"]!.GetValue<string>()));
        Assert.Equal("COMPLETED", completed["status"]!.GetValue<string>());
        Assert.NotNull(completed["endDateTime"]);
        var servers = completed["participatingServers"]!.AsArray();
        Assert.Equal(["LAUNCHED", "FAILED"], servers.Select(s => s!["launchStatus"]!.GetValue<string>()));
        Assert.Matches(InstanceIdPattern(), servers[0]!["recoveryInstanceID"]!.GetValue<string>());
        Assert.Null(servers[1]!["recoveryInstanceID"]);
        Assert.Equal("COMPLETED", ours.Status);
        Assert.Equal(new ParticipatingServer(ok, servers[0]!["recoveryInstanceID"]!.GetValue<string>(), "LAUNCHED"), ours.ParticipatingServers[0]);
        Assert.Equal(new ParticipatingServer(bad, null, "FAILED"), ours.ParticipatingServers[1]);
        Assert.Equal(job.CreationDateTime + TimeSpan.FromSeconds(32), ours.EndDateTime);
    }

    [Fact]
    public async Task DescribeSourceServers_WhenADrillLaunched_ShouldReportLagStateLastLaunchAndRecoveryInstance()
    {
        using var cts = Timeout();
        var id = _host.Simulator.AddSourceServer(new Dictionary<string, string> { ["app"] = "orders" }, lag: TimeSpan.FromSeconds(12));
        var job = await _host.Drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(id)], isDrill: true, tags: null, cts.Token);
        _host.Clock.Advance(TimeSpan.FromMinutes(1));

        var cli = (await AwsAsync(cts.Token, "describe-source-servers", "--filters", $"sourceServerIDs={id}")).RequiredOutput["items"]![0]!;
        var ours = Assert.Single(await _host.Drs.DescribeSourceServersAsync(new DescribeSourceServersRequestFilters { SourceServerIDs = [id] }, cts.Token));

        Assert.Equal("PT12S", cli["dataReplicationInfo"]!["lagDuration"]!.GetValue<string>());
        Assert.Equal("CONTINUOUS", cli["dataReplicationInfo"]!["dataReplicationState"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", cli["lastLaunchResult"]!.GetValue<string>());
        Assert.Equal((job.JobID, "DRILL"), (cli["lifeCycle"]!["lastLaunch"]!["initiated"]!["jobID"]!.GetValue<string>(), cli["lifeCycle"]!["lastLaunch"]!["initiated"]!["type"]!.GetValue<string>()));
        Assert.Equal("LAUNCHED", cli["lifeCycle"]!["lastLaunch"]!["status"]!.GetValue<string>());
        Assert.Matches(InstanceIdPattern(), cli["recoveryInstanceId"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromSeconds(12), ours.DataReplicationInfo!.LagDuration);
        Assert.Equal(cli["recoveryInstanceId"]!.GetValue<string>(), ours.RecoveryInstanceId);
        Assert.Equal(new LifeCycleLastLaunch(new LifeCycleLastLaunchInitiated(job.CreationDateTime, job.JobID, "DRILL"), "LAUNCHED"), ours.LifeCycle!.LastLaunch);
        Assert.Equal("orders", ours.Tags["app"]);
    }

    [Fact]
    public async Task DescribeSourceServers_WhenAwsCliPagesOneAtATime_ShouldFollowNextTokenToEveryServer()
    {
        using var cts = Timeout();
        string[] ids = [_host.Simulator.AddSourceServer(), _host.Simulator.AddSourceServer(), _host.Simulator.AddSourceServer()];

        var all = (await AwsAsync(cts.Token, "describe-source-servers", "--page-size", "1")).RequiredOutput["items"]!.AsArray();

        Assert.Equal(ids, all.Select(s => s!["sourceServerID"]!.GetValue<string>()));
    }

    [Fact]
    public async Task DescribeJobLogItems_WhenALaunchFailed_ShouldListTheEventsWithTheRawError()
    {
        using var cts = Timeout();
        var ok = _host.Simulator.AddSourceServer();
        var bad = _host.Simulator.AddSourceServer();
        _host.Simulator.FailLaunchOf(bad);
        var job = await _host.Drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(ok), new StartRecoveryRequestSourceServer(bad)], false, null, cts.Token);
        _host.Clock.Advance(TimeSpan.FromMinutes(1));

        var cli = (await AwsAsync(cts.Token, "describe-job-log-items", "--job-id", job.JobID)).RequiredOutput["items"]!.AsArray();
        var ours = await _host.Drs.DescribeJobLogItemsAsync(job.JobID, cts.Token);

        Assert.Equal(["JOB_START", "LAUNCH_START", "LAUNCH_START", "LAUNCH_FAILED", "JOB_END"], cli.Select(i => i!["event"]!.GetValue<string>()));
        Assert.Equal(bad, cli[3]!["eventData"]!["sourceServerID"]!.GetValue<string>());
        Assert.Equal(cli.Select(i => i!["event"]!.GetValue<string>()), ours.Select(l => l.Event!));
        Assert.Contains("FailLaunchOf", ours[3].EventData!.RawError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeRecoverySnapshots_WhenNewestAsked_ShouldAnswerTheLatestSnapshotToBoth()
    {
        using var cts = Timeout();
        var id = _host.Simulator.AddSourceServer();
        var older = _host.Simulator.AddRecoverySnapshot(id, _host.Clock.GetUtcNow().AddMinutes(-20));
        var newest = _host.Simulator.AddRecoverySnapshot(id, _host.Clock.GetUtcNow().AddMinutes(5));

        var cli = (await AwsAsync(cts.Token, "describe-recovery-snapshots", "--no-paginate", "--cli-input-json",
            Input(new JsonObject { ["sourceServerID"] = id, ["order"] = "DESC", ["maxResults"] = 1 }))).RequiredOutput;
        var ascending = (await AwsAsync(cts.Token, "describe-recovery-snapshots", "--source-server-id", id, "--order", "ASC")).RequiredOutput["items"]!.AsArray();
        var ours = await _host.Drs.DescribeRecoverySnapshotsAsync(id, null, "DESC", 1, cts.Token);

        Assert.Equal(newest, Assert.Single(cli["items"]!.AsArray())!["snapshotID"]!.GetValue<string>());
        Assert.NotNull(cli["nextToken"]);
        Assert.Equal(3, ascending.Count);
        Assert.Equal(older, ascending[0]!["snapshotID"]!.GetValue<string>());
        Assert.Equal(newest, Assert.Single(ours).SnapshotID);
        Assert.Equal(_host.Clock.GetUtcNow().AddMinutes(5), ours[0].Timestamp);
    }

    [Fact]
    public async Task TerminateRecoveryInstances_WhenDrillInstancesExist_ShouldRunATerminateJobAndRemoveThem()
    {
        using var cts = Timeout();
        var id = _host.Simulator.AddSourceServer();
        await _host.Drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(id)], isDrill: true, tags: null, cts.Token);
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        var instances = (await AwsAsync(cts.Token, "describe-recovery-instances")).RequiredOutput["items"]!.AsArray();
        var instanceId = Assert.Single(instances)!["recoveryInstanceID"]!.GetValue<string>();

        var terminate = (await AwsAsync(cts.Token, "terminate-recovery-instances", "--recovery-instance-ids", instanceId)).RequiredOutput["job"]!;
        var during = Assert.Single(await _host.Drs.DescribeRecoveryInstancesAsync(null, cts.Token));
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        var after = await _host.Drs.DescribeRecoveryInstancesAsync(null, cts.Token);
        var job = Assert.Single(await _host.Drs.DescribeJobsAsync(new DescribeJobsRequestFilters { JobIDs = [terminate["jobID"]!.GetValue<string>()] }, cts.Token));
        var server = Assert.Single(await _host.Drs.DescribeSourceServersAsync(null, cts.Token));

        Assert.Equal((true, "RUNNING", id), (instances[0]!["isDrill"]!.GetValue<bool>(), instances[0]!["ec2InstanceState"]!.GetValue<string>(), instances[0]!["sourceServerID"]!.GetValue<string>()));
        Assert.Equal(("TERMINATE", "TERMINATE_RECOVERY_INSTANCES"), (terminate["type"]!.GetValue<string>(), terminate["initiatedBy"]!.GetValue<string>()));
        Assert.Equal((instanceId, true), (during.RecoveryInstanceID, during.IsDrill!.Value));
        Assert.Empty(after);
        Assert.Equal("COMPLETED", job.Status);
        Assert.Equal(new ParticipatingServer(id, instanceId, "TERMINATED"), Assert.Single(job.ParticipatingServers));
        Assert.Null(server.RecoveryInstanceId);
    }

    [Fact]
    public async Task StartRecovery_WhenServerIsInARunningJob_ShouldFailWithConflictForTheCliAndOurClient()
    {
        using var cts = Timeout();
        var id = _host.Simulator.AddSourceServer();
        await _host.Drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(id)], false, null, cts.Token);

        var cli = await AwsAsync(cts.Token, "start-recovery", "--source-servers", $"sourceServerID={id}");
        var ex = await Assert.ThrowsAsync<AwsConflictException>(() => _host.Drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(id)], false, null, cts.Token));

        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains("An error occurred (ConflictException) when calling the StartRecovery operation", cli.Stderr, StringComparison.Ordinal);
        Assert.Equal(("ConflictException", System.Net.HttpStatusCode.Conflict), (ex.ErrorCode, ex.StatusCode));
        Assert.Contains(id, ex.ServiceMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartRecovery_WhenServerIsUnknown_ShouldFailWithResourceNotFoundForTheCliAndOurClient()
    {
        using var cts = Timeout();
        const string unknown = "s-0000000000000000a";

        var cli = await AwsAsync(cts.Token, "start-recovery", "--source-servers", $"sourceServerID={unknown}");
        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() => _host.Drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(unknown)], false, null, cts.Token));

        Assert.Contains("(ResourceNotFoundException)", cli.Stderr, StringComparison.Ordinal);
        Assert.Equal("ResourceNotFoundException", ex.ErrorCode);
    }

    [Fact]
    public async Task StartRecovery_WhenMoreThan200Servers_ShouldFailWithValidationForTheCli()
    {
        // Our client refuses this before sending; the CLI (botocore checks only minimum lengths) sends it.
        using var cts = Timeout();
        var servers = new JsonArray([.. Enumerable.Range(0, 201).Select(_ => (JsonNode)new JsonObject { ["sourceServerID"] = _host.Simulator.AddSourceServer() })]);

        var cli = await AwsAsync(cts.Token, "start-recovery", "--cli-input-json", Input(new JsonObject { ["sourceServers"] = servers }));

        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains("(ValidationException)", cli.Stderr, StringComparison.Ordinal);
    }
}
