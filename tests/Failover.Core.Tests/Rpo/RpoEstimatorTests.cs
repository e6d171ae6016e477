using Failover.Core.Rpo;

namespace Failover.Core.Tests.Rpo;

/// <summary>
/// The RPO estimate from lag evidence before the outage, against how RDS reports ReplicaLag (RDS User Guide,
/// "Monitoring read replication", USER_ReadRepl.Monitoring.html: -1 when replication is not active for MySQL/MariaDB;
/// PostgreSQL read replicas, USER_PostgreSQL.Replication.ReadReplicas.html: lag grows while nothing is replayed, up to
/// 300 s on an idle source).
/// </summary>
public sealed class RpoEstimatorTests
{
    private static readonly DateTimeOffset Outage = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Estimate_WhenMySqlReadsMinusOneAfterTheSourceWentDark_ShouldUseTheLastHealthyMinutesNotMinusOne()
    {
        // Arrange: 2-3 s of lag until 11:57, then -1 (replication not active) while the alarm took 3 minutes.
        var points = Series(-20, -4, m => m % 2 == 0 ? 2 : 3).Concat(Series(-3, 0, _ => -1)).ToList();

        // Act
        var estimate = RpoEstimator.Estimate(LagBehaviour.StopsAtMinusOne, "ReplicaLag", points, Outage);

        // Assert
        Assert.Equal(3, estimate.Seconds);
        Assert.Contains("; -1 from 11:57:00Z", estimate.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_WhenOnlyMinusOneWasReported_ShouldBeUnknownNotMinusOne()
    {
        // Arrange
        var points = Series(-10, 0, _ => -1);

        // Act
        var estimate = RpoEstimator.Estimate(LagBehaviour.StopsAtMinusOne, "ReplicaLag", points, Outage);

        // Assert
        Assert.Null(estimate.Seconds);
        Assert.Contains("-1 (not replicating) since 11:50:00Z", estimate.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_WhenTheNewestDatapointIsOlderThanTheFreshnessWindow_ShouldBeUnknown()
    {
        // Arrange
        var points = Series(-40, -16, _ => 1);

        // Act
        var estimate = RpoEstimator.Estimate(LagBehaviour.StopsAtMinusOne, "ReplicaLag", points, Outage);

        // Assert
        Assert.Null(estimate.Seconds);
        Assert.Contains("over 15 min before 12:00:00Z", estimate.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_WhenDatapointsFollowTheOutage_ShouldIgnoreThem()
    {
        // Arrange: after the outage began, a growing lag (PostgreSQL with a dark source) must not count.
        var points = Series(-10, 0, _ => 1).Concat(Series(1, 10, m => 60 * m)).ToList();

        // Act
        var estimate = RpoEstimator.Estimate(LagBehaviour.GrowsWithClock, "ReplicaLag", points, Outage);

        // Assert
        Assert.Equal(1, estimate.Seconds);
    }

    [Fact]
    public void Estimate_WhenPostgreSqlLagGrowsWithTheClockAfterTheSourceWentDark_ShouldTakeTheLagWhenReplayStopped()
    {
        // Arrange: a busy source (1 s of lag) goes dark at 11:56:30; until the alarm at 12:00 the replica replays
        // nothing and its lag grows one second a second: 31 s at 11:57, 91 s at 11:58, ..., 211 s at 12:00.
        var busy = Series(-20, -4, _ => 1);
        var dark = Series(-3, 0, m => 211 + (60 * m));
        var points = busy.Concat(dark).ToList();

        // Act
        var estimate = RpoEstimator.Estimate(LagBehaviour.GrowsWithClock, "ReplicaLag", points, Outage);

        // Assert: the lag when the replay was first seen frozen (31 s) or the healthy lag just before (1 s), the smaller.
        Assert.Equal(1, estimate.Seconds);
        Assert.Contains("at most 211 s if writes went on to 12:00:00Z", estimate.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_WhenAnIdlePostgreSqlSourceShowsTheWalSwitchSawTooth_ShouldNotReportThePeak()
    {
        // Arrange: idle source, a WAL switch (a replayed record) every 300 s; lag = seconds since the last switch.
        var points = Series(-20, 0, m => ((m + 20) * 60 % 300) + 5);

        // Act
        var estimate = RpoEstimator.Estimate(LagBehaviour.GrowsWithClock, "ReplicaLag", points, Outage);

        // Assert
        Assert.Equal(5, estimate.Seconds);
    }

    [Fact]
    public void Estimate_WhenThePostgreSqlReplayStalledLongBeforeTheOutage_ShouldReportTheWholeWindowAtRisk()
    {
        // Arrange: the replica stopped replaying at 11:49:30 (a conflict, a broken slot) and never caught up.
        var points = Series(-15, -11, _ => 1).Concat(Series(-10, 0, m => 30 + (60 * (m + 10)))).ToList();

        // Act
        var estimate = RpoEstimator.Estimate(LagBehaviour.GrowsWithClock, "ReplicaLag", points, Outage);

        // Assert
        Assert.Equal(630, estimate.Seconds);
        Assert.Contains("replay stalled", estimate.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_WhenThereIsNoDatapoint_ShouldBeUnknownAndSaySo()
    {
        // Act
        var estimate = RpoEstimator.Estimate(LagBehaviour.StopsAtMinusOne, "AuroraGlobalDBReplicationLag", [], Outage);

        // Assert
        Assert.Null(estimate.Seconds);
        Assert.Equal("no AuroraGlobalDBReplicationLag in the 15 min before 12:00:00Z", estimate.Evidence);
    }

    // One datapoint a minute from minute `from` to minute `to` relative to the outage, inclusive.
    private static List<LagDatapoint> Series(int from, int to, Func<int, double> lag) =>
        [.. Enumerable.Range(from, to - from + 1).Select(m => new LagDatapoint(Outage.AddMinutes(m), lag(m)))];
}
