using System.Text.Json;
using Failover.Core;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Testing;
using Failover.Functions.Tests.Hosting;

namespace Failover.Functions.Tests.Handlers;

public sealed class PrepareFunctionTests : IDisposable
{
    private readonly TestHost _test = TestHost.Create();
    private readonly PrepareFunction _function;

    public PrepareFunctionTests() => _function = new PrepareFunction(_test.Host);

    // Behaviour change: the Prepare task's input is now {"request": <execution input>, "executionName": ...}
    // (the state machine adds the execution's name, which tags what the run creates).
    [Fact]
    public async Task InvokeAsync_WhenOperatorStartsAFailover_ShouldReturnTheReadyRun()
    {
        // Arrange
        _test.Databases.AddReplica(Samples.ReplicaId);
        _test.ReplicaLag.SetLag(Samples.ReplicaId, 1.5);
        await using var input = TestHost.Input(TestHost.PrepareInput("""{"mode":"failover","reason":"drill"}"""));

        // Act
        var run = await TestHost.ReadAsync(await _function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.RunState);

        // Assert
        Assert.Equal((Samples.PlanName, RunModes.Failover, "drill"), (run.Plan, run.Mode, run.Reason));
        Assert.Equal(Samples.ExecutionName, run.ExecutionName);
        Assert.Equal(_test.Clock.GetUtcNow(), run.PreparedAt);
        var db = Assert.Single(run.Databases);
        Assert.Equal((Samples.ReplicaId, DatabaseStatuses.Ready, 1.5), (db.Id, db.Status, db.Rpo?.Seconds));
        Assert.Equal(Samples.SwitchId, Assert.Single(run.Switches).Id);
        Assert.Empty(_test.Databases.PromoteCalls);
        Assert.Empty(_test.LogLines());
    }

    [Fact]
    public async Task InvokeAsync_WhenOutputIsRead_ShouldUseCamelCaseAndOmitNulls()
    {
        // Arrange
        _test.Databases.AddReplica(Samples.ReplicaId);
        _test.ReplicaLag.SetLag(Samples.ReplicaId, 1.5);
        await using var input = TestHost.Input(TestHost.PrepareInput("""{"mode":"failover","reason":"drill"}"""));

        // Act
        var text = await TestHost.ReadTextAsync(await _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        using var output = JsonDocument.Parse(text);
        var root = output.RootElement;
        Assert.True(root.TryGetProperty("databasesWritable", out _));
        Assert.True(root.TryGetProperty("preparedAt", out _));
        Assert.False(root.TryGetProperty("trigger", out _));
        Assert.False(root.TryGetProperty("trafficSwitchedAt", out _));

        // Written even when null: the state machine's merge after the parallel recovery reads it.
        Assert.Equal(JsonValueKind.Null, root.GetProperty("servers").ValueKind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{\"request\":{\"mode\":")]
    [InlineData("{\"request\":{\"mode\":5}}")]
    [InlineData("{\"request\":null}")]
    [InlineData("[\"failover\"]")]
    [InlineData("{\"request\":{\"mode\":\"failover\",\"trigger\":{\"alarmTime\":\"yesterday\"}}}")]
    [InlineData("{\"request\":{\"mode\":\"failover\",\"scope\":{\"databases\":\"orders-replica\"}}}")]
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
        await using var input = TestHost.Input("""{"request":{"mode":5}}""");

        // Act
        var ex = await Assert.ThrowsAsync<InvalidRunInputException>(() => _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.StartsWith("PrepareFunction: input is not valid at $.request.mode", ex.Message, StringComparison.Ordinal);
    }

    // Behaviour change: drill is now a mode of the workflow; an unknown mode keeps the old expectation.
    [Fact]
    public async Task InvokeAsync_WhenModeIsUnknown_ShouldThrowInvalidRunInputAndLogIt()
    {
        // Arrange
        _test.Databases.AddReplica(Samples.ReplicaId);
        await using var input = TestHost.Input(TestHost.PrepareInput("""{"mode":"chaos","reason":"game day"}"""));

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
        await using var input = TestHost.Input(TestHost.PrepareInput("""{"mode":"failover","reason":"drill"}"""));

        // Act
        var ex = await Assert.ThrowsAsync<ReadinessFailedException>(() => _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.Contains("'orders-replica' does not exist in us-west-2", ex.Message, StringComparison.Ordinal);
        using var log = JsonDocument.Parse(Assert.Single(_test.LogLines()));
        Assert.Equal("ReadinessFailedException", log.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task InvokeAsync_WhenTheLagExceedsTheRpo_ShouldThrowRpoGateBlockedAndPromoteNothing()
    {
        // Arrange
        _test.Databases.AddReplica(Samples.ReplicaId);
        _test.ReplicaLag.SetLag(Samples.ReplicaId, 120);
        await using var input = TestHost.Input(TestHost.PrepareInput("""{"mode":"failover","reason":"outage"}"""));

        // Act
        var ex = await Assert.ThrowsAsync<RpoGateBlockedException>(() => _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.Contains("orders-replica: 120 s of writes at risk exceeds the RPO objective of 60 s", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_test.Databases.PromoteCalls);
        using var log = JsonDocument.Parse(Assert.Single(_test.LogLines()));
        Assert.Equal(nameof(RpoGateBlockedException), log.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task InvokeAsync_WhenTheInputAllowsDataLossAndNarrowsTheScope_ShouldRunOnlyThatScope()
    {
        // Arrange
        _test.Databases.AddReplica(Samples.ReplicaId);
        await using var input = TestHost.Input(TestHost.PrepareInput(
            """{"mode":"failover","reason":"outage","allowDataLoss":true,"scope":{"databases":["orders-replica"],"switches":[]}}"""));

        // Act
        var run = await TestHost.ReadAsync(await _function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.RunState);

        // Assert
        Assert.True(run.AllowDataLoss);
        Assert.Null(Assert.Single(run.Databases).Rpo?.Seconds);
        Assert.Empty(run.Switches);
        Assert.True(run.TrafficInSync);
    }

    [Fact]
    public async Task InvokeAsync_WhenTheScopeNamesAnUnknownDatabase_ShouldThrowInvalidRunInput()
    {
        // Arrange
        await using var input = TestHost.Input(TestHost.PrepareInput("""{"mode":"failover","scope":{"databases":["payments-replica"]}}"""));

        // Act
        var ex = await Assert.ThrowsAsync<InvalidRunInputException>(() => _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.Contains("database 'payments-replica'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_test.Databases.DescribeCalls);
    }

    // The scope may only narrow a run; a misspelt member of it ("database" for "databases") must not silently
    // widen the run to the whole plan. Plan members are refused when unknown for the same reason (RecoveryPlan).
    [Theory]
    [InlineData("""{"mode":"failover","scope":{"database":["orders-replica"]}}""")]
    [InlineData("""{"mode":"failover","scopes":{"databases":["orders-replica"]}}""")]
    [InlineData("""{"mode":"failover","allowDataloss":true}""")]
    public async Task InvokeAsync_WhenTheExecutionInputHasAnUnknownMember_ShouldThrowInvalidRunInputNamingIt(string request)
    {
        // Arrange
        _test.Databases.AddReplica(Samples.ReplicaId);
        _test.ReplicaLag.SetLag(Samples.ReplicaId, 1);
        await using var input = TestHost.Input(TestHost.PrepareInput(request));

        // Act
        var ex = await Record.ExceptionAsync(() => _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        var invalid = Assert.IsType<InvalidRunInputException>(ex);
        Assert.StartsWith("PrepareFunction: input is not valid at $.request", invalid.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _test.Dispose();
}
