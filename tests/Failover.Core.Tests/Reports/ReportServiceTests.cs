using Failover.Core.Reports;
using Failover.Core.Runs;
using Failover.Testing;

namespace Failover.Core.Tests.Reports;

public sealed class ReportServiceTests
{
    private static readonly DateTimeOffset Start = ManualClock.DefaultStart;
    private readonly FakeExecutionTimeline _timeline = new();
    private readonly ReportService _service;

    public ReportServiceTests() => _service = new ReportService(_timeline, rtoObjectiveSeconds: 900);

    [Fact]
    public async Task ReportAsync_WhenTheRunRecovered_ShouldReportStepsPerStateResourcesAndFigures()
    {
        // Arrange
        _timeline.With(Samples.ExecutionArn, new HistoryBuilder(Start)
            .At(0).Event("ExecutionStarted", payloadBytes: 2048)
            .Task("Prepare", 0.1, 1.1)
            .Task("Promote databases", 1.2, 2.2)
            .Task("Check databases", 12.2, 12.7)
            .Task("Check databases", 22.7, 23.2)
            .Task("Switch traffic", 23.5, 24.0)
            .Build());
        var run = RunBuilder.Prepared()
            .TriggeredAt(Start.AddSeconds(-30))
            .WithDatabase(Samples.ReplicaId, DatabaseStatuses.Writable, lagSeconds: 1.5, promotionStartedAt: Start.AddSeconds(2))
            .WithSwitch(Samples.SwitchId, SwitchStatuses.Switched, Start.AddSeconds(24))
            .Change(r => r with { TrafficSwitchedAt = Start.AddSeconds(24) })
            .Build();

        // Act
        var report = await _service.ReportAsync(new ReportRequest { ExecutionArn = Samples.ExecutionArn, Run = run }, CancellationToken.None);

        // Assert
        Assert.Equal([Samples.ExecutionArn], _timeline.Calls);
        Assert.Equal((ReportOutcomes.Succeeded, RunModes.Failover, Samples.PlanName), (report.Outcome, report.Mode, report.Plan));
        Assert.Equal((54.0, 1.5), (report.RtoSeconds, report.RpoSeconds));
        Assert.Equal(["Prepare", "Promote databases", "Check databases", "Switch traffic"], report.Steps.Select(s => s.Name));
        Assert.Equal(new StepReport("Check databases", "succeeded", 12.2, 11), report.Steps[2]);
        Assert.Equal(["database", "traffic-switch"], report.Resources.Select(r => r.Kind));
        Assert.Empty(report.Checks);
        Assert.Equal(Samples.ExecutionName, report.Execution.Name);
        Assert.Equal("RUNNING", report.Execution.Status);
        Assert.Equal(26, report.Execution.HistoryEvents);
        Assert.Equal(2048, report.Execution.LargestPayloadBytes);
        Assert.Equal((Samples.ExecutionArn, "us-west-2", Start, (DateTimeOffset?)null), (report.ExecutionArn, report.Region, report.StartedAt!.Value, report.EndedAt));
        Assert.Equal(run.Reason, report.Reason);
        Assert.False(string.IsNullOrEmpty(report.Reason));
    }

    // The Report task reads the history of its own execution while it runs: the Report state (and the execution)
    // are still open. A state that is merely running is not a failed step; every successful run's report would
    // otherwise show "Report: failed".
    [Fact]
    public async Task ReportAsync_WhenTheReportStateItselfIsStillRunning_ShouldNotReportAFailedStep()
    {
        // Arrange
        _timeline.With(Samples.ExecutionArn, new HistoryBuilder(Start)
            .At(0).Event("ExecutionStarted")
            .Task("Prepare", 0.1, 1.1)
            .Task("Switch traffic", 1.5, 2.0)
            .At(2.1).Event("TaskStateEntered", "Report").Event("LambdaFunctionScheduled", "Report").Event("LambdaFunctionStarted", "Report")
            .Build());
        var run = RunBuilder.Prepared().WithSwitch(Samples.SwitchId, SwitchStatuses.Switched, Start.AddSeconds(2)).Build();

        // Act
        var report = await _service.ReportAsync(new ReportRequest { ExecutionArn = Samples.ExecutionArn, Run = run }, CancellationToken.None);

        // Assert
        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        Assert.DoesNotContain(report.Steps, s => s.Outcome == "failed");
    }

    [Fact]
    public async Task ReportAsync_WhenSomeServersFailedToLaunch_ShouldBePartial()
    {
        // Arrange
        _timeline.With(Samples.ExecutionArn, []);
        var run = RunBuilder.Prepared().WithServers(2)
            .Change(r => r with { Servers = r.Servers! with { Launched = 1, Failed = 1, FailedServerIds = [Samples.ServerId(2)], Outcome = ServerOutcomes.Partial } })
            .Build();

        // Act
        var report = await _service.ReportAsync(new ReportRequest { ExecutionArn = Samples.ExecutionArn, Run = run }, CancellationToken.None);

        // Assert
        Assert.Equal(ReportOutcomes.Partial, report.Outcome);
        var servers = Assert.Single(report.Resources);
        Assert.Equal(("servers", "partial"), (servers.Kind, servers.Outcome));
        Assert.Contains(Samples.ServerId(2), servers.Detail, StringComparison.Ordinal);
    }

    // ReportBuilder.Outcome defines the report's outcome: a run that succeeded with a failed non-critical database is
    // partial. The report built inside the workflow must say the same.
    [Fact]
    public async Task ReportAsync_WhenANonCriticalDatabaseFailed_ShouldBePartial()
    {
        // Arrange
        _timeline.With(Samples.ExecutionArn, []);
        var run = RunBuilder.Prepared()
            .WithDatabase("orders-replica", DatabaseStatuses.Writable)
            .WithDatabase("reports-replica", DatabaseStatuses.Failed, critical: false)
            .Build();

        // Act
        var report = await _service.ReportAsync(new ReportRequest { ExecutionArn = Samples.ExecutionArn, Run = run }, CancellationToken.None);

        // Assert
        Assert.Equal(ReportOutcomes.Partial, report.Outcome);
    }

    [Fact]
    public async Task ReportAsync_WhenTheHistoryIsEmpty_ShouldReportNoStepsAndNoPayload()
    {
        // Arrange
        _timeline.With(Samples.ExecutionArn, []);

        // Act
        var report = await _service.ReportAsync(new ReportRequest { ExecutionArn = Samples.ExecutionArn, Run = RunBuilder.Prepared().Build() }, CancellationToken.None);

        // Assert
        Assert.Empty(report.Steps);
        Assert.Equal((0, 0), (report.Execution.HistoryEvents, report.Execution.LargestPayloadBytes));
        Assert.Null(report.RtoSeconds);
        Assert.Null(report.RpoSeconds);
    }

    [Fact]
    public async Task ReportAsync_WhenTheHistoryCannotBeRead_ShouldLetTheErrorThrough()
    {
        // Arrange
        _timeline.Failure = new SimulatedAwsException("ThrottlingException", "Rate exceeded");

        // Act
        var ex = await Assert.ThrowsAsync<SimulatedAwsException>(() => _service.ReportAsync(new ReportRequest { ExecutionArn = Samples.ExecutionArn, Run = RunBuilder.Prepared().Build() }, CancellationToken.None));

        // Assert
        Assert.Equal("ThrottlingException", ex.Code);
    }
}
