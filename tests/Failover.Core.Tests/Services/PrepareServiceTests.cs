using Failover.Core.Plans;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Testing;

namespace Failover.Core.Tests.Services;

public sealed class PrepareServiceTests
{
    private readonly FakeDatabaseInstances _databases = new();
    private readonly FakeAuroraClusters _aurora = new();
    private readonly FakeReplicaLagReader _lag = new();
    private readonly FakeTrafficSwitch _switch = new();
    private readonly ManualClock _clock = new();
    private readonly FakeRecoveryServers _servers;

    public PrepareServiceTests() => _servers = new FakeRecoveryServers(_clock);

    [Fact]
    public async Task PrepareAsync_WhenReplicaIsReady_ShouldReturnAReadyRunWithLag()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId, source: Samples.PrimaryId);
        _lag.SetLag(Samples.ReplicaId, 4.5);
        var service = Service(PlanBuilder.Sample());
        var trigger = new TriggerInfo { AlarmArn = Samples.AlarmArn, AlarmName = Samples.AlarmName, AlarmTime = Samples.AlarmTime };

        // Act
        var run = await service.PrepareAsync(Request(new StartRequest { Mode = RunModes.Failover, Reason = "drill", Trigger = trigger }), CancellationToken.None);

        // Assert
        Assert.Equal(Samples.PlanName, run.Plan);
        Assert.Equal(RunModes.Failover, run.Mode);
        Assert.Equal("drill", run.Reason);
        Assert.Equal(trigger, run.Trigger);
        Assert.Equal(Samples.ExecutionName, run.ExecutionName);
        Assert.Equal(_clock.GetUtcNow(), run.PreparedAt);
        var db = Assert.Single(run.Databases);
        Assert.Equal(Samples.ReplicaId, db.Id);
        Assert.Equal(DatabaseStatuses.Ready, db.Status);
        Assert.Equal(DatabaseActions.PromoteInstance, db.Action);
        Assert.True(db.Critical);
        Assert.Equal(4.5, db.Rpo?.Seconds);
        Assert.Contains(Samples.PrimaryId, db.Detail, StringComparison.Ordinal);
        Assert.False(run.DatabasesWritable);
        var sw = Assert.Single(run.Switches);
        Assert.Equal((Samples.SwitchId, SwitchKinds.SwitchMetric, SwitchStatuses.Pending), (sw.Id, sw.Kind, sw.Status));
        Assert.False(run.TrafficInSync);
        Assert.Null(run.TrafficSwitchedAt);
        Assert.Null(run.Servers);
        Assert.True(run.ServersDone);
        Assert.Empty(_databases.PromoteCalls);
    }

    [Fact]
    public async Task PrepareAsync_WhenThePlanHasManyReplicas_ShouldDescribeThemAndReadTheirLagInOneBatchEach()
    {
        // Arrange: 150 instance replicas (one missing) and a replica cluster, whose lag is read with theirs.
        var ids = Enumerable.Range(1, 150).Select(i => $"db-{i:000}").ToList();
        foreach (var id in ids.Where(id => id != "db-077"))
        {
            _databases.AddReplica(id);
            _lag.SetLag(id, 3);
        }

        _aurora.AddReplicaCluster(Samples.ReplicaClusterId);
        var plan = PlanBuilder.Sample().WithDatabases([.. ids.Select(id => PlanBuilder.Database(id)), PlanBuilder.ClusterReplica()]);

        // Act
        var ex = await Assert.ThrowsAsync<ReadinessFailedException>(() => Service(plan).PrepareAsync(Request(new StartRequest { Mode = RunModes.Failover }), CancellationToken.None));

        // Assert
        Assert.Equal(ids, Assert.Single(_databases.DescribeBatches));
        // The evidence is read while the replicas are described, so it is asked for every database of the plan.
        Assert.Equal(ids.Append(Samples.ReplicaClusterId), Assert.Single(_lag.Batches));
        Assert.Contains($"database 'db-077' does not exist in {Samples.RecoveryRegion}", Assert.Single(ex.Problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql", "8.0.35", 0, "which mysql allows only with automated backups on the replica (backup retention 0)")]
    [InlineData("mariadb", "10.11.6", 0, "which mariadb allows only with automated backups")]
    [InlineData("postgres", "13.7", 7, "which PostgreSQL supports from 14.1 (this is 13.7)")]
    [InlineData("oracle-ee", "19.0.0.0.ru-2024-01.rur-2024-01.r1", 7, "which oracle-ee does not support")]
    [InlineData("sqlserver-se", "15.00.4345.5.v1", 7, "which sqlserver-se does not support")]
    public async Task PrepareAsync_WhenADrillWouldCopyAReplicaRdsCannotCopy_ShouldRefuseNamingWhy(string engine, string version, int retention, string expected)
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId).SetEngine(Samples.ReplicaId, engine, version, retention);
        _lag.SetLag(Samples.ReplicaId, 1);
        var service = Service(PlanBuilder.Sample());

        // Act
        var ex = await Assert.ThrowsAsync<ReadinessFailedException>(() => service.PrepareAsync(Request(new StartRequest { Mode = RunModes.Drill }), CancellationToken.None));

        // Assert
        Assert.Contains(ex.Problems, p => p.Contains($"a drill copies '{Samples.ReplicaId}' as a read replica of it, {expected}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("mysql", "8.0.35", 1)]
    [InlineData("postgres", "14.1", 0)]
    [InlineData("postgres", "16.3", 7)]
    public async Task PrepareAsync_WhenADrillCopiesAReplicaRdsCanCopy_ShouldBeReady(string engine, string version, int retention)
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId).SetEngine(Samples.ReplicaId, engine, version, retention);
        _lag.SetLag(Samples.ReplicaId, 1);
        var service = Service(PlanBuilder.Sample());

        // Act
        var run = await service.PrepareAsync(Request(new StartRequest { Mode = RunModes.Drill }), CancellationToken.None);

        // Assert
        Assert.Equal(DatabaseStatuses.Ready, Assert.Single(run.Databases).Status);
    }

    [Fact]
    public async Task PrepareAsync_WhenAFailoverPromotesAReplicaWithoutBackups_ShouldNotApplyTheDrillCopyRule()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId).SetEngine(Samples.ReplicaId, "mysql", "8.0.35", 0);
        _lag.SetLag(Samples.ReplicaId, 1);
        var service = Service(PlanBuilder.Sample());

        // Act
        var run = await service.PrepareAsync(Request(new StartRequest { Mode = RunModes.Failover }), CancellationToken.None);

        // Assert
        Assert.Equal(DatabaseStatuses.Ready, Assert.Single(run.Databases).Status);
    }

    // Behaviour change: an unknown lag (-1) now stops the run at the RPO gate unless data loss is allowed; with
    // allowDataLoss the run goes on and records the unknown lag as before.
    [Fact]
    public async Task PrepareAsync_WhenLagIsUnknownAndDataLossIsAllowed_ShouldRecordMinusOne()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        var service = Service(PlanBuilder.Sample());

        // Act
        var run = await service.PrepareAsync(Request(new StartRequest { AllowDataLoss = true }), CancellationToken.None);

        // Assert
        Assert.Null(Assert.Single(run.Databases).Rpo?.Seconds);
        Assert.True(run.AllowDataLoss);
    }

    [Fact]
    public async Task PrepareAsync_WhenReplicasAreMissingOrNotReplicas_ShouldListEveryProblemAndChangeNothing()
    {
        // Arrange
        _databases.AddReplica("orders-replica");
        _databases.AddStandalone("billing-db", status: "modifying");
        var plan = PlanBuilder.Sample().WithDatabases(
            PlanBuilder.Database("orders-replica"),
            PlanBuilder.Database("users-replica"),
            PlanBuilder.Database("billing-db"),
            PlanBuilder.Database("audit-replica", critical: false));
        var service = Service(plan);

        // Act
        var ex = await Assert.ThrowsAsync<ReadinessFailedException>(() => service.PrepareAsync(Request(new StartRequest { Reason = "drill" }), CancellationToken.None));

        // Assert
        Assert.Equal(3, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.Contains("'users-replica' does not exist in us-west-2", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("'billing-db' is not a read replica (status modifying)", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("'audit-replica' does not exist", StringComparison.Ordinal));
        foreach (var problem in ex.Problems)
        {
            Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        }

        AssertNothingChanged();
    }

    [Fact]
    public async Task PrepareAsync_WhenReplicaIsNotAvailable_ShouldReportItsStatus()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId, status: "backing-up");
        _lag.SetLag(Samples.ReplicaId, 1);
        var service = Service(PlanBuilder.Sample());

        // Act
        var ex = await Assert.ThrowsAsync<ReadinessFailedException>(() => service.PrepareAsync(Request(new StartRequest()), CancellationToken.None));

        // Assert
        Assert.Contains($"replica '{Samples.ReplicaId}' is backing-up", Assert.Single(ex.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrepareAsync_WhenDatabaseIsAlreadyStandaloneAndAvailable_ShouldRecordItAsWritable()
    {
        // Arrange
        _databases.AddStandalone(Samples.ReplicaId);
        var service = Service(PlanBuilder.Sample());

        // Act
        var run = await service.PrepareAsync(Request(new StartRequest()), CancellationToken.None);

        // Assert
        var db = Assert.Single(run.Databases);
        Assert.Equal(DatabaseStatuses.Writable, db.Status);
        Assert.Equal("already standalone", db.Detail);
        Assert.True(run.DatabasesWritable);
        Assert.Empty(_databases.PromoteCalls);
    }

    [Fact]
    public async Task PrepareAsync_WhenOnlyANonCriticalDatabaseIsAReplica_ShouldReportDatabasesWritable()
    {
        // Arrange
        _databases.AddStandalone("orders-replica");
        _databases.AddReplica("reports-replica");
        _lag.SetLag("reports-replica", 3);
        var service = Service(PlanBuilder.Sample().WithDatabases(PlanBuilder.Database("orders-replica"), PlanBuilder.Database("reports-replica", critical: false)));

        // Act
        var run = await service.PrepareAsync(Request(new StartRequest()), CancellationToken.None);

        // Assert
        Assert.True(run.DatabasesWritable);
        Assert.Equal([DatabaseStatuses.Writable, DatabaseStatuses.Ready], run.Databases.Select(d => d.Status));
    }

    [Fact]
    public async Task PrepareAsync_WhenPlanHasOnlySwitches_ShouldReportDatabasesWritable()
    {
        // Arrange
        var service = Service(PlanBuilder.Sample().WithDatabases());

        // Act
        var run = await service.PrepareAsync(Request(new StartRequest()), CancellationToken.None);

        // Assert
        Assert.Empty(run.Databases);
        Assert.True(run.DatabasesWritable);
        Assert.Empty(_databases.DescribeCalls);
    }

    // Behaviour change: switchover and drill are now modes of this workflow; unknown modes are still refused
    // before anything is read.
    [Theory]
    [InlineData("")]
    [InlineData("FAILOVER")]
    [InlineData("chaos")]
    public async Task PrepareAsync_WhenModeIsUnknown_ShouldRejectTheInputBeforeReadingAnything(string mode)
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        var service = Service(PlanBuilder.Sample());

        // Act
        var ex = await Assert.ThrowsAsync<InvalidRunInputException>(() => service.PrepareAsync(Request(new StartRequest { Mode = mode }), CancellationToken.None));

        // Assert
        Assert.Contains($"'{mode}'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_databases.DescribeCalls);
        Assert.Empty(_lag.Calls);
    }

    [Fact]
    public async Task PrepareAsync_WhenModeIsSwitchover_ShouldAcceptIt()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        _lag.SetLag(Samples.ReplicaId, 1);
        var service = Service(PlanBuilder.Sample());

        // Act
        var run = await service.PrepareAsync(Request(new StartRequest { Mode = RunModes.Switchover }), CancellationToken.None);

        // Assert
        Assert.Equal(RunModes.Switchover, run.Mode);
    }

    [Fact]
    public async Task PrepareAsync_WhenSwitchoverAllowsDataLoss_ShouldRejectTheInput()
    {
        // Arrange
        var service = Service(PlanBuilder.Sample());

        // Act
        var ex = await Assert.ThrowsAsync<InvalidRunInputException>(() => service.PrepareAsync(Request(new StartRequest { Mode = RunModes.Switchover, AllowDataLoss = true }), CancellationToken.None));

        // Assert
        Assert.Contains("allowDataLoss", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_databases.DescribeCalls);
    }

    [Fact]
    public async Task PrepareAsync_WhenDescribeFails_ShouldLetTheErrorThrough()
    {
        // Arrange
        _databases.FailDescribe(Samples.ReplicaId, new SimulatedAwsException("Throttling", "Rate exceeded"));
        var service = Service(PlanBuilder.Sample());

        // Act
        var ex = await Assert.ThrowsAsync<SimulatedAwsException>(() => service.PrepareAsync(Request(new StartRequest()), CancellationToken.None));

        // Assert
        Assert.Equal("Throttling", ex.Code);
    }

    [Fact]
    public async Task PrepareAsync_WhenCancelled_ShouldStop()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        var service = Service(PlanBuilder.Sample());
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        // Act
        var ex = await Record.ExceptionAsync(() => service.PrepareAsync(Request(new StartRequest()), cancellation.Token));

        // Assert
        Assert.IsAssignableFrom<OperationCanceledException>(ex);
    }

    // ---- Scope ----

    [Fact]
    public async Task PrepareAsync_WhenScopeNarrowsThePlan_ShouldReadAndRunOnlyTheNamedResources()
    {
        // Arrange
        var serverIds = _servers.AddServers(3);
        _databases.AddReplica("orders-replica").AddReplica("users-replica");
        _lag.SetLag("orders-replica", 1).SetLag("users-replica", 1);
        var plan = PlanBuilder.Sample()
            .WithDatabases(PlanBuilder.Database("orders-replica"), PlanBuilder.Database("users-replica"))
            .WithSwitches(PlanBuilder.Switch("orders-web"), PlanBuilder.Switch("orders-api"))
            .WithServers(PlanBuilder.Servers([.. serverIds]));
        var scope = new RunScope { Databases = ["users-replica"], Switches = ["orders-api"], Servers = [serverIds[2]] };

        // Act
        var run = await Service(plan).PrepareAsync(Request(new StartRequest { Scope = scope }), CancellationToken.None);

        // Assert
        Assert.Equal(["users-replica"], run.Databases.Select(d => d.Id));
        Assert.Equal(["orders-api"], run.Switches.Select(s => s.Id));
        Assert.Equal(1, run.Servers!.Total);
        Assert.Equal(scope, run.Scope);
        Assert.Equal(["users-replica"], _databases.DescribeCalls);
        Assert.Equal(["orders-api"], _switch.ReadinessChecks);
        var describe = Assert.Single(_servers.DescribeServersCalls);
        Assert.Equal([serverIds[2]], describe.Ids);
        Assert.Empty(describe.Tags);
    }

    [Fact]
    public async Task PrepareAsync_WhenScopeListsNoResourceOfAKind_ShouldLeaveThatKindOut()
    {
        // Arrange
        _servers.AddServers(2, tags: new Dictionary<string, string> { ["app"] = "orders" });
        _databases.AddReplica(Samples.ReplicaId);
        _lag.SetLag(Samples.ReplicaId, 1);
        var plan = PlanBuilder.Sample().WithServers(new ServerGroup { Tags = new Dictionary<string, string> { ["app"] = "orders" } });
        var scope = new RunScope { Servers = [], Switches = [] };

        // Act
        var run = await Service(plan).PrepareAsync(Request(new StartRequest { Scope = scope }), CancellationToken.None);

        // Assert
        Assert.Null(run.Servers);
        Assert.True(run.ServersDone);
        Assert.Empty(run.Switches);
        Assert.True(run.TrafficInSync);
        Assert.Single(run.Databases);
        Assert.Empty(_servers.DescribeServersCalls);
    }

    [Fact]
    public async Task PrepareAsync_WhenScopeNamesResourcesThePlanDoesNotHave_ShouldRejectEveryOneBeforeReadingAnything()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithServers(PlanBuilder.Servers(Samples.ServerId(1)));
        var scope = new RunScope { Databases = [Samples.ReplicaId, "payments-replica"], Switches = ["payments-web"], Servers = [Samples.ServerId(9)] };

        // Act
        var ex = await Assert.ThrowsAsync<InvalidRunInputException>(() => Service(plan).PrepareAsync(Request(new StartRequest { Scope = scope }), CancellationToken.None));

        // Assert
        Assert.Contains("database 'payments-replica'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("switch 'payments-web'", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"server '{Samples.ServerId(9)}'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain($"'{Samples.ReplicaId}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("never add", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_databases.DescribeCalls);
        Assert.Empty(_servers.DescribeServersCalls);
        Assert.Empty(_switch.ReadinessChecks);
    }

    // ---- RPO gate ----

    [Fact]
    public async Task PrepareAsync_WhenLagExceedsTheRpoObjective_ShouldBlockNamingTheDatabaseAndChangeNothing()
    {
        // Arrange
        _databases.AddReplica("orders-replica").AddReplica("users-replica");
        _lag.SetLag("orders-replica", 60.5).SetLag("users-replica", 60);
        var plan = PlanBuilder.Sample().WithObjectives(900, 60).WithDatabases(PlanBuilder.Database("orders-replica"), PlanBuilder.Database("users-replica"));

        // Act
        var ex = await Assert.ThrowsAsync<RpoGateBlockedException>(() => Service(plan).PrepareAsync(Request(new StartRequest()), CancellationToken.None));

        // Assert
        var violation = Assert.Single(ex.Violations);
        Assert.StartsWith("orders-replica: 60.5 s of writes at risk exceeds the RPO objective of 60 s (ReplicaLag ", violation, StringComparison.Ordinal);
        Assert.Contains("allowDataLoss", ex.Message, StringComparison.Ordinal);
        AssertNothingChanged();
    }

    [Fact]
    public async Task PrepareAsync_WhenLagIsUnknown_ShouldBlockAtTheRpoGate()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        _lag.SetLag(Samples.ReplicaId, null);

        // Act
        var ex = await Assert.ThrowsAsync<RpoGateBlockedException>(() => Service(PlanBuilder.Sample()).PrepareAsync(Request(new StartRequest()), CancellationToken.None));

        // Assert
        Assert.StartsWith($"{Samples.ReplicaId}: the data at risk is unknown (no ReplicaLag in the 15 min before", Assert.Single(ex.Violations), StringComparison.Ordinal);
        AssertNothingChanged();
    }

    [Fact]
    public async Task PrepareAsync_WhenLagExceedsTheObjectiveButDataLossIsAllowed_ShouldLiftTheGate()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        _lag.SetLag(Samples.ReplicaId, 600);

        // Act
        var run = await Service(PlanBuilder.Sample()).PrepareAsync(Request(new StartRequest { AllowDataLoss = true }), CancellationToken.None);

        // Assert
        Assert.True(run.AllowDataLoss);
        Assert.Equal(600, Assert.Single(run.Databases).Rpo?.Seconds);
    }

    [Fact]
    public async Task PrepareAsync_WhenReadinessAndRpoBothFail_ShouldReportReadinessFirst()
    {
        // Arrange
        _databases.AddReplica("orders-replica");
        _lag.SetLag("orders-replica", 900);
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.Database("orders-replica"), PlanBuilder.Database("users-replica"));

        // Act
        var ex = await Assert.ThrowsAsync<ReadinessFailedException>(() => Service(plan).PrepareAsync(Request(new StartRequest()), CancellationToken.None));

        // Assert
        Assert.Contains("'users-replica' does not exist", Assert.Single(ex.Problems), StringComparison.Ordinal);
    }

    // ---- Aurora global database ----

    [Fact]
    public async Task PrepareAsync_WhenPrimaryRegionAnswers_ShouldChooseSwitchoverWithoutDataLoss()
    {
        // Arrange
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.AuroraGlobal());

        // Act
        var run = await Service(plan).PrepareAsync(Request(new StartRequest()), CancellationToken.None);

        // Assert
        var db = Assert.Single(run.Databases);
        Assert.Equal((DatabaseKinds.AuroraGlobal, DatabaseActions.GlobalSwitchover, DatabaseStatuses.Ready), (db.Kind, db.Action, db.Status));
        Assert.Equal(Samples.SecondaryClusterArn, db.TargetClusterArn);
        Assert.Contains("switchover without data loss", db.Detail, StringComparison.Ordinal);
        Assert.Contains((Samples.GlobalClusterId, Samples.PrimaryRegion), _aurora.DescribeGlobalCalls);
        Assert.Contains((Samples.GlobalClusterId, Samples.RecoveryRegion), _aurora.DescribeGlobalCalls);
        Assert.Equal(0, _aurora.ChangeCalls);
    }

    [Fact]
    public async Task PrepareAsync_WhenSwitchoverIsChosen_ShouldNotGateOnAnUnknownLag()
    {
        // Arrange: a switchover waits for the secondary to catch up, so it loses nothing whatever the lag.
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.AuroraGlobal());

        // Act
        var run = await Service(plan).PrepareAsync(Request(new StartRequest()), CancellationToken.None);

        // Assert
        Assert.Null(Assert.Single(run.Databases).Rpo?.Seconds);
        Assert.Equal([(DatabaseKinds.AuroraGlobal, Samples.SecondaryClusterId)], _lag.ClusterCalls);
    }

    [Fact]
    public async Task PrepareAsync_WhenPrimaryRegionDoesNotAnswer_ShouldChooseFailoverWithDataLoss()
    {
        // Arrange
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn).MakeUnreachable(Samples.PrimaryRegion);
        _lag.SetLag(Samples.SecondaryClusterId, 0.8);
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.AuroraGlobal());

        // Act
        var run = await Service(plan).PrepareAsync(Request(new StartRequest()), CancellationToken.None);

        // Assert
        var db = Assert.Single(run.Databases);
        Assert.Equal(DatabaseActions.GlobalFailover, db.Action);
        Assert.Equal(0.8, db.Rpo?.Seconds);
        Assert.Contains($"primary region {Samples.PrimaryRegion} does not answer", db.Detail, StringComparison.Ordinal);
        Assert.Equal(0, _aurora.ChangeCalls);
    }

    [Fact]
    public async Task PrepareAsync_WhenFailoverIsChosenAndTheLagExceedsTheObjective_ShouldBlockAtTheRpoGate()
    {
        // Arrange
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn).MakeUnreachable(Samples.PrimaryRegion);
        _lag.SetLag(Samples.SecondaryClusterId, 75);
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.AuroraGlobal());

        // Act
        var ex = await Assert.ThrowsAsync<RpoGateBlockedException>(() => Service(plan).PrepareAsync(Request(new StartRequest()), CancellationToken.None));

        // Assert
        Assert.StartsWith($"{Samples.GlobalClusterId}: 75 s of writes at risk", Assert.Single(ex.Violations), StringComparison.Ordinal);
        Assert.Equal(0, _aurora.ChangeCalls);
    }

    [Fact]
    public async Task PrepareAsync_WhenInputAllowsDataLossAndThePrimaryAnswers_ShouldChooseFailover()
    {
        // Arrange
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.AuroraGlobal());

        // Act
        var run = await Service(plan).PrepareAsync(Request(new StartRequest { AllowDataLoss = true }), CancellationToken.None);

        // Assert
        var db = Assert.Single(run.Databases);
        Assert.Equal(DatabaseActions.GlobalFailover, db.Action);
        Assert.Contains("data loss allowed by the input", db.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrepareAsync_WhenSwitchoverModeAndThePrimaryDoesNotAnswer_ShouldReportAReadinessProblem()
    {
        // Arrange
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn).MakeUnreachable(Samples.PrimaryRegion);
        _lag.SetLag(Samples.SecondaryClusterId, 0.1);
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.AuroraGlobal());

        // Act
        var ex = await Assert.ThrowsAsync<ReadinessFailedException>(() => Service(plan).PrepareAsync(Request(new StartRequest { Mode = RunModes.Switchover }), CancellationToken.None));

        // Assert
        var problem = Assert.Single(ex.Problems);
        Assert.Contains("a switchover needs the primary region us-east-1", problem, StringComparison.Ordinal);
        Assert.Contains("start a failover instead", problem, StringComparison.Ordinal);
        Assert.Equal(0, _aurora.ChangeCalls);
    }

    [Fact]
    public async Task PrepareAsync_WhenFailoverModeAndAMemberIsNotSynchronised_ShouldFailOverEvenThoughThePrimaryAnswers()
    {
        // Arrange: the regional API answers, but the global database is not healthy, so a switchover is not safe.
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        _aurora.SetSynchronizationStatus(Samples.GlobalClusterId, Samples.SecondaryClusterArn, "pending-resync");
        _lag.SetLag(Samples.SecondaryClusterId, 0.8);
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.AuroraGlobal());

        // Act
        var run = await Service(plan).PrepareAsync(Request(new StartRequest { Mode = RunModes.Failover }), CancellationToken.None);

        // Assert
        var db = Assert.Single(run.Databases);
        Assert.Equal(DatabaseActions.GlobalFailover, db.Action);
        Assert.Contains($"{Samples.SecondaryClusterArn} is pending-resync", db.Detail, StringComparison.Ordinal);
        Assert.Equal(0, _aurora.ChangeCalls);
    }

    [Fact]
    public async Task PrepareAsync_WhenFailoverModeAndAnOperationIsUnderway_ShouldFailOverRatherThanSwitchOver()
    {
        // Arrange
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        _aurora.SetFailoverStatus(Samples.GlobalClusterId, "pending");
        _lag.SetLag(Samples.SecondaryClusterId, 0.8);
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.AuroraGlobal());

        // Act
        var run = await Service(plan).PrepareAsync(Request(new StartRequest { Mode = RunModes.Failover }), CancellationToken.None);

        // Assert
        var db = Assert.Single(run.Databases);
        Assert.Equal(DatabaseActions.GlobalFailover, db.Action);
        Assert.Contains("FailoverState pending", db.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrepareAsync_WhenThePrimaryRegionDoesNotAnswerWithinFiveSeconds_ShouldStopWaitingAndFailOver()
    {
        // Arrange: the probe gets one short attempt, whatever the adapter's retry policy.
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn).MakeHang(Samples.PrimaryRegion);
        _lag.SetLag(Samples.SecondaryClusterId, 0.8);
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.AuroraGlobal());
        var preparing = Service(plan).PrepareAsync(Request(new StartRequest { Mode = RunModes.Failover }), CancellationToken.None);

        // Act
        _clock.Advance(TimeSpan.FromSeconds(4.9));
        var waitingAt49 = !preparing.IsCompleted;
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        var run = await preparing.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.True(waitingAt49);
        var db = Assert.Single(run.Databases);
        Assert.Equal(DatabaseActions.GlobalFailover, db.Action);
        Assert.Contains($"primary region {Samples.PrimaryRegion} does not answer", db.Detail, StringComparison.Ordinal);
        Assert.Equal(0, _clock.ActiveTimers);
    }

    [Theory]
    [InlineData(0.5, true)]
    [InlineData(60.0, true)]
    [InlineData(75.0, false)]
    [InlineData(null, false)]
    public async Task PrepareAsync_WhenFailoverModeChoosesASwitchover_ShouldFallBackToFailoverOnlyWithinTheRpoObjective(double? lagSeconds, bool fallBack)
    {
        // Arrange: the fallback loses what was not replicated; the sample objective is 60 s.
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        if (lagSeconds is { } lag)
        {
            _lag.SetLag(Samples.SecondaryClusterId, lag);
        }

        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.AuroraGlobal());

        // Act
        var run = await Service(plan).PrepareAsync(Request(new StartRequest { Mode = RunModes.Failover }), CancellationToken.None);

        // Assert
        var db = Assert.Single(run.Databases);
        Assert.Equal((DatabaseActions.GlobalSwitchover, fallBack), (db.Action, db.FallBackToFailover));
        Assert.Contains(fallBack ? "failover with data loss if RDS refuses or cancels it" : "no failover if RDS refuses or cancels it", db.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrepareAsync_WhenFailoverModeAllowsDataLossAndASwitchoverIsChosen_ShouldFallBackWhateverTheLag()
    {
        // Arrange
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        _aurora.SetSynchronizationStatus(Samples.GlobalClusterId, Samples.SecondaryClusterArn, "pending-resync");
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.AuroraGlobal());

        // Act
        var run = await Service(plan).PrepareAsync(Request(new StartRequest { Mode = RunModes.Failover, AllowDataLoss = true }), CancellationToken.None);

        // Assert
        Assert.Equal(DatabaseActions.GlobalFailover, Assert.Single(run.Databases).Action);
    }

    [Fact]
    public async Task PrepareAsync_WhenSwitchoverModeAndTheGlobalDatabaseIsNotHealthy_ShouldSwitchOverWithoutEverFallingBack()
    {
        // Arrange: switchover mode never loses data; RDS decides whether the switchover can run.
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        _aurora.SetSynchronizationStatus(Samples.GlobalClusterId, Samples.SecondaryClusterArn, "pending-resync");
        _lag.SetLag(Samples.SecondaryClusterId, 0.8);
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.AuroraGlobal());

        // Act
        var run = await Service(plan).PrepareAsync(Request(new StartRequest { Mode = RunModes.Switchover }), CancellationToken.None);

        // Assert
        var db = Assert.Single(run.Databases);
        Assert.Equal((DatabaseActions.GlobalSwitchover, false), (db.Action, db.FallBackToFailover));
        Assert.Contains("never fails over with data loss", db.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrepareAsync_WhenTargetIsAlreadyTheWriter_ShouldRecordItAsWritable()
    {
        // Arrange
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.SecondaryClusterArn, Samples.PrimaryClusterArn);
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.AuroraGlobal());

        // Act
        var run = await Service(plan).PrepareAsync(Request(new StartRequest()), CancellationToken.None);

        // Assert
        Assert.Equal(DatabaseStatuses.Writable, Assert.Single(run.Databases).Status);
        Assert.True(run.DatabasesWritable);
    }

    [Fact]
    public async Task PrepareAsync_WhenGlobalDatabaseIsMissingOrTargetIsNotAMember_ShouldReportBoth()
    {
        // Arrange
        _aurora.AddGlobalCluster("billing-global", Samples.PrimaryClusterArn, Samples.ClusterArn(Samples.RecoveryRegion, "other-cluster"));
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.AuroraGlobal(), PlanBuilder.AuroraGlobal("billing-global"));

        // Act
        var ex = await Assert.ThrowsAsync<ReadinessFailedException>(() => Service(plan).PrepareAsync(Request(new StartRequest()), CancellationToken.None));

        // Assert
        Assert.Equal(2, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.Contains($"global database '{Samples.GlobalClusterId}' does not exist", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains($"{Samples.SecondaryClusterArn} is not a member of global database 'billing-global'", StringComparison.Ordinal));
    }

    // ---- Aurora replica cluster ----

    [Fact]
    public async Task PrepareAsync_WhenReplicaClusterIsAvailable_ShouldPlanItsPromotionWithItsLag()
    {
        // Arrange
        _aurora.AddReplicaCluster(Samples.ReplicaClusterId);
        _lag.SetLag(Samples.ReplicaClusterId, 2);
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.ClusterReplica());

        // Act
        var run = await Service(plan).PrepareAsync(Request(new StartRequest()), CancellationToken.None);

        // Assert
        var db = Assert.Single(run.Databases);
        Assert.Equal((DatabaseActions.PromoteCluster, DatabaseStatuses.Ready, 2.0), (db.Action, db.Status, db.Rpo?.Seconds));
        Assert.Equal([(DatabaseKinds.AuroraClusterReplica, Samples.ReplicaClusterId)], _lag.ClusterCalls);
    }

    [Fact]
    public async Task PrepareAsync_WhenReplicaClustersAreMissingOrNotReplicating_ShouldReportEach()
    {
        // Arrange
        _aurora.AddStandaloneCluster("reports-cluster", status: "modifying");
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.ClusterReplica(), PlanBuilder.ClusterReplica("reports-cluster"));

        // Act
        var ex = await Assert.ThrowsAsync<ReadinessFailedException>(() => Service(plan).PrepareAsync(Request(new StartRequest()), CancellationToken.None));

        // Assert
        Assert.Equal(2, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.Contains($"cluster '{Samples.ReplicaClusterId}' does not exist in us-west-2", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("cluster 'reports-cluster' is not an available replica cluster (status modifying, source none)", StringComparison.Ordinal));
    }

    // ---- DRS source servers ----

    [Fact]
    public async Task PrepareAsync_WhenServersAreSelectedByIdsAndTags_ShouldResolveAndSummariseThem()
    {
        // Arrange
        var tags = new Dictionary<string, string> { ["app"] = "orders" };
        _servers.AddServer(Samples.ServerId(30), lagSeconds: 4, tags: tags)
            .AddServer(Samples.ServerId(10), lagSeconds: 2.5)
            .AddServer(Samples.ServerId(20), lagSeconds: 7, tags: tags)
            .AddServer(Samples.ServerId(40), lagSeconds: 99, tags: new Dictionary<string, string> { ["app"] = "billing" });
        var group = new ServerGroup { SourceServerIds = [Samples.ServerId(10)], Tags = tags, CriticalServerIds = [Samples.ServerId(20)], BatchSize = 2, MaxConcurrentJobs = 3 };
        var plan = PlanBuilder.Sample().WithDatabases().WithServers(group);

        // Act
        var run = await Service(plan).PrepareAsync(Request(new StartRequest()), CancellationToken.None);

        // Assert
        var servers = Assert.IsType<ServersRun>(run.Servers);
        Assert.Equal(3, servers.Total);
        var describe = Assert.Single(_servers.DescribeServersCalls);
        Assert.Equal([Samples.ServerId(10)], describe.Ids);
        Assert.Equal("orders", describe.Tags["app"]);
        Assert.Equal((2, 3, 7.0), (servers.BatchSize, servers.MaxConcurrentJobs, servers.LagSeconds));
        Assert.Equal(ServerOutcomes.Pending, servers.Outcome);
        Assert.Empty(servers.Jobs);
        Assert.False(run.ServersDone);
        Assert.Empty(_servers.StartCalls);
    }

    [Fact]
    public async Task PrepareAsync_WhenAServerHasNoReplicationLag_ShouldSummariseTheLagAsUnknown()
    {
        // Arrange
        _servers.AddServer(Samples.ServerId(1), lagSeconds: 3).AddServer(Samples.ServerId(2), lagSeconds: null);
        var plan = PlanBuilder.Sample().WithServers(PlanBuilder.Servers(Samples.ServerId(1), Samples.ServerId(2)));
        _databases.AddReplica(Samples.ReplicaId);
        _lag.SetLag(Samples.ReplicaId, 1);

        // Act
        var run = await Service(plan).PrepareAsync(Request(new StartRequest()), CancellationToken.None);

        // Assert
        Assert.Null(run.Servers!.LagSeconds);
    }

    [Fact]
    public async Task PrepareAsync_WhenServersAreMissingOrStillInInitialSync_ShouldReportThemAndStartNothing()
    {
        // Arrange
        _servers.AddServer(Samples.ServerId(1))
            .AddServer(Samples.ServerId(2), replicationState: "INITIAL_SYNC", lagSeconds: null)
            .AddServer(Samples.ServerId(3), replicationState: "STALLED", lagSeconds: 300);
        var plan = PlanBuilder.Sample().WithDatabases().WithServers(PlanBuilder.Servers(Samples.ServerId(1), Samples.ServerId(2), Samples.ServerId(3), Samples.ServerId(4), Samples.ServerId(5)));

        // Act
        var ex = await Assert.ThrowsAsync<ReadinessFailedException>(() => Service(plan).PrepareAsync(Request(new StartRequest()), CancellationToken.None));

        // Assert
        Assert.Equal(2, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.StartsWith($"2 DRS source server(s) not found in us-west-2: {Samples.ServerId(4)}, {Samples.ServerId(5)}", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains($"{Samples.ServerId(2)} (INITIAL_SYNC)", StringComparison.Ordinal));
        Assert.DoesNotContain(ex.Problems, p => p.Contains(Samples.ServerId(3), StringComparison.Ordinal));
        AssertNothingChanged();
    }

    [Fact]
    public async Task PrepareAsync_WhenNoServerCarriesThePlansTags_ShouldReportIt()
    {
        // Arrange
        _servers.AddServers(2, tags: new Dictionary<string, string> { ["app"] = "billing" });
        var plan = PlanBuilder.Sample().WithDatabases().WithServers(new ServerGroup { Tags = new Dictionary<string, string> { ["app"] = "orders" } });

        // Act
        var ex = await Assert.ThrowsAsync<ReadinessFailedException>(() => Service(plan).PrepareAsync(Request(new StartRequest()), CancellationToken.None));

        // Assert
        Assert.Contains("no DRS source server matches", Assert.Single(ex.Problems), StringComparison.Ordinal);
    }

    // ---- Switches and everything at once ----

    [Fact]
    public async Task PrepareAsync_WhenASwitchIsNotReady_ShouldReportItWithWhatIsMissing()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        _lag.SetLag(Samples.ReplicaId, 1);
        _switch.NotReady("www", "NoSuchHealthCheck: A health check with id abcdef11 does not exist.");
        var plan = PlanBuilder.Sample().WithSwitches(PlanBuilder.Switch(Samples.SwitchId), PlanBuilder.HealthCheckSwitch("www"));

        // Act
        var ex = await Assert.ThrowsAsync<ReadinessFailedException>(() => Service(plan).PrepareAsync(Request(new StartRequest()), CancellationToken.None));

        // Assert
        Assert.Equal("switch 'www': NoSuchHealthCheck: A health check with id abcdef11 does not exist.", Assert.Single(ex.Problems));
        Assert.Equal([Samples.SwitchId, "www"], _switch.ReadinessChecks);
    }

    [Fact]
    public async Task PrepareAsync_WhenEveryKindOfResourceHasAProblem_ShouldReportThemAllAtOnceAndChangeNothing()
    {
        // Arrange
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn).MakeUnreachable(Samples.PrimaryRegion);
        _servers.AddServer(Samples.ServerId(1), replicationState: "INITIATING", lagSeconds: null);
        _switch.NotReady("www", "NoSuchHostedZone");
        var plan = PlanBuilder.Sample()
            .WithDatabases(PlanBuilder.Database("orders-replica"), PlanBuilder.AuroraGlobal(), PlanBuilder.ClusterReplica())
            .WithServers(PlanBuilder.Servers(Samples.ServerId(1), Samples.ServerId(2)))
            .WithSwitches(PlanBuilder.RecordSwitch("www"));

        // Act
        var ex = await Assert.ThrowsAsync<ReadinessFailedException>(() => Service(plan).PrepareAsync(Request(new StartRequest { Mode = RunModes.Switchover }), CancellationToken.None));

        // Assert
        Assert.Equal(6, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.Contains("'orders-replica' does not exist", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("a switchover needs the primary region", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains($"cluster '{Samples.ReplicaClusterId}' does not exist", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("not found in us-west-2", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("(INITIATING)", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("switch 'www': NoSuchHostedZone", StringComparison.Ordinal));
        AssertNothingChanged();
    }

    [Fact]
    public async Task PrepareAsync_WhenPlanSetsDatabaseConcurrency_ShouldCarryItIntoTheRun()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        _lag.SetLag(Samples.ReplicaId, 1);

        // Act
        var run = await Service(PlanBuilder.Sample().WithDatabaseConcurrency(3)).PrepareAsync(Request(new StartRequest()), CancellationToken.None);

        // Assert
        Assert.Equal(3, run.DatabaseConcurrency);
    }

    // Every input needs a reason (StartRequestRules); these tests are about the rest of it.
    [Fact]
    public async Task PrepareAsync_WhenAnAutomaticRunsDataAtRiskExceedsTheBudget_ShouldAskForApprovalStatingTheLoss()
    {
        // Arrange: the sample plan does not require approval; 75 s at risk is over its 60 s budget.
        _databases.AddReplica(Samples.ReplicaId);
        _lag.SetLag(Samples.ReplicaId, 75);
        var trigger = new TriggerInfo { AlarmArn = Samples.AlarmArn, AlarmName = Samples.AlarmName, AlarmTime = Samples.AlarmTime };

        // Act
        var run = await Service(PlanBuilder.Sample()).PrepareAsync(Request(new StartRequest { Trigger = trigger }), CancellationToken.None);

        // Assert
        Assert.True(run.ApprovalRequired);
        Assert.StartsWith($"{Samples.ReplicaId}: 75 s of writes at risk exceeds the unattended data-loss budget of 60 s", Assert.Single(run.DataLossToApprove), StringComparison.Ordinal);
        Assert.Equal(Samples.AlarmTime, run.OutageBeganAt);
        Assert.Equal((900, 60), (run.RtoObjectiveSeconds, run.RpoObjectiveSeconds));
        AssertNothingChanged();
    }

    [Fact]
    public async Task PrepareAsync_WhenLagIsReadAfterTheOutageBegan_ShouldJudgeOnlyTheDatapointsBeforeIt()
    {
        // Arrange: 2 s of lag until the alarm; -1 afterwards, as MySQL reports once its source is dark.
        _databases.AddReplica(Samples.ReplicaId);
        _lag.SetSeries(Samples.ReplicaId,
        [
            new(Samples.AlarmTime.AddMinutes(-2), 2), new(Samples.AlarmTime.AddMinutes(-1), 2),
            new(Samples.AlarmTime.AddMinutes(1), -1), new(Samples.AlarmTime.AddMinutes(2), -1),
        ]);
        var trigger = new TriggerInfo { AlarmArn = Samples.AlarmArn, AlarmName = Samples.AlarmName, AlarmTime = Samples.AlarmTime };

        // Act
        var run = await Service(PlanBuilder.Sample()).PrepareAsync(Request(new StartRequest { Trigger = trigger }), CancellationToken.None);

        // Assert
        Assert.Equal(2, Assert.Single(run.Databases).Rpo?.Seconds);
        Assert.False(run.ApprovalRequired);
    }

    [Fact]
    public async Task PrepareAsync_WhenTheInputRequiresApproval_ShouldAskForItWithoutDataLossToAccept()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        _lag.SetLag(Samples.ReplicaId, 1);

        // Act
        var run = await Service(PlanBuilder.Sample()).PrepareAsync(Request(new StartRequest { RequireApproval = true }), CancellationToken.None);

        // Assert
        Assert.True(run.ApprovalRequired);
        Assert.Empty(run.DataLossToApprove);
    }

    private static PrepareRequest Request(StartRequest request) =>
        new() { Request = request.Reason.Length == 0 ? request with { Reason = "test" } : request, ExecutionName = Samples.ExecutionName };

    [Fact]
    public async Task PrepareAsync_WhenSeveralWavesSelectServersByTag_ShouldReadTheWavesSideBySide()
    {
        // Arrange: DRS cannot filter by tag, so each wave reads every server; each read is held until all three are in
        // flight, which only reads made side by side reach.
        string[] tiers = ["data", "app", "web"];
        var ids = tiers.SelectMany((tier, i) => _servers.AddServers(2, first: (i * 2) + 1, tags: new Dictionary<string, string> { ["tier"] = tier })).ToList();
        var waves = tiers.Select(tier => new ServerGroup { Name = tier, Tags = new Dictionary<string, string> { ["tier"] = tier } }).ToList();
        var plan = PlanBuilder.Sample().Build() with { Servers = waves };
        var probed = new ProbedServers(_servers, new ConcurrencyProbe(barrier: 3), "DescribeSourceServers");
        var service = new PrepareService(plan, new PreparePorts(_databases, _aurora, _lag, probed, _switch), _clock);
        _databases.AddReplica(Samples.ReplicaId, source: Samples.PrimaryId);
        _lag.SetLag(Samples.ReplicaId, 1);

        // Act
        var run = await service.PrepareAsync(Request(new StartRequest { Mode = RunModes.Failover, Reason = "three tiers" }), CancellationToken.None);

        // Assert
        Assert.Equal(ids.Count, run.Servers!.Total);
    }

    private PrepareService Service(PlanBuilder plan) =>
        new(plan.Build(), new PreparePorts(_databases, _aurora, _lag, _servers, _switch), _clock);

    private void AssertNothingChanged()
    {
        Assert.Empty(_databases.PromoteCalls);
        Assert.Equal(0, _aurora.ChangeCalls);
        Assert.Empty(_servers.StartCalls);
        Assert.Empty(_switch.Switched);
    }
}
