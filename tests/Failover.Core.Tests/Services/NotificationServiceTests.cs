using Failover.Core.Ports;
using Failover.Core.Reports;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Testing;

namespace Failover.Core.Tests.Services;

public sealed class NotificationServiceTests
{
    [Fact]
    public void Compose_WhenRunSucceeded_ShouldDescribeTheRunAndItsFigures()
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();
        var run = RunBuilder.Prepared()
            .TriggeredAt(Samples.AlarmTime)
            .WithDatabase(Samples.ReplicaId, DatabaseStatuses.Writable, lagSeconds: 2.5, promotionStartedAt: Samples.AlarmTime.AddMinutes(1))
            .WithSwitch(Samples.SwitchId, "switched", Samples.AlarmTime.AddMinutes(5))
            .Change(r => r with { TrafficSwitchedAt = Samples.AlarmTime.AddSeconds(312.5), Reason = "alarm orders-primary-outage entered ALARM" })
            .Build();
        var request = new NotifyRequest { Event = NotificationEvents.Succeeded, State = new WorkflowState { Run = run } };

        // Act
        var notification = NotificationService.Compose(plan, request);

        // Assert
        Assert.Equal("[Failover] orders failover succeeded", notification.Subject);
        Assert.Contains("Plan orders: failover succeeded, outcome succeeded.", notification.Body, StringComparison.Ordinal);
        Assert.Contains("Reason: alarm orders-primary-outage entered ALARM", notification.Body, StringComparison.Ordinal);
        Assert.Contains("Triggered by alarm orders-primary-outage at 2026-08-01T12:03:27.1230000+00:00", notification.Body, StringComparison.Ordinal);
        Assert.Contains("Database orders-replica: writable", notification.Body, StringComparison.Ordinal);
        Assert.Contains("data at risk 2.5 s (test datapoints)", notification.Body, StringComparison.Ordinal);
        Assert.Contains("Traffic switch orders-web: switched", notification.Body, StringComparison.Ordinal);
        Assert.Contains("RTO: 312.5 s; RPO: 2.5 s", notification.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Error:", notification.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void TaskTokenOf_WhenGivenTheApprovalRequestItComposed_ShouldReadBackItsToken()
    {
        // Arrange: tokens are long opaque strings.
        const string token = "AQCEAAAAKgAAAAMAAAAAAAAAAdTf+fxlIz2nBE8cZo8b+EXAMPLE==";
        var request = new NotifyRequest { Event = NotificationEvents.ApprovalRequested, TaskToken = token, State = new WorkflowState { Run = RunBuilder.Prepared().Build() } };
        var approval = NotificationService.Compose(PlanBuilder.Sample().Build(), request);
        var succeeded = NotificationService.Compose(PlanBuilder.Sample().Build(), request with { Event = NotificationEvents.Succeeded, TaskToken = null });

        // Act
        var read = NotificationService.TaskTokenOf(approval.Body);
        var none = NotificationService.TaskTokenOf(succeeded.Body);

        // Assert
        Assert.Equal(token, read);
        Assert.Null(none);
    }

    [Fact]
    public void Compose_WhenCalled_ShouldSetPlanModePhaseAndOutcomeAttributes()
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();
        var request = new NotifyRequest { Event = NotificationEvents.Succeeded, State = new WorkflowState { Run = RunBuilder.Prepared().Build() } };

        // Act
        var notification = NotificationService.Compose(plan, request);

        // Assert
        Assert.Equal(
            new Dictionary<string, string> { ["plan"] = "orders", ["mode"] = "failover", ["phase"] = "end", ["outcome"] = "succeeded" },
            notification.Attributes);
    }

    [Fact]
    public void ComposeEnded_WhenATaskFailed_ShouldNameTheStepAndTheErrorMessageOfTheLambdaErrorDocument()
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();
        var run = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId, DatabaseStatuses.Failed, promotionStartedAt: ManualClock.DefaultStart).Build();
        var execution = Ended(ExecutionStatuses.Failed, "DatabasePromotionFailedException",
            """{"errorType":"DatabasePromotionFailedException","errorMessage":"critical databases failed: orders-replica (status failed)"}""", run);

        // Act
        var notification = NotificationService.ComposeEnded(plan, execution, "Check databases", cleanup: null);

        // Assert
        Assert.Equal("[Failover] orders failover failed at Check databases", notification.Subject);
        Assert.StartsWith($"Plan orders: failover failed at Check databases, outcome failed. Execution {Samples.ExecutionName} is FAILED.", notification.Body, StringComparison.Ordinal);
        Assert.Contains("Error: DatabasePromotionFailedException: critical databases failed: orders-replica (status failed)", notification.Body, StringComparison.Ordinal);
        Assert.Contains("RTO: n/a; RPO: 1 s", notification.Body, StringComparison.Ordinal);
        Assert.Equal(
            new Dictionary<string, string> { ["plan"] = "orders", ["mode"] = "failover", ["phase"] = "failure", ["outcome"] = "failed" },
            notification.Attributes);
    }

    [Fact]
    public void ComposeEnded_WhenPrepareBlockedTheRunSoThereIsNoRun_ShouldUseTheInputAndSayNothingChanged()
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();
        var execution = Ended(ExecutionStatuses.Failed, nameof(ReadinessFailedException),
            "Recovery region is not ready: database 'orders-replica' does not exist in us-west-2", run: null, reason: "drill");

        // Act
        var notification = NotificationService.ComposeEnded(plan, execution, "Prepare", cleanup: null);

        // Assert
        Assert.Equal("[Failover] orders failover blocked at Prepare", notification.Subject);
        Assert.Contains("Reason: drill", notification.Body, StringComparison.Ordinal);
        Assert.Contains("Error: ReadinessFailedException: Recovery region is not ready", notification.Body, StringComparison.Ordinal);
        Assert.Contains("Already changed: nothing.", notification.Body, StringComparison.Ordinal);
        Assert.Contains("RTO: n/a; RPO: n/a", notification.Body, StringComparison.Ordinal);
        Assert.Contains($"redrive it (aws stepfunctions redrive-execution --execution-arn {Samples.ExecutionArn})", notification.Body, StringComparison.Ordinal);
        Assert.Equal("blocked", notification.Attributes["outcome"]);
    }

    [Fact]
    public void ComposeEnded_WhenStepsChangedResourcesBeforeTheFailure_ShouldListEveryChangeAndHowToRedrive()
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();
        var run = RunBuilder.Prepared()
            .WithDatabase(Samples.ReplicaId, DatabaseStatuses.Writable, lagSeconds: 2.5, promotionStartedAt: ManualClock.DefaultStart)
            .WithDatabase("reports-replica", DatabaseStatuses.Promoting, critical: false, promotionStartedAt: ManualClock.DefaultStart)
            .WithDatabase("audit-replica")
            .WithServers(4, batchSize: 2)
            .WithSwitch(Samples.SwitchId)
            .Change(r => r with { Servers = r.Servers! with { Jobs = [new ServerJob { JobId = "drsjob-1" }, new ServerJob { Batch = 1, JobId = "drsjob-2" }], Launched = 4 } })
            .Build();
        var execution = Ended(ExecutionStatuses.Failed, "AwsServiceException", "cloudwatch PutMetricData failed", run);

        // Act
        var notification = NotificationService.ComposeEnded(plan, execution, "Switch traffic", cleanup: null);

        // Assert
        Assert.Contains(
            "Already changed: database orders-replica promoted (promote-read-replica); database reports-replica promotion requested (promote-read-replica; now promoting: ); 4 DRS source servers launched in 2 job(s).",
            notification.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("audit-replica promot", notification.Body, StringComparison.Ordinal);
        Assert.Contains("Traffic switch orders-web: pending", notification.Body, StringComparison.Ordinal);
        Assert.Contains($"Next: fix the cause, then redrive from Switch traffic (aws stepfunctions redrive-execution --execution-arn {Samples.ExecutionArn})", notification.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ExecutionStatuses.Aborted, "stopped")]
    [InlineData(ExecutionStatuses.TimedOut, "timed out")]
    public void ComposeEnded_WhenTheExecutionDidNotFailButEnded_ShouldSaySo(string status, string ended)
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();
        var execution = Ended(status, null, null, RunBuilder.Prepared().Build());

        // Act
        var notification = NotificationService.ComposeEnded(plan, execution, "Wait for databases", cleanup: null);

        // Assert
        Assert.Equal($"[Failover] orders failover {ended} at Wait for databases", notification.Subject);
        Assert.Contains($"is {status}.", notification.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Error:", notification.Body, StringComparison.Ordinal);
        Assert.Equal(("failure", "failed"), (notification.Attributes["phase"], notification.Attributes["outcome"]));
    }

    [Fact]
    public void ComposeEnded_WhenADrillWasCleanedUp_ShouldListWhatItCreatedAndRemovedAndLeft()
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();
        var run = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId, DatabaseStatuses.Copying).Change(r => r with
        {
            Mode = RunModes.Drill,
            Databases = [r.Databases[0] with { DrillCopyId = "drill-1234abcd-orders-replica" }],
        }).Build();
        var cleanup = new DrillCleanup { Removed = ["database-copy drill-1234abcd-orders-replica"], Problems = ["recovery-instance i-1: AccessDenied"] };

        // Act
        var notification = NotificationService.ComposeEnded(plan, Ended(ExecutionStatuses.Failed, "AwsConflictException", "refused", run), "Check databases", cleanup);

        // Assert
        Assert.Equal("[Failover] orders drill failed at Check databases", notification.Subject);
        Assert.Contains("Already changed: drill copy drill-1234abcd-orders-replica of database orders-replica created.", notification.Body, StringComparison.Ordinal);
        Assert.Contains("Drill cleanup: removed database-copy drill-1234abcd-orders-replica.", notification.Body, StringComparison.Ordinal);
        Assert.Contains("Drill cleanup left: recovery-instance i-1: AccessDenied. Remove it with 'failover drill cleanup'.", notification.Body, StringComparison.Ordinal);
        Assert.Contains("Next: the drill's resources were removed; once the cause is fixed, start a new drill.", notification.Body, StringComparison.Ordinal);
    }

    // The state machine no longer announces failures (the execution status rule does): "failed" is not a phase.
    [Theory]
    [InlineData("failed")]
    [InlineData("")]
    public void Compose_WhenTheEventIsNotAPhaseOfARun_ShouldRefuseItNamingThePhases(string notificationEvent)
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();

        // Act
        var ex = Assert.Throws<InvalidRunInputException>(() => NotificationService.Compose(plan, new NotifyRequest { Event = notificationEvent }));

        // Assert
        Assert.Equal($"event '{notificationEvent}' is not a phase of a run; expected started, approval-requested, recovered, traffic-switched or succeeded", ex.Message);
    }

    [Fact]
    public void Compose_WhenStateIsEmpty_ShouldDefaultToFailoverMode()
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();

        // Act
        var notification = NotificationService.Compose(plan, new NotifyRequest { Event = NotificationEvents.Succeeded });

        // Assert
        Assert.Equal("[Failover] orders failover succeeded", notification.Subject);
        Assert.Equal("failover", notification.Attributes["mode"]);
    }

    [Fact]
    public void ComposeEnded_WhenModeIsLongUserInput_ShouldTruncateTheSubjectBelow100Characters()
    {
        // Arrange: Prepare rejected the mode, so the raw input reaches the notification unvalidated.
        var plan = PlanBuilder.Sample().WithName(new string('p', 40)).Build();
        var mode = new string('m', 200);
        var execution = Ended(ExecutionStatuses.Failed, nameof(InvalidRunInputException), "mode", run: null) with { Mode = mode };

        // Act
        var notification = NotificationService.ComposeEnded(plan, execution, "Prepare", cleanup: null);

        // Assert
        Assert.Equal(NotificationService.MaxSubjectLength, notification.Subject.Length);
        Assert.True(notification.Subject.Length < 100);
        Assert.StartsWith($"[Failover] {plan.Name} mmm", notification.Subject, StringComparison.Ordinal);
        Assert.EndsWith("…", notification.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_WhenPlanNameHasTheMaximumLength_ShouldKeepTheWholeSubject()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithName(new string('p', 40)).Build();
        var state = new WorkflowState { Run = RunBuilder.Prepared().Change(r => r with { Mode = RunModes.Switchover }).Build() };

        // Act
        var notification = NotificationService.Compose(plan, new NotifyRequest { Event = NotificationEvents.Succeeded, State = state });

        // Assert
        Assert.Equal($"[Failover] {plan.Name} switchover succeeded", notification.Subject);
        Assert.True(notification.Subject.Length < 100);
    }

    [Fact]
    public void Compose_WhenModeHasLineBreaksOrControlCharacters_ShouldRemoveThemFromTheSubject()
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();
        var execution = Ended(ExecutionStatuses.Failed, nameof(InvalidRunInputException), "mode", run: null) with { Mode = "fail\r\nover\t\u0007" };

        // Act
        var notification = NotificationService.ComposeEnded(plan, execution, "Prepare", cleanup: null);

        // Assert
        Assert.Equal("[Failover] orders failover blocked at Prepare", notification.Subject);
        Assert.DoesNotContain(notification.Subject, char.IsControl);
    }

    [Fact]
    public async Task NotifyAsync_WhenCalled_ShouldPublishOnceAndReturnTheMessageId()
    {
        // Arrange
        var publisher = new FakeNotificationPublisher();
        var plan = PlanBuilder.Sample().Build();
        var service = new NotificationService(plan, publisher);
        var request = new NotifyRequest { Event = NotificationEvents.Succeeded, State = new WorkflowState { Run = RunBuilder.Prepared().Build() } };

        // Act
        var messageId = await service.NotifyAsync(request, CancellationToken.None);

        // Assert
        Assert.Equal("message-1", messageId);
        var published = Assert.Single(publisher.Published);
        Assert.Equal(NotificationService.Compose(plan, request).Subject, published.Subject);
        Assert.Equal("succeeded", published.Attributes["outcome"]);
    }

    [Fact]
    public async Task NotifyAsync_WhenPublishFails_ShouldLetTheErrorThrough()
    {
        // Arrange
        var publisher = new FakeNotificationPublisher { Failure = new SimulatedAwsException("KMSThrottling", "slow down") };
        var service = new NotificationService(PlanBuilder.Sample().Build(), publisher);

        // Act
        var ex = await Assert.ThrowsAsync<SimulatedAwsException>(() => service.NotifyAsync(new NotifyRequest { Event = NotificationEvents.Succeeded }, CancellationToken.None));

        // Assert
        Assert.Equal("KMSThrottling", ex.Code);
    }

    [Fact]
    public void Notification_WhenComposed_ShouldBeAPortRecord()
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();

        // Act
        Notification notification = NotificationService.Compose(plan, new NotifyRequest { Event = NotificationEvents.Succeeded });

        // Assert
        Assert.EndsWith(Environment.NewLine, notification.Body, StringComparison.Ordinal);
        Assert.All(notification.Attributes, a => Assert.False(string.IsNullOrEmpty(a.Value)));
    }

    [Theory]
    [InlineData(NotificationEvents.Started, "start", "started")]
    [InlineData(NotificationEvents.Recovered, "recovery", "succeeded")]
    [InlineData(NotificationEvents.TrafficSwitched, "traffic", "succeeded")]
    [InlineData(NotificationEvents.Succeeded, "end", "succeeded")]
    public void Compose_WhenEachPhaseIsAnnounced_ShouldSetItsPhaseAndOutcome(string notificationEvent, string phase, string outcome)
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();
        var request = new NotifyRequest { Event = notificationEvent, State = new WorkflowState { Run = RunBuilder.Prepared().Build() } };

        // Act
        var notification = NotificationService.Compose(plan, request);

        // Assert
        Assert.Equal((phase, outcome), (notification.Attributes["phase"], notification.Attributes["outcome"]));
        Assert.Equal($"[Failover] orders failover {notificationEvent}", notification.Subject);
        Assert.StartsWith($"Plan orders: failover {notificationEvent}, outcome {outcome}.", notification.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NotificationEvents.Recovered)]
    [InlineData(NotificationEvents.TrafficSwitched)]
    [InlineData(NotificationEvents.Succeeded)]
    public void Compose_WhenSomeServersFailedToLaunch_ShouldAnnounceAPartialOutcomeNamingThem(string notificationEvent)
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();
        var run = RunBuilder.Prepared().WithServers(4, batchSize: 2, lagSeconds: 2.5)
            .Change(r => r with
            {
                Servers = r.Servers! with
                {
                    Jobs = [new ServerJob { Batch = 0, JobId = "drsjob-1", Status = "COMPLETED" }, new ServerJob { Batch = 1, JobId = "drsjob-2", Status = "COMPLETED" }],
                    Launched = 3,
                    Failed = 1,
                    FailedServerIds = [Samples.ServerId(3)],
                    Outcome = ServerOutcomes.Partial,
                },
            })
            .Build();

        // Act
        var notification = NotificationService.Compose(plan, new NotifyRequest { Event = notificationEvent, State = new WorkflowState { Run = run } });

        // Assert
        Assert.Equal($"[Failover] orders failover {notificationEvent} (partial)", notification.Subject);
        Assert.Equal("partial", notification.Attributes["outcome"]);
        Assert.Contains("Servers: partial; 3 launched, 1 failed of 4 in 2 DRS job(s); replication lag at start 2.5 s", notification.Body, StringComparison.Ordinal);
        Assert.Contains($"Failed servers: {Samples.ServerId(3)}{Environment.NewLine}", notification.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_WhenTheServersLagWasUnknownAtPrepare_ShouldSayUnknown()
    {
        // Arrange: a run whose servers' lag DRS did not report (Prepare leaves it out).
        var plan = PlanBuilder.Sample().Build();
        var run = RunBuilder.Prepared().WithServers(2).Change(r => r with { Servers = r.Servers! with { LagSeconds = null } }).Build();

        // Act
        var notification = NotificationService.Compose(plan, new NotifyRequest { Event = NotificationEvents.Recovered, State = new WorkflowState { Run = run } });

        // Assert
        Assert.Contains("replication lag at start unknown", notification.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_WhenTheServersRanInWaves_ShouldNameEachWaveWithItsOutcomeAndTimes()
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();
        var start = ManualClock.DefaultStart;
        var run = RunBuilder.Prepared().WithServers(4)
            .Change(r => r with
            {
                Servers = r.Servers! with
                {
                    Launched = 3,
                    Failed = 1,
                    FailedServerIds = [Samples.ServerId(3)],
                    Outcome = ServerOutcomes.Partial,
                    Waves =
                    [
                        new WaveRun { Index = 0, Name = "data", Total = 2, Launched = 2, Outcome = ServerOutcomes.Launched, StartedAt = start, CompletedAt = start.AddSeconds(40) },
                        new WaveRun { Index = 1, Name = "web", Total = 2, Launched = 1, Failed = 1, FailedServerIds = [Samples.ServerId(3)], Outcome = ServerOutcomes.Partial, StartedAt = start.AddSeconds(100) },
                    ],
                },
            })
            .Build();

        // Act
        var notification = NotificationService.Compose(plan, new NotifyRequest { Event = NotificationEvents.Recovered, State = new WorkflowState { Run = run } });

        // Assert
        Assert.Contains("Servers: partial; 3 launched, 1 failed of 4 in 2 waves;", notification.Body, StringComparison.Ordinal);
        Assert.Contains($"Wave data: launched; 2 launched, 0 failed of 2; started {start:O}, launched in 40 s{Environment.NewLine}", notification.Body, StringComparison.Ordinal);
        Assert.Contains($"Wave web: partial; 1 launched, 1 failed of 2; started {start.AddSeconds(100):O}, still launching (failed: {Samples.ServerId(3)})", notification.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_WhenMoreServersFailedThanAreListed_ShouldSaySoWithAnEllipsis()
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();
        var run = RunBuilder.Prepared().WithServers(1)
            .Change(r => r with { Servers = r.Servers! with { Failed = 150, FailedServerIds = [Samples.ServerId(1)], Outcome = ServerOutcomes.Partial } })
            .Build();

        // Act
        var notification = NotificationService.Compose(plan, new NotifyRequest { Event = NotificationEvents.Succeeded, State = new WorkflowState { Run = run } });

        // Assert
        Assert.Contains($"Failed servers: {Samples.ServerId(1)}, …", notification.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_WhenServersAreNotInTheRun_ShouldNotMentionServers()
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();

        // Act
        var notification = NotificationService.Compose(plan, new NotifyRequest { Event = NotificationEvents.Succeeded, State = new WorkflowState { Run = RunBuilder.Prepared().Build() } });

        // Assert
        Assert.DoesNotContain("Servers:", notification.Body, StringComparison.Ordinal);
    }

    // One definition of "blocked" for the report and the notification (ReportBuilder.Outcome).
    [Theory]
    [InlineData(nameof(ReadinessFailedException), "blocked")]
    [InlineData(nameof(RpoGateBlockedException), "blocked")]
    [InlineData(nameof(InvalidRunInputException), "blocked")]
    [InlineData("PlanInvalidException", "blocked")]
    [InlineData(nameof(DatabasePromotionFailedException), "failed")]
    [InlineData(nameof(ServerRecoveryFailedException), "failed")]
    [InlineData("States.Timeout", "failed")]
    public void ComposeEnded_WhenTheRunFailed_ShouldSayBlockedOnlyWhenNothingWasChanged(string error, string outcome)
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();
        var execution = Ended(ExecutionStatuses.Failed, error, "cause", run: null);

        // Act
        var notification = NotificationService.ComposeEnded(plan, execution, "Prepare", cleanup: null);

        // Assert
        Assert.Equal(outcome, notification.Attributes["outcome"]);
        Assert.Equal(ReportBuilder.Outcome(ExecutionStatuses.Failed, error, null, []), outcome);
        Assert.Equal("failure", notification.Attributes["phase"]);
        Assert.Equal(outcome == "blocked" ? "[Failover] orders failover blocked at Prepare" : "[Failover] orders failover failed at Prepare", notification.Subject);
        Assert.Contains($"Error: {error}: cause", notification.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NotificationEvents.Started)]
    [InlineData(NotificationEvents.Recovered)]
    [InlineData(NotificationEvents.TrafficSwitched)]
    public void Compose_WhenEveryPartOfTheSubjectIsAsLongAsAllowed_ShouldStayBelow100CharactersUntruncated(string notificationEvent)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithName(new string('p', 40)).Build();
        var run = RunBuilder.Prepared().WithServers(1)
            .Change(r => r with { Mode = RunModes.Switchover, Servers = r.Servers! with { Outcome = ServerOutcomes.Partial } })
            .Build();

        // Act
        var notification = NotificationService.Compose(plan, new NotifyRequest { Event = notificationEvent, State = new WorkflowState { Run = run } });

        // Assert
        Assert.True(notification.Subject.Length < 100, notification.Subject);
        Assert.DoesNotContain("…", notification.Subject, StringComparison.Ordinal);
        Assert.StartsWith($"[Failover] {plan.Name} switchover {notificationEvent}", notification.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_WhenADatabaseWasPromotedWithUnknownLag_ShouldSayTheRpoIsUnknown()
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();
        var run = RunBuilder.Prepared()
            .WithGlobalDatabase(action: DatabaseActions.GlobalFailover, status: DatabaseStatuses.Writable, lagSeconds: -1)
            .Change(r => r with { Databases = [r.Databases[0] with { PromotionStartedAt = ManualClock.DefaultStart, Detail = "writable" }] })
            .Build();

        // Act
        var notification = NotificationService.Compose(plan, new NotifyRequest { Event = NotificationEvents.Succeeded, State = new WorkflowState { Run = run } });

        // Assert
        Assert.Contains($"Database {Samples.GlobalClusterId}: writable (writable); data at risk unknown (test datapoints)", notification.Body, StringComparison.Ordinal);
        Assert.Contains("RPO: unknown", notification.Body, StringComparison.Ordinal);
    }

    // ReportBuilder.Outcome (the run report's contract) calls a run partial when a non-critical database failed; the
    // end notification announces the same run and must agree with it.
    [Fact]
    public void Compose_WhenANonCriticalDatabaseFailed_ShouldAnnounceAPartialOutcome()
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();
        var run = RunBuilder.Prepared()
            .WithDatabase("orders-replica", DatabaseStatuses.Writable)
            .WithDatabase("reports-replica", DatabaseStatuses.Failed, critical: false)
            .Build();

        // Act
        var notification = NotificationService.Compose(plan, new NotifyRequest { Event = NotificationEvents.Succeeded, State = new WorkflowState { Run = run } });

        // Assert
        Assert.Equal("partial", notification.Attributes["outcome"]);
    }

    // The longest state name of the ASL that can end a run is "Notify traffic switched" (23 characters).
    [Fact]
    public void ComposeEnded_WhenEveryPartOfTheSubjectIsAsLongAsAllowed_ShouldStayBelow100CharactersUntruncated()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithName(new string('p', 40)).Build();
        var run = RunBuilder.Prepared().Change(r => r with { Mode = RunModes.Switchover }).Build();

        // Act
        var notification = NotificationService.ComposeEnded(plan, Ended(ExecutionStatuses.TimedOut, "States.Timeout", null, run), "Notify traffic switched", cleanup: null);

        // Assert
        Assert.True(notification.Subject.Length < 100, notification.Subject);
        Assert.Equal($"[Failover] {plan.Name} switchover timed out at Notify traffic switched", notification.Subject);
    }

    [Fact]
    public async Task NotifyEndedAsync_WhenCalled_ShouldPublishTheFailureOnce()
    {
        // Arrange
        var publisher = new FakeNotificationPublisher();
        var plan = PlanBuilder.Sample().Build();
        var execution = Ended(ExecutionStatuses.Failed, "AwsServiceException", "refused", RunBuilder.Prepared().Build());

        // Act
        var messageId = await new NotificationService(plan, publisher).NotifyEndedAsync(execution, "Switch traffic", null, CancellationToken.None);

        // Assert
        Assert.Equal("message-1", messageId);
        Assert.Equal(NotificationService.ComposeEnded(plan, execution, "Switch traffic", null), Assert.Single(publisher.Published), NotificationComparer.Instance);
    }

    private static ExecutionDetails Ended(string status, string? error, string? cause, RunState? run, string? reason = null) =>
        new(Samples.ExecutionArn, Samples.ExecutionName, status, error, cause, run?.Mode ?? RunModes.Failover, reason, run, []);

    // Notification holds a dictionary: records compare it by reference.
    private sealed class NotificationComparer : IEqualityComparer<Notification>
    {
        public static readonly NotificationComparer Instance = new();

        public bool Equals(Notification? x, Notification? y) =>
            x is not null && y is not null && x.Subject == y.Subject && x.Body == y.Body && x.Attributes.OrderBy(a => a.Key).SequenceEqual(y.Attributes.OrderBy(a => a.Key));

        public int GetHashCode(Notification obj) => obj.Subject.GetHashCode(StringComparison.Ordinal);
    }
}
