using Failover.Testing;
using Failover.Local.Models;

namespace Failover.Local.Tests.Models;

/// <summary>
/// The Aurora replica cluster promotion model: AuroraMySQL.Replication.CrossRegion.Promote.html (instances rebooted before
/// they become available) and Aurora.Status.html ("promoting"), over moto's reply, which is standalone at once.
/// </summary>
public sealed class AuroraReplicaClusterModelTests
{
    private const string Region = "us-west-2";
    private const string SourceArn = "arn:aws:rds:us-east-2:123456789012:cluster:ledger-primary";

    // moto's reply once it has promoted ledger-west: available, no ReplicationSourceIdentifier.
    private const string PromotedByMoto = """
        <DescribeDBClustersResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><DescribeDBClustersResult><DBClusters>
        <DBCluster><DBClusterIdentifier>ledger-west</DBClusterIdentifier><Status>available</Status></DBCluster>
        <DBCluster><DBClusterIdentifier>other</DBClusterIdentifier><Status>available</Status>
        <ReplicationSourceIdentifier>arn:aws:rds:us-east-2:123456789012:cluster:x</ReplicationSourceIdentifier></DBCluster>
        </DBClusters></DescribeDBClustersResult></DescribeDBClustersResponse>
        """;

    private readonly ManualClock _clock = new();
    private readonly AuroraReplicaClusterModel _model;

    public AuroraReplicaClusterModelTests()
    {
        _model = new AuroraReplicaClusterModel(_clock) { PromotionDuration = TimeSpan.FromSeconds(30) };
        _model.Register(Region, "ledger-west", SourceArn);
    }

    [Fact]
    public void Rewrite_WhileThePromotionRuns_ShouldReportPromotingAndStillNameTheSource()
    {
        _model.Promoted(Region, "LEDGER-WEST");
        _clock.Advance(TimeSpan.FromSeconds(29));

        var rewritten = _model.Rewrite(Region, PromotedByMoto);

        Assert.Contains($"<DBClusterIdentifier>ledger-west</DBClusterIdentifier><Status>promoting</Status><ReplicationSourceIdentifier>{SourceArn}</ReplicationSourceIdentifier>", rewritten, StringComparison.Ordinal);
        Assert.Equal(1, rewritten.Split("promoting").Length - 1);
    }

    [Fact]
    public void Rewrite_AfterThePromotion_ShouldLeaveMotosStandaloneCluster()
    {
        _model.Promoted(Region, "ledger-west");
        _clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Same(PromotedByMoto, _model.Rewrite(Region, PromotedByMoto));
    }

    [Fact]
    public void Rewrite_WhenTheClusterIsNotRegisteredOrPromotedElsewhere_ShouldChangeNothing()
    {
        _model.Promoted(Region, "other");
        _model.Promoted("eu-west-1", "ledger-west");

        Assert.Same(PromotedByMoto, _model.Rewrite(Region, PromotedByMoto));
    }

    [Fact]
    public void Promoted_WhenCalledAgain_ShouldKeepTheFirstPromotionsTime()
    {
        _model.Promoted(Region, "ledger-west");
        _clock.Advance(TimeSpan.FromSeconds(20));
        _model.Promoted(Region, "ledger-west");
        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Same(PromotedByMoto, _model.Rewrite(Region, PromotedByMoto));
    }
}
