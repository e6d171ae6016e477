using Failover.Core.Plans;
using Failover.Testing;

namespace Failover.Core.Tests.Plans;

/// <summary>PlanValidator rules for each kind of database and switch, DRS servers and database concurrency.</summary>
public sealed class PlanValidatorKindsTests
{
    // ---- Databases ----

    [Fact]
    public void Validate_WhenEveryDatabaseKindIsWellFormed_ShouldReportNothing()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.Database(Samples.ReplicaId), PlanBuilder.AuroraGlobal(), PlanBuilder.ClusterReplica()).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("orders-secondary-cluster")]
    [InlineData("arn:aws:rds:us-west-2:123456789012:db:orders-secondary-cluster")]
    [InlineData("arn:aws:rds:us-west-2:1234:cluster:orders-secondary-cluster")]
    [InlineData("arn:aws:rds:us-west-2:123456789012:cluster:1orders")]
    public void Validate_WhenAuroraGlobalHasNoValidTargetClusterArn_ShouldRequireIt(string? arn)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.AuroraGlobal() with { TargetClusterArn = arn }).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.databases[0].targetClusterArn", error.Path);
        Assert.StartsWith("is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenAuroraGlobalTargetIsInThePrimaryRegion_ShouldSayItMustBeInTheRecoveryRegion()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.AuroraGlobal(targetClusterArn: Samples.PrimaryClusterArn)).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.databases[0].targetClusterArn", error.Path);
        Assert.Equal("cluster is in us-east-1, not the recovery region us-west-2", error.Message);
    }

    [Fact]
    public void Validate_WhenAuroraGlobalTargetIsInAnotherPartition_ShouldRefuseItNamingThePartition()
    {
        // Arrange
        var plan = PlanBuilder.Sample()
            .WithDatabases(PlanBuilder.AuroraGlobal(targetClusterArn: "arn:aws-us-gov:rds:us-west-2:123456789012:cluster:orders-secondary"))
            .Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.databases[0].targetClusterArn", error.Path);
        Assert.StartsWith("'arn:aws-us-gov:rds:us-west-2:123456789012:cluster:orders-secondary' is in the aws-us-gov partition; Failover supports the aws partition only", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("orders-global", true)]
    [InlineData("orders.global_v2:eu", true)]
    [InlineData("1orders", false)]
    [InlineData("", false)]
    [InlineData("orders global", false)]
    public void Validate_WhenAuroraGlobalIdIsChecked_ShouldFollowTheGlobalClusterIdentifierRule(string id, bool valid)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.AuroraGlobal(id)).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(valid, errors.Count == 0);
        Assert.All(errors, e => Assert.Equal("$.databases[0].id", e.Path));
    }

    [Theory]
    [InlineData(DatabaseKinds.RdsInstanceReplica)]
    [InlineData(DatabaseKinds.AuroraClusterReplica)]
    public void Validate_WhenAnotherKindHasATargetClusterArn_ShouldSayItIsOnlyForAuroraGlobal(string kind)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.Database("orders-db", kind: kind) with { TargetClusterArn = Samples.SecondaryClusterArn }).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal(("$.databases[0].targetClusterArn", "only for aurora-global"), (error.Path, error.Message));
    }

    [Theory]
    [InlineData("orders_cluster")]
    [InlineData("-orders")]
    [InlineData("arn:aws:rds:us-west-2:123456789012:cluster:orders")]
    public void Validate_WhenClusterReplicaIdIsNotAClusterIdentifier_ShouldReportId(string id)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.ClusterReplica(id)).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.databases[0].id", error.Path);
        Assert.Contains("not a DB cluster identifier", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(50, true)]
    [InlineData(51, false)]
    public void Validate_WhenDatabaseConcurrencyIsAtTheLimits_ShouldAcceptOneToFifty(int concurrency, bool valid)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithDatabaseConcurrency(concurrency).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(valid, errors.Count == 0);
        Assert.All(errors, e => Assert.Equal("$.databaseConcurrency", e.Path));
    }

    // ---- Servers ----

    [Fact]
    public void Validate_WhenThePlanHasOnlyServers_ShouldAcceptIt()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithDatabases().WithSwitches().WithServers(PlanBuilder.Servers(Samples.ServerId(1))).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_WhenServersSelectNothing_ShouldReportServers()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithServers(new ServerGroup()).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.servers", error.Path);
        Assert.Contains("sourceServerIds and/or tags", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public void Validate_WhenBatchSizeIsAtTheLimits_ShouldAcceptOneToTheServersPerJobQuota(int batchSize, bool valid)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithServers(PlanBuilder.Servers(Samples.ServerId(1)) with { BatchSize = batchSize }).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(valid, errors.Count == 0);
        Assert.All(errors, e => Assert.Equal("$.servers.batchSize", e.Path));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(20, true)]
    [InlineData(21, false)]
    public void Validate_WhenMaxConcurrentJobsIsAtTheLimits_ShouldAcceptOneToTwenty(int jobs, bool valid)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithServers(PlanBuilder.Servers(Samples.ServerId(1)) with { MaxConcurrentJobs = jobs }).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(valid, errors.Count == 0);
        Assert.All(errors, e => Assert.Equal("$.servers.maxConcurrentJobs", e.Path));
    }

    [Fact]
    public void Validate_WhenWavesBreakRules_ShouldNameEachByItsIndex()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithWaves(
            new ServerGroup { Name = "db", SourceServerIds = [Samples.ServerId(1)] },
            new ServerGroup { Name = "db", SourceServerIds = [Samples.ServerId(1)], BatchSize = 101, WaitAfterSeconds = -1 },
            new ServerGroup { Name = "web tier" }).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(
            [
                "$.servers[1].waitAfterSeconds", "$.servers[1].batchSize", "$.servers[1].sourceServerIds[0]", "$.servers[1].name",
                "$.servers[2]", "$.servers[2].name",
            ],
            errors.Select(e => e.Path));
    }

    [Fact]
    public void Validate_WhenBatchSizeExceedsTheServersPerJobQuota_ShouldNameThePathAndTheLimit()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithServers(PlanBuilder.Servers(Samples.ServerId(1)) with { BatchSize = 150 }).Build();

        // Act
        var error = Assert.Single(PlanValidator.Validate(plan));

        // Assert
        Assert.Equal("$.servers.batchSize", error.Path);
        Assert.Contains("150 exceeds the DRS quota of 100 source servers in a single job (L-B827C881, $.drsQuotas.serversPerJob)", error.Message);
    }

    [Fact]
    public void Validate_WhenTheQuotasAreRaisedToTheOlderTable_ShouldAcceptBatchesOfTwoHundredButNoMore()
    {
        // Arrange
        var quotas = new DrsQuotas { ServersPerJob = 200, ServersInActiveJobs = 200 };
        var fits = PlanBuilder.Sample().WithServers(PlanBuilder.Servers(Samples.ServerId(1)) with { BatchSize = 200 }).Build() with { DrsQuotas = quotas };
        var overApi = fits with { DrsQuotas = quotas with { ServersPerJob = 201 } };

        // Act
        var fitsErrors = PlanValidator.Validate(fits);
        var overApiErrors = PlanValidator.Validate(overApi);

        // Assert
        Assert.Empty(fitsErrors);
        Assert.Equal("$.drsQuotas.serversPerJob", Assert.Single(overApiErrors).Path);
    }

    [Fact]
    public void Validate_WhenBatchSizeExceedsTheServersInActiveJobsQuota_ShouldNameThatQuota()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithServers(PlanBuilder.Servers(Samples.ServerId(1)) with { BatchSize = 80 }).Build()
            with { DrsQuotas = new DrsQuotas { ServersInActiveJobs = 50 } };

        // Act
        var error = Assert.Single(PlanValidator.Validate(plan));

        // Assert
        Assert.Equal("$.servers.batchSize", error.Path);
        Assert.Contains("50 source servers in all active jobs (L-05AFA8C6, $.drsQuotas.serversInActiveJobs)", error.Message);
    }

    [Fact]
    public void Validate_WhenMaxConcurrentJobsExceedsTheAccountQuota_ShouldNameThePathAndTheLimit()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithServers(PlanBuilder.Servers(Samples.ServerId(1)) with { MaxConcurrentJobs = 10 }).Build()
            with { DrsQuotas = new DrsQuotas { ConcurrentJobs = 5 } };

        // Act
        var error = Assert.Single(PlanValidator.Validate(plan));

        // Assert
        Assert.Equal("$.servers.maxConcurrentJobs", error.Path);
        Assert.Contains("10 exceeds the DRS quota of 5 concurrent jobs per account (L-D88FAC3A, $.drsQuotas.concurrentJobs)", error.Message);
    }

    [Fact]
    public void Validate_WhenMoreServersAreListedThanTheAccountHolds_ShouldNameTheSourceServersQuota()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithServers(PlanBuilder.Servers(Samples.ServerId(1), Samples.ServerId(2), Samples.ServerId(3))).Build()
            with { DrsQuotas = new DrsQuotas { SourceServers = 2 } };

        // Act
        var error = Assert.Single(PlanValidator.Validate(plan));

        // Assert
        Assert.Equal("$.servers", error.Path);
        Assert.Contains("3 servers exceed the DRS quota of 2 source servers per account (L-E28BE5E0", error.Message);
    }

    [Theory]
    [InlineData("s-123")]
    [InlineData("i-0123456789abcdef0")]
    [InlineData("s-0123456789abcdef")]
    [InlineData("s-0123456789abcdef01")]
    [InlineData("s-0123456789abcdef_")]
    [InlineData("")]
    public void Validate_WhenSourceServerIdIsMalformed_ShouldReportItWithItsIndex(string id)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithServers(PlanBuilder.Servers(Samples.ServerId(1), id)).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.servers.sourceServerIds[1]", error.Path);
        Assert.Contains("not a source server id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenSourceServerIdHasSeventeenLettersAndDigits_ShouldAcceptIt()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithServers(PlanBuilder.Servers("s-0123456789ABCDEFa")).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_WhenASourceServerIsListedTwice_ShouldReportTheSecond()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithServers(PlanBuilder.Servers(Samples.ServerId(1), Samples.ServerId(2), Samples.ServerId(1))).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.servers.sourceServerIds[2]", error.Path);
        Assert.Contains("listed twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenACriticalServerIsNotSelected_ShouldReportIt()
    {
        // Arrange
        var servers = PlanBuilder.Servers(Samples.ServerId(1)) with { CriticalServerIds = [Samples.ServerId(1), Samples.ServerId(2)] };
        var plan = PlanBuilder.Sample().WithServers(servers).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.servers.criticalServerIds[1]", error.Path);
        Assert.Contains("not among sourceServerIds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenServersAreAlsoSelectedByTags_ShouldAcceptACriticalServerNotListedById()
    {
        // Arrange
        var servers = new ServerGroup { Tags = new Dictionary<string, string> { ["app"] = "orders" }, CriticalServerIds = [Samples.ServerId(7)] };
        var plan = PlanBuilder.Sample().WithServers(servers).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_WhenACriticalServerIdIsMalformed_ShouldReportIt()
    {
        // Arrange
        var servers = new ServerGroup { Tags = new Dictionary<string, string> { ["app"] = "orders" }, CriticalServerIds = ["web-1"] };
        var plan = PlanBuilder.Sample().WithServers(servers).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.servers.criticalServerIds[0]", error.Path);
        Assert.Contains("'web-1' is not a source server id", error.Message, StringComparison.Ordinal);
    }

    // ---- Switches ----

    [Fact]
    public void Validate_WhenEverySwitchKindIsWellFormed_ShouldReportNothing()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithSwitches(PlanBuilder.Switch("web"), PlanBuilder.HealthCheckSwitch("check"), PlanBuilder.RecordSwitch("www")).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Validate_WhenHealthCheckInvertHasNoHealthCheckId_ShouldRequireIt(string? healthCheckId)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithSwitches(PlanBuilder.HealthCheckSwitch("check") with { HealthCheckId = healthCheckId }).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal(("$.switches[0].healthCheckId", "is required"), (error.Path, error.Message));
    }

    [Theory]
    [InlineData(SwitchKinds.SwitchMetric)]
    [InlineData(SwitchKinds.HealthCheckInvert)]
    public void Validate_WhenAHealthCheckSwitchNamesNoFailoverRecord_ShouldRequireItsZoneAndName(string kind)
    {
        // Arrange: a health check moves traffic only through the failover record it guards.
        var guarded = kind == SwitchKinds.SwitchMetric ? PlanBuilder.Switch("web") : PlanBuilder.HealthCheckSwitch("web");
        var plan = PlanBuilder.Sample().WithSwitches(guarded with { HostedZoneId = null, RecordName = "" }).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(
            [
                ("$.switches[0].hostedZoneId", $"is required for {kind}: the 1-32 character id of the hosted zone holding the PRIMARY failover record the health check guards"),
                ("$.switches[0].recordName", $"is required for {kind}: the 1-1024 character DNS name of the PRIMARY failover record the health check guards"),
            ],
            errors.Select(e => (e.Path, e.Message)));
    }

    [Fact]
    public void Validate_WhenAControlPlaneSwitchHasNoMetric_ShouldNotAskForSwitchMetricMembers()
    {
        // Arrange: namespace and metricName belong to switch-metric only.
        var plan = PlanBuilder.Sample().WithSwitches(PlanBuilder.HealthCheckSwitch("check") with { Namespace = "", MetricName = "" }).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_WhenRecordUpsertHasNoZoneAndNoRecord_ShouldRequireBoth()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithSwitches(PlanBuilder.RecordSwitch("www") with { HostedZoneId = null, Record = null }).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(["$.switches[0].hostedZoneId", "$.switches[0].record"], errors.Select(e => e.Path));
        Assert.All(errors, e => Assert.Equal("is required", e.Message));
    }

    [Fact]
    public void Validate_WhenEveryRecordMemberIsWrong_ShouldReportEachWithItsPath()
    {
        // Arrange
        var record = new RecordSet { Name = "", Type = "ALIAS", Ttl = -1, Values = [], Failover = "TERTIARY" };
        var plan = PlanBuilder.Sample().WithSwitches(PlanBuilder.RecordSwitch("www") with { Record = record }).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(
            [
                "$.switches[0].record.name",
                "$.switches[0].record.type",
                "$.switches[0].record.ttl",
                "$.switches[0].record.values",
                "$.switches[0].record.failover",
                "$.switches[0].record.setIdentifier",
            ],
            errors.Select(e => e.Path));
        Assert.Contains("'ALIAS' is not a record type", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenAFailoverRecordHasNoSetIdentifier_ShouldRequireIt()
    {
        // Arrange
        var switchTarget = PlanBuilder.RecordSwitch("www");
        var plan = PlanBuilder.Sample().WithSwitches(switchTarget with { Record = switchTarget.Record! with { SetIdentifier = null } }).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal(("$.switches[0].record.setIdentifier", "is required for a failover record"), (error.Path, error.Message));
    }

    [Fact]
    public void Validate_WhenASimpleRecordHasNoSetIdentifier_ShouldAcceptIt()
    {
        // Arrange
        var switchTarget = PlanBuilder.RecordSwitch("www");
        var plan = PlanBuilder.Sample().WithSwitches(switchTarget with { Record = switchTarget.Record! with { SetIdentifier = null, Failover = null } }).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("orders web")]
    [InlineData("orders/web")]
    [InlineData("a12345678901234567890123456789012345678901234567890123456789012345")]
    public void Validate_WhenSwitchIdBreaksThePattern_ShouldReportId(string id)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithSwitches(PlanBuilder.HealthCheckSwitch(id)).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal("$.switches[0].id", Assert.Single(errors).Path);
    }

    [Fact]
    public void Validate_WhenAnEntryOfEachListIsWrong_ShouldReportThemAllInPlanOrder()
    {
        // Arrange
        var plan = PlanBuilder.Sample()
            .WithDatabases(PlanBuilder.AuroraGlobal() with { TargetClusterArn = null }, PlanBuilder.Database("x", kind: "dynamodb"))
            .WithServers(PlanBuilder.Servers("s-1") with { BatchSize = 500 })
            .WithSwitches(PlanBuilder.HealthCheckSwitch("check") with { HealthCheckId = null }, PlanBuilder.Switch("web") with { Kind = "dns" })
            .Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(
            [
                "$.databases[0].targetClusterArn",
                "$.databases[1].kind",
                "$.servers.batchSize",
                "$.servers.sourceServerIds[0]",
                "$.switches[0].healthCheckId",
                "$.switches[1].kind",
            ],
            errors.Select(e => e.Path));
    }
}
