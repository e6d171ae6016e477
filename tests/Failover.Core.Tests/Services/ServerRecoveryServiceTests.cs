using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Testing;

namespace Failover.Core.Tests.Services;

public sealed class ServerRecoveryServiceTests
{
    private static readonly TimeSpan LaunchTimeout = TimeSpan.FromMinutes(60);
    private readonly ManualClock _clock = new();
    private readonly FakeRecoveryServers _drs;
    private ServerRecoveryService _service;

    public ServerRecoveryServiceTests()
    {
        _drs = new FakeRecoveryServers(_clock);
        _service = Service(new ServerGroup { SourceServerIds = [Samples.ServerId(1)] });
    }

    [Fact]
    public async Task StartAsync_WhenServersExceedTheBatchSize_ShouldStartOneTaggedJobPerBatchOfTheSortedList()
    {
        // Arrange
        var ids = Enumerable.Range(1, 5).Select(Samples.ServerId).ToList();
        foreach (var id in Enumerable.Reverse(ids))
        {
            _drs.AddServer(id);
        }

        var run = Arrange([.. Enumerable.Reverse(ids)], batchSize: 2);

        // Act
        var result = await _service.StartAsync(run, CancellationToken.None);

        // Assert
        var starts = _drs.StartCalls;
        Assert.Equal([[ids[0], ids[1]], [ids[2], ids[3]], [ids[4]]], starts.Select(s => s.ServerIds));
        Assert.All(starts, s => Assert.False(s.IsDrill));
        Assert.Equal(["0", "1", "2"], starts.Select(s => s.Tags[ServerRecoveryService.BatchTag]));
        Assert.All(starts, s => Assert.Equal(Samples.ExecutionName, s.Tags[ServerRecoveryService.ExecutionTag]));
        Assert.All(starts, s => Assert.Equal(Samples.PlanName, s.Tags["failover:plan"]));
        var servers = result.Servers!;
        Assert.Equal([0, 1, 2], servers.Jobs.Select(j => j.Batch));
        Assert.Equal(starts.Select(s => s.JobId), servers.Jobs.Select(j => j.JobId));
        Assert.All(servers.Jobs, j => Assert.Equal("PENDING", j.Status));
        Assert.Equal(_clock.GetUtcNow(), servers.StartedAt);
        Assert.False(result.ServersDone);
    }

    [Theory]
    [InlineData(200, 450, 5, 100)]
    [InlineData(100, 100, 1, 100)]
    [InlineData(1, 3, 3, 1)]
    public async Task StartAsync_WhenBatchSizeIsSet_ShouldNeverPutMoreServersInOneJobThanItOrTheQuota(int batchSize, int serverCount, int expectedJobs, int largestJob)
    {
        // Arrange: the plan is not validated here, so a batch size over the 100-server quota reaches the service.
        var ids = _drs.AddServers(serverCount);
        var run = Arrange(ids, batchSize: batchSize);

        // Act
        await _service.StartAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal(expectedJobs, _drs.StartCalls.Count);
        Assert.Equal(largestJob, _drs.StartCalls.Max(s => s.ServerIds.Count));
        Assert.Equal(ids, _drs.StartCalls.SelectMany(s => s.ServerIds));
    }

    [Fact]
    public async Task StartAsync_WhenTheRunHasNoServers_ShouldReportServersDoneAndCallNothing()
    {
        // Arrange
        var run = RunBuilder.Prepared().Build();

        // Act
        var result = await _service.StartAsync(run, CancellationToken.None);

        // Assert
        Assert.True(result.ServersDone);
        Assert.Null(result.Servers);
        Assert.Empty(_drs.StartCalls);
        Assert.Empty(_drs.FindJobsCalls);
    }

    [Fact]
    public async Task StartAsync_WhenTheModeIsADrill_ShouldStartDrillJobs()
    {
        // Arrange
        var ids = _drs.AddServers(2);
        var run = Arrange(ids) with { Mode = RunModes.Drill };

        // Act
        await _service.StartAsync(run, CancellationToken.None);

        // Assert
        Assert.True(Assert.Single(_drs.StartCalls).IsDrill);
    }

    [Fact]
    public async Task StartAsync_WhenMoreBatchesThanMaxConcurrentJobs_ShouldStartOnlyThatMany()
    {
        // Arrange
        var ids = _drs.AddServers(5);
        var run = Arrange(ids, batchSize: 1, maxConcurrentJobs: 2);

        // Act
        var result = await _service.StartAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal(2, _drs.StartCalls.Count);
        Assert.Equal([0, 1], result.Servers!.Jobs.Select(j => j.Batch));
        Assert.False(result.ServersDone);
    }

    [Fact]
    public async Task StartAsync_WhenSeveralBatchesHaveRoom_ShouldStartThemSideBySide()
    {
        // Arrange: each StartRecovery is held until all four are in flight, which only starts made side by side reach.
        var ids = _drs.AddServers(4);
        var gated = new ProbedServers(_drs, new ConcurrencyProbe(barrier: 4), "StartRecovery");
        var service = new ServerRecoveryService(PlanBuilder.Sample().WithServers(new ServerGroup { SourceServerIds = ids, BatchSize = 1 }).Build(), gated, _clock, LaunchTimeout);

        // Act
        var result = await service.StartAsync(RunBuilder.Prepared().WithServers(ids.Count, 1, 20).Build(), CancellationToken.None);

        // Assert
        Assert.Equal([0, 1, 2, 3], result.Servers!.Jobs.Select(j => j.Batch));
        Assert.Equal(ids, _drs.StartCalls.SelectMany(c => c.ServerIds));
    }

    [Fact]
    public async Task StartAsync_WhenAWaveStarts_ShouldReadItsServersTheActiveJobsAndTheRunsJobsSideBySide()
    {
        // Arrange: each read is held until all three are in flight, which only reads made side by side reach.
        var ids = _drs.AddServers(2);
        var gated = new ProbedServers(_drs, new ConcurrencyProbe(barrier: 3), "DescribeActiveJobs", "FindJobs", "DescribeSourceServers");
        var service = new ServerRecoveryService(PlanBuilder.Sample().WithServers(new ServerGroup { SourceServerIds = ids, BatchSize = 2 }).Build(), gated, _clock, LaunchTimeout);

        // Act
        var result = await service.StartAsync(RunBuilder.Prepared().WithServers(ids.Count, 2, 20).Build(), CancellationToken.None);

        // Assert
        Assert.Single(result.Servers!.Jobs);
        Assert.Equal(ids, _drs.StartCalls.Single().ServerIds);
    }

    [Fact]
    public async Task CheckAsync_WhenJobsComplete_ShouldStartMoreBatchesKeepingMaxConcurrentJobsInProgress()
    {
        // Arrange: DRS refuses a third job in progress, like its own limit would.
        _drs.JobLimit = 2;
        var ids = _drs.AddServers(5);
        var run = await StartAsync(Arrange(ids, batchSize: 1, maxConcurrentJobs: 2));
        var startedAfterEachCheck = new List<int>();

        // Act
        for (var i = 0; i < 10 && !run.ServersDone; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(30));
            run = await _service.CheckAsync(run, CancellationToken.None);
            startedAfterEachCheck.Add(_drs.StartCalls.Count);
        }

        // Assert
        Assert.Equal([2, 4, 4, 5, 5, 5], startedAfterEachCheck);
        Assert.Equal(2, _drs.MaxJobsInProgress);
        Assert.True(run.ServersDone);
        var servers = run.Servers!;
        Assert.Equal([0, 1, 2, 3, 4], servers.Jobs.Select(j => j.Batch));
        Assert.All(servers.Jobs, j => Assert.Equal("COMPLETED", j.Status));
        Assert.Equal((ServerOutcomes.Launched, 5, 0), (servers.Outcome, servers.Launched, servers.Failed));
        Assert.Equal(_clock.GetUtcNow(), servers.CompletedAt);
        Assert.Equal(ids, _drs.StartCalls.SelectMany(s => s.ServerIds));
    }

    [Fact]
    public async Task CheckAsync_WhenTheQuotasLeaveNoRoom_ShouldNotListTheServersAgainUntilThereIsRoom()
    {
        // Arrange: 7 servers, one a job, at most 5 servers in active jobs; the jobs finish on their fourth look.
        _drs.DescribesUntilCompleted = 4;
        var ids = _drs.AddServers(7);
        var group = new ServerGroup { SourceServerIds = ids, BatchSize = 1, MaxConcurrentJobs = 20 };
        _service = new(PlanBuilder.Sample().WithServers(group).Build() with { DrsQuotas = new DrsQuotas { ServersInActiveJobs = 5 } }, _drs, _clock, LaunchTimeout);
        var run = await _service.StartAsync(RunBuilder.Prepared().WithServers(ids.Count, 1, 20).Build(), CancellationToken.None);
        var listedAtStart = _drs.DescribeServersCalls.Count;

        // Act
        _clock.Advance(TimeSpan.FromSeconds(1));
        var whileFull = await _service.CheckAsync(run, CancellationToken.None);
        var listedWhileFull = _drs.DescribeServersCalls.Count;
        var startedWhileFull = _drs.StartCalls.Count;
        var done = await CheckUntilDoneAsync(whileFull);

        // Assert
        Assert.Equal(5, startedWhileFull);
        Assert.Equal(listedAtStart, listedWhileFull);
        Assert.Equal(7, whileFull.Servers!.Waves[^1].Total);
        Assert.Equal((ServerOutcomes.Launched, 7), (done.Servers!.Outcome, done.Servers.Launched));
        Assert.Equal(ids, _drs.StartCalls.SelectMany(c => c.ServerIds));
    }

    [Fact]
    public async Task CheckAsync_WhenJobsAreStillRunning_ShouldRecordTheirStatusAndNotBeDone()
    {
        // Arrange
        var ids = _drs.AddServers(3);
        var run = await StartAsync(Arrange(ids));

        // Act
        var result = await _service.CheckAsync(run, CancellationToken.None);

        // Assert
        Assert.False(result.ServersDone);
        Assert.Equal("STARTED", Assert.Single(result.Servers!.Jobs).Status);
        Assert.Equal(ServerOutcomes.Pending, result.Servers.Outcome);
    }

    [Fact]
    public async Task StartAsync_WhenRunAgainWithTheJobsRecorded_ShouldNotStartThemAgain()
    {
        // Arrange
        var ids = _drs.AddServers(4);
        var started = await StartAsync(Arrange(ids, batchSize: 2));

        // Act
        var again = await _service.StartAsync(started, CancellationToken.None);

        // Assert
        Assert.Equal(2, _drs.StartCalls.Count);
        Assert.Equal(started.Servers!.Jobs, again.Servers!.Jobs);
    }

    [Fact]
    public async Task StartAsync_WhenRetriedAtOnceAfterALostAnswer_ShouldFindTheTaggedJobsAndNotStartThemAgain()
    {
        // Arrange: batch 0 starts; DRS creates the job of batch 1 but its answer is lost, so the task fails.
        var ids = _drs.AddServers(6);
        var run = Arrange(ids, batchSize: 2);
        _drs.LoseAnswerOfStart(2);
        await Assert.ThrowsAsync<SimulatedAwsException>(() => _service.StartAsync(run, CancellationToken.None));
        Assert.Equal(2, _drs.StartCalls.Count);

        // Act
        var retried = await _service.StartAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal(3, _drs.StartCalls.Count);
        Assert.Equal([0, 1, 2], retried.Servers!.Jobs.Select(j => j.Batch));
        Assert.Equal(_drs.StartCalls.Select(s => s.JobId), retried.Servers.Jobs.Select(j => j.JobId));
        Assert.Equal([ids[4], ids[5]], _drs.StartCalls[2].ServerIds);
        Assert.Equal(2, _drs.FindJobsCalls.Count);
        Assert.All(_drs.FindJobsCalls, f => Assert.Equal((ServerRecoveryService.ExecutionTag, Samples.ExecutionName), (f.TagKey, f.TagValue)));
    }

    // Step Functions retries "Start recovery" with the same input after IntervalSeconds (and a redrive re-runs it
    // much later): the input has no StartedAt yet, so the service must look for jobs created since the run was
    // prepared, not since the retry began, or it starts the batches again (StartRecovery has no idempotency
    // token; DESIGN decision 5).
    [Theory]
    [InlineData(2)]
    [InlineData(3600)]
    public async Task StartAsync_WhenRetriedLaterWithTheSameInput_ShouldFindTheJobsTheFirstAttemptStarted(int secondsLater)
    {
        // Arrange
        var ids = _drs.AddServers(4);
        var run = Arrange(ids, batchSize: 2);
        _drs.LoseAnswerOfStart(2);
        await Assert.ThrowsAsync<SimulatedAwsException>(() => _service.StartAsync(run, CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(secondsLater));

        // Act
        var retried = await _service.StartAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal(2, _drs.StartCalls.Count);
        Assert.Equal(_drs.StartCalls.Select(s => s.JobId), retried.Servers!.Jobs.Select(j => j.JobId));
    }

    [Fact]
    public async Task CheckAsync_WhenSomeServersFailToLaunch_ShouldReportPartialNamingThemAndGoOn()
    {
        // Arrange
        var ids = _drs.AddServers(4);
        _drs.FailLaunch(ids[1], ids[3]);
        var run = await StartAsync(Arrange(ids, batchSize: 2));

        // Act
        run = await CheckUntilDoneAsync(run);

        // Assert
        var servers = run.Servers!;
        Assert.Equal(ServerOutcomes.Partial, servers.Outcome);
        Assert.Equal((2, 2), (servers.Launched, servers.Failed));
        Assert.Equal([ids[1], ids[3]], servers.FailedServerIds);
        Assert.True(run.ServersDone);
    }

    [Fact]
    public async Task CheckAsync_WhenACompletedJobHoldsFailedServers_ShouldCountThemAsFailed()
    {
        // Arrange
        var ids = _drs.AddServers(3);
        _drs.FailLaunch(ids[0]);
        var run = await StartAsync(Arrange(ids));
        _drs.CompleteJob(run.Servers!.Jobs[0].JobId);

        // Act
        var result = await _service.CheckAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal("COMPLETED", Assert.Single(_drs.Jobs).Status);
        Assert.Equal("COMPLETED", Assert.Single(result.Servers!.Jobs).Status);
        Assert.Equal((ServerOutcomes.Partial, 1, 2), (result.Servers.Outcome, result.Servers.Failed, result.Servers.Launched));
        Assert.Equal([ids[0]], result.Servers.FailedServerIds);
    }

    [Fact]
    public async Task CheckAsync_WhenEveryCriticalServerFails_ShouldThrowServerRecoveryFailedNamingThem()
    {
        // Arrange
        var ids = _drs.AddServers(4);
        _drs.FailLaunch(ids[0], ids[2]);
        var run = await StartAsync(Arrange(ids, criticalServerIds: [ids[0], ids[2]]));

        // Act
        var ex = await Assert.ThrowsAsync<ServerRecoveryFailedException>(() => CheckUntilDoneAsync(run));

        // Assert
        Assert.Contains("(2 of 4 failed)", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{ids[0]}, {ids[2]}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_WhenOnlySomeCriticalServersFail_ShouldReportPartial()
    {
        // Arrange
        var ids = _drs.AddServers(4);
        _drs.FailLaunch(ids[0]);
        var run = await StartAsync(Arrange(ids, criticalServerIds: [ids[0], ids[2]]));

        // Act
        run = await CheckUntilDoneAsync(run);

        // Assert
        Assert.Equal(ServerOutcomes.Partial, run.Servers!.Outcome);
    }

    [Fact]
    public async Task CheckAsync_WhenNoServerIsMarkedCriticalAndEveryOneFails_ShouldThrowServerRecoveryFailed()
    {
        // Arrange
        var ids = _drs.AddServers(2);
        _drs.FailLaunch([.. ids]);
        var run = await StartAsync(Arrange(ids));

        // Act
        var ex = await Assert.ThrowsAsync<ServerRecoveryFailedException>(() => CheckUntilDoneAsync(run));

        // Assert
        Assert.Contains("(2 of 2 failed)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_WhenManyServersFail_ShouldCountThemAllButListAtMostOneHundred()
    {
        // Arrange
        var ids = _drs.AddServers(160);
        _drs.FailLaunch([.. ids.Skip(10)]);
        var run = await StartAsync(Arrange(ids, batchSize: 200));

        // Act
        run = await CheckUntilDoneAsync(run);

        // Assert
        Assert.Equal((150, 10), (run.Servers!.Failed, run.Servers.Launched));
        Assert.Equal(100, run.Servers.FailedServerIds.Count);
    }

    [Fact]
    public async Task CheckAsync_WhenJobsOutlastTheLaunchTimeout_ShouldThrowServerRecoveryTimeout()
    {
        // Arrange
        _drs.DescribesUntilCompleted = int.MaxValue;
        var ids = _drs.AddServers(3);
        var run = await StartAsync(Arrange(ids, batchSize: 2));
        _clock.Advance(LaunchTimeout);
        run = await _service.CheckAsync(run, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));

        // Act
        var ex = await Assert.ThrowsAsync<ServerRecoveryTimeoutException>(() => _service.CheckAsync(run, CancellationToken.None));

        // Assert
        Assert.False(run.ServersDone);
        Assert.Equal("wave 'wave 1': 2 DRS job(s) unfinished and 0 server(s) not started after 3600 s", ex.Message);
    }

    [Fact]
    public async Task CheckAsync_WhenTheRunHasNoServers_ShouldReportServersDone()
    {
        // Act
        var result = await _service.CheckAsync(RunBuilder.Prepared().Build(), CancellationToken.None);

        // Assert
        Assert.True(result.ServersDone);
        Assert.Empty(_drs.DescribeJobsCalls);
    }

    [Fact]
    public async Task StartAsync_WhenTheInputScopedSomeServers_ShouldLaunchOnlyThose()
    {
        // Arrange
        var ids = _drs.AddServers(4);
        var run = Arrange(ids) with { Scope = new RunScope { Servers = [ids[3], ids[1]] } };
        run = run with { Servers = run.Servers! with { Total = 2 } };

        // Act
        await _service.StartAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal([ids[1], ids[3]], Assert.Single(_drs.StartCalls).ServerIds);
        Assert.Empty(Assert.Single(_drs.DescribeServersCalls).Tags);
    }

    [Fact]
    public async Task StartAsync_WhenThePlanSelectsServersByTags_ShouldBatchTheTaggedServersSortedById()
    {
        // Arrange
        var tags = new Dictionary<string, string> { ["app"] = "orders" };
        _drs.AddServer(Samples.ServerId(3), tags: tags).AddServer(Samples.ServerId(1), tags: tags).AddServer(Samples.ServerId(9)).AddServer(Samples.ServerId(2), tags: tags);
        _service = Service(new ServerGroup { Tags = tags, BatchSize = 2 });
        var run = RunBuilder.Prepared().WithServers(3, batchSize: 2).Build();

        // Act
        await _service.StartAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal([[Samples.ServerId(1), Samples.ServerId(2)], [Samples.ServerId(3)]], _drs.StartCalls.Select(s => s.ServerIds));
    }

    // The ids are resolved again (sorted) whenever batches start. When the DRS selection changes between two starts
    // (a new server carrying the plan's tags registers while earlier batches run), batch i is no longer the slice it
    // was: a server is launched twice and another one never.
    [Fact]
    public async Task CheckAsync_WhenATaggedServerAppearsWhileBatchesRun_ShouldLaunchEveryTaggedServerExactlyOnce()
    {
        // Arrange
        var tags = new Dictionary<string, string> { ["app"] = "orders" };
        var ids = _drs.AddServers(3, first: 2, tags: tags);
        _service = Service(new ServerGroup { Tags = tags, BatchSize = 1, MaxConcurrentJobs = 1 });
        var run = await _service.StartAsync(RunBuilder.Prepared().WithServers(3, batchSize: 1, maxConcurrentJobs: 1).Build(), CancellationToken.None);
        _drs.AddServer(Samples.ServerId(1), tags: tags);

        // Act
        run = await CheckUntilDoneAsync(run);

        // Assert
        // The server tagged late joins the recovery (the selection is by tag); no server is in two jobs.
        var launched = _drs.StartCalls.SelectMany(s => s.ServerIds).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([Samples.ServerId(1), .. ids], launched);
        Assert.Equal(4, run.Servers!.Launched);
    }

    [Fact]
    public async Task StartAsync_WhenMoreServersThanTheActiveJobsQuota_ShouldKeepAtMostFiveHundredServersInJobs()
    {
        // Arrange
        var ids = _drs.AddServers(1200);
        var run = Arrange(ids);

        // Act
        var started = await _service.StartAsync(run, CancellationToken.None);
        var done = await CheckUntilDoneAsync(started);

        // Assert
        Assert.Equal(5, started.Servers!.Jobs.Count);
        Assert.Equal(500, _drs.MaxServersInActiveJobs);
        Assert.Equal(0, _drs.RefusedStarts);
        Assert.Equal((ServerOutcomes.Launched, 1200), (done.Servers!.Outcome, done.Servers.Launched));
    }

    [Fact]
    public async Task StartAsync_WhenAnotherToolsJobsHoldFifteenOfTheTwentySlots_ShouldStartOnlyFiveAndFinishLater()
    {
        // Arrange
        var others = _drs.AddServers(15, first: 5000);
        var foreign = others.Select(id => _drs.AddForeignJob(id)).ToList();
        var ids = _drs.AddServers(10);
        var run = Arrange(ids, batchSize: 1);

        // Act
        var started = await _service.StartAsync(run, CancellationToken.None);
        foreign.ForEach(_drs.CompleteJob);
        var done = await CheckUntilDoneAsync(started);

        // Assert
        Assert.Equal(5, started.Servers!.Jobs.Count);
        Assert.Equal(20, _drs.MaxJobsInProgress);
        Assert.Equal(0, _drs.RefusedStarts);
        Assert.Equal(10, done.Servers!.Launched);
    }

    [Fact]
    public async Task StartAsync_WhenAServerIsInAnotherToolsJob_ShouldLeaveItForALaterBatch()
    {
        // Arrange
        var ids = _drs.AddServers(3);
        var foreign = _drs.AddForeignJob(ids[1]);
        var run = Arrange(ids);

        // Act
        var started = await _service.StartAsync(run, CancellationToken.None);
        _drs.CompleteJob(foreign);
        var done = await CheckUntilDoneAsync(started);

        // Assert
        Assert.Equal([[ids[0], ids[2]], [ids[1]]], _drs.StartCalls.Select(c => c.ServerIds));
        Assert.Equal(0, _drs.RefusedStarts);
        Assert.Equal((ServerOutcomes.Launched, 3), (done.Servers!.Outcome, done.Servers.Launched));
    }

    [Fact]
    public async Task CheckAsync_WhenDrsRefusesABatchForAQuota_ShouldWaitAndStartItOnALaterCheck()
    {
        // Arrange
        var ids = _drs.AddServers(3);
        _drs.RefuseNextStarts(2);
        var run = Arrange(ids);

        // Act
        var started = await _service.StartAsync(run, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var refusedAgain = await _service.CheckAsync(started, CancellationToken.None);
        var done = await CheckUntilDoneAsync(refusedAgain);

        // Assert
        Assert.Empty(started.Servers!.Jobs);
        Assert.False(refusedAgain.ServersDone);
        Assert.Equal(2, refusedAgain.Servers!.Refusals);
        Assert.StartsWith("ServiceQuotaExceededException", refusedAgain.Servers.LastRefusal);
        Assert.Equal((ServerOutcomes.Launched, 3, 2), (done.Servers!.Outcome, done.Servers.Launched, done.Servers.Refusals));
    }

    [Fact]
    public async Task CheckAsync_WhenDrsRefusesUntilTheLaunchTimeout_ShouldThrowServerRecoveryTimeout()
    {
        // Arrange
        var ids = _drs.AddServers(2);
        _drs.RefuseNextStarts(int.MaxValue);
        var run = await StartAsync(Arrange(ids));
        _clock.Advance(LaunchTimeout + TimeSpan.FromSeconds(1));

        // Act
        var ex = await Assert.ThrowsAsync<ServerRecoveryTimeoutException>(() => _service.CheckAsync(run, CancellationToken.None));

        // Assert
        Assert.Contains("2 server(s) not started", ex.Message);
    }

    [Fact]
    public async Task CheckAsync_WhenThePlanHasWaves_ShouldStartEachWaveOnlyOnceThePreviousHasLaunched()
    {
        // Arrange
        var db = _drs.AddServers(2, first: 1);
        var app = _drs.AddServers(2, first: 10);
        var run = ArrangeWaves(new ServerGroup { Name = "db", SourceServerIds = db }, new ServerGroup { Name = "app", SourceServerIds = app });

        // Act
        var started = await _service.StartAsync(run, CancellationToken.None);
        var startsBeforeWaveOneLaunched = _drs.StartCalls.Count;
        var done = await CheckUntilDoneAsync(started);

        // Assert
        Assert.Equal(1, startsBeforeWaveOneLaunched);
        Assert.Equal([db, app], _drs.StartCalls.Select(c => c.ServerIds));
        Assert.Equal(["0", "1"], _drs.StartCalls.Select(c => c.Tags[ServerRecoveryService.WaveTag]));
        var waves = done.Servers!.Waves;
        Assert.Equal(["db", "app"], waves.Select(w => w.Name));
        Assert.All(waves, w => Assert.Equal((ServerOutcomes.Launched, 2, 2), (w.Outcome, w.Total, w.Launched)));
        Assert.True(waves[1].StartedAt >= waves[0].CompletedAt);
        Assert.Equal((ServerOutcomes.Launched, 4, 4), (done.Servers.Outcome, done.Servers.Total, done.Servers.Launched));
        Assert.Single(done.Servers.Jobs);
    }

    [Fact]
    public async Task CheckAsync_WhenAWaveHasAWaitAfterIt_ShouldStartTheNextWaveOnlyOnceItHasPassed()
    {
        // Arrange
        var db = _drs.AddServers(1, first: 1);
        var app = _drs.AddServers(1, first: 10);
        var run = ArrangeWaves(new ServerGroup { SourceServerIds = db, WaitAfterSeconds = 120 }, new ServerGroup { SourceServerIds = app });
        run = await _service.StartAsync(run, CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(30));
            run = await _service.CheckAsync(run, CancellationToken.None);
        }

        var waveOneLaunchedAt = run.Servers!.Waves[0].CompletedAt!.Value;
        var startsDuringTheWait = new List<int>();

        // Act
        while (_clock.GetUtcNow() < waveOneLaunchedAt.AddSeconds(150))
        {
            _clock.Advance(TimeSpan.FromSeconds(10));
            run = await _service.CheckAsync(run, CancellationToken.None);
            startsDuringTheWait.Add(_drs.StartCalls.Count);
        }

        // Assert
        var secondStart = run.Servers!.Waves[1].StartedAt!.Value;
        Assert.Equal(waveOneLaunchedAt.AddSeconds(120), secondStart);
        Assert.Equal(1, startsDuringTheWait[0]);
        Assert.Equal(2, startsDuringTheWait[^1]);
        Assert.Equal(["wave 1", "wave 2"], run.Servers.Waves.Select(w => w.Name));
    }

    [Fact]
    public async Task CheckAsync_WhenEveryCriticalServerOfAWaveFails_ShouldThrowNamingTheWaveAndNeverStartLaterWaves()
    {
        // Arrange
        var db = _drs.AddServers(2, first: 1);
        var app = _drs.AddServers(2, first: 10);
        _drs.FailLaunch(db[0]);
        var run = ArrangeWaves(new ServerGroup { Name = "db", SourceServerIds = db, CriticalServerIds = [db[0]] }, new ServerGroup { Name = "app", SourceServerIds = app });

        // Act
        var ex = await Assert.ThrowsAsync<ServerRecoveryFailedException>(() => CheckUntilDoneAsync(run));

        // Assert
        Assert.StartsWith($"wave 'db': every critical DRS source server failed to launch (1 of 2 failed): {db[0]}; 1 later wave(s) not started", ex.Message);
        Assert.Equal([db], _drs.StartCalls.Select(c => c.ServerIds));
    }

    [Fact]
    public async Task CheckAsync_WhenSomeServersOfAWaveFail_ShouldGoOnToTheNextWaveAndReportPartialNamingThem()
    {
        // Arrange
        var db = _drs.AddServers(2, first: 1);
        var app = _drs.AddServers(2, first: 10);
        _drs.FailLaunch(db[1], app[0]);
        var run = ArrangeWaves(new ServerGroup { Name = "db", SourceServerIds = db, CriticalServerIds = [db[0]] }, new ServerGroup { Name = "app", SourceServerIds = app, CriticalServerIds = [app[1]] });

        // Act
        var done = await CheckUntilDoneAsync(await StartAsync(run));

        // Assert
        var servers = done.Servers!;
        Assert.Equal((ServerOutcomes.Partial, 2, 2), (servers.Outcome, servers.Launched, servers.Failed));
        Assert.Equal([db[1], app[0]], servers.FailedServerIds);
        Assert.Equal([[db[1]], [app[0]]], servers.Waves.Select(w => w.FailedServerIds));
        Assert.All(servers.Waves, w => Assert.Equal(ServerOutcomes.Partial, w.Outcome));
    }

    [Fact]
    public async Task CheckWatchedAsync_WhenLaterRoundsOfAWaveStartWithinOneInvocation_ShouldReadEachWavesServersOnce()
    {
        // Arrange: two waves of one-server batches, one job at a time, so every server after a wave's first is started by
        // a later round of its wave; the jobs finish on their second look. Start recovery reads the first wave's servers.
        var first = _drs.AddServers(3, first: 1);
        var second = _drs.AddServers(2, first: 10);
        var run = ArrangeWaves(
            new ServerGroup { Name = "db", SourceServerIds = first, BatchSize = 1, MaxConcurrentJobs = 1 },
            new ServerGroup { Name = "app", SourceServerIds = second, BatchSize = 1, MaxConcurrentJobs = 1 });
        run = await StartAsync(run);
        var readBefore = _drs.DescribeServersCalls.Count;
        var watch = new CompletionWatch(_clock, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(45));

        // Act
        var task = _service.CheckWatchedAsync(run, watch, CancellationToken.None);
        await _clock.RunUntilAsync(task, TimeSpan.FromMilliseconds(100));
        var done = await task;

        // Assert: one read of each wave in this invocation, the later rounds of a wave starting from that read.
        Assert.True(done.ServersDone);
        Assert.Equal((ServerOutcomes.Launched, 5), (done.Servers!.Outcome, done.Servers.Launched));
        Assert.Equal([.. first, .. second], _drs.StartCalls.SelectMany(c => c.ServerIds));
        Assert.Equal([first, second], _drs.DescribeServersCalls.Skip(readBefore).Select(c => c.Ids));
    }

    /// <summary>A plan of these waves, the service over it, and the run Prepare makes of it.</summary>
    private RunState ArrangeWaves(params ServerGroup[] waves)
    {
        _service = new(PlanBuilder.Sample().WithWaves(waves).Build(), _drs, _clock, LaunchTimeout);
        return RunBuilder.Prepared().WithServers(waves.Sum(w => w.SourceServerIds.Count)).Build();
    }

    /// <summary>A plan selecting <paramref name="ids"/>, the service over it, and the run Prepare makes of it.</summary>
    private RunState Arrange(IReadOnlyList<string> ids, int batchSize = 100, int maxConcurrentJobs = 20, IReadOnlyList<string>? criticalServerIds = null)
    {
        _service = Service(new ServerGroup { SourceServerIds = ids, BatchSize = batchSize, MaxConcurrentJobs = maxConcurrentJobs, CriticalServerIds = criticalServerIds ?? [] });
        return RunBuilder.Prepared().WithServers(ids.Count, batchSize, maxConcurrentJobs).Build();
    }

    // Reads _service after the argument (Arrange replaces it) has been evaluated.
    private Task<RunState> StartAsync(RunState run) => _service.StartAsync(run, CancellationToken.None);

    private ServerRecoveryService Service(ServerGroup servers) =>
        new(PlanBuilder.Sample().WithServers(servers).Build(), _drs, _clock, LaunchTimeout);

    private async Task<RunState> CheckUntilDoneAsync(RunState run)
    {
        for (var i = 0; i < 20 && !run.ServersDone; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(30));
            run = await _service.CheckAsync(run, CancellationToken.None);
        }

        return run.ServersDone ? run : throw new InvalidOperationException("servers not done after 20 checks");
    }
}
