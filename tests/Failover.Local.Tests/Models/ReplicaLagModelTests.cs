using Failover.Local.Models;

namespace Failover.Local.Tests.Models;

/// <summary>
/// <see cref="ReplicaLagModel"/> against RDS User Guide "Monitoring read replication" (USER_ReadRepl.Monitoring.html),
/// "Working with PostgreSQL read replicas in Amazon RDS" (USER_PostgreSQL.Replication.ReadReplicas.html) and Aurora User
/// Guide "Monitoring an Amazon Aurora global database" (aurora-global-database-monitoring.html).
/// </summary>
public sealed class ReplicaLagModelTests
{
    private static readonly DateTimeOffset Noon = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ReplicaLagSettings Defaults = new();

    [Theory]
    [InlineData(ReplicaEngine.MySql)]
    [InlineData(ReplicaEngine.MariaDb)]
    [InlineData(ReplicaEngine.SqlServer)]
    [InlineData(ReplicaEngine.Oracle)]
    [InlineData(ReplicaEngine.PostgreSql)]
    [InlineData(ReplicaEngine.AuroraMySqlBinlog)]
    public void Series_WhenTheSourceIsHealthyAndBusy_ShouldPublishTheSteadyLagEveryMinute(ReplicaEngine engine)
    {
        var series = ReplicaLagModel.Series(engine, Noon, Noon.AddMinutes(5), null, null, Defaults with { SteadyLagSeconds = 2 });

        Assert.Equal(Minutes(0, 1, 2, 3, 4, 5), series.Select(p => p.Timestamp));
        Assert.All(series, p => Assert.Equal(2, p.Value));
    }

    [Theory]
    [InlineData(ReplicaEngine.MySql)]
    [InlineData(ReplicaEngine.MariaDb)]
    [InlineData(ReplicaEngine.SqlServer)]
    [InlineData(ReplicaEngine.AuroraMySqlBinlog)]
    public void Series_WhenTheSourceGoesDark_ShouldReportMinusOneForReplicationNotActive(ReplicaEngine engine)
    {
        var series = ReplicaLagModel.Series(engine, Noon, Noon.AddMinutes(5), Noon.AddSeconds(150), null, Defaults);

        Assert.Equal(new double[] { 1, 1, 1, -1, -1, -1 }, series.Select(p => p.Value));
    }

    [Theory]
    [InlineData(ReplicaEngine.PostgreSql)]
    [InlineData(ReplicaEngine.Oracle)]
    public void Series_WhenTheSourceGoesDark_ShouldGrowWithTheClockFromTheLagAtTheOutage(ReplicaEngine engine)
    {
        var series = ReplicaLagModel.Series(engine, Noon, Noon.AddMinutes(5), Noon.AddSeconds(150), null, Defaults);

        Assert.Equal(new double[] { 1, 1, 1, 31, 91, 151 }, series.Select(p => p.Value));
    }

    [Fact]
    public void Series_WhenAPostgreSqlSourceIsIdle_ShouldShowASawToothDroppingAtEachWalSwitch()
    {
        var series = ReplicaLagModel.Series(ReplicaEngine.PostgreSql, Noon, Noon.AddMinutes(10), null, null, Defaults with { SourceIsIdle = true });

        Assert.Equal(new double[] { 0, 60, 120, 180, 240, 0, 60, 120, 180, 240, 0 }, series.Select(p => p.Value));
    }

    [Fact]
    public void Series_WhenAnIdlePostgreSqlSourceGoesDark_ShouldNoLongerDropAtTheWalSwitch()
    {
        var series = ReplicaLagModel.Series(ReplicaEngine.PostgreSql, Noon, Noon.AddMinutes(7), Noon.AddSeconds(210), null, Defaults with { SourceIsIdle = true });

        Assert.Equal(new double[] { 0, 60, 120, 180, 240, 300, 360, 420 }, series.Select(p => p.Value));
    }

    [Fact]
    public void Series_WhenAnAuroraGlobalPrimaryRegionGoesDark_ShouldPublishMillisecondsUntilTheOutageAndThenNothing()
    {
        var series = ReplicaLagModel.Series(ReplicaEngine.AuroraGlobal, Noon, Noon.AddMinutes(5), Noon.AddSeconds(150), null, Defaults with { AuroraGlobalLagMilliseconds = 250 });

        Assert.Equal(Minutes(0, 1, 2), series.Select(p => p.Timestamp));
        Assert.All(series, p => Assert.Equal(250, p.Value));
    }

    [Fact]
    public void Series_WhenTheReplicaIsPromoted_ShouldPublishNothingFromThePromotionOn()
    {
        var series = ReplicaLagModel.Series(ReplicaEngine.PostgreSql, Noon, Noon.AddMinutes(10), Noon.AddMinutes(1), Noon.AddMinutes(4), Defaults);

        Assert.Equal(Minutes(0, 1, 2, 3), series.Select(p => p.Timestamp));
    }

    [Fact]
    public void Series_WhenTheRangeStartsBetweenMinutes_ShouldStartAtTheNextWholeMinute()
    {
        var series = ReplicaLagModel.Series(ReplicaEngine.MySql, Noon.AddSeconds(20), Noon.AddSeconds(130), null, null, Defaults);

        Assert.Equal(Minutes(1, 2), series.Select(p => p.Timestamp));
    }

    [Theory]
    [InlineData(0, 300, 1, "DatapointPeriod 00:00:00 is not positive")]
    [InlineData(60, 0, 1, "WalSwitchPeriod 00:00:00 is not positive")]
    [InlineData(60, 300, -1, "SteadyLagSeconds -1 is negative")]
    public void Series_WhenASettingIsOutOfRange_ShouldNameIt(int datapointSeconds, int walSwitchSeconds, double steadyLag, string expected)
    {
        var settings = new ReplicaLagSettings
        {
            DatapointPeriod = TimeSpan.FromSeconds(datapointSeconds), WalSwitchPeriod = TimeSpan.FromSeconds(walSwitchSeconds), SteadyLagSeconds = steadyLag,
        };

        var error = Assert.Throws<ArgumentException>(() => ReplicaLagModel.Series(ReplicaEngine.MySql, Noon, Noon.AddMinutes(1), null, null, settings));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Series_WhenTheRangeEndsBeforeItStarts_ShouldSaySo()
    {
        var error = Assert.Throws<ArgumentException>(() => ReplicaLagModel.Series(ReplicaEngine.MySql, Noon, Noon.AddMinutes(-1), null, null, Defaults));

        Assert.Contains("the series ends (2026-08-01T11:59:00.0000000+00:00) before it starts", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql", ReplicaEngine.MySql)]
    [InlineData("mariadb", ReplicaEngine.MariaDb)]
    [InlineData("postgres", ReplicaEngine.PostgreSql)]
    [InlineData("oracle-ee", ReplicaEngine.Oracle)]
    [InlineData("oracle-se2-cdb", ReplicaEngine.Oracle)]
    [InlineData("sqlserver-ee", ReplicaEngine.SqlServer)]
    [InlineData("sqlserver-web", ReplicaEngine.SqlServer)]
    [InlineData("aurora-mysql", ReplicaEngine.AuroraGlobal)]
    [InlineData("aurora-postgresql", ReplicaEngine.AuroraGlobal)]
    [InlineData("MySQL", ReplicaEngine.MySql)]
    public void EngineOf_WhenTheRdsEngineIsKnown_ShouldMapIt(string rdsEngineName, ReplicaEngine expected)
    {
        var engine = ReplicaLagModel.EngineOf(rdsEngineName);

        Assert.Equal(expected, engine);
    }

    [Theory]
    [InlineData("db2-se")]
    [InlineData("custom-oracle-ee")]
    [InlineData("")]
    public void EngineOf_WhenTheRdsEngineIsNotModelled_ShouldNameIt(string rdsEngineName)
    {
        var error = Assert.Throws<ArgumentException>(() => ReplicaLagModel.EngineOf(rdsEngineName));

        Assert.Contains($"RDS engine '{rdsEngineName}' is not one whose replica lag is modelled", error.Message, StringComparison.Ordinal);
    }

    private static DateTimeOffset[] Minutes(params int[] minutes) => minutes.Select(m => Noon.AddMinutes(m)).ToArray();
}
