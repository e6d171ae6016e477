using System.Text.Json;
using Failover.Core;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Core.Tests.Support;
using Failover.Functions.Tests.Hosting;

namespace Failover.Functions.Tests.Handlers;

public sealed class PrepareFunctionTests : IDisposable
{
    private readonly TestHost _test = TestHost.Create();
    private readonly PrepareFunction _function;

    public PrepareFunctionTests() => _function = new PrepareFunction(_test.Host);

    [Fact]
    public async Task InvokeAsync_WhenOperatorStartsAFailover_ShouldReturnTheReadyRun()
    {
        // Arrange
        _test.Databases.AddReplica(Samples.ReplicaId);
        _test.ReplicaLag.SetLag(Samples.ReplicaId, 1.5);
        await using var input = TestHost.Input("""{"mode":"failover","reason":"drill"}""");

        // Act
        var run = await TestHost.ReadAsync(await _function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.RunState);

        // Assert
        Assert.Equal((Samples.PlanName, RunModes.Failover, "drill"), (run.Plan, run.Mode, run.Reason));
        Assert.Equal(_test.Clock.GetUtcNow(), run.PreparedAt);
        var db = Assert.Single(run.Databases);
        Assert.Equal((Samples.ReplicaId, DatabaseStatuses.Ready, 1.5), (db.Id, db.Status, db.LagSeconds));
        Assert.Equal(Samples.SwitchId, Assert.Single(run.Switches).Id);
        Assert.Empty(_test.Databases.PromoteCalls);
        Assert.Empty(_test.LogLines());
    }

    [Fact]
    public async Task InvokeAsync_WhenOutputIsRead_ShouldUseCamelCaseAndOmitNulls()
    {
        // Arrange
        _test.Databases.AddReplica(Samples.ReplicaId);
        await using var input = TestHost.Input("""{"mode":"failover","reason":"drill"}""");

        // Act
        var text = await TestHost.ReadTextAsync(await _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        using var output = JsonDocument.Parse(text);
        var root = output.RootElement;
        Assert.True(root.TryGetProperty("databasesWritable", out _));
        Assert.True(root.TryGetProperty("preparedAt", out _));
        Assert.False(root.TryGetProperty("trigger", out _));
        Assert.False(root.TryGetProperty("trafficSwitchedAt", out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{\"mode\":")]
    [InlineData("{\"mode\":5}")]
    [InlineData("[\"failover\"]")]
    [InlineData("{\"mode\":\"failover\",\"trigger\":{\"alarmTime\":\"yesterday\"}}")]
    public async Task InvokeAsync_WhenInputIsMalformed_ShouldThrowInvalidRunInputNamingTheFunction(string json)
    {
        // Arrange
        await using var input = TestHost.Input(json);

        // Act
        var ex = await Assert.ThrowsAsync<InvalidRunInputException>(() => _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.StartsWith("PrepareFunction: input ", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_test.Databases.DescribeCalls);
    }

    [Fact]
    public async Task InvokeAsync_WhenInputHasAWrongType_ShouldSayWhere()
    {
        // Arrange
        await using var input = TestHost.Input("""{"mode":5}""");

        // Act
        var ex = await Assert.ThrowsAsync<InvalidRunInputException>(() => _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.StartsWith("PrepareFunction: input is not valid at $.mode", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_WhenModeIsADrill_ShouldThrowInvalidRunInputAndLogIt()
    {
        // Arrange
        _test.Databases.AddReplica(Samples.ReplicaId);
        await using var input = TestHost.Input("""{"mode":"drill","reason":"game day"}""");

        // Act
        var ex = await Assert.ThrowsAsync<InvalidRunInputException>(() => _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        using var log = JsonDocument.Parse(Assert.Single(_test.LogLines()));
        Assert.Equal("ERROR", log.RootElement.GetProperty("level").GetString());
        Assert.Equal("PrepareFunction", log.RootElement.GetProperty("function").GetString());
        Assert.Equal(nameof(InvalidRunInputException), log.RootElement.GetProperty("error").GetString());
        Assert.Equal(ex.Message, log.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task InvokeAsync_WhenReplicaIsMissing_ShouldThrowReadinessFailedWithItsTypeNameLogged()
    {
        // Arrange
        await using var input = TestHost.Input("""{"mode":"failover","reason":"drill"}""");

        // Act
        var ex = await Assert.ThrowsAsync<ReadinessFailedException>(() => _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.Contains("'orders-replica' does not exist in us-west-2", ex.Message, StringComparison.Ordinal);
        using var log = JsonDocument.Parse(Assert.Single(_test.LogLines()));
        Assert.Equal("ReadinessFailedException", log.RootElement.GetProperty("error").GetString());
    }

    public void Dispose() => _test.Dispose();
}
