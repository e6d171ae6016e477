using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Failover.Aws.Clients;
using Failover.Aws.Transport;
using Failover.Testing;
using Failover.Local.Drs;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace Failover.Local.Tests.Drs;

/// <summary>The simulator's timing model and error rules, through our DrsClient over HTTP and through TryHandleAsync directly.</summary>
public sealed class DrsSimulatorTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ITestOutputHelper _output = output;
    private const string DrsAuthorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260801/us-west-2/drs/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=00";
    private DrsSimulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await DrsSimulatorHost.StartAsync(CancellationToken.None);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static CancellationTokenSource Timeout() => new(TimeSpan.FromSeconds(30));

    private async Task<Job> JobAsync(string jobId, CancellationToken cancellationToken) =>
        Assert.Single(await _host.Drs.DescribeJobsAsync(new DescribeJobsRequestFilters { JobIDs = [jobId] }, cancellationToken));

    private static async Task<(bool Handled, int Status, string? ErrorType, JsonObject? Body)> CallAsync(DrsSimulator simulator, string path, string body, string? authorization = DrsAuthorization)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = path;
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        using var response = new MemoryStream();
        context.Response.Body = response;
        var handled = await simulator.TryHandleAsync(context, Encoding.UTF8.GetBytes(body));
        var text = Encoding.UTF8.GetString(response.ToArray());
        return (handled, context.Response.StatusCode, context.Response.Headers["x-amzn-ErrorType"].FirstOrDefault(), text.Length == 0 ? null : JsonNode.Parse(text)!.AsObject());
    }

    [Fact]
    public async Task DescribeJobsAsync_AtEachBoundaryOfTheTimingModel_ShouldReportPendingStartedThenCompleted()
    {
        using var cts = Timeout();
        var id = _host.Simulator.AddSourceServer();
        var job = await _host.Drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(id)], false, null, cts.Token);
        var seen = new List<(string? Job, string? Server)>();

        foreach (var milliseconds in new[] { 1999, 1, 29999, 1 })
        {
            _host.Clock.Advance(TimeSpan.FromMilliseconds(milliseconds));
            var now = await JobAsync(job.JobID, cts.Token);
            seen.Add((now.Status, now.ParticipatingServers[0].LaunchStatus));
        }

        Assert.Equal([("PENDING", "PENDING"), ("STARTED", "IN_PROGRESS"), ("STARTED", "IN_PROGRESS"), ("COMPLETED", "LAUNCHED")], seen);
    }

    [Fact]
    public async Task StartRecoveryAsync_WhenEarlierJobCompleted_ShouldAcceptTheServerAgainAndReplaceItsRecoveryInstance()
    {
        using var cts = Timeout();
        var id = _host.Simulator.AddSourceServer();
        await _host.Drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(id)], true, null, cts.Token);
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        var first = Assert.Single(await _host.Drs.DescribeRecoveryInstancesAsync(null, cts.Token));

        var second = await _host.Drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(id)], false, null, cts.Token);
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        var replaced = Assert.Single(await _host.Drs.DescribeRecoveryInstancesAsync(null, cts.Token));

        Assert.Equal("START_RECOVERY", second.InitiatedBy);
        Assert.NotEqual(first.RecoveryInstanceID, replaced.RecoveryInstanceID);
        Assert.Equal((second.JobID, false), (replaced.JobID, replaced.IsDrill!.Value));
    }

    [Fact]
    public async Task StartRecoveryAsync_WhenSnapshotGiven_ShouldLaunchFromThatPointInTime()
    {
        using var cts = Timeout();
        var id = _host.Simulator.AddSourceServer();
        var pointInTime = _host.Clock.GetUtcNow().AddHours(-1);
        var snapshot = _host.Simulator.AddRecoverySnapshot(id, pointInTime);

        await _host.Drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(id) { RecoverySnapshotID = snapshot }], false, null, cts.Token);
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        var instance = Assert.Single(await _host.Drs.DescribeRecoveryInstancesAsync(new DescribeRecoveryInstancesRequestFilters { SourceServerIDs = [id] }, cts.Token));

        Assert.Equal(pointInTime, instance.PointInTimeSnapshotDateTime);
        Assert.Equal((false, "RUNNING"), (instance.IsDrill!.Value, instance.Ec2InstanceState));
    }

    [Fact]
    public async Task StartRecoveryAsync_WhenSnapshotUnknown_ShouldThrowNotFound()
    {
        using var cts = Timeout();
        var id = _host.Simulator.AddSourceServer();

        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() =>
            _host.Drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(id) { RecoverySnapshotID = "pit-0000000000000000a" }], false, null, cts.Token));

        Assert.Equal("ResourceNotFoundException", ex.ErrorCode);
    }

    [Fact]
    public async Task DescribeSourceServersAsync_WhenReplicationStalls_ShouldReportTheNewStateAndLag()
    {
        using var cts = Timeout();
        var id = _host.Simulator.AddSourceServer(lag: TimeSpan.FromSeconds(3));

        _host.Simulator.SetReplication(id, "STALLED", TimeSpan.FromMinutes(42.5));
        var server = Assert.Single(await _host.Drs.DescribeSourceServersAsync(null, cts.Token));

        Assert.Equal(("STALLED", TimeSpan.FromMinutes(42.5)), (server.DataReplicationInfo!.DataReplicationState, server.DataReplicationInfo.LagDuration!.Value));
        Assert.Equal("NOT_STARTED", server.LastLaunchResult);
    }

    [Fact]
    public async Task DescribeSourceServersAsync_WhenMoreThanOnePage_ShouldFollowNextToken()
    {
        using var cts = Timeout();
        var ids = Enumerable.Range(0, 101).Select(_ => _host.Simulator.AddSourceServer()).ToList();

        var servers = await _host.Drs.DescribeSourceServersAsync(null, cts.Token);

        Assert.Equal(ids, servers.Select(s => s.SourceServerID));
    }

    [Fact]
    public async Task DescribeJobsAsync_WhenFilteredByDates_ShouldReturnJobsCreatedInTheWindowNewestFirst()
    {
        using var cts = Timeout();
        var start = _host.Clock.GetUtcNow();
        var jobs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            jobs.Add((await _host.Drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(_host.Simulator.AddSourceServer())], false, null, cts.Token)).JobID);
            _host.Clock.Advance(TimeSpan.FromMinutes(10));
        }

        var window = await _host.Drs.DescribeJobsAsync(new DescribeJobsRequestFilters { FromDate = start.AddMinutes(5), ToDate = start.AddMinutes(25) }, cts.Token);
        var all = await _host.Drs.DescribeJobsAsync(null, cts.Token);

        Assert.Equal([jobs[2], jobs[1]], window.Select(j => j.JobID));
        Assert.Equal([jobs[2], jobs[1], jobs[0]], all.Select(j => j.JobID));
    }

    [Fact]
    public async Task TerminateRecoveryInstancesAsync_WhenInstanceUnknownOrAlreadyTerminating_ShouldThrowNotFoundThenConflict()
    {
        using var cts = Timeout();
        var id = _host.Simulator.AddSourceServer();
        await _host.Drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(id)], true, null, cts.Token);
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        var instance = Assert.Single(await _host.Drs.DescribeRecoveryInstancesAsync(null, cts.Token)).RecoveryInstanceID;
        await _host.Drs.TerminateRecoveryInstancesAsync([instance], cts.Token);

        var unknown = await Assert.ThrowsAsync<AwsNotFoundException>(() => _host.Drs.TerminateRecoveryInstancesAsync(["i-0000000000000000a"], cts.Token));
        var again = await Assert.ThrowsAsync<AwsConflictException>(() => _host.Drs.TerminateRecoveryInstancesAsync([instance], cts.Token));

        Assert.Equal("ResourceNotFoundException", unknown.ErrorCode);
        Assert.Equal("ConflictException", again.ErrorCode);
    }

    [Fact]
    public async Task StartRecoveryAsync_WhenTwentyJobsAreInProgress_ShouldRefuseAnotherUntilOneCompletes()
    {
        // "Concurrent jobs in progress": 20 (L-D88FAC3A), General Reference, drs.html.
        using var cts = Timeout();
        for (var i = 0; i < _host.Simulator.MaxConcurrentJobs; i++)
        {
            await _host.Drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(_host.Simulator.AddSourceServer())], true, null, cts.Token);
        }

        var extra = new StartRecoveryRequestSourceServer(_host.Simulator.AddSourceServer());
        var refused = await Assert.ThrowsAsync<AwsServiceQuotaExceededException>(() => _host.Drs.StartRecoveryAsync([extra], true, null, cts.Token));
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        var accepted = await _host.Drs.StartRecoveryAsync([extra], true, null, cts.Token);

        Assert.Equal(("ServiceQuotaExceededException", HttpStatusCode.PaymentRequired), (refused.ErrorCode, refused.StatusCode));
        Assert.Contains("L-D88FAC3A", refused.ServiceMessage, StringComparison.Ordinal);
        Assert.Equal("PENDING", accepted.Status);
    }

    [Fact]
    public async Task TerminateRecoveryInstancesAsync_WhenTwentyJobsAreInProgress_ShouldRefuseAnother()
    {
        using var cts = Timeout();
        var instances = await LaunchedInstancesAsync(_host.Simulator.MaxConcurrentJobs + 1, cts.Token);
        foreach (var instance in instances.Take(_host.Simulator.MaxConcurrentJobs))
        {
            await _host.Drs.TerminateRecoveryInstancesAsync([instance], cts.Token);
        }

        var refused = await Assert.ThrowsAsync<AwsServiceQuotaExceededException>(() => _host.Drs.TerminateRecoveryInstancesAsync([instances[^1]], cts.Token));

        Assert.Equal(("ServiceQuotaExceededException", HttpStatusCode.PaymentRequired), (refused.ErrorCode, refused.StatusCode));
    }

    [Fact]
    public async Task TerminateRecoveryInstancesAsync_WhenMoreThan100Instances_ShouldRefuseTheJob()
    {
        // "Max source servers in a single Job": 100 (L-B827C881); the API itself takes up to 200 ids.
        using var cts = Timeout();
        var instances = await LaunchedInstancesAsync(_host.Simulator.MaxSourceServersPerJob + 1, cts.Token);

        var refused = await Assert.ThrowsAsync<AwsServiceQuotaExceededException>(() => _host.Drs.TerminateRecoveryInstancesAsync(instances, cts.Token));
        var job = await _host.Drs.TerminateRecoveryInstancesAsync(instances[.._host.Simulator.MaxSourceServersPerJob], cts.Token);

        Assert.Equal(("ServiceQuotaExceededException", HttpStatusCode.PaymentRequired), (refused.ErrorCode, refused.StatusCode));
        Assert.Contains("L-B827C881", refused.ServiceMessage, StringComparison.Ordinal);
        Assert.Equal(_host.Simulator.MaxSourceServersPerJob, job.ParticipatingServers.Count);
    }

    [Fact]
    public async Task StartRecoveryAsync_WhenMoreThan100Servers_ShouldRefuseTheJob()
    {
        using var cts = Timeout();
        var servers = Enumerable.Range(0, _host.Simulator.MaxSourceServersPerJob + 1).Select(_ => new StartRecoveryRequestSourceServer(_host.Simulator.AddSourceServer())).ToList();

        var refused = await Assert.ThrowsAsync<AwsServiceQuotaExceededException>(() => _host.Drs.StartRecoveryAsync(servers, true, null, cts.Token));

        Assert.Equal(("ServiceQuotaExceededException", HttpStatusCode.PaymentRequired), (refused.ErrorCode, refused.StatusCode));
        Assert.Empty(await _host.Drs.DescribeJobsAsync(null, cts.Token));
    }

    [Fact]
    public async Task StartRecoveryAsync_WhenFiveHundredServersAreInJobs_ShouldRefuseMoreWithTheQuotaCodeUntilAJobCompletes()
    {
        // "Max source servers in all Jobs": 500 (L-05AFA8C6), General Reference, drs.html.
        using var cts = Timeout();
        for (var i = 0; i < 5; i++)
        {
            var batch = Enumerable.Range(0, 100).Select(_ => new StartRecoveryRequestSourceServer(_host.Simulator.AddSourceServer())).ToList();
            await _host.Drs.StartRecoveryAsync(batch, false, null, cts.Token);
        }

        var extra = new StartRecoveryRequestSourceServer(_host.Simulator.AddSourceServer());
        var refused = await Assert.ThrowsAsync<AwsServiceQuotaExceededException>(() => _host.Drs.StartRecoveryAsync([extra], false, null, cts.Token));
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        var accepted = await _host.Drs.StartRecoveryAsync([extra], false, null, cts.Token);

        Assert.Equal((HttpStatusCode.PaymentRequired, "L-05AFA8C6"), (refused.StatusCode, refused.QuotaCode));
        Assert.Equal("PENDING", accepted.Status);
        Assert.Equal(new Failover.Core.Reports.DrsUsageReport(6, 100, 500, 5, 0), _host.Simulator.Observed);
    }

    [Fact]
    public async Task StartRecoveryAsync_WhenTheServersInJobsQuotaIsSetLower_ShouldRefuseAtThatFigure()
    {
        using var cts = Timeout();
        _host.Simulator.MaxSourceServersInActiveJobs = 3;
        var servers = Enumerable.Range(0, 4).Select(_ => new StartRecoveryRequestSourceServer(_host.Simulator.AddSourceServer())).ToList();
        await _host.Drs.StartRecoveryAsync(servers[..2], false, null, cts.Token);

        var refused = await Assert.ThrowsAsync<AwsServiceQuotaExceededException>(() => _host.Drs.StartRecoveryAsync(servers[2..], false, null, cts.Token));
        var accepted = await _host.Drs.StartRecoveryAsync(servers[2..3], false, null, cts.Token);

        Assert.Equal("L-05AFA8C6", refused.QuotaCode);
        Assert.Equal(3, _host.Simulator.Observed.PeakServersInActiveJobs);
        Assert.Single(accepted.ParticipatingServers);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public async Task StartRecoveryAsync_WhenAServerIsInAJobInProgress_ShouldAllowOnlyTheJobsPerServerQuota(int jobsPerServer, bool secondAccepted)
    {
        // "Max concurrent Jobs per source server": 1 (L-DD6D028C); beyond it DRS answers ConflictException.
        using var cts = Timeout();
        _host.Simulator.MaxConcurrentJobsPerSourceServer = jobsPerServer;
        var server = new StartRecoveryRequestSourceServer(_host.Simulator.AddSourceServer());
        await _host.Drs.StartRecoveryAsync([server], true, null, cts.Token);

        var second = await Record.ExceptionAsync(() => _host.Drs.StartRecoveryAsync([server], true, null, cts.Token));
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        var afterCompletion = await _host.Drs.StartRecoveryAsync([server], true, null, cts.Token);

        Assert.Equal(secondAccepted, second is null);
        Assert.Equal(secondAccepted ? null : "ConflictException", (second as AwsConflictException)?.ErrorCode);
        Assert.Equal("PENDING", afterCompletion.Status);
    }

    [Fact]
    public async Task StartRecoveryAsync_WhenJobsCarryWaveTags_ShouldObserveJobsPeaksAndWaves()
    {
        using var cts = Timeout();
        var servers = Enumerable.Range(0, 5).Select(_ => new StartRecoveryRequestSourceServer(_host.Simulator.AddSourceServer())).ToList();

        await _host.Drs.StartRecoveryAsync(servers[..3], false, new Dictionary<string, string> { [Failover.Core.Services.ServerRecoveryService.WaveTag] = "0" }, cts.Token);
        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        await _host.Drs.StartRecoveryAsync(servers[3..4], false, new Dictionary<string, string> { [Failover.Core.Services.ServerRecoveryService.WaveTag] = "1" }, cts.Token);
        await _host.Drs.StartRecoveryAsync(servers[4..], false, new Dictionary<string, string> { [Failover.Core.Services.ServerRecoveryService.WaveTag] = "1" }, cts.Token);

        Assert.Equal(new Failover.Core.Reports.DrsUsageReport(3, 3, 3, 2, 2), _host.Simulator.Observed);
    }

    [Fact]
    public async Task DescribeSourceServersAsync_WhenTenThousandServersAreListed_ShouldRenderEachServerOnce()
    {
        // Listing renders only the page asked for: 100 pages of 100 cost 10,000 documents, not 100 x 10,000.
        using var cts = Timeout();
        for (var i = 0; i < 10_000; i++)
        {
            _host.Simulator.AddSourceServer();
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var all = await _host.Drs.DescribeSourceServersAsync(null, cts.Token);
        var overHttp = watch.Elapsed;
        var rendered = _host.Simulator.ServerDocumentsRendered;
        watch.Restart();
        var pages = 0;
        for (string? token = null; pages == 0 || token is not null; pages++)
        {
            var body = token is null ? "{}" : $$"""{"nextToken":"{{token}}"}""";
            token = (await CallAsync(_host.Simulator, "/DescribeSourceServers", body)).Body!["nextToken"]?.GetValue<string>();
        }

        var direct = watch.Elapsed;
        var byIds = await _host.Drs.DescribeSourceServersAsync(new DescribeSourceServersRequestFilters { SourceServerIDs = [.. _host.Simulator.SourceServerIds.Skip(5_000).Take(200)] }, cts.Token);

        Assert.Equal(_host.Simulator.SourceServerIds, all.Select(s => s.SourceServerID));
        Assert.Equal(10_000, rendered);
        Assert.Equal(_host.Simulator.SourceServerIds.Skip(5_000).Take(200), byIds.Select(s => s.SourceServerID));
        Assert.Equal(100, pages);
        Assert.Equal(20_200, _host.Simulator.ServerDocumentsRendered);
        _output.WriteLine($"10,000 servers listed: {overHttp.TotalMilliseconds:0} ms through DrsClient over HTTP, {direct.TotalMilliseconds:0} ms answered by the simulator ({pages} pages)");
    }

    [Fact]
    public async Task DescribeJobLogItemsAsync_WhenJobUnknown_ShouldThrowNotFound()
    {
        using var cts = Timeout();

        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() => _host.Drs.DescribeJobLogItemsAsync("drsjob-0000000000000000a", cts.Token));

        Assert.Equal("ResourceNotFoundException", ex.ErrorCode);
    }

    [Fact]
    public async Task TryHandleAsync_WhenStartRecoveryAccepted_ShouldAnswer202WithTheJsonContentType()
    {
        var simulator = new DrsSimulator(new ManualClock());
        var id = simulator.AddSourceServer();

        var (handled, status, errorType, body) = await CallAsync(simulator, "/StartRecovery", $$"""{"sourceServers":[{"sourceServerID":"{{id}}"}]}""");

        Assert.True(handled);
        Assert.Equal(202, status);
        Assert.Null(errorType);
        Assert.Equal("START_RECOVERY", body!["job"]!["initiatedBy"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260801/us-west-2/rds/aws4_request, SignedHeaders=host, Signature=00")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260801/us-west-2/drsx/aws4_request, SignedHeaders=host, Signature=00")]
    [InlineData(null)]
    public async Task TryHandleAsync_WhenNotSignedForDrs_ShouldReturnFalseAndWriteNothing(string? authorization)
    {
        var simulator = new DrsSimulator(new ManualClock());

        var (handled, status, _, body) = await CallAsync(simulator, "/StartRecovery", "{}", authorization);

        Assert.False(handled);
        Assert.Equal(200, status);
        Assert.Null(body);
    }

    [Fact]
    public async Task TryHandleAsync_WhenMoreThan200Servers_ShouldAnswerValidationExceptionWithTheField()
    {
        var simulator = new DrsSimulator(new ManualClock());
        var servers = string.Join(",", Enumerable.Range(0, 201).Select(_ => $$"""{"sourceServerID":"{{simulator.AddSourceServer()}}"}"""));

        var (_, status, errorType, body) = await CallAsync(simulator, "/StartRecovery", $$"""{"sourceServers":[{{servers}}]}""");

        Assert.Equal((400, "ValidationException"), (status, errorType));
        Assert.Equal("fieldValidationFailed", body!["reason"]!.GetValue<string>());
        Assert.Equal("sourceServers", body["fieldList"]![0]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/DeleteSourceServer", "{}", "unknownOperation")]
    [InlineData("/DescribeJobs", "{not json", "cannotParse")]
    public async Task TryHandleAsync_WhenOperationUnknownOrBodyUnreadable_ShouldAnswerValidationException(string path, string body, string reason)
    {
        var simulator = new DrsSimulator(new ManualClock());

        var (_, status, errorType, reply) = await CallAsync(simulator, path, body);

        Assert.Equal((400, "ValidationException", reason), (status, errorType, reply!["reason"]!.GetValue<string>()));
    }

    // Launches a drill of this many servers (in jobs the per-job quota allows) and waits until every instance runs.
    private async Task<string[]> LaunchedInstancesAsync(int count, CancellationToken cancellationToken)
    {
        var servers = Enumerable.Range(0, count).Select(_ => new StartRecoveryRequestSourceServer(_host.Simulator.AddSourceServer())).ToList();
        foreach (var batch in servers.Chunk(100))
        {
            await _host.Drs.StartRecoveryAsync(batch, true, null, cancellationToken);
        }

        _host.Clock.Advance(TimeSpan.FromMinutes(1));
        return [.. (await _host.Drs.DescribeRecoveryInstancesAsync(null, cancellationToken)).Select(i => i.RecoveryInstanceID)];
    }
}
