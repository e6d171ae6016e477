using System.Text.Json;
using Failover.Core.Plans;
using Failover.Core.Services;
using Failover.Testing;
using Failover.Functions.Tests.Hosting;

namespace Failover.Functions.Tests.Handlers;

/// <summary>ScaleCapacityFunction: the run document in, the next version out; the same call starts and checks.</summary>
public sealed class ScaleCapacityFunctionTests : IDisposable
{
    private static readonly CapacityTarget Web = new() { Kind = CapacityKinds.AutoScalingGroup, Id = "web", Name = "orders-web", DesiredCapacity = 4, ReadyWithinSeconds = 300 };

    // The run as Prepare writes it for the group at its standby of 1.
    private const string PreparedRun = """
        {
          "plan": "orders", "mode": "failover", "executionName": "orders-failover-20260801T1200Z", "preparedAt": "2026-08-01T12:00:00+00:00",
          "capacity": [ { "id": "web", "kind": "auto-scaling-group", "critical": true, "target": 4, "minReady": 4, "reached": 1, "status": "pending" } ],
          "capacityReady": false
        }
        """;

    private readonly TestHost _test = TestHost.Create(PlanBuilder.Sample().Change(p => p with { Capacity = [Web] }));

    public ScaleCapacityFunctionTests() => _test.Capacity.With(Web, desired: 1);

    [Fact]
    public async Task InvokeAsync_WhenCalledToStartAndThenToCheck_ShouldScaleOnceAndReportInServiceWhenItArrives()
    {
        // Arrange
        var function = new ScaleCapacityFunction(_test.Host);

        // Act
        var started = await TestHost.ReadTextAsync(await function.InvokeAsync(TestHost.Input(PreparedRun), CancellationToken.None));
        _test.Clock.Advance(TimeSpan.FromMinutes(3));
        var checkedText = await TestHost.ReadTextAsync(await function.InvokeAsync(TestHost.Input(started), CancellationToken.None));

        // Assert
        Assert.Single(_test.Capacity.Updates);
        using var first = JsonDocument.Parse(started);
        Assert.Equal("scaling", first.RootElement.GetProperty("capacity")[0].GetProperty("status").GetString());
        Assert.False(first.RootElement.GetProperty("capacityReady").GetBoolean());
        using var second = JsonDocument.Parse(checkedText);
        var web = second.RootElement.GetProperty("capacity")[0];
        Assert.Equal(("in-service", 4), (web.GetProperty("status").GetString(), web.GetProperty("reached").GetInt32()));
        Assert.True(second.RootElement.GetProperty("capacityReady").GetBoolean());
    }

    [Fact]
    public async Task InvokeAsync_WhenCriticalCapacityIsLate_ShouldThrowTheErrorTheWorkflowFailsOn()
    {
        // Arrange
        var function = new ScaleCapacityFunction(_test.Host);
        _test.Capacity.ArrivalTime = null;
        var started = await TestHost.ReadTextAsync(await function.InvokeAsync(TestHost.Input(PreparedRun), CancellationToken.None));
        _test.Clock.Advance(TimeSpan.FromSeconds(301));

        // Act
        var ex = await Assert.ThrowsAsync<CapacityNotReadyException>(() => function.InvokeAsync(TestHost.Input(started), CancellationToken.None));

        // Assert
        Assert.Contains("Auto Scaling group orders-web", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _test.Dispose();
}
