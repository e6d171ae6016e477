using Failover.Local;
using Failover.Local.Models;

namespace Failover.Local.Tests;

/// <summary>The day's published history, on the local AWS.</summary>
public sealed class OutageDayTests : IAsyncLifetime
{
    private LocalAws _aws = null!;

    public async Task InitializeAsync() => _aws = await LocalAws.StartAsync(null, CancellationToken.None);

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    [Fact]
    public async Task StayUpUntilNowAsync_WhenCalledAgainWithinTheSecond_ShouldKeepTheHistoryItHas()
    {
        // Arrange: the readiness scenario lets the primary stay up before each evaluation, which can be moments apart.
        var day = new OutageDay(_aws, "us-east-2", "us-west-2", TimeProvider.System);
        await day.AddReplicaAsync(new ModelledReplica("orders-replica", ReplicaEngine.MySql), CancellationToken.None);
        await day.StayUpUntilNowAsync("orders", CancellationToken.None);

        // Act
        var again = Record.ExceptionAsync(() => day.StayUpUntilNowAsync("orders", CancellationToken.None));

        // Assert
        Assert.Null(await again);
    }
}
