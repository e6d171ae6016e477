using Failover.Core.Plans;
using Failover.Testing;

namespace Failover.Core.Tests.Plans;

public sealed class PlanValidatorTests
{
    [Fact]
    public void Validate_WhenSamplePlan_ShouldReportNothing()
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("")]
    [InlineData("orders plan")]
    [InlineData("orders_plan")]
    [InlineData("ordérs")]
    [InlineData("a23456789012345678901234567890123456789012")]
    public void Validate_WhenNameIsNotShortLettersDigitsOrHyphens_ShouldReportName(string name)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithName(name).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.name", error.Path);
    }

    [Theory]
    [InlineData("A")]
    [InlineData("orders-2")]
    [InlineData("a234567890123456789012345678901234567890")]
    public void Validate_WhenNameIsOneToFortyAllowedCharacters_ShouldAcceptIt(string name)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithName(name).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("us-east-1", "eu-west-1")]
    [InlineData("ap-southeast-2", "ap-northeast-1")]
    public void Validate_WhenRegionCodesDiffer_ShouldAcceptThem(string primary, string recovery)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithRegions(primary, recovery).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("US East (N. Virginia)")]
    [InlineData("us-east")]
    [InlineData("useast1")]
    [InlineData("")]
    public void Validate_WhenPrimaryRegionIsNotACode_ShouldReportPrimaryRegion(string primary)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithRegions(primary, Samples.RecoveryRegion).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.primaryRegion", error.Path);
        Assert.Contains($"'{primary}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenRecoveryRegionIsNotACode_ShouldReportRecoveryRegion()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithRegions(Samples.PrimaryRegion, "Oregon").Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.recoveryRegion", error.Path);
        Assert.Contains("'Oregon'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenRecoveryRegionEqualsPrimary_ShouldReportRecoveryRegion()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithRegions("us-west-2", "us-west-2").Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.recoveryRegion", error.Path);
        Assert.Contains("differ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validate_WhenRtoIsNotPositive_ShouldReportRto(int rto)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithObjectives(rto, 60).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal("$.objectives.rtoSeconds", Assert.Single(errors).Path);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(3651, true)]
    [InlineData(1, false)]
    [InlineData(90, false)]
    public void Validate_WhenTheDrillObjectiveIsOutOfRange_ShouldReportIt(int days, bool reported)
    {
        // Arrange
        var plan = PlanBuilder.Sample().Change(p => p with { Objectives = p.Objectives with { DrillWithinDays = days } }).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(reported, errors.Any(e => e.Path == "$.objectives.drillWithinDays" && e.Message == "must be 1-3650 days"));
    }

    [Fact]
    public void Validate_WhenRpoIsNegative_ShouldReportRpo()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithObjectives(900, -1).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal("$.objectives.rpoSeconds", Assert.Single(errors).Path);
    }

    [Fact]
    public void Validate_WhenRpoIsZero_ShouldAcceptIt()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithObjectives(1, 0).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_WhenNoDatabasesAndNoSwitches_ShouldReportNothingToFailOver()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithDatabases().WithSwitches().Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$", error.Path);
        Assert.Contains("nothing to fail over", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenOnlySwitches_ShouldAcceptIt()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithDatabases().Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("aurora-cluster")]
    [InlineData("")]
    [InlineData("RDS-INSTANCE-REPLICA")]
    public void Validate_WhenDatabaseKindIsUnknown_ShouldReportKindWithIndex(string kind)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.Database("a"), PlanBuilder.Database("b", kind: kind)).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.databases[1].kind", error.Path);
        Assert.Contains($"'{kind}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("rds-instance-replica, aurora-global, aurora-cluster-replica", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1orders")]
    [InlineData("orders_replica")]
    [InlineData("orders replica")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public void Validate_WhenDatabaseIdIsNotAnIdentifier_ShouldReportId(string id)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.Database(id)).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.All(errors, e => Assert.Equal("$.databases[0].id", e.Path));
        Assert.Contains(errors, e => e.Message.EndsWith("is not a DB instance identifier", StringComparison.Ordinal));
    }

    // Behaviour change: an RDS replica rehearsed by copy (the default drill method) may have at most 48 characters,
    // since the drill copy's identifier adds 15; with drill "verify" the RDS limit of 63 still applies.
    [Fact]
    public void Validate_WhenDatabaseIdIs63CharactersAndDrillsOnlyVerify_ShouldAcceptIt()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.Database("a" + new string('1', 62)) with { Drill = DrillMethods.Verify }).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData(48, true)]
    [InlineData(49, false)]
    public void Validate_WhenAnRdsReplicaIsRehearsedByCopy_ShouldAcceptIdsUpTo48Characters(int length, bool valid)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.Database("a" + new string('1', length - 1))).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(valid, errors.Count == 0);
        Assert.All(errors, e => Assert.Equal(("$.databases[0].id", "at most 48 characters: a drill copy's identifier adds 15"), (e.Path, e.Message)));
    }

    [Fact]
    public void Validate_WhenDatabaseListedTwice_ShouldReportTheSecond()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.Database("orders-replica"), PlanBuilder.Database("orders-replica", critical: false)).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.databases[1].id", error.Path);
        Assert.Contains("listed twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenSwitchReusesADatabaseId_ShouldReportTheSwitch()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithSwitches(PlanBuilder.Switch(Samples.ReplicaId)).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal("$.switches[0].id", Assert.Single(errors).Path);
    }

    [Fact]
    public void Validate_WhenSwitchKindIsUnknown_ShouldReportKindListingTheKnownOnes()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithSwitches(PlanBuilder.Switch("web") with { Kind = "route53-record" }).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.switches[0].kind", error.Path);
        Assert.Contains("'route53-record'", error.Message, StringComparison.Ordinal);
        Assert.Contains("switch-metric, health-check-invert, record-upsert", error.Message, StringComparison.Ordinal);
    }

    // Behaviour change: switch ids now have a pattern (1-64 letters, digits, '-', '_', '.'); an empty id breaks it.
    [Fact]
    public void Validate_WhenSwitchIdIsEmpty_ShouldReportId()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithSwitches(PlanBuilder.Switch("")).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.switches[0].id", error.Path);
        Assert.StartsWith("must be 1-64 letters, digits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenSwitchListedTwice_ShouldReportTheSecond()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithSwitches(PlanBuilder.Switch("web"), PlanBuilder.Switch("web")).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal("$.switches[1].id", Assert.Single(errors).Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("AWS/Route53")]
    public void Validate_WhenSwitchNamespaceIsEmptyOrReserved_ShouldReportNamespace(string metricNamespace)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithSwitches(PlanBuilder.Switch("web", metricNamespace: metricNamespace)).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal("$.switches[0].namespace", Assert.Single(errors).Path);
    }

    [Theory]
    [InlineData(255, true)]
    [InlineData(256, false)]
    public void Validate_WhenSwitchNamespaceLengthIsAtTheLimit_ShouldAcceptUpTo255(int length, bool valid)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithSwitches(PlanBuilder.Switch("web", metricNamespace: new string('N', length))).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(valid, errors.Count == 0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(256)]
    public void Validate_WhenSwitchMetricNameLengthIsOutOfRange_ShouldReportMetricName(int length)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithSwitches(PlanBuilder.Switch("web", metricName: new string('M', length))).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal("$.switches[0].metricName", Assert.Single(errors).Path);
    }

    [Theory]
    [InlineData(30, true)]
    [InlineData(31, false)]
    public void Validate_WhenSwitchHasManyDimensions_ShouldAcceptUpTo30(int count, bool valid)
    {
        // Arrange
        var dimensions = Enumerable.Range(0, count).ToDictionary(i => $"D{i}", i => $"v{i}");
        var plan = PlanBuilder.Sample().WithSwitches(PlanBuilder.Switch("web") with { Dimensions = dimensions }).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(valid, errors.Count == 0);
        Assert.All(errors, e => Assert.Equal("$.switches[0].dimensions", e.Path));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Validate_WhenFailoverValueIsNotFinite_ShouldReportFailoverValue(double value)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithSwitches(PlanBuilder.Switch("web") with { FailoverValue = value }).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal("$.switches[0].failoverValue", Assert.Single(errors).Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345678901")]
    [InlineData("1234567890123")]
    [InlineData("12345678901a")]
    public void Validate_WhenAccountIsNotTwelveDigits_ShouldReportAccount(string account)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithTrigger(accountId: account, alarmArns: []).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal("$.trigger.accountId", Assert.Single(errors).Path);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(1440, true)]
    [InlineData(1441, false)]
    public void Validate_WhenDecisionWindowIsAtTheLimits_ShouldAcceptOneToADay(int minutes, bool valid)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithTrigger(decisionWindowMinutes: minutes).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(valid, errors.Count == 0);
        Assert.All(errors, e => Assert.Equal("$.trigger.decisionWindowMinutes", e.Path));
    }

    [Theory]
    [InlineData("orders-primary-outage")]
    [InlineData("arn:aws:sns:us-west-2:123456789012:alarm:orders")]
    [InlineData("arn:aws:cloudwatch:us-west-2:123456789012:alarm:")]
    [InlineData("arn:aws:cloudwatch:us-west-2:1234:alarm:orders")]
    public void Validate_WhenAlarmArnIsNotAnAlarmArn_ShouldReportItOnce(string arn)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithTrigger(alarmArns: [Samples.AlarmArn, arn]).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.trigger.alarmArns[1]", error.Path);
        Assert.Contains("not a CloudWatch alarm ARN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenAlarmBelongsToAnotherAccount_ShouldReportAccountMismatch()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithTrigger(alarmArns: [$"arn:aws:cloudwatch:us-west-2:{Samples.ForeignAccountId}:alarm:orders"]).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.trigger.alarmArns[0]", error.Path);
        Assert.Contains("another account", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenAlarmIsInAnotherPartition_ShouldRefuseItNamingThePartition()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithTrigger(alarmArns: ["arn:aws-us-gov:cloudwatch:us-gov-west-1:123456789012:alarm:orders"]).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal("$.trigger.alarmArns[0]", error.Path);
        Assert.Contains("is in the aws-us-gov partition; Failover supports the aws partition only", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("us-gov-west-1", "us-gov-east-1", "aws-us-gov")]
    [InlineData("cn-north-1", "cn-northwest-1", "aws-cn")]
    public void Validate_WhenRegionsAreInAnotherPartition_ShouldRefuseBoth(string primary, string recovery, string partition)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithRegions(primary, recovery).Build();

        // Act
        var errors = PlanValidator.Validate(plan).Where(e => e.Message.Contains("partition;", StringComparison.Ordinal)).ToList();

        // Assert
        Assert.Equal(["$.primaryRegion", "$.recoveryRegion"], errors.Select(e => e.Path));
        Assert.All(errors, e => Assert.Contains($"is in the {partition} partition", e.Message, StringComparison.Ordinal));
    }

    // Behaviour change: the id rule depends on the kind, so an entry of unknown kind reports its kind only (the
    // id "bad_id" of databases[1] is no longer checked against the RDS instance identifier rule).
    [Fact]
    public void Validate_WhenManyThingsAreWrong_ShouldReportEveryErrorWithItsPath()
    {
        // Arrange
        var plan = PlanBuilder.Sample()
            .WithName("")
            .WithRegions("us-east-1", "us-east-1")
            .WithObjectives(0, -5)
            .WithDatabases(PlanBuilder.Database("ok-db"), PlanBuilder.Database("bad_id", kind: "aurora"), PlanBuilder.Database("ok-db"))
            .WithSwitches(PlanBuilder.Switch("web", metricNamespace: "AWS/EC2", metricName: "") with { FailoverValue = double.NaN })
            .WithTrigger(accountId: "123", alarmArns: ["nope"], decisionWindowMinutes: 0)
            .Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(
            [
                "$.name",
                "$.recoveryRegion",
                "$.objectives.rtoSeconds",
                "$.objectives.rpoSeconds",
                "$.databases[1].kind",
                "$.databases[2].id",
                "$.switches[0].namespace",
                "$.switches[0].metricName",
                "$.switches[0].failoverValue",
                "$.trigger.accountId",
                "$.trigger.decisionWindowMinutes",
                "$.trigger.alarmArns[0]",
            ],
            errors.Select(e => e.Path));
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Fact]
    public void PlanErrorToString_WhenFormatted_ShouldStartWithThePath()
    {
        // Arrange
        var error = new PlanError("$.name", "must be 1-40 letters, digits or hyphens");

        // Act
        var text = error.ToString();

        // Assert
        Assert.Equal("$.name: must be 1-40 letters, digits or hyphens", text);
    }
}
