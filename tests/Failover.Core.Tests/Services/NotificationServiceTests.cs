using Failover.Core.Ports;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Core.Tests.Support;

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

    // Behaviour change: the phase attribute now names the phase of the run (a failure is phase "failure", no
    // longer "end").
    [Fact]
    public void Compose_WhenCalled_ShouldSetPlanModePhaseAndOutcomeAttributes()
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();
        var request = new NotifyRequest { Event = NotificationEvents.Failed, State = new WorkflowState { Run = RunBuilder.Prepared().Build() } };

        // Act
        var notification = NotificationService.Compose(plan, request);

        // Assert
        Assert.Equal(
            new Dictionary<string, string> { ["plan"] = "orders", ["mode"] = "failover", ["phase"] = "failure", ["outcome"] = "failed" },
            notification.Attributes);
    }

    [Fact]
    public void Compose_WhenRunFailed_ShouldIncludeTheErrorAndCause()
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();
        var run = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId, DatabaseStatuses.Failed, promotionStartedAt: ManualClock.DefaultStart).Build();
        var error = new StepError { Error = "DatabasePromotionFailedException", Cause = "critical databases failed: orders-replica (status failed)" };
        var request = new NotifyRequest { Event = NotificationEvents.Failed, State = new WorkflowState { Run = run, Error = error } };

        // Act
        var notification = NotificationService.Compose(plan, request);

        // Assert
        Assert.Equal("[Failover] orders failover failed", notification.Subject);
        Assert.Contains("Error: DatabasePromotionFailedException: critical databases failed: orders-replica (status failed)", notification.Body, StringComparison.Ordinal);
        Assert.Contains("RTO: n/a; RPO: 1 s", notification.Body, StringComparison.Ordinal);
    }

    // Behaviour change: a run refused before changing anything (readiness) is announced with outcome "blocked".
    [Fact]
    public void Compose_WhenPrepareFailedSoThereIsNoRun_ShouldUseTheRequest()
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();
        var state = new WorkflowState
        {
            Request = new StartRequest { Mode = RunModes.Failover, Reason = "drill" },
            Error = new StepError { Error = "ReadinessFailedException", Cause = "Recovery region is not ready: database 'orders-replica' does not exist in us-west-2" },
        };

        // Act
        var notification = NotificationService.Compose(plan, new NotifyRequest { Event = NotificationEvents.Failed, State = state });

        // Assert
        Assert.Equal("[Failover] orders failover failed (blocked)", notification.Subject);
        Assert.Contains("Reason: drill", notification.Body, StringComparison.Ordinal);
        Assert.Contains("Error: ReadinessFailedException: Recovery region is not ready", notification.Body, StringComparison.Ordinal);
        Assert.Contains("RTO: n/a; RPO: n/a", notification.Body, StringComparison.Ordinal);
        Assert.Equal("blocked", notification.Attributes["outcome"]);
    }

    [Fact]
    public void Compose_WhenStateIsEmpty_ShouldDefaultToFailoverMode()
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();

        // Act
        var notification = NotificationService.Compose(plan, new NotifyRequest { Event = NotificationEvents.Failed });

        // Assert
        Assert.Equal("[Failover] orders failover failed", notification.Subject);
        Assert.Equal("failover", notification.Attributes["mode"]);
    }

    [Fact]
    public void Compose_WhenModeIsLongUserInput_ShouldTruncateTheSubjectBelow100Characters()
    {
        // Arrange: Prepare rejected the mode, so the raw input reaches Notify unvalidated.
        var plan = PlanBuilder.Sample().WithName(new string('p', 40)).Build();
        var mode = new string('m', 200);
        var state = new WorkflowState { Request = new StartRequest { Mode = mode }, Error = new StepError { Error = "InvalidRunInputException", Cause = "mode" } };

        // Act
        var notification = NotificationService.Compose(plan, new NotifyRequest { Event = NotificationEvents.Failed, State = state });

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
        var state = new WorkflowState { Request = new StartRequest { Mode = "fail\r\nover\t\u0007" } };

        // Act
        var notification = NotificationService.Compose(plan, new NotifyRequest { Event = NotificationEvents.Failed, State = state });

        // Assert
        Assert.Equal("[Failover] orders failover failed", notification.Subject);
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
        var ex = await Assert.ThrowsAsync<SimulatedAwsException>(() => service.NotifyAsync(new NotifyRequest { Event = NotificationEvents.Failed }, CancellationToken.None));

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
    [InlineData(NotificationEvents.Failed, "failure", "failed")]
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

    [Theory]
    [InlineData(nameof(ReadinessFailedException), "blocked")]
    [InlineData(nameof(RpoGateBlockedException), "blocked")]
    [InlineData(nameof(InvalidRunInputException), "blocked")]
    [InlineData(nameof(DatabasePromotionFailedException), "failed")]
    [InlineData(nameof(ServerRecoveryFailedException), "failed")]
    [InlineData("States.Timeout", "failed")]
    public void Compose_WhenTheRunFailed_ShouldSayBlockedOnlyWhenNothingWasChanged(string error, string outcome)
    {
        // Arrange
        var plan = PlanBuilder.Sample().Build();
        var state = new WorkflowState { Request = new StartRequest(), Error = new StepError { Error = error, Cause = "cause" } };

        // Act
        var notification = NotificationService.Compose(plan, new NotifyRequest { Event = NotificationEvents.Failed, State = state });

        // Assert
        Assert.Equal(outcome, notification.Attributes["outcome"]);
        Assert.Equal("failure", notification.Attributes["phase"]);
        Assert.Equal(outcome == "blocked" ? "[Failover] orders failover failed (blocked)" : "[Failover] orders failover failed", notification.Subject);
        Assert.Contains($"Error: {error}: cause", notification.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NotificationEvents.Started)]
    [InlineData(NotificationEvents.Recovered)]
    [InlineData(NotificationEvents.TrafficSwitched)]
    [InlineData(NotificationEvents.Succeeded)]
    [InlineData(NotificationEvents.Failed)]
    public void Compose_WhenEveryPartOfTheSubjectIsAsLongAsAllowed_ShouldStayBelow100CharactersUntruncated(string notificationEvent)
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithName(new string('p', 40)).Build();
        var run = RunBuilder.Prepared().WithServers(1)
            .Change(r => r with { Mode = RunModes.Switchover, Servers = r.Servers! with { Outcome = ServerOutcomes.Partial } })
            .Build();
        var error = new StepError { Error = nameof(RpoGateBlockedException), Cause = "RPO gate" };

        // Act
        var notification = NotificationService.Compose(plan, new NotifyRequest { Event = notificationEvent, State = new WorkflowState { Run = run, Error = error } });

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
}
