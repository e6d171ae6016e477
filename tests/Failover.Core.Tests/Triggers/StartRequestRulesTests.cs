using Failover.Core.Runs;
using Failover.Testing;
using Failover.Core.Triggers;

namespace Failover.Core.Tests.Triggers;

/// <summary>The checks of an operator's start, before anything is started.</summary>
public sealed class StartRequestRulesTests
{
    [Theory]
    [InlineData(RunModes.Drill)]
    [InlineData(RunModes.Failover)]
    [InlineData(RunModes.Switchover)]
    public void Validate_WhenModeAndReasonAreGiven_ShouldAccept(string mode)
    {
        // Act
        var problems = StartRequestRules.Validate(PlanBuilder.Sample().Build(), new StartRequest { Mode = mode, Reason = "quarterly drill" });

        // Assert
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("Failover")]
    [InlineData("failback")]
    [InlineData("")]
    public void Validate_WhenModeIsUnknown_ShouldNameTheModes(string mode)
    {
        // Act
        var problem = Assert.Single(StartRequestRules.Validate(PlanBuilder.Sample().Build(), new StartRequest { Mode = mode, Reason = "x" }));

        // Assert
        Assert.Equal($"mode '{mode}' is not one of drill, failover, switchover", problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_WhenReasonIsMissing_ShouldRequireIt(string reason)
    {
        // Act
        var problem = Assert.Single(StartRequestRules.Validate(PlanBuilder.Sample().Build(), new StartRequest { Mode = RunModes.Failover, Reason = reason }));

        // Assert
        Assert.StartsWith("reason is required", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenReasonIsTooLong_ShouldSayHowLong()
    {
        // Act
        var problem = Assert.Single(StartRequestRules.Validate(PlanBuilder.Sample().Build(), new StartRequest { Mode = RunModes.Failover, Reason = new string('r', 1025) }));

        // Assert
        Assert.Equal("reason is 1025 characters; at most 1024", problem);
    }

    [Theory]
    [InlineData(RunModes.Switchover)]
    [InlineData(RunModes.Drill)]
    public void Validate_WhenDataLossIsAllowedOutsideAFailover_ShouldRefuse(string mode)
    {
        // Act
        var problem = Assert.Single(StartRequestRules.Validate(PlanBuilder.Sample().Build(), new StartRequest { Mode = mode, Reason = "x", AllowDataLoss = true }));

        // Assert
        Assert.Contains("allowDataLoss applies to failover only", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenScopeNamesResourcesThePlanLacks_ShouldListThem()
    {
        // Arrange
        var request = new StartRequest { Mode = RunModes.Failover, Reason = "x", Scope = new RunScope { Databases = [Samples.ReplicaId, "billing-replica"], Switches = ["api"] } };

        // Act
        var problem = Assert.Single(StartRequestRules.Validate(PlanBuilder.Sample().Build(), request));

        // Assert
        Assert.StartsWith("scope names resources the plan does not have: database 'billing-replica', switch 'api'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenEverythingIsWrong_ShouldListEveryProblem()
    {
        // Act
        var problems = StartRequestRules.Validate(PlanBuilder.Sample().Build(), new StartRequest { Mode = "now", Reason = "" });

        // Assert
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void ManualExecutionName_WhenPlanNameIsTheLongest_ShouldBeAValidStepFunctionsName()
    {
        // Act
        var name = StartRequestRules.ManualExecutionName(PlanBuilder.Sample().WithName(new string('p', 40)).Build(), RunModes.Switchover, new DateTimeOffset(2026, 8, 1, 12, 3, 27, TimeSpan.FromHours(2)));

        // Assert
        Assert.Equal(new string('p', 40) + "-switchover-20260801T100327Z-manual", name);
        Assert.True(name.Length <= 80);
        Assert.Matches("^[A-Za-z0-9_-]+$", name);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1024)]
    public void FitReason_WhenTheReasonFits_ShouldKeepItWhole(int length)
    {
        // Arrange
        var reason = new string('r', length);

        // Act
        var fitted = StartRequestRules.FitReason(reason);

        // Assert
        Assert.Same(reason, fitted);
    }

    [Theory]
    [InlineData(1025)]
    [InlineData(300 * 1024)]
    public void FitReason_WhenTheReasonIsTooLong_ShouldKeepItsStartAndMarkTheCut(int length)
    {
        // Arrange
        var reason = string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + (i % 26))));

        // Act
        var fitted = StartRequestRules.FitReason(reason);

        // Assert
        Assert.Equal(reason[..1023] + "\u2026", fitted);
        Assert.Empty(StartRequestRules.Validate(PlanBuilder.Sample().Build(), new StartRequest { Mode = RunModes.Failover, Reason = fitted }));
    }

    [Theory]
    [InlineData("\U0001F525", 2)]
    [InlineData("e\u0301", 2)]
    [InlineData("\U0001F469\u200D\U0001F467", 5)]
    public void FitReason_WhenTheCutFallsInsideACharacter_ShouldCutBeforeIt(string character, int units)
    {
        // Arrange: one ASCII letter shifts every character so the limit falls inside one of them.
        var reason = "r" + string.Concat(Enumerable.Repeat(character, 1024));

        // Act
        var fitted = StartRequestRules.FitReason(reason);

        // Assert
        var kept = fitted[..^1];
        Assert.Equal(1 + ((1023 - 1) / units * units), kept.Length);
        Assert.Equal(reason[..kept.Length], kept);
        Assert.EndsWith(character, kept, StringComparison.Ordinal);
    }
}
