using Failover.Core.Runs;
using Failover.Testing;

namespace Failover.Core.Tests.Runs;

public sealed class RunProgressTests
{
    [Fact]
    public void Merge_WhenTheServersBranchMovedLast_ShouldKeepWhatTheDatabasesBranchChanged()
    {
        // Arrange: Prepare's run, then the databases branch promoted, then the servers branch (which still carries
        // Prepare's databases) launched.
        var prepared = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId).WithServers(4, batchSize: 2).WithSwitch(Samples.SwitchId).Build();
        var promoted = prepared with { Databases = [prepared.Databases[0] with { Status = DatabaseStatuses.Promoting, PromotionStartedAt = ManualClock.DefaultStart }] };
        var launched = prepared with { Servers = prepared.Servers! with { Jobs = [new ServerJob { JobId = "drsjob-1" }], Launched = 2 } };

        // Act
        var merged = RunProgress.Merge([prepared, promoted, launched]);

        // Assert
        Assert.NotNull(merged);
        Assert.Equal(DatabaseStatuses.Promoting, Assert.Single(merged.Databases).Status);
        Assert.Equal(2, merged.Servers!.Launched);
        Assert.Equal(SwitchStatuses.Pending, Assert.Single(merged.Switches).Status);
    }

    [Fact]
    public void Merge_WhenAResourceMovedOnInALaterVersion_ShouldTakeItsLatestProgress()
    {
        // Arrange
        var prepared = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId).WithSwitch(Samples.SwitchId).Build();
        var promoting = prepared with { Databases = [prepared.Databases[0] with { Status = DatabaseStatuses.Promoting }] };
        var writable = prepared with { Databases = [prepared.Databases[0] with { Status = DatabaseStatuses.Writable }] };
        var switched = writable with { Switches = [prepared.Switches[0] with { Status = SwitchStatuses.Switched }] };

        // Act
        var merged = RunProgress.Merge([prepared, promoting, writable, switched, prepared]);

        // Assert
        Assert.Equal(DatabaseStatuses.Writable, merged!.Databases[0].Status);
        Assert.Equal(SwitchStatuses.Switched, merged.Switches[0].Status);
    }

    [Fact]
    public void Merge_WhenThereIsNoVersion_ShouldBeNull()
    {
        // Act
        var merged = RunProgress.Merge([]);

        // Assert
        Assert.Null(merged);
    }
}
