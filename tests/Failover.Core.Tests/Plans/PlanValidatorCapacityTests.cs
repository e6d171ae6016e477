using Failover.Core.Plans;
using Failover.Testing;

namespace Failover.Core.Tests.Plans;

/// <summary>PlanValidator and PlanDocument rules for the plan's capacity entries.</summary>
public sealed class PlanValidatorCapacityTests
{
    private static readonly CapacityTarget Group = new() { Kind = CapacityKinds.AutoScalingGroup, Id = "web", Name = "orders-web", DesiredCapacity = 6 };
    private static readonly CapacityTarget Service = new() { Kind = CapacityKinds.EcsService, Id = "api", Cluster = "orders", Service = "orders-api", DesiredCount = 3 };

    [Fact]
    public void Validate_WhenAGroupAndAServiceAreWellFormed_ShouldReportNothing()
    {
        // Arrange
        var plan = Plan(Group with { MatchPrimary = true, MinReadyFraction = 0.5, ReadyWithinSeconds = 60 }, Service with { Critical = false, ReadyWithinSeconds = 7200 });

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData(0.0, 900, "$.capacity[0].minReadyFraction")]
    [InlineData(1.01, 900, "$.capacity[0].minReadyFraction")]
    [InlineData(1.0, 59, "$.capacity[0].readyWithinSeconds")]
    [InlineData(1.0, 7201, "$.capacity[0].readyWithinSeconds")]
    public void Validate_WhenAFigureIsOutOfRange_ShouldNameIt(double fraction, int within, string path)
    {
        // Arrange
        var plan = Plan(Group with { MinReadyFraction = fraction, ReadyWithinSeconds = within });

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(path, Assert.Single(errors).Path);
    }

    [Fact]
    public void Validate_WhenEntriesAreIncompleteOrMixed_ShouldReportEveryError()
    {
        // Arrange
        var plan = Plan(
            Group with { Name = null, DesiredCapacity = 0 },
            Service with { Cluster = "orders cluster", DesiredCount = null, MatchPrimary = true },
            Group with { Id = "web", Kind = "eks-deployment" });

        // Act
        var errors = PlanValidator.Validate(plan).Select(e => e.Path).ToList();

        // Assert
        Assert.Equal(["$.capacity[0].name", "$.capacity[0].desiredCapacity", "$.capacity[1].cluster", "$.capacity[1].desiredCount", "$.capacity[1]", "$.capacity[2].id", "$.capacity[2].kind"], errors);
    }

    [Fact]
    public void Parse_WhenACapacityMemberIsMisspelt_ShouldRejectItWithItsLine()
    {
        // Arrange
        var json = PlanBuilder.Sample().Change(p => p with { Capacity = [Group] }).ToJson().Replace("\"desiredCapacity\":6", "\n\"desiredCapacty\":6", StringComparison.Ordinal);

        // Act
        var ex = Assert.Throws<PlanInvalidException>(() => PlanDocument.Parse(json));

        // Assert
        var error = Assert.Single(ex.Errors, e => e.ToString().Contains("desiredCapacty", StringComparison.Ordinal));
        Assert.StartsWith("$.capacity[0]", error.Path, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void DeployParameters_WhenThePlanHasCapacity_ShouldScopeTheScalingActionsToItsGroupsAndServices()
    {
        // Arrange
        var plan = Plan(Group, Service);

        // Act
        var parameters = DeployParameters.For(plan).ToDictionary(p => p.Key, p => p.Value);

        // Assert
        Assert.Equal("arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:*:autoScalingGroupName/orders-web", parameters["AutoScalingGroupArns"]);
        Assert.Equal("arn:aws:ecs:us-west-2:123456789012:service/orders/orders-api", parameters["EcsServiceArns"]);
    }

    private static RecoveryPlan Plan(params CapacityTarget[] capacity) => PlanBuilder.Sample().Change(p => p with { Capacity = capacity }).Build();
}
