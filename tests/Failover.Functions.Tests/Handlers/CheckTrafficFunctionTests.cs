using System.Text.Json;
using Failover.Core;
using Failover.Core.Runs;
using Failover.Testing;
using Failover.Functions.Tests.Hosting;

namespace Failover.Functions.Tests.Handlers;

/// <summary>CheckTrafficFunction: follows the Route 53 record changes SwitchTrafficFunction made until INSYNC.</summary>
public sealed class CheckTrafficFunctionTests : IDisposable
{
    private readonly TestHost _test = TestHost.Create(PlanBuilder.Sample().WithSwitches(PlanBuilder.Switch(Samples.SwitchId), PlanBuilder.RecordSwitch("www")));
    private readonly CheckTrafficFunction _function;

    public CheckTrafficFunctionTests() => _function = new CheckTrafficFunction(_test.Host);

    [Fact]
    public async Task InvokeAsync_WhenTheRecordChangeBecomesInSync_ShouldReportTrafficInSync()
    {
        // Arrange: INSYNC on the third look (the first is SwitchTraffic's, right after the UPSERT).
        _test.TrafficSwitch.ChecksUntilInSync = 2;
        var run = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId, DatabaseStatuses.Writable)
            .WithSwitch(Samples.SwitchId).WithSwitch("www", kind: "record-upsert").Writable().Build();
        var switched = await TestHost.ReadTextAsync(
            await new SwitchTrafficFunction(_test.Host).InvokeAsync(TestHost.Input(JsonSerializer.Serialize(run, FailoverJson.Default.RunState)), CancellationToken.None));
        _test.Clock.Advance(TimeSpan.FromSeconds(10));

        // Act
        var first = await TestHost.ReadTextAsync(await _function.InvokeAsync(TestHost.Input(switched), CancellationToken.None));
        _test.Clock.Advance(TimeSpan.FromSeconds(10));
        var second = await TestHost.ReadAsync(await _function.InvokeAsync(TestHost.Input(first), CancellationToken.None), FailoverJson.Default.RunState);

        // Assert
        using (var document = JsonDocument.Parse(switched))
        {
            Assert.False(document.RootElement.GetProperty("trafficInSync").GetBoolean());
            var www = document.RootElement.GetProperty("switches")[1];
            Assert.Equal(("propagating", "C-www"), (www.GetProperty("status").GetString(), www.GetProperty("changeId").GetString()));
        }

        using (var document = JsonDocument.Parse(first))
        {
            Assert.False(document.RootElement.GetProperty("trafficInSync").GetBoolean());
        }

        Assert.True(second.TrafficInSync);
        Assert.Equal([SwitchStatuses.Switched, SwitchStatuses.Switched], second.Switches.Select(s => s.Status));
        Assert.Equal(ManualClock.DefaultStart.AddSeconds(20), second.TrafficSwitchedAt);
        Assert.Equal(["C-www", "C-www", "C-www"], _test.TrafficSwitch.InSyncCalls);
    }

    [Fact]
    public async Task InvokeAsync_WhenACheckIntervalIsSet_ShouldKeepLookingWithinTheInvocationUntilInSync()
    {
        // Arrange: CHECK_INTERVAL_MILLISECONDS 500; Route 53 reports the change INSYNC on the third look of this invocation.
        using var test = TestHost.Create(
            PlanBuilder.Sample().WithSwitches(PlanBuilder.RecordSwitch("www")),
            settings: s => s with { CheckInterval = TimeSpan.FromMilliseconds(500) });
        var run = RunBuilder.Prepared().WithSwitch("www", kind: "record-upsert").Writable().Build()
            with { Switches = [new SwitchRun { Id = "www", Kind = "record-upsert", Status = SwitchStatuses.Propagating, ChangeId = "C-www", RequestedAt = ManualClock.DefaultStart }] };
        test.TrafficSwitch.ChecksUntilInSync = 2;
        await test.TrafficSwitch.SwitchAsync(PlanBuilder.RecordSwitch("www"), "", CancellationToken.None);

        // Act
        var invocation = new CheckTrafficFunction(test.Host).InvokeAsync(TestHost.Input(JsonSerializer.Serialize(run, FailoverJson.Default.RunState)), CancellationToken.None);
        await test.Clock.RunUntilAsync(invocation, TimeSpan.FromMilliseconds(100));
        var result = await TestHost.ReadAsync(await invocation, FailoverJson.Default.RunState);

        // Assert: one invocation, three looks half a second apart.
        Assert.True(result.TrafficInSync);
        Assert.Equal(["C-www", "C-www", "C-www"], test.TrafficSwitch.InSyncCalls);
        Assert.Equal(ManualClock.DefaultStart.AddSeconds(1), result.TrafficSwitchedAt);
    }

    [Fact]
    public async Task InvokeAsync_WhenEverySwitchHasTakenEffect_ShouldAskRoute53Nothing()
    {
        // Arrange
        await using var input = TestHost.Input("""
            {"plan":"orders","mode":"failover","databasesWritable":true,"trafficSwitchedAt":"2026-08-01T12:05:00+00:00",
             "switches":[{"id":"orders-web","kind":"switch-metric","status":"switched","switchedAt":"2026-08-01T12:05:00+00:00"}]}
            """);

        // Act
        var run = await TestHost.ReadAsync(await _function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.RunState);

        // Assert
        Assert.True(run.TrafficInSync);
        Assert.Equal(new DateTimeOffset(2026, 8, 1, 12, 5, 0, TimeSpan.Zero), run.TrafficSwitchedAt);
        Assert.Empty(_test.TrafficSwitch.InSyncCalls);
    }

    [Fact]
    public async Task InvokeAsync_WhenRoute53DoesNotKnowTheChange_ShouldThrowAndLogTheErrorName()
    {
        // Arrange
        await using var input = TestHost.Input("""{"switches":[{"id":"www","kind":"record-upsert","status":"propagating","changeId":"C9999"}]}""");

        // Act
        var ex = await Assert.ThrowsAsync<SimulatedAwsException>(() => _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.Equal("NoSuchChange", ex.Code);
        using var log = JsonDocument.Parse(Assert.Single(_test.LogLines()));
        Assert.Equal("CheckTrafficFunction", log.RootElement.GetProperty("function").GetString());
    }

    public void Dispose() => _test.Dispose();
}
