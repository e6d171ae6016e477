using Failover.Aws.Adapters;
using Failover.Aws.Clients;
using Failover.Core.Services;

namespace Failover.Local.Tests.Drs;

/// <summary>
/// The drill cleanup (service and DRS adapter) against the simulator's timing model and quotas: 2 s pending, 30 s
/// launching, 10 s terminating; the clock moves only when a test moves it.
/// </summary>
public sealed class DrillCleanupTests : IAsyncLifetime
{
    private const string Execution = "orders-drill-20260801T120000Z-manual";

    private DrsSimulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await DrsSimulatorHost.StartAsync(CancellationToken.None);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static CancellationTokenSource Timeout() => new(TimeSpan.FromSeconds(60));

    [Fact]
    public async Task CleanupAsync_WhenADrillLaunched150Instances_ShouldTerminateThemWithTwoJobs()
    {
        // Arrange: the drill's two launch jobs (100 + 50 servers) have completed.
        using var cts = Timeout();
        var servers = Enumerable.Range(0, 150).Select(_ => _host.Simulator.AddSourceServer()).ToList();
        foreach (var batch in servers.Chunk(100))
        {
            await LaunchDrillAsync(batch, cts.Token);
        }

        _host.Clock.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(150, (await _host.Drs.DescribeRecoveryInstancesAsync(null, cts.Token)).Count);

        // Act
        var cleanup = await Service().CleanupAsync(Execution, cts.Token);

        // Assert
        Assert.Equal(150, cleanup.Removed.Count);
        var terminateJobs = (await _host.Drs.DescribeJobsAsync(null, cts.Token)).Where(j => j.Type == "TERMINATE").ToList();
        Assert.Equal([50, 100], terminateJobs.Select(j => j.ParticipatingServers.Count).Order());
        _host.Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Empty(await _host.Drs.DescribeRecoveryInstancesAsync(null, cts.Token));
    }

    [Fact]
    public async Task CleanupAsync_WhenALaunchIsStillInProgress_ShouldTerminateItsInstanceOnceLaunched()
    {
        // Arrange: the drill failed elsewhere while its DRS job was still launching.
        using var cts = Timeout();
        var servers = Enumerable.Range(0, 3).Select(_ => _host.Simulator.AddSourceServer()).ToList();
        await LaunchDrillAsync(servers, cts.Token);
        _host.Clock.Advance(TimeSpan.FromSeconds(10));

        // Act: the clock moves on while the cleanup runs.
        var cleanup = Service().CleanupAsync(Execution, cts.Token);
        await _host.Clock.RunUntilAsync(cleanup, TimeSpan.FromSeconds(1));
        var result = await cleanup;
        _host.Clock.Advance(TimeSpan.FromSeconds(60));

        // Assert
        Assert.Equal(3, result.Removed.Count);
        Assert.Single(await _host.Drs.DescribeJobsAsync(null, cts.Token), j => j.Type == "TERMINATE");
        Assert.Empty(await _host.Drs.DescribeRecoveryInstancesAsync(null, cts.Token));
    }

    [Fact]
    public async Task CleanupAsync_WhenTheWaitEndsBeforeTheLaunch_ShouldNameTheJobAndItsServersAndTerminateNothingOfIt()
    {
        // Arrange: one launch finished, a second one is still in progress.
        using var cts = Timeout();
        await LaunchDrillAsync([_host.Simulator.AddSourceServer()], cts.Token);
        _host.Clock.Advance(TimeSpan.FromSeconds(40));
        var servers = Enumerable.Range(0, 2).Select(_ => _host.Simulator.AddSourceServer()).ToList();
        var launching = await LaunchDrillAsync(servers, cts.Token);

        // Act
        var ex = await Assert.ThrowsAsync<DrillLaunchesInProgressException>(() => Service(TimeSpan.Zero).CleanupAsync(Execution, cts.Token));

        // Assert
        Assert.Single(ex.Cleanup.Removed);
        var problem = Assert.Single(ex.Cleanup.Problems);
        Assert.StartsWith($"DRS drill job {launching.JobID} is still launching 2 server(s) after 0 s ({servers[0]}, {servers[1]})", problem, StringComparison.Ordinal);
        _host.Clock.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(2, (await _host.Drs.DescribeRecoveryInstancesAsync(null, cts.Token)).Count(i => i.Ec2InstanceState == "RUNNING"));
    }

    [Fact]
    public async Task CleanupAsync_WhenAnotherDrillIsLaunching_ShouldNeitherWaitForItNorTouchIt()
    {
        // Arrange
        using var cts = Timeout();
        await _host.Drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(_host.Simulator.AddSourceServer())], isDrill: true,
            new Dictionary<string, string> { [ServerRecoveryService.ExecutionTag] = "orders-drill-other" }, cts.Token);

        // Act
        var cleanup = await Service().CleanupAsync(Execution, cts.Token);

        // Assert
        Assert.Empty(cleanup.Removed);
        Assert.Equal(_host.Clock.GetUtcNow(), cleanup.CompletedAt);
    }

    [Fact]
    public async Task CleanupAsync_WhenRunAgainWhileTheTerminationIsUnderWay_ShouldFindNothingLeftToRemove()
    {
        // Arrange: the workflow's cleanup and the execution status rule's may both run for one drill.
        using var cts = Timeout();
        await LaunchDrillAsync([.. Enumerable.Range(0, 2).Select(_ => _host.Simulator.AddSourceServer())], cts.Token);
        _host.Clock.Advance(TimeSpan.FromSeconds(40));
        await Service().CleanupAsync(Execution, cts.Token);

        // Act: the terminate job is still pending; DRS reports the instances running.
        var again = await Service().CleanupAsync(Execution, cts.Token);

        // Assert
        Assert.Empty(again.Removed);
        Assert.Empty(await new DrillResources(_host.Rds, _host.Drs).FindAsync(null, cts.Token));
        Assert.All(await _host.Drs.DescribeRecoveryInstancesAsync(null, cts.Token), i => Assert.Equal("RUNNING", i.Ec2InstanceState));
    }

    [Fact]
    public async Task TerminateRecoveryInstancesAsync_WhenOneOfTheBatchIsGoneAlready_ShouldTerminateTheOthers()
    {
        // Arrange: DRS answers for the whole call; one instance was terminated by an earlier cleanup.
        using var cts = Timeout();
        await LaunchDrillAsync([.. Enumerable.Range(0, 3).Select(_ => _host.Simulator.AddSourceServer())], cts.Token);
        _host.Clock.Advance(TimeSpan.FromSeconds(40));
        var instances = (await _host.Drs.DescribeRecoveryInstancesAsync(null, cts.Token)).Select(i => i.RecoveryInstanceID).ToList();
        await _host.Drs.TerminateRecoveryInstancesAsync([instances[0]], cts.Token);
        _host.Clock.Advance(TimeSpan.FromSeconds(20));

        // Act
        await new DrillResources(_host.Rds, _host.Drs).TerminateRecoveryInstancesAsync(instances, cts.Token);

        // Assert
        _host.Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Empty(await _host.Drs.DescribeRecoveryInstancesAsync(null, cts.Token));
    }

    private DrillCleanupService Service(TimeSpan? wait = null) => new(new DrillResources(_host.Rds, _host.Drs), _host.Clock, wait ?? TimeSpan.FromMinutes(5));

    private Task<Job> LaunchDrillAsync(IReadOnlyList<string> servers, CancellationToken cancellationToken) =>
        _host.Drs.StartRecoveryAsync([.. servers.Select(id => new StartRecoveryRequestSourceServer(id))], isDrill: true,
            new Dictionary<string, string> { [ServerRecoveryService.ExecutionTag] = Execution }, cancellationToken);
}
