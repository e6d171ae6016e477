using Failover.Core.Plans;
using Failover.Testing;

namespace Failover.Core.Tests.Triggers;

/// <summary>The plan's trigger section: safe defaults, and every setting checked with its JSON path.</summary>
public sealed class TriggerPolicyTests
{
    private const string SecondAlarm = "arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-primary-errors";

    [Fact]
    public void Parse_WhenTriggerSectionOmitsThePolicy_ShouldUseTheSafeDefaults()
    {
        // Arrange
        const string json = """
            { "name": "orders", "primaryRegion": "us-east-1", "recoveryRegion": "us-west-2",
              "objectives": { "rtoSeconds": 900 },
              "databases": [ { "kind": "rds-instance-replica", "id": "orders-replica" } ],
              "trigger": { "accountId": "123456789012", "alarmArns": [ "arn:aws:cloudwatch:us-west-2:123456789012:alarm:a", "arn:aws:cloudwatch:us-west-2:123456789012:alarm:b" ] } }
            """;

        // Act
        var trigger = PlanDocument.Parse(json).Trigger;

        // Assert
        Assert.Null(trigger.Quorum);
        Assert.Equal(2, trigger.EffectiveQuorum);
        Assert.Equal(30, trigger.SustainSeconds);
        Assert.Equal(1440, trigger.CooldownMinutes);
        Assert.True(trigger.RequireApproval);
        Assert.Equal(15, trigger.DecisionWindowMinutes);
        Assert.Equal(300, trigger.EventClockSkewSeconds);
    }

    [Fact]
    public void Parse_WhenAPolicyMemberIsMisspelt_ShouldRejectThePlan()
    {
        // Arrange: a typo must not silently fall back to a default.
        var json = PlanBuilder.Sample().ToJson().Replace("\"sustainSeconds\"", "\"sustainSecs\"", StringComparison.Ordinal);

        // Act
        var ex = Assert.Throws<PlanInvalidException>(() => PlanDocument.Parse(json));

        // Assert
        Assert.Contains("sustainSecs", Assert.Single(ex.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_WhenQuorumIsUnset_ShouldWriteNeitherQuorumNorTheEffectiveOne()
    {
        // Act
        var json = PlanBuilder.Sample().ToJson();

        // Assert
        Assert.DoesNotContain("effectiveQuorum", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"quorum\"", json, StringComparison.Ordinal);
        Assert.Equal(1, PlanDocument.Parse(json).Trigger.EffectiveQuorum);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(-1, false)]
    public void Validate_WhenQuorumIsSet_ShouldAcceptOneToTheNumberOfAlarms(int quorum, bool valid)
    {
        // Arrange
        var plan = Plan(t => t with { AlarmArns = [Samples.AlarmArn, SecondAlarm], Quorum = quorum });

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(valid, errors.Count == 0);
        Assert.All(errors, e => Assert.Equal(("$.trigger.quorum", "must be 1-2 (the number of listed alarms)"), (e.Path, e.Message)));
    }

    [Fact]
    public void Validate_WhenQuorumIsSetWithoutAlarms_ShouldSayToRemoveIt()
    {
        // Arrange
        var plan = Plan(t => t with { AlarmArns = [], Quorum = 1 });

        // Act
        var error = Assert.Single(PlanValidator.Validate(plan));

        // Assert
        Assert.Equal(("$.trigger.quorum", "no alarms are listed: remove quorum"), (error.Path, error.Message));
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(600, true)]
    [InlineData(601, false)]
    public void Validate_WhenSustainIsAtTheLimits_ShouldAcceptZeroToTenMinutes(int seconds, bool valid)
    {
        // Arrange
        var plan = Plan(t => t with { SustainSeconds = seconds });

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(valid, errors.Count == 0);
        Assert.All(errors, e => Assert.Equal("$.trigger.sustainSeconds", e.Path));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(129_600, true)]
    [InlineData(129_601, false)]
    public void Validate_WhenCooldownIsAtTheLimits_ShouldAcceptOneMinuteToNinetyDays(int minutes, bool valid)
    {
        // Arrange
        var plan = Plan(t => t with { CooldownMinutes = minutes });

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(valid, errors.Count == 0);
        Assert.All(errors, e => Assert.Equal("$.trigger.cooldownMinutes", e.Path));
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(3600, true)]
    [InlineData(3601, false)]
    public void Validate_WhenEventClockSkewIsAtTheLimits_ShouldAcceptZeroToAnHour(int seconds, bool valid)
    {
        // Arrange
        var plan = Plan(t => t with { EventClockSkewSeconds = seconds });

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(valid, errors.Count == 0);
        Assert.All(errors, e => Assert.Equal(("$.trigger.eventClockSkewSeconds", "must be 0-3600"), (e.Path, e.Message)));
    }

    [Fact]
    public void Validate_WhenAnAlarmIsListedTwice_ShouldReportTheSecond()
    {
        // Arrange
        var plan = Plan(t => t with { AlarmArns = [Samples.AlarmArn, SecondAlarm, Samples.AlarmArn] });

        // Act
        var error = Assert.Single(PlanValidator.Validate(plan));

        // Assert
        Assert.Equal("$.trigger.alarmArns[2]", error.Path);
        Assert.Contains("listed twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenMoreThanAHundredAlarmsAreListed_ShouldReportTheList()
    {
        // Arrange
        var plan = Plan(t => t with { AlarmArns = [.. Enumerable.Range(0, 101).Select(i => $"arn:aws:cloudwatch:us-west-2:123456789012:alarm:a{i}")] });

        // Act
        var error = Assert.Single(PlanValidator.Validate(plan));

        // Assert
        Assert.Equal("$.trigger.alarmArns", error.Path);
    }

    [Fact]
    public void ValidateTriggerPlacement_WhenEveryAlarmIsInTheRecoveryRegion_ShouldFindNothing()
    {
        // Act
        var errors = PlanValidator.ValidateTriggerPlacement(Plan(t => t with { AlarmArns = [Samples.AlarmArn, SecondAlarm] }));

        // Assert
        Assert.Empty(errors);
    }

    [Fact]
    public void ValidateTriggerPlacement_WhenAnAlarmIsInThePrimaryRegion_ShouldReportIt()
    {
        // Arrange
        var plan = Plan(t => t with { AlarmArns = [SecondAlarm, "arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-db"] });

        // Act
        var error = Assert.Single(PlanValidator.ValidateTriggerPlacement(plan));

        // Assert
        Assert.Equal("$.trigger.alarmArns[1]", error.Path);
        Assert.Equal("alarm is in us-east-1; trigger alarms must live in the recovery region us-west-2", error.Message);
    }

    private static RecoveryPlan Plan(Func<TriggerPolicy, TriggerPolicy> change) =>
        PlanBuilder.Sample().Change(p => p with { Trigger = change(p.Trigger) }).Build();
}
