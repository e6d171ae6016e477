using System.Net;
using Failover.Aws.Clients;
using Failover.Aws.Transport;

namespace Failover.Aws.Tests.Wire;

/// <summary>RDS instance deletion, Aurora clusters and global databases against moto over HTTP.</summary>
[Collection(MotoCollection.Name)]
public sealed class RdsClusterWireTests(MotoServer moto) : IAsyncLifetime
{
    private const string PrimaryRegion = "us-east-1";
    private const string RecoveryRegion = "us-west-2";

    public async Task InitializeAsync()
    {
        using var cts = TestTimeout.Create();
        await moto.ResetAsync(cts.Token);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static CreateDBInstanceRequest Postgres(string id) => new(id, "postgres", "db.t3.micro", 20, "admin", "password-123") { BackupRetentionPeriod = 1 };

    [Fact]
    public async Task DeleteDBInstanceAsync_WhenSkippingTheFinalSnapshotAndKeepingBackups_ShouldDeleteAndKeepTheAutomatedSnapshot()
    {
        using var cts = TestTimeout.Create();
        var rds = moto.Clients(RecoveryRegion).Rds;
        await rds.CreateDBInstanceAsync(Postgres("drill-copy"), cts.Token);

        var deleted = await rds.DeleteDBInstanceAsync("drill-copy", skipFinalSnapshot: true, finalDBSnapshotIdentifier: null, deleteAutomatedBackups: false, cts.Token);

        Assert.Equal(("drill-copy", "deleting"), (deleted.DBInstanceIdentifier, deleted.DBInstanceStatus));
        await Assert.ThrowsAsync<AwsNotFoundException>(() => rds.DescribeDBInstancesAsync("drill-copy", cts.Token));
        var snapshot = Assert.Single(await MotoRds.SnapshotsAsync(moto, RecoveryRegion, cts.Token));
        Assert.Equal("automated", snapshot.Type);
    }

    [Fact]
    public async Task DeleteDBInstanceAsync_WhenFinalSnapshotNamedAndBackupsDeleted_ShouldLeaveOnlyTheFinalSnapshot()
    {
        using var cts = TestTimeout.Create();
        var rds = moto.Clients(RecoveryRegion).Rds;
        await rds.CreateDBInstanceAsync(Postgres("orders-old"), cts.Token);

        await rds.DeleteDBInstanceAsync("orders-old", skipFinalSnapshot: false, finalDBSnapshotIdentifier: "orders-old-final", deleteAutomatedBackups: true, cts.Token);

        Assert.Equal([("orders-old-final", "manual")], await MotoRds.SnapshotsAsync(moto, RecoveryRegion, cts.Token));
    }

    [Fact]
    public async Task DeleteDBInstanceAsync_WhenInstanceMissing_ShouldThrowNotFound()
    {
        using var cts = TestTimeout.Create();

        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() =>
            moto.Clients(RecoveryRegion).Rds.DeleteDBInstanceAsync("missing-db", true, null, null, cts.Token));

        Assert.Equal(("DBInstanceNotFound", HttpStatusCode.NotFound, "DeleteDBInstance"), (ex.ErrorCode, ex.StatusCode, ex.Operation));
    }

    [Fact]
    public async Task DescribeDBClustersAsync_WhenIdentifierGiven_ShouldReturnOnlyThatClusterWithItsMembers()
    {
        using var cts = TestTimeout.Create();
        var rds = moto.Clients(RecoveryRegion).Rds;
        var arn = await MotoRds.CreateClusterAsync(moto, RecoveryRegion, "orders-usw2", cts.Token);
        await MotoRds.CreateClusterAsync(moto, RecoveryRegion, "billing-usw2", cts.Token);
        await MotoRds.CallAsync(moto, RecoveryRegion, "CreateDBInstance", new QueryParameters()
            .Add("DBInstanceIdentifier", "orders-usw2-1").Add("DBClusterIdentifier", "orders-usw2").Add("Engine", "aurora-postgresql").Add("DBInstanceClass", "db.r6g.large"), cts.Token);

        var one = Assert.Single(await rds.DescribeDBClustersAsync("orders-usw2", cts.Token));
        var byArn = Assert.Single(await rds.DescribeDBClustersAsync(arn, cts.Token));
        var all = await rds.DescribeDBClustersAsync(null, cts.Token);

        Assert.Equal(("orders-usw2", arn, "aurora-postgresql"), (one.DBClusterIdentifier, one.DBClusterArn, one.Engine));
        Assert.False(string.IsNullOrEmpty(one.Status));
        Assert.StartsWith("orders-usw2.cluster-", one.Endpoint, StringComparison.Ordinal);
        Assert.StartsWith("orders-usw2.cluster-ro-", one.ReaderEndpoint, StringComparison.Ordinal);
        Assert.Null(one.ReplicationSourceIdentifier);
        Assert.Equal("orders-usw2-1", Assert.Single(one.DBClusterMembers).DBInstanceIdentifier);
        Assert.Equal("orders-usw2", byArn.DBClusterIdentifier);
        Assert.Equal(["billing-usw2", "orders-usw2"], all.Select(c => c.DBClusterIdentifier).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DescribeDBClustersAsync_WhenClusterMissing_ShouldThrowNotFoundWithTheFaultCode()
    {
        using var cts = TestTimeout.Create();

        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() => moto.Clients(RecoveryRegion).Rds.DescribeDBClustersAsync("missing-cluster", cts.Token));

        Assert.Equal(("DBClusterNotFoundFault", HttpStatusCode.NotFound), (ex.ErrorCode, ex.StatusCode));
        Assert.Contains("missing-cluster", ex.ServiceMessage, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(ex.RequestId));
    }

    [Fact]
    public async Task PromoteReadReplicaDBClusterAsync_WhenCrossRegionReplica_ShouldMakeItStandalone()
    {
        using var cts = TestTimeout.Create();
        var sourceArn = await MotoRds.CreateClusterAsync(moto, PrimaryRegion, "orders", cts.Token);
        await MotoRds.CreateClusterAsync(moto, RecoveryRegion, "orders-replica", cts.Token, replicationSourceIdentifier: sourceArn);
        var rds = moto.Clients(RecoveryRegion).Rds;
        var before = Assert.Single(await rds.DescribeDBClustersAsync("orders-replica", cts.Token));
        var sourceBefore = Assert.Single(await moto.Clients(PrimaryRegion).Rds.DescribeDBClustersAsync("orders", cts.Token));

        var promoted = await rds.PromoteReadReplicaDBClusterAsync("orders-replica", cts.Token);
        var sourceAfter = Assert.Single(await moto.Clients(PrimaryRegion).Rds.DescribeDBClustersAsync("orders", cts.Token));

        Assert.Equal(sourceArn, before.ReplicationSourceIdentifier);
        Assert.Single(sourceBefore.ReadReplicaIdentifiers);
        Assert.Equal("orders-replica", promoted.DBClusterIdentifier);
        Assert.Null(promoted.ReplicationSourceIdentifier);
        Assert.Empty(sourceAfter.ReadReplicaIdentifiers);
    }

    [Fact]
    public async Task PromoteReadReplicaDBClusterAsync_WhenClusterMissing_ShouldThrowTheHtml500MotoSendsAsTransient()
    {
        // AWS answers DBClusterNotFoundFault (404; parsed in RdsClusterBoto3Tests). moto 5.2.1 fails with an
        // HTML 500 page (KeyError): pinned so the divergence is noticed when moto changes.
        using var cts = TestTimeout.Create();

        var ex = await Assert.ThrowsAsync<AwsTransientException>(() => moto.Clients(RecoveryRegion).Rds.PromoteReadReplicaDBClusterAsync("missing-cluster", cts.Token));

        Assert.Equal(("Http500", HttpStatusCode.InternalServerError), (ex.ErrorCode, ex.StatusCode));
    }

    [Fact]
    public async Task CreateGlobalClusterAsync_WhenASecondaryClusterJoinsIt_ShouldLinkBothClusters()
    {
        using var cts = TestTimeout.Create();
        var primary = await moto.Clients(PrimaryRegion).Rds.CreateDBClusterAsync(
            new CreateDBClusterRequest("orders", "aurora-postgresql") { MasterUsername = "admin", MasterUserPassword = "password-123", Tags = new Dictionary<string, string> { ["failover:plan"] = "orders" } }, cts.Token);

        var global = await moto.Clients(PrimaryRegion).Rds.CreateGlobalClusterAsync("orders-global", primary.DBClusterArn!, null, cts.Token);
        var secondary = await moto.Clients(RecoveryRegion).Rds.CreateDBClusterAsync(
            new CreateDBClusterRequest("orders-usw2", "aurora-postgresql") { GlobalClusterIdentifier = "orders-global" }, cts.Token);

        Assert.Equal(("orders", "aurora-postgresql", "arn:aws:rds:us-east-1:123456789012:cluster:orders"), (primary.DBClusterIdentifier, primary.Engine, primary.DBClusterArn));
        Assert.Equal(("orders-global", "arn:aws:rds::123456789012:global-cluster:orders-global"), (global.GlobalClusterIdentifier, global.GlobalClusterArn));
        Assert.Equal([primary.DBClusterArn], global.GlobalClusterMembers.Select(m => m.DBClusterArn));
        Assert.Equal(("arn:aws:rds:us-west-2:123456789012:cluster:orders-usw2", "orders-global"), (secondary.DBClusterArn, secondary.GlobalClusterIdentifier));
        var joined = Assert.Single(await moto.Clients(RecoveryRegion).Rds.DescribeGlobalClustersAsync("orders-global", cts.Token));
        Assert.Equal([primary.DBClusterArn, secondary.DBClusterArn], joined.GlobalClusterMembers.Select(m => m.DBClusterArn));
    }

    [Fact]
    public async Task DescribeGlobalClustersAsync_WhenSecondaryJoined_ShouldListBothRegionalClusters()
    {
        using var cts = TestTimeout.Create();
        var primaryArn = await MotoRds.CreateClusterAsync(moto, PrimaryRegion, "orders", cts.Token);
        await MotoRds.CreateGlobalClusterAsync(moto, PrimaryRegion, "orders-global", primaryArn, cts.Token);
        var secondaryArn = await MotoRds.CreateClusterAsync(moto, RecoveryRegion, "orders-usw2", cts.Token, globalClusterIdentifier: "orders-global");

        var global = Assert.Single(await moto.Clients(RecoveryRegion).Rds.DescribeGlobalClustersAsync("orders-global", cts.Token));

        Assert.Equal("orders-global", global.GlobalClusterIdentifier);
        Assert.Equal("arn:aws:rds::123456789012:global-cluster:orders-global", global.GlobalClusterArn);
        Assert.Equal(("available", "aurora-postgresql"), (global.Status, global.Engine));
        Assert.Equal([primaryArn, secondaryArn], global.GlobalClusterMembers.Select(m => m.DBClusterArn));
        Assert.Null(global.FailoverState);
        var secondary = Assert.Single(await moto.Clients(RecoveryRegion).Rds.DescribeDBClustersAsync("orders-usw2", cts.Token));
        Assert.Equal("orders-global", secondary.GlobalClusterIdentifier);

        // AWS marks the primary IsWriter=true; moto 5.2.1 reports every member as a reader.
        Assert.All(global.GlobalClusterMembers, m => Assert.False(m.IsWriter));
    }

    [Fact]
    public async Task DescribeGlobalClustersAsync_WhenTwoGlobalDatabases_ShouldReturnBoth()
    {
        using var cts = TestTimeout.Create();
        foreach (var name in new[] { "orders", "billing" })
        {
            var arn = await MotoRds.CreateClusterAsync(moto, PrimaryRegion, name, cts.Token);
            await MotoRds.CreateGlobalClusterAsync(moto, PrimaryRegion, name + "-global", arn, cts.Token);
        }

        var all = await moto.Clients(RecoveryRegion).Rds.DescribeGlobalClustersAsync(null, cts.Token);

        Assert.Equal(["billing-global", "orders-global"], all.Select(g => g.GlobalClusterIdentifier).Order(StringComparer.Ordinal));
        Assert.All(all, g => Assert.Single(g.GlobalClusterMembers));
    }

    [Fact]
    public async Task DescribeGlobalClustersAsync_WhenIdentifierGiven_ShouldStillReturnEveryGlobalDatabaseOnMoto()
    {
        // AWS returns only the named global database (GlobalClusterNotFoundFault when none); moto 5.2.1 ignores
        // GlobalClusterIdentifier and returns them all. Pinned: callers on the local AWS must match the identifier.
        using var cts = TestTimeout.Create();
        foreach (var name in new[] { "orders", "billing" })
        {
            var arn = await MotoRds.CreateClusterAsync(moto, PrimaryRegion, name, cts.Token);
            await MotoRds.CreateGlobalClusterAsync(moto, PrimaryRegion, name + "-global", arn, cts.Token);
        }

        var named = await moto.Clients(RecoveryRegion).Rds.DescribeGlobalClustersAsync("billing-global", cts.Token);

        Assert.Equal(["billing-global", "orders-global"], named.Select(g => g.GlobalClusterIdentifier).Order(StringComparer.Ordinal));
    }
}
