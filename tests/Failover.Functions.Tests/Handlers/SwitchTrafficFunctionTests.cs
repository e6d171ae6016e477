using System.Text.Json;
using Failover.Core;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Testing;
using Failover.Functions.Tests.Hosting;

namespace Failover.Functions.Tests.Handlers;

public sealed class SwitchTrafficFunctionTests : IDisposable
{
    private readonly TestHost _test = TestHost.Create();
    private readonly SwitchTrafficFunction _function;

    public SwitchTrafficFunctionTests() => _function = new SwitchTrafficFunction(_test.Host);

    [Fact]
    public async Task InvokeAsync_WhenDatabasesAreWritable_ShouldFlipThePlansSwitch()
    {
        // Arrange
        var run = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId, DatabaseStatuses.Writable).WithSwitch(Samples.SwitchId).Writable().Build();
        await using var input = TestHost.Input(JsonSerializer.Serialize(run, FailoverJson.Default.RunState));

        // Act
        var result = await TestHost.ReadAsync(await _function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.RunState);

        // Assert
        var target = Assert.Single(_test.TrafficSwitch.Switched);
        Assert.Equal((Samples.SwitchId, Samples.SwitchNamespace, Samples.SwitchMetric), (target.Id, target.Namespace, target.MetricName));
        Assert.Equal("switched", Assert.Single(result.Switches).Status);
        Assert.Equal(_test.Clock.GetUtcNow(), result.TrafficSwitchedAt);
    }

    [Fact]
    public async Task InvokeAsync_WhenDatabasesAreNotWritable_ShouldRefuseAndSwitchNothing()
    {
        // Arrange
        var run = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId, DatabaseStatuses.Promoting).WithSwitch(Samples.SwitchId).Build();
        await using var input = TestHost.Input(JsonSerializer.Serialize(run, FailoverJson.Default.RunState));

        // Act
        await Assert.ThrowsAsync<TrafficSwitchRefusedException>(() => _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.Empty(_test.TrafficSwitch.Switched);
        using var log = JsonDocument.Parse(Assert.Single(_test.LogLines()));
        Assert.Equal(nameof(TrafficSwitchRefusedException), log.RootElement.GetProperty("error").GetString());
    }

    public void Dispose() => _test.Dispose();
}
