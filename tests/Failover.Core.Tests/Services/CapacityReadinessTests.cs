using Failover.Core.Plans;
using Failover.Core.Services;
using Failover.Testing;

namespace Failover.Core.Tests.Services;

/// <summary>The capacity check as the readiness evaluation uses it: read as a drill reads it, findings instead of refusals.</summary>
public sealed class CapacityReadinessTests
{
    private static readonly CapacityTarget Web = new() { Kind = CapacityKinds.AutoScalingGroup, Id = "web", Name = "orders-web", DesiredCapacity = 4 };
    private static readonly CapacityTarget Api = new() { Kind = CapacityKinds.EcsService, Id = "api", Cluster = "orders", Service = "api", DesiredCount = 3 };

    private readonly ManualClock _clock = new();

    [Fact]
    public async Task CheckAsync_WhenAGroupIsMissingAndAServiceHasNothingToRunOn_ShouldFindBothWithWhatToDoAndScaleNothing()
    {
        // Arrange: the group was deleted; the service has no launch type, capacity provider or container instance.
        var capacity = new FakeCapacity(_clock).With(Api, desired: 1, launchSource: null);
        var readiness = new CapacityReadiness(PlanBuilder.Sample().Build() with { Capacity = [Web, Api] }, capacity, _clock);

        // Act
        var findings = await readiness.CheckAsync(CancellationToken.None);

        // Assert
        Assert.Equal(["capacity-unreachable:api", "capacity-unreachable:web"], findings.Select(f => f.Id));
        Assert.Contains("does not exist in", findings[1].Problem, StringComparison.Ordinal);
        Assert.Contains("nothing to run tasks on", findings[0].Problem, StringComparison.Ordinal);
        Assert.All(findings, f => Assert.StartsWith("create or fix the group or service", f.Remedy, StringComparison.Ordinal));
        Assert.Empty(capacity.Updates);
    }

    [Fact]
    public async Task CheckAsync_WhenEveryEntryCanReachItsTarget_ShouldFindNothing()
    {
        var capacity = new FakeCapacity(_clock).With(Web, desired: 1, maxSize: 2).With(Api, desired: 1);
        var readiness = new CapacityReadiness(PlanBuilder.Sample().Build() with { Capacity = [Web, Api] }, capacity, _clock);

        var findings = await readiness.CheckAsync(CancellationToken.None);

        Assert.Empty(findings);
        Assert.Empty(capacity.Updates);
    }
}
