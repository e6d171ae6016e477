using Failover.Local;

namespace Failover.Local.Tests;

public sealed class RdsPromotionModelTests
{
    private const string Reply = """
        <DescribeDBInstancesResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><DescribeDBInstancesResult><DBInstances>
        <DBInstance><DBInstanceIdentifier>orders-replica</DBInstanceIdentifier><DBInstanceStatus>available</DBInstanceStatus>
        <ReadReplicaSourceDBInstanceIdentifier>arn:aws:rds:us-east-1:123456789012:db:orders</ReadReplicaSourceDBInstanceIdentifier></DBInstance>
        <DBInstance><DBInstanceIdentifier>other</DBInstanceIdentifier><DBInstanceStatus>available</DBInstanceStatus>
        <ReadReplicaSourceDBInstanceIdentifier>arn:aws:rds:us-east-1:123456789012:db:x</ReadReplicaSourceDBInstanceIdentifier></DBInstance>
        </DBInstances></DescribeDBInstancesResult></DescribeDBInstancesResponse>
        """;

    [Fact]
    public void Rewrite_WhenNothingWasPromoted_ShouldReturnTheReplyUnchanged()
    {
        var model = new RdsPromotionModel(new StepClock());

        Assert.Same(Reply, model.Rewrite("us-west-2", Reply));
    }

    [Fact]
    public void Rewrite_WhileThePromotionRuns_ShouldReportModifyingReplica()
    {
        var clock = new StepClock();
        var model = new RdsPromotionModel(clock) { PromotionDuration = TimeSpan.FromSeconds(5) };
        model.Promoted("us-west-2", "orders-replica");
        clock.Advance(TimeSpan.FromSeconds(4));

        var rewritten = model.Rewrite("us-west-2", Reply);

        Assert.Contains("<DBInstanceStatus>modifying</DBInstanceStatus>", rewritten, StringComparison.Ordinal);
        Assert.Contains("db:orders</ReadReplicaSourceDBInstanceIdentifier>", rewritten, StringComparison.Ordinal);
    }

    [Fact]
    public void Rewrite_AfterThePromotion_ShouldReportStandaloneAvailableAndLeaveOthersAlone()
    {
        var clock = new StepClock();
        var model = new RdsPromotionModel(clock) { PromotionDuration = TimeSpan.FromSeconds(5), RebootDuration = TimeSpan.Zero };
        model.Promoted("us-west-2", "orders-replica");
        clock.Advance(TimeSpan.FromSeconds(5));

        var rewritten = model.Rewrite("us-west-2", Reply);

        Assert.DoesNotContain("db:orders</ReadReplicaSourceDBInstanceIdentifier>", rewritten, StringComparison.Ordinal);
        Assert.Contains("db:x</ReadReplicaSourceDBInstanceIdentifier>", rewritten, StringComparison.Ordinal);
        Assert.DoesNotContain("modifying", rewritten, StringComparison.Ordinal);
    }

    [Fact]
    public void Rewrite_WhenPromotedInAnotherRegion_ShouldNotTouchThisRegion()
    {
        var clock = new StepClock();
        var model = new RdsPromotionModel(clock) { PromotionDuration = TimeSpan.Zero };
        model.Promoted("eu-west-1", "orders-replica");

        var rewritten = model.Rewrite("us-west-2", Reply);

        Assert.Contains("db:orders</ReadReplicaSourceDBInstanceIdentifier>", rewritten, StringComparison.Ordinal);
    }

    private sealed class StepClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    [Theory]
    [InlineData(1, "1", "modifying", true)]
    [InlineData(3, "1", "rebooting", false)]
    [InlineData(5, "1", "available", false)]
    [InlineData(5, "0", "backing-up", false)]
    [InlineData(7, "0", "available", false)]
    public void Rewrite_AsThePromotionGoesOn_ShouldModifyRebootBackUpWhenThereWasNoBackupThenBeAvailable(int seconds, string backupRetention, string status, bool stillAReplica)
    {
        var clock = new StepClock();
        var model = new RdsPromotionModel(clock) { PromotionDuration = TimeSpan.FromSeconds(2), RebootDuration = TimeSpan.FromSeconds(2), BackupDuration = TimeSpan.FromSeconds(2) };
        var reply = Reply.Replace("<DBInstanceStatus>available</DBInstanceStatus>", $"<DBInstanceStatus>available</DBInstanceStatus><BackupRetentionPeriod>{backupRetention}</BackupRetentionPeriod>", StringComparison.Ordinal);
        model.Promoted("us-west-2", "orders-replica");
        clock.Advance(TimeSpan.FromSeconds(seconds));

        var rewritten = model.Rewrite("us-west-2", reply);

        Assert.Contains($"<DBInstanceIdentifier>orders-replica</DBInstanceIdentifier><DBInstanceStatus>{status}</DBInstanceStatus>", rewritten, StringComparison.Ordinal);
        Assert.Equal(stillAReplica, rewritten.Contains("db:orders</ReadReplicaSourceDBInstanceIdentifier>", StringComparison.Ordinal));
    }

}
