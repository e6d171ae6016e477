using Failover.Aws.Adapters;
using Failover.Aws.Clients;
using Failover.Aws.Transport;

namespace Failover.Local.Tests.Drs;

/// <summary>The DRS adapter's quota handling against the simulator: refusals that pass with time are returned, not thrown.</summary>
public sealed class DrsRecoveryServersTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> NoTags = [];
    private DrsSimulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await DrsSimulatorHost.StartAsync(CancellationToken.None);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static CancellationTokenSource Timeout() => new(TimeSpan.FromSeconds(30));

    private DrsRecoveryServers Adapter() => new(_host.Drs, _host.Clock);

    [Fact]
    public async Task StartRecoveryAsync_WhenAJobWouldExceedTheServersPerJobQuota_ShouldReturnTheRefusalWithItsQuotaCode()
    {
        // Arrange
        using var cts = Timeout();
        var servers = Enumerable.Range(0, 101).Select(_ => _host.Simulator.AddSourceServer()).ToList();

        // Act
        var outcome = await Adapter().StartRecoveryAsync(servers, true, NoTags, cts.Token);

        // Assert
        Assert.Null(outcome.JobId);
        Assert.StartsWith("ServiceQuotaExceededException (L-B827C881): ", outcome.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartRecoveryAsync_WhenAServerIsInAJobInProgress_ShouldReturnTheConflictAsARefusal()
    {
        // Arrange
        using var cts = Timeout();
        var server = _host.Simulator.AddSourceServer();
        var first = await Adapter().StartRecoveryAsync([server], true, NoTags, cts.Token);

        // Act
        var second = await Adapter().StartRecoveryAsync([server], true, NoTags, cts.Token);

        // Assert
        Assert.NotNull(first.JobId);
        Assert.StartsWith("ConflictException: ", second.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartRecoveryAsync_WhenTheServerDoesNotExist_ShouldThrowNotARefusal()
    {
        // Arrange
        using var cts = Timeout();

        // Act
        var ex = await Record.ExceptionAsync(() => Adapter().StartRecoveryAsync(["s-0000000000000000a"], true, NoTags, cts.Token));

        // Assert
        Assert.IsType<AwsNotFoundException>(ex);
    }

    [Fact]
    public async Task DescribeActiveJobsAsync_WhenJobsOfAnotherToolRunAndOneCompleted_ShouldListOnlyTheJobsInProgress()
    {
        // Arrange
        using var cts = Timeout();
        var done = await _host.Drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(_host.Simulator.AddSourceServer())], true, null, cts.Token);
        _host.Clock.Advance(TimeSpan.FromMinutes(5));
        var running = await _host.Drs.StartRecoveryAsync([new StartRecoveryRequestSourceServer(_host.Simulator.AddSourceServer()), new StartRecoveryRequestSourceServer(_host.Simulator.AddSourceServer())], false, null, cts.Token);

        // Act
        var active = await Adapter().DescribeActiveJobsAsync(cts.Token);

        // Assert
        var job = Assert.Single(active);
        Assert.Equal(running.JobID, job.JobId);
        Assert.NotEqual(done.JobID, job.JobId);
        Assert.Equal(2, job.LaunchStatusByServer.Count);
    }
}
