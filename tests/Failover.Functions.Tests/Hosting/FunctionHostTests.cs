using Failover.Core.Plans;
using Failover.Testing;

namespace Failover.Functions.Tests.Hosting;

public sealed class FunctionHostTests
{
    [Fact]
    public void Constructor_WhenPlanFileIsMissing_ShouldThrowFileNotFoundNamingTheVariable()
    {
        // Arrange
        var directory = TestHost.NewDirectory();
        var settings = TestHost.Settings(Path.Combine(directory, "missing-plan.json"));

        try
        {
            // Act
            var ex = Assert.Throws<FileNotFoundException>(() => new FunctionHost(settings, Ports(), new TriggerPorts(new FakeExecutionStarter(), new FakeAlarmStates(), new FakeStateMachine(new ManualClock())), new ManualClock(), TextWriter.Null));

            // Assert
            Assert.Contains("FAILOVER_PLAN", ex.Message, StringComparison.Ordinal);
            Assert.Contains(settings.PlanPath, ex.Message, StringComparison.Ordinal);
            Assert.Equal(settings.PlanPath, ex.FileName);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Constructor_WhenPlanIsInvalid_ShouldThrowPlanInvalidListingEveryError()
    {
        // Arrange
        var directory = TestHost.NewDirectory();
        var planPath = Path.Combine(directory, "plan.json");
        File.WriteAllText(planPath, PlanBuilder.Sample().WithName("orders plan").WithTrigger(decisionWindowMinutes: 0).ToJson());

        try
        {
            // Act
            var ex = Assert.Throws<PlanInvalidException>(() => new FunctionHost(TestHost.Settings(planPath), Ports(), new TriggerPorts(new FakeExecutionStarter(), new FakeAlarmStates(), new FakeStateMachine(new ManualClock())), new ManualClock(), TextWriter.Null));

            // Assert
            Assert.Equal(["$.name", "$.trigger.decisionWindowMinutes"], ex.Errors.Select(e => e.Path));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Constructor_WhenPlanHasAnUnknownMember_ShouldThrowPlanInvalid()
    {
        // Arrange
        var directory = TestHost.NewDirectory();
        var planPath = Path.Combine(directory, "plan.json");
        File.WriteAllText(planPath, PlanBuilder.Sample().ToJson().Replace("\"name\":", "\"nmae\":\"x\",\"name\":", StringComparison.Ordinal));

        try
        {
            // Act
            var ex = Assert.Throws<PlanInvalidException>(() => new FunctionHost(TestHost.Settings(planPath), Ports(), new TriggerPorts(new FakeExecutionStarter(), new FakeAlarmStates(), new FakeStateMachine(new ManualClock())), new ManualClock(), TextWriter.Null));

            // Assert
            Assert.Contains("nmae", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Constructor_WhenPackagedPlanIsUsed_ShouldLoadTheSamplePlan()
    {
        // Arrange
        using var test = TestHost.WithPackagedPlan();

        // Act
        var plan = test.Host.Plan;

        // Assert
        Assert.Equal(PlanBuilder.Sample().Build().Name, plan.Name);
        Assert.Equal([Samples.AlarmArn], plan.Trigger.AlarmArns);
        Assert.Equal(Samples.AccountId, plan.Trigger.AccountId);
        Assert.Equal([Samples.ReplicaId], plan.Databases.Select(d => d.Id));
        Assert.Equal([Samples.SwitchId], plan.Switches.Select(s => s.Id));
        var wave = Assert.Single(plan.Waves);
        Assert.Equal("orders", wave.Tags["app"]);
        Assert.Equal(2, wave.BatchSize);
    }

    [Fact]
    public void Constructor_WhenBuilt_ShouldOfferEveryWorkflowService()
    {
        // Arrange
        using var test = TestHost.Create();

        // Act
        var host = test.Host;

        // Assert
        Assert.NotNull(host.Prepare);
        Assert.NotNull(host.Databases);
        Assert.NotNull(host.Servers);
        Assert.NotNull(host.Traffic);
        Assert.NotNull(host.Reports);
        Assert.NotNull(host.Notifications);
        Assert.NotNull(host.Trigger);
    }

    [Fact]
    public void Constructor_WhenPlanIsInvalidInANewSection_ShouldListTheErrorWithItsPath()
    {
        // Arrange
        var directory = TestHost.NewDirectory();
        var planPath = Path.Combine(directory, "plan.json");
        File.WriteAllText(planPath, PlanBuilder.Sample().WithServers(PlanBuilder.Servers(Samples.ServerId(1)) with { BatchSize = 201 }).WithDatabases(PlanBuilder.AuroraGlobal() with { TargetClusterArn = null }).ToJson());

        try
        {
            // Act
            var ex = Assert.Throws<PlanInvalidException>(() => new FunctionHost(TestHost.Settings(planPath), Ports(), new TriggerPorts(new FakeExecutionStarter(), new FakeAlarmStates(), new FakeStateMachine(new ManualClock())), new ManualClock(), TextWriter.Null));

            // Assert
            Assert.Equal(["$.databases[0].targetClusterArn", "$.servers.batchSize"], ex.Errors.Select(e => e.Path));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Constructor_WhenOptionalPortsAreMissing_ShouldLeaveTheirServicesNull()
    {
        // Arrange
        using var test = TestHost.Create(notifications: false, executions: false);

        // Act
        var host = test.Host;

        // Assert
        Assert.Null(host.Notifications);
        Assert.Null(host.Trigger);
        Assert.NotNull(host.Prepare);
    }

    [Theory]
    [InlineData(60, 58)]
    [InlineData(10, 9)]
    [InlineData(900, 898)]
    public void InvocationDeadline_WhenTheFunctionTimeoutNears_ShouldCancelShortlyBeforeIt(int timeoutSeconds, int cancelAtSeconds)
    {
        // Arrange
        using var test = TestHost.Create(settings: s => s with { FunctionTimeout = TimeSpan.FromSeconds(timeoutSeconds) });
        using var deadline = test.Host.InvocationDeadline();

        // Act
        test.Clock.Advance(TimeSpan.FromSeconds(cancelAtSeconds) - TimeSpan.FromMilliseconds(1));
        var before = deadline.IsCancellationRequested;
        test.Clock.Advance(TimeSpan.FromMilliseconds(1));

        // Assert
        Assert.False(before);
        Assert.True(deadline.IsCancellationRequested);
    }

    private static FunctionPorts Ports()
    {
        var clock = new ManualClock();
        return new(new FakeDatabaseInstances(), new FakeAuroraClusters(), new FakeReplicaLagReader(), new FakeRecoveryServers(clock), new FakeTrafficSwitch(), new FakeExecutionTimeline(), new FakeExecutionDetails(), new FakeDrillResources(), new FakeTrafficSwitch(), new FakeCapacity(clock), new FakeNotificationPublisher());
    }
}
