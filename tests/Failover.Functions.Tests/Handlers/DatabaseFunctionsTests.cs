using System.Text.Json;
using Failover.Core;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Testing;
using Failover.Functions.Tests.Hosting;

namespace Failover.Functions.Tests.Handlers;

/// <summary>PromoteDatabasesFunction and CheckDatabasesFunction: the run document in, the next version out.</summary>
public sealed class DatabaseFunctionsTests : IDisposable
{
    private readonly TestHost _test = TestHost.Create(settings: s => s with { PromotionTimeout = TimeSpan.FromMinutes(5) });

    [Fact]
    public async Task PromoteInvokeAsync_WhenRunIsReady_ShouldPromoteTheReplicaOnce()
    {
        // Arrange
        _test.Databases.AddReplica(Samples.ReplicaId);
        var function = new PromoteDatabasesFunction(_test.Host);
        await using var input = TestHost.Input(Json(RunBuilder.Prepared().WithDatabase(Samples.ReplicaId).WithSwitch(Samples.SwitchId).Build()));

        // Act
        var run = await TestHost.ReadAsync(await function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.RunState);

        // Assert
        Assert.Equal([Samples.ReplicaId], _test.Databases.PromoteCalls);
        var db = Assert.Single(run.Databases);
        Assert.Equal(DatabaseStatuses.Promoting, db.Status);
        Assert.Equal(_test.Clock.GetUtcNow(), db.PromotionStartedAt);
    }

    [Fact]
    public async Task PromoteInvokeAsync_WhenInputIsNotARun_ShouldThrowInvalidRunInputNamingTheFunction()
    {
        // Arrange
        var function = new PromoteDatabasesFunction(_test.Host);
        await using var input = TestHost.Input("""{"databases":"orders-replica"}""");

        // Act
        var ex = await Assert.ThrowsAsync<InvalidRunInputException>(() => function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.StartsWith("PromoteDatabasesFunction: input is not valid at $.databases", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckInvokeAsync_WhenPromotionHasCompleted_ShouldReportWritable()
    {
        // Arrange
        _test.Databases.AddReplica(Samples.ReplicaId);
        var promoted = await TestHost.ReadAsync(
            await new PromoteDatabasesFunction(_test.Host).InvokeAsync(TestHost.Input(Json(RunBuilder.Prepared().WithDatabase(Samples.ReplicaId).Build())), CancellationToken.None),
            FailoverJson.Default.RunState);
        _test.Databases.CompletePromotion(Samples.ReplicaId);
        _test.Clock.Advance(TimeSpan.FromSeconds(45));
        var function = new CheckDatabasesFunction(_test.Host);
        await using var input = TestHost.Input(Json(promoted));

        // Act
        var run = await TestHost.ReadAsync(await function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.RunState);

        // Assert
        Assert.True(run.DatabasesWritable);
        Assert.Equal(ManualClock.DefaultStart.AddSeconds(45), Assert.Single(run.Databases).WritableAt);
    }

    [Fact]
    public async Task CheckInvokeAsync_WhenPromotionOutlastsTheConfiguredTimeout_ShouldThrowPromotionTimeout()
    {
        // Arrange
        _test.Databases.DescribesWhileModifying = int.MaxValue;
        _test.Databases.AddReplica(Samples.ReplicaId);
        var run = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId, DatabaseStatuses.Promoting, promotionStartedAt: ManualClock.DefaultStart).Build();
        _test.Databases.SetStatus(Samples.ReplicaId, "modifying");
        _test.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var function = new CheckDatabasesFunction(_test.Host);
        await using var input = TestHost.Input(Json(run));

        // Act
        var ex = await Assert.ThrowsAsync<DatabasePromotionTimeoutException>(() => function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.Contains("not writable after 300 s", ex.Message, StringComparison.Ordinal);
        using var log = JsonDocument.Parse(Assert.Single(_test.LogLines()));
        Assert.Equal("CheckDatabasesFunction", log.RootElement.GetProperty("function").GetString());
        Assert.Equal(nameof(DatabasePromotionTimeoutException), log.RootElement.GetProperty("error").GetString());
    }

    public void Dispose() => _test.Dispose();

    private static string Json(RunState run) => JsonSerializer.Serialize(run, FailoverJson.Default.RunState);
}
