using Failover.Core.Runs;
using Failover.Testing;

namespace Failover.Core.Tests.Runs;

public sealed class RecoveryFiguresTests
{
    [Fact]
    public void From_WhenTriggeredByAnAlarm_ShouldMeasureRtoFromTheAlarmToTrafficSwitched()
    {
        // Arrange
        var run = RunBuilder.Prepared()
            .TriggeredAt(Samples.AlarmTime)
            .Change(r => r with { PreparedAt = Samples.AlarmTime.AddSeconds(20), TrafficSwitchedAt = Samples.AlarmTime.AddSeconds(431.2346) })
            .Build();

        // Act
        var figures = RecoveryFigures.From(run);

        // Assert
        Assert.Equal(431.235, figures.RtoSeconds);
    }

    [Fact]
    public void From_WhenStartedManually_ShouldMeasureRtoFromPrepare()
    {
        // Arrange
        var run = RunBuilder.Prepared().Change(r => r with { TrafficSwitchedAt = ManualClock.DefaultStart.AddMinutes(4) }).Build();

        // Act
        var figures = RecoveryFigures.From(run);

        // Assert
        Assert.Equal(240, figures.RtoSeconds);
    }

    [Fact]
    public void From_WhenTrafficWasNotSwitched_ShouldHaveNoRto()
    {
        // Arrange
        var run = RunBuilder.Prepared().TriggeredAt(Samples.AlarmTime).Build();

        // Act
        var figures = RecoveryFigures.From(run);

        // Assert
        Assert.Null(figures.RtoSeconds);
    }

    [Fact]
    public void From_WhenDatabasesWerePromoted_ShouldTakeTheLargestLagAsRpo()
    {
        // Arrange
        var promoted = ManualClock.DefaultStart;
        var run = RunBuilder.Prepared()
            .WithDatabase("a", DatabaseStatuses.Writable, lagSeconds: 1.5, promotionStartedAt: promoted)
            .WithDatabase("b", DatabaseStatuses.Writable, lagSeconds: 12.25, promotionStartedAt: promoted)
            .WithDatabase("c", DatabaseStatuses.Writable, lagSeconds: 0, promotionStartedAt: promoted)
            .WithDatabase("not-promoted", DatabaseStatuses.Ready, lagSeconds: 99)
            .Build();

        // Act
        var figures = RecoveryFigures.From(run);

        // Assert
        Assert.Equal(12.25, figures.RpoSeconds);
    }

    [Fact]
    public void From_WhenAPromotedDatabaseHadUnknownEvidence_ShouldReportTheLargestKnownEstimate()
    {
        // Arrange
        var run = RunBuilder.Prepared()
            .WithDatabase("a", DatabaseStatuses.Writable, lagSeconds: 3, promotionStartedAt: ManualClock.DefaultStart)
            .WithDatabase("b", DatabaseStatuses.Writable, lagSeconds: -1, promotionStartedAt: ManualClock.DefaultStart)
            .Build();

        // Act
        var figures = RecoveryFigures.From(run);

        // Assert
        Assert.Equal(3, figures.RpoSeconds);
    }

    [Fact]
    public void From_WhenNothingWasPromoted_ShouldHaveNoRpo()
    {
        // Arrange
        var run = RunBuilder.Prepared().WithDatabase("a", DatabaseStatuses.Ready, lagSeconds: 5).Build();

        // Act
        var figures = RecoveryFigures.From(run);

        // Assert
        Assert.Null(figures.RpoSeconds);
    }

    // A global database switchover is planned: Aurora waits for the secondary to catch up before the roles change,
    // so it loses no data whatever lag was read at Prepare (Prepare exempts it from the RPO gate for that reason).
    [Fact]
    public void From_WhenTheOnlyPromotionWasAGlobalSwitchover_ShouldReportNoDataLoss()
    {
        // Arrange
        var run = RunBuilder.Prepared()
            .WithGlobalDatabase(action: DatabaseActions.GlobalSwitchover, status: DatabaseStatuses.Writable, lagSeconds: -1)
            .Change(r => r with { Databases = [r.Databases[0] with { PromotionStartedAt = ManualClock.DefaultStart }] })
            .Build();

        // Act
        var figures = RecoveryFigures.From(run);

        // Assert
        Assert.Equal(0, figures.RpoSeconds);
    }

    [Fact]
    public void From_WhenAGlobalFailoverLostData_ShouldTakeItsLagAsRpo()
    {
        // Arrange
        var run = RunBuilder.Prepared()
            .WithGlobalDatabase(action: DatabaseActions.GlobalFailover, status: DatabaseStatuses.Writable, lagSeconds: 4.5)
            .Change(r => r with { Databases = [r.Databases[0] with { PromotionStartedAt = ManualClock.DefaultStart }] })
            .Build();

        // Act
        var figures = RecoveryFigures.From(run);

        // Assert
        Assert.Equal(4.5, figures.RpoSeconds);
    }
}
