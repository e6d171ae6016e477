using Failover.Core.Ports;
using Failover.Core.Reports;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Testing;

namespace Failover.Core.Tests.Reports;

/// <summary>Capacity entries in the run report and the team's notifications.</summary>
public sealed class CapacityReportTests
{
    private static readonly DateTimeOffset Start = ManualClock.DefaultStart;

    private static readonly RunState Run = RunBuilder.Prepared().Change(r => r with
    {
        Capacity =
        [
            new CapacityRun { Id = "web", Kind = "auto-scaling-group", Critical = true, Target = 4, MinReady = 4, Reached = 4, Status = CapacityStatuses.InService, StartedAt = Start, ReadyAt = Start.AddSeconds(95.5), Detail = "4 of 4 in service" },
            new CapacityRun { Id = "api", Kind = "ecs-service", Target = 3, MinReady = 3, Reached = 1, Status = CapacityStatuses.NotInService, StartedAt = Start, Detail = "1 of 3 in service" },
            new CapacityRun { Id = "batch", Kind = "ecs-service", Critical = true, Target = 2, MinReady = 2, Reached = 2, Status = CapacityStatuses.InService, ReadyAt = Start, Detail = "already in service" },
        ],
    }).Build();

    [Fact]
    public void Resources_WhenTheRunScaledCapacity_ShouldListEachEntryWithItsTargetReachedAndTimeToReach()
    {
        // Act
        var capacity = ReportBuilder.Resources(Run).Where(r => r.Kind == "capacity").ToList();

        // Assert
        Assert.Equal(
            [("web", "in-service", 4, 4, (double?)95.5), ("api", "not-in-service", 3, 1, null), ("batch", "in-service", 2, 2, null)],
            capacity.Select(r => (r.Id, r.Outcome, r.Target ?? 0, r.Reached ?? 0, r.SecondsToReach)));
        Assert.Equal("ecs-service: 1 of 3 in service", capacity[1].Detail);
    }

    [Fact]
    public void WithinOutputBudget_WhenCapacityIsInService_ShouldCountItAsNeedingNoAttention()
    {
        // Arrange: far over the budget, so only what needs attention stays.
        var report = new RunReport { Resources = [.. ReportBuilder.Resources(Run), .. Enumerable.Range(0, 2000).Select(i => new ResourceReport("database", $"db-{i}", "writable", new string('x', 40)))] };

        // Act
        var fitted = ReportBuilder.WithinOutputBudget(report);

        // Assert
        Assert.Equal(["api"], fitted.Resources.Where(r => r.Kind == "capacity").Select(r => r.Id));
    }

    [Fact]
    public void ComposeEnded_WhenCapacityWasScaledBeforeTheFailure_ShouldListTheScaleUpsAsChanges()
    {
        // Arrange
        var execution = new ExecutionDetails(Samples.ExecutionArn, Samples.ExecutionName, ExecutionStatuses.Failed, nameof(CapacityNotReadyException), "capacity 'web' is critical and not in service", RunModes.Failover, null, Run, []);

        // Act
        var notification = NotificationService.ComposeEnded(PlanBuilder.Sample().Build(), execution, "Scale compute", cleanup: null);

        // Assert
        Assert.Contains("Already changed: capacity web scaled up to 4 (4 in service, in-service); capacity api scaled up to 3 (1 in service, not-in-service).", notification.Body, StringComparison.Ordinal);
        Assert.Contains("Capacity api: not-in-service; 1 of 3 in service (1 of 3 in service)", notification.Body, StringComparison.Ordinal);
    }
}
