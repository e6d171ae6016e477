using System.Text.Json;
using Failover.Core;
using Failover.Core.Runs;
using Failover.Core.Tests.Support;
using Failover.Functions.Tests.Hosting;

namespace Failover.Functions.Tests.Handlers;

/// <summary>The happy path of the state machine, task by task, each handler fed the previous one's output.</summary>
public sealed class WorkflowThroughHandlersTests : IDisposable
{
    private readonly TestHost _test = TestHost.WithPackagedPlan();

    [Fact]
    public async Task Handlers_WhenChainedLikeTheStateMachine_ShouldPromoteSwitchAndNotifyOnce()
    {
        // Arrange
        _test.Databases.DescribesWhileModifying = 2;
        _test.Databases.AddReplica(Samples.ReplicaId);
        _test.ReplicaLag.SetLag(Samples.ReplicaId, 0.8);
        var trigger = await TestHost.ReadAsync(
            await new TriggerFunction(_test.Host).InvokeAsync(EventSamples.Open(EventSamples.MetricOkToAlarm), CancellationToken.None),
            FailoverJson.Default.TriggerDecision);
        var request = Assert.Single(_test.Executions.Calls).Input;

        // Act
        var run = await Run(new PrepareFunction(_test.Host).InvokeAsync, request);
        run = await Run(new PromoteDatabasesFunction(_test.Host).InvokeAsync, run);
        var checks = 0;
        do
        {
            _test.Clock.Advance(TimeSpan.FromSeconds(30));
            run = await Run(new CheckDatabasesFunction(_test.Host).InvokeAsync, run);
            checks++;
        }
        while (!run.DatabasesWritable && checks < 10);
        run = await Run(new SwitchTrafficFunction(_test.Host).InvokeAsync, run);
        var notify = JsonSerializer.Serialize(new NotifyRequest { Event = NotificationEvents.Succeeded, State = new WorkflowState { Run = run } }, FailoverJson.Default.NotifyRequest);
        var sent = await TestHost.ReadAsync(
            await new NotifyFunction(_test.Host).InvokeAsync(TestHost.Input(notify), CancellationToken.None),
            FailoverJson.Default.NotificationSent);

        // Assert
        Assert.Equal(Samples.ExecutionName, trigger.ExecutionName);
        Assert.Equal(3, checks);
        Assert.Equal([Samples.ReplicaId], _test.Databases.PromoteCalls);
        Assert.Equal([Samples.SwitchId], _test.TrafficSwitch.Switched.Select(s => s.Id));
        Assert.Equal(Samples.AlarmTime, run.Trigger!.AlarmTime);
        Assert.Equal(ManualClock.DefaultStart.AddSeconds(90), run.TrafficSwitchedAt);
        var figures = RecoveryFigures.From(run);
        Assert.Equal((ManualClock.DefaultStart.AddSeconds(90) - Samples.AlarmTime).TotalSeconds, figures.RtoSeconds);
        Assert.Equal(0.8, figures.RpoSeconds);
        Assert.Equal("message-1", sent.MessageId);
        var notification = Assert.Single(_test.Notifications.Published);
        Assert.Equal("succeeded", notification.Attributes["outcome"]);
        Assert.Contains("RPO: 0.8 s", notification.Body, StringComparison.Ordinal);
    }

    public void Dispose() => _test.Dispose();

    private static async Task<RunState> Run(Func<Stream, CancellationToken, Task<Stream>> handler, RunState run) =>
        await Run(handler, JsonSerializer.Serialize(run, FailoverJson.Default.RunState));

    private static async Task<RunState> Run(Func<Stream, CancellationToken, Task<Stream>> handler, string input) =>
        await TestHost.ReadAsync(await handler(TestHost.Input(input), CancellationToken.None), FailoverJson.Default.RunState);
}
