using Failover.Core.Reports;
using Failover.Core.Runs;
using Failover.Testing;

namespace Failover.Core.Tests.Reports;

public sealed class ReportBuilderTests
{
    private static readonly DateTimeOffset Start = ManualClock.DefaultStart;

    [Fact]
    public void Timeline_WhenRunSucceeded_ShouldListEachTaskVisitInOrderWithOffsetsAndDurations()
    {
        // Arrange
        var history = new HistoryBuilder(Start)
            .At(0).Event("ExecutionStarted")
            .At(0.010).Event("PassStateEntered", "Load settings").Event("PassStateExited", "Load settings")
            .Task("Prepare", 0.020, 1.520)
            .Task("Promote databases", 1.530, 2.530)
            .Task("Check databases", 2.540, 3.040)
            .At(3.050).Event("ChoiceStateEntered", "Databases writable?").Event("ChoiceStateExited", "Databases writable?")
            .At(3.060).Event("WaitStateEntered", "Wait for databases").At(33.060).Event("WaitStateExited", "Wait for databases")
            .Task("Check databases", 33.070, 33.570)
            .Task("Switch traffic", 33.600, 34.100)
            .Task("Notify", 34.200, 34.700)
            .At(34.710).Event("SucceedStateEntered", "Run succeeded").Event("SucceedStateExited", "Run succeeded")
            .Event("ExecutionSucceeded")
            .Build();

        // Act
        var steps = ReportBuilder.Timeline(history);

        // Assert
        Assert.Equal(
            [
                new StepReport("Prepare", "succeeded", 0.02, 1.5),
                new StepReport("Promote databases", "succeeded", 1.53, 1),
                new StepReport("Check databases", "succeeded", 2.54, 0.5),
                new StepReport("Check databases", "succeeded", 33.07, 0.5),
                new StepReport("Switch traffic", "succeeded", 33.6, 0.5),
                new StepReport("Notify", "succeeded", 34.2, 0.5),
                new StepReport("Run succeeded", "succeeded", 34.71, 0),
            ],
            steps);
    }

    [Fact]
    public void Timeline_WhenATaskFailsAndIsCaught_ShouldMarkItFailedAndTheRestByTheirOwnOutcome()
    {
        // Arrange
        var history = new HistoryBuilder(Start)
            .At(0).Event("ExecutionStarted")
            .Task("Prepare", 0.1, 1.1)
            .At(1.2).Event("TaskStateEntered", "Promote databases").Event("LambdaFunctionScheduled", "Promote databases")
            .At(2.2).Event("LambdaFunctionFailed", "Promote databases").Event("TaskStateExited", "Promote databases")
            .Task("Notify failure", 2.3, 2.8)
            .At(2.9).Event("FailStateEntered", "Run failed")
            .Event("ExecutionFailed")
            .Build();

        // Act
        var steps = ReportBuilder.Timeline(history);

        // Assert
        Assert.Equal(
            [
                new StepReport("Prepare", "succeeded", 0.1, 1),
                new StepReport("Promote databases", "failed", 1.2, 1),
                new StepReport("Notify failure", "succeeded", 2.3, 0.5),
                new StepReport("Run failed", "failed", 2.9, 0),
            ],
            steps);
    }

    [Fact]
    public void Timeline_WhenExecutionStopsInsideATask_ShouldReportTheOpenTaskAsFailed()
    {
        // Arrange
        var history = new HistoryBuilder(Start)
            .At(0).Event("ExecutionStarted")
            .At(5).Event("TaskStateEntered", "Prepare").Event("TaskScheduled", "Prepare")
            .At(65).Event("TaskTimedOut", "Prepare").Event("ExecutionTimedOut")
            .Build();

        // Act
        var steps = ReportBuilder.Timeline(history);

        // Assert
        Assert.Equal([new StepReport("Prepare", "failed", 5, 0)], steps);
    }

    [Fact]
    public void Timeline_WhenTaskFailsWithTaskFailed_ShouldMarkItFailed()
    {
        // Arrange
        var history = new HistoryBuilder(Start)
            .At(0).Event("TaskStateEntered", "Switch traffic").Event("TaskScheduled", "Switch traffic")
            .At(1).Event("TaskFailed", "Switch traffic").Event("TaskStateExited", "Switch traffic")
            .Build();

        // Act
        var steps = ReportBuilder.Timeline(history);

        // Assert
        Assert.Equal("failed", Assert.Single(steps).Outcome);
    }

    // A task that fails once and then succeeds on its Retry exits normally and the workflow goes on: the
    // timeline must not report that step as failed (only failures that end the state are failures).
    [Fact]
    public void Timeline_WhenATaskSucceedsOnRetry_ShouldReportItSucceeded()
    {
        // Arrange
        var history = new HistoryBuilder(Start)
            .At(0).Event("ExecutionStarted")
            .At(0.1).Event("TaskStateEntered", "Promote databases").Event("LambdaFunctionScheduled", "Promote databases")
            .At(0.5).Event("LambdaFunctionFailed", "Promote databases")
            .At(1.5).Event("LambdaFunctionScheduled", "Promote databases").Event("LambdaFunctionStarted", "Promote databases")
            .At(2.1).Event("LambdaFunctionSucceeded", "Promote databases").Event("TaskStateExited", "Promote databases")
            .Build();

        // Act
        var steps = ReportBuilder.Timeline(history);

        // Assert
        Assert.Equal([new StepReport("Promote databases", "succeeded", 0.1, 2)], steps);
    }

    [Fact]
    public void Timeline_WhenHistoryIsEmpty_ShouldBeEmpty()
    {
        // Act
        var steps = ReportBuilder.Timeline([]);

        // Assert
        Assert.Empty(steps);
    }

    // Behaviour change: a database's detail now starts with the action that made it writable.
    [Fact]
    public void Resources_WhenRunHasDatabasesAndSwitches_ShouldListEachWithItsOutcome()
    {
        // Arrange
        var run = RunBuilder.Prepared()
            .WithDatabase("orders-replica", DatabaseStatuses.Writable)
            .WithDatabase("reports-replica", DatabaseStatuses.Failed, critical: false)
            .WithSwitch("orders-web", "switched")
            .Change(r => r with { Databases = [r.Databases[0] with { Detail = "standalone and available" }, r.Databases[1] with { Detail = "status failed" }] })
            .Build();

        // Act
        var resources = ReportBuilder.Resources(run);

        // Assert
        Assert.Equal(
            [
                new ResourceReport("database", "orders-replica", "writable", "promote-read-replica: standalone and available"),
                new ResourceReport("database", "reports-replica", "failed", "promote-read-replica: status failed"),
                new ResourceReport("traffic-switch", "orders-web", "switched", ""),
            ],
            resources);
    }

    [Fact]
    public void Outcome_WhenExecutionSucceededAndEveryCheckPassed_ShouldBeSucceeded()
    {
        // Arrange
        var run = RunBuilder.Prepared().WithDatabase("orders-replica", DatabaseStatuses.Writable).Build();
        CheckReport[] checks = [new("database writable", true, "ok"), new("traffic switched", true, "ok")];

        // Act
        var outcome = ReportBuilder.Outcome("SUCCEEDED", null, run, checks);

        // Assert
        Assert.Equal(ReportOutcomes.Succeeded, outcome);
    }

    [Fact]
    public void Outcome_WhenExecutionSucceededButACheckFailed_ShouldBeFailed()
    {
        // Arrange
        var run = RunBuilder.Prepared().WithDatabase("orders-replica", DatabaseStatuses.Writable).Build();
        CheckReport[] checks = [new("database writable", true, "ok"), new("traffic switched", false, "metric is 0")];

        // Act
        var outcome = ReportBuilder.Outcome("SUCCEEDED", null, run, checks);

        // Assert
        Assert.Equal(ReportOutcomes.Failed, outcome);
    }

    [Fact]
    public void Outcome_WhenExecutionSucceededWithAFailedNonCriticalDatabase_ShouldBePartial()
    {
        // Arrange
        var run = RunBuilder.Prepared().WithDatabase("orders-replica", DatabaseStatuses.Writable).WithDatabase("reports-replica", DatabaseStatuses.Failed, critical: false).Build();

        // Act
        var outcome = ReportBuilder.Outcome("SUCCEEDED", null, run, []);

        // Assert
        Assert.Equal(ReportOutcomes.Partial, outcome);
    }

    [Theory]
    [InlineData("ReadinessFailedException")]
    [InlineData("InvalidRunInputException")]
    [InlineData("PlanInvalidException")]
    [InlineData("RpoGateBlockedException")]
    public void Outcome_WhenExecutionFailedBeforeChangingAnything_ShouldBeBlocked(string error)
    {
        // Act
        var outcome = ReportBuilder.Outcome("FAILED", error, null, []);

        // Assert
        Assert.Equal(ReportOutcomes.Blocked, outcome);
    }

    [Theory]
    [InlineData("FAILED", "DatabasePromotionFailedException")]
    [InlineData("FAILED", "DatabasePromotionTimeoutException")]
    [InlineData("FAILED", "States.Timeout")]
    [InlineData("FAILED", "ServerRecoveryFailedException")]
    [InlineData("FAILED", "TrafficSwitchRefusedException")]
    [InlineData("TIMED_OUT", null)]
    [InlineData("ABORTED", null)]
    public void Outcome_WhenExecutionFailedAfterStarting_ShouldBeFailed(string status, string? error)
    {
        // Arrange
        var run = RunBuilder.Prepared().WithDatabase("orders-replica", DatabaseStatuses.Promoting).Build();

        // Act
        var outcome = ReportBuilder.Outcome(status, error, run, [new CheckReport("database writable", true, "ok")]);

        // Assert
        Assert.Equal(ReportOutcomes.Failed, outcome);
    }

    [Fact]
    public void WithFigures_WhenTheServersRanInWaves_ShouldReportEachWaveStartDurationAndOutcome()
    {
        // Arrange
        var start = ManualClock.DefaultStart;
        var run = RunBuilder.Prepared().WithServers(3)
            .Change(r => r with
            {
                Servers = r.Servers! with
                {
                    Waves =
                    [
                        new WaveRun { Index = 0, Name = "data", Total = 1, Launched = 1, Outcome = ServerOutcomes.Launched, StartedAt = start, CompletedAt = start.AddSeconds(12.5) },
                        new WaveRun { Index = 1, Name = "web", Total = 2, StartedAt = start.AddSeconds(20) },
                    ],
                },
            })
            .Build();

        // Act
        var report = ReportBuilder.WithFigures(new RunReport(), run);

        // Assert
        Assert.Equal(
            [
                new WaveReport("data", ServerOutcomes.Launched, start, 12.5, 1, 1, 0, []),
                new WaveReport("web", ServerOutcomes.Pending, start.AddSeconds(20), null, 2, 0, 0, []),
            ],
            report.Waves.Select(w => w with { FailedServerIds = [] }));
    }

    [Fact]
    public void Resources_WhenRunHasServers_ShouldAddOneSummaryLineBetweenDatabasesAndSwitches()
    {
        // Arrange
        var run = RunBuilder.Prepared()
            .WithDatabase("orders-replica", DatabaseStatuses.Writable)
            .WithServers(3)
            .WithSwitch("orders-web", SwitchStatuses.Switched)
            .Change(r => r with { Servers = r.Servers! with { Launched = 2, Failed = 1, FailedServerIds = [Samples.ServerId(2)], Outcome = ServerOutcomes.Partial } })
            .Build();

        // Act
        var resources = ReportBuilder.Resources(run);

        // Assert
        Assert.Equal(["database", "servers", "traffic-switch"], resources.Select(r => r.Kind));
        Assert.Equal(new ResourceReport("servers", "3 DRS source servers", "partial", $"2 launched, 1 failed: {Samples.ServerId(2)}"), resources[1]);
    }

    [Fact]
    public void Resources_WhenEveryServerLaunched_ShouldNotListFailures()
    {
        // Arrange
        var run = RunBuilder.Prepared().WithServers(1)
            .Change(r => r with { Servers = r.Servers! with { Launched = 1, Outcome = ServerOutcomes.Launched } })
            .Build();

        // Act
        var resource = Assert.Single(ReportBuilder.Resources(run));

        // Assert
        Assert.Equal(("launched", "1 launched, 0 failed"), (resource.Outcome, resource.Detail));
    }

    [Fact]
    public void Outcome_WhenExecutionSucceededWithSomeServersFailed_ShouldBePartial()
    {
        // Arrange
        var run = RunBuilder.Prepared().WithServers(1)
            .Change(r => r with { Servers = r.Servers! with { Outcome = ServerOutcomes.Partial } })
            .Build();

        // Act
        var outcome = ReportBuilder.Outcome("SUCCEEDED", null, run, []);

        // Assert
        Assert.Equal(ReportOutcomes.Partial, outcome);
    }

    [Fact]
    public void Aggregate_WhenAPollLoopVisitsAStateSeveralTimes_ShouldFoldItIntoOneStepFromFirstEntryToLastExit()
    {
        // Arrange
        var steps = ReportBuilder.Timeline(new HistoryBuilder(Start)
            .At(0).Event("ExecutionStarted")
            .Task("Prepare", 0.1, 1.1)
            .Task("Promote databases", 1.2, 2.2)
            .Task("Start recovery", 1.2, 1.7)
            .Task("Check databases", 12.2, 12.7)
            .Task("Check databases", 22.7, 23.2)
            .Task("Check recovery", 31.7, 32.0)
            .Task("Check databases", 33.2, 33.5)
            .Task("Check recovery", 62.0, 62.4)
            .Task("Switch traffic", 63.0, 63.5)
            .Build());

        // Act
        var aggregated = ReportBuilder.Aggregate(steps);

        // Assert
        Assert.Equal(
            [
                new StepReport("Prepare", "succeeded", 0.1, 1),
                new StepReport("Promote databases", "succeeded", 1.2, 1),
                new StepReport("Start recovery", "succeeded", 1.2, 0.5),
                new StepReport("Check databases", "succeeded", 12.2, 21.3),
                new StepReport("Check recovery", "succeeded", 31.7, 30.7),
                new StepReport("Switch traffic", "succeeded", 63, 0.5),
            ],
            aggregated);
    }

    [Fact]
    public void Aggregate_WhenTheLastVisitFailed_ShouldReportTheStepFailed()
    {
        // Arrange
        StepReport[] steps =
        [
            new("Check databases", "succeeded", 10, 0.5),
            new("Check databases", "succeeded", 40, 0.5),
            new("Check databases", "failed", 70, 1.25),
        ];

        // Act
        var aggregated = ReportBuilder.Aggregate(steps);

        // Assert
        Assert.Equal([new StepReport("Check databases", "failed", 10, 61.25)], aggregated);
    }

    [Fact]
    public void Aggregate_WhenEveryStateIsVisitedOnce_ShouldKeepTheTimeline()
    {
        // Arrange
        StepReport[] steps = [new("Prepare", "succeeded", 0.02, 1.5), new("Notify", "succeeded", 2, 0.5)];

        // Act
        var aggregated = ReportBuilder.Aggregate(steps);

        // Assert
        Assert.Equal(steps, aggregated);
    }

    [Fact]
    public void WithinOutputBudget_WhenTheReportFits_ShouldKeepEveryEntry()
    {
        // Arrange
        var report = LargeReport(databases: 20, failed: 1);

        // Act
        var output = ReportBuilder.WithinOutputBudget(report);

        // Assert
        Assert.Same(report, output);
        Assert.Null(output.EntriesLeftOut);
    }

    [Fact]
    public void WithinOutputBudget_WhenTheReportIsLarge_ShouldLeaveOutOnlyEntriesThatNeedNoAttentionAndCountThem()
    {
        // Arrange: 500 databases, 3 of them failed with their RPO unknown.
        var report = LargeReport(databases: 500, failed: 3);

        // Act
        var output = ReportBuilder.WithinOutputBudget(report);

        // Assert
        Assert.True(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(output, FailoverJson.Default.RunReport).Length <= ReportBuilder.OutputBudgetBytes);
        Assert.Equal(["db-001", "db-002", "db-003"], output.Resources.Select(r => r.Id));
        Assert.Equal(["db-001", "db-002", "db-003"], output.RpoEvidence.Select(e => e.Database));
        Assert.Equal(1000 - 6, output.EntriesLeftOut);
        Assert.Equal((report.Outcome, report.RtoSeconds), (output.Outcome, output.RtoSeconds));
    }

    [Fact]
    public void WithinOutputBudget_WhenEvenTheEntriesNeedingAttentionAreTooMany_ShouldKeepAsManyAsFitAndCountTheRest()
    {
        // Arrange
        var report = LargeReport(databases: 1000, failed: 1000);

        // Act
        var output = ReportBuilder.WithinOutputBudget(report);

        // Assert
        Assert.True(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(output, FailoverJson.Default.RunReport).Length <= ReportBuilder.OutputBudgetBytes);
        Assert.NotEmpty(output.Resources);
        Assert.Equal(2000, output.Resources.Count + output.RpoEvidence.Count + output.EntriesLeftOut);
        Assert.All(output.Resources, r => Assert.Equal(DatabaseStatuses.Failed, r.Outcome));
    }

    // A report of this many databases, the first `failed` of them failed with an unknown RPO, the rest writable within it.
    private static RunReport LargeReport(int databases, int failed) => new()
    {
        Outcome = ReportOutcomes.Partial,
        RtoSeconds = 61.5,
        Resources =
        [
            .. Enumerable.Range(1, databases).Select(i => new ResourceReport("database", $"db-{i:000}", i <= failed ? DatabaseStatuses.Failed : DatabaseStatuses.Writable,
                i <= failed ? "promote-read-replica: status incompatible-restore" : "promote-read-replica: writable")),
        ],
        RpoEvidence =
        [
            .. Enumerable.Range(1, databases).Select(i => new DatabaseRpoReport($"db-{i:000}", i <= failed ? null : 2.5,
                "ReplicaLag max 2.5 s, 6 pt 17:44:35Z to 17:49:35Z; -1 from 17:50:35Z", 60, i <= failed ? false : true)),
        ],
    };
}
