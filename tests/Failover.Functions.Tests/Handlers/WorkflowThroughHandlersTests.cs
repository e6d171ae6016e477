using System.Text.Json;
using Failover.Core;
using Failover.Core.Reports;
using Failover.Core.Runs;
using Failover.Testing;
using Failover.Functions.Tests.Hosting;

namespace Failover.Functions.Tests.Handlers;

/// <summary>The happy path of the state machine, task by task, each handler fed the previous one's output.</summary>
public sealed class WorkflowThroughHandlersTests : IDisposable
{
    private readonly TestHost _test = TestHost.WithPackagedPlan();

    [Fact]
    public async Task Handlers_WhenChainedLikeTheStateMachine_ShouldPromoteLaunchSwitchReportAndNotifyEachPhaseOnce()
    {
        // Arrange: the packaged plan's replica, its switch metric, and three DRS servers tagged app=orders (batches of 2).
        _test.Databases.DescribesWhileModifying = 2;
        _test.Databases.AddReplica(Samples.ReplicaId);
        _test.ReplicaLag.SetLag(Samples.ReplicaId, 0.8);
        var serverIds = _test.Servers.AddServers(3, tags: new Dictionary<string, string> { ["app"] = "orders" });
        await using var alarmEvent = EventSamples.Open(EventSamples.MetricOkToAlarm);
        var trigger = await TestHost.ReadAsync(
            await new TriggerFunction(_test.Host).InvokeAsync(alarmEvent, CancellationToken.None),
            FailoverJson.Default.TriggerDecision);
        var start = Assert.Single(_test.Executions.Calls);

        // Act
        var prepared = await Run(new PrepareFunction(_test.Host).InvokeAsync, TestHost.PrepareInput(start.Input, start.Name));
        await Notify(NotificationEvents.Started, prepared);

        // Parallel branch 1: databases.
        var databases = await Run(new PromoteDatabasesFunction(_test.Host).InvokeAsync, prepared);
        var checks = 0;
        while (!databases.DatabasesWritable && checks < 10)
        {
            _test.Clock.Advance(TimeSpan.FromSeconds(30));
            databases = await Run(new CheckDatabasesFunction(_test.Host).InvokeAsync, databases);
            checks++;
        }

        // Parallel branch 2: servers (same clock: the branches run side by side).
        var servers = await Run(new StartRecoveryFunction(_test.Host).InvokeAsync, prepared);
        var serverChecks = 0;
        while (!servers.ServersDone && serverChecks < 10)
        {
            servers = await Run(new CheckRecoveryFunction(_test.Host).InvokeAsync, servers);
            serverChecks++;
        }

        // "Merge recovery" (a Pass state): the databases branch's run with the servers branch's part.
        var run = databases with { Servers = servers.Servers, ServersDone = servers.ServersDone };
        await Notify(NotificationEvents.Recovered, run);
        var switchedAt = _test.Clock.GetUtcNow();
        run = await Run(new SwitchTrafficFunction(_test.Host).InvokeAsync, run);
        await Notify(NotificationEvents.TrafficSwitched, run);
        _test.Timeline.With(Samples.ExecutionArn, new HistoryBuilder(ManualClock.DefaultStart)
            .At(0).Event("ExecutionStarted")
            .Task("Prepare", 0.1, 0.5)
            .Task("Check databases", 30, 30.2)
            .Task("Check databases", 60, 60.2)
            .Task("Switch traffic", 90, 90.3)
            .Build());
        var reportRequest = JsonSerializer.Serialize(new ReportRequest { ExecutionArn = Samples.ExecutionArn, Run = run }, FailoverJson.Default.ReportRequest);
        var report = await TestHost.ReadAsync(await new ReportFunction(_test.Host).InvokeAsync(TestHost.Input(reportRequest), CancellationToken.None), FailoverJson.Default.RunReport);
        await Notify(NotificationEvents.Succeeded, run);

        // Assert
        Assert.Equal(Samples.ExecutionName, trigger.ExecutionName);
        Assert.Equal(Samples.ExecutionName, prepared.ExecutionName);
        Assert.Equal(3, checks);
        Assert.Equal([Samples.ReplicaId], _test.Databases.PromoteCalls);
        Assert.Equal([[serverIds[0], serverIds[1]], [serverIds[2]]], _test.Servers.StartCalls.Select(s => s.ServerIds));
        Assert.All(_test.Servers.StartCalls, s => Assert.Equal(Samples.ExecutionName, s.Tags["failover:execution"]));
        Assert.Equal((ServerOutcomes.Launched, 3, 0), (run.Servers!.Outcome, run.Servers.Launched, run.Servers.Failed));
        Assert.Equal([Samples.SwitchId], _test.TrafficSwitch.Switched.Select(s => s.Id));
        Assert.True(run.TrafficInSync);
        Assert.Equal(Samples.AlarmTime, run.Trigger!.AlarmTime);
        Assert.Equal(switchedAt, run.TrafficSwitchedAt);
        var figures = RecoveryFigures.From(run);
        Assert.Equal(Math.Round((switchedAt - Samples.AlarmTime).TotalSeconds, 3), figures.RtoSeconds);
        Assert.Equal(0.8, figures.RpoSeconds);
        Assert.Equal((ReportOutcomes.Succeeded, figures.RtoSeconds, 0.8), (report.Outcome, report.RtoSeconds, report.RpoSeconds));
        Assert.Equal(["Prepare", "Check databases", "Switch traffic"], report.Steps.Select(s => s.Name));
        Assert.Equal(["database", "servers", "traffic-switch"], report.Resources.Select(r => r.Kind));
        var notifications = _test.Notifications.Published;
        Assert.Equal(["start", "recovery", "traffic", "end"], notifications.Select(n => n.Attributes["phase"]));
        Assert.Equal(["started", "succeeded", "succeeded", "succeeded"], notifications.Select(n => n.Attributes["outcome"]));
        Assert.Contains("RPO: 0.8 s", notifications[^1].Body, StringComparison.Ordinal);
        Assert.Contains("Servers: launched; 3 launched, 0 failed of 3 in 2 DRS job(s)", notifications[^1].Body, StringComparison.Ordinal);
    }

    public void Dispose() => _test.Dispose();

    private async Task Notify(string notificationEvent, RunState run)
    {
        var notify = JsonSerializer.Serialize(new NotifyRequest { Event = notificationEvent, State = new WorkflowState { Run = run } }, FailoverJson.Default.NotifyRequest);
        await TestHost.ReadAsync(await new NotifyFunction(_test.Host).InvokeAsync(TestHost.Input(notify), CancellationToken.None), FailoverJson.Default.NotificationSent);
    }

    private static async Task<RunState> Run(Func<Stream, CancellationToken, Task<Stream>> handler, RunState run) =>
        await Run(handler, JsonSerializer.Serialize(run, FailoverJson.Default.RunState));

    private static async Task<RunState> Run(Func<Stream, CancellationToken, Task<Stream>> handler, string input) =>
        await TestHost.ReadAsync(await handler(TestHost.Input(input), CancellationToken.None), FailoverJson.Default.RunState);
}
