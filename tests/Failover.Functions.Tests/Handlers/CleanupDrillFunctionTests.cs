using System.Text.Json;
using Failover.Core;
using Failover.Core.Ports;
using Failover.Core.Services;
using Failover.Testing;
using Failover.Functions.Tests.Hosting;

namespace Failover.Functions.Tests.Handlers;

/// <summary>
/// The CleanupDrill handler over in-memory drill resources: it waits for DRS drill launches within the function's
/// timeout (60 s, less the 15 s kept for the work itself) and fails naming what is still launching.
/// </summary>
public sealed class CleanupDrillFunctionTests : IDisposable
{
    private const string Execution = "orders-drill-20260801T120000Z-manual";

    private readonly TestHost _test = TestHost.Create();
    private readonly CleanupDrillFunction _function;

    public CleanupDrillFunctionTests() => _function = new CleanupDrillFunction(_test.Host);

    [Fact]
    public async Task InvokeAsync_WhenALaunchCompletesWithinTheWait_ShouldTerminateItsInstanceWithTheOthers()
    {
        // Arrange
        _test.Drill
            .With(new DrillResource(DrillResourceKinds.RecoveryInstance, "i-00000000000000001"), Execution)
            .WithLaunch(Execution, "drsjob-00000000000000002", _test.Clock.GetUtcNow().AddSeconds(20), "i-00000000000000002");
        await using var input = TestHost.Input($$"""{"executionName":"{{Execution}}"}""");

        // Act
        var pending = _function.InvokeAsync(input, CancellationToken.None);
        await _test.Clock.RunUntilAsync(pending, TimeSpan.FromSeconds(1));
        var cleanup = await TestHost.ReadAsync(await pending, FailoverJson.Default.DrillCleanup);

        // Assert
        Assert.Equal(["recovery-instance i-00000000000000001", "recovery-instance i-00000000000000002"], cleanup.Removed);
        Assert.Single(_test.Drill.TerminateCalls);
        Assert.Equal(ManualClock.DefaultStart.AddSeconds(22), cleanup.CompletedAt);
    }

    [Fact]
    public async Task InvokeAsync_WhenALaunchOutlastsTheFunctionsWait_ShouldFailNamingTheLaunch()
    {
        // Arrange
        _test.Drill.WithLaunch(Execution, "drsjob-00000000000000002", _test.Clock.GetUtcNow().AddMinutes(10), "i-00000000000000002");
        await using var input = TestHost.Input($$"""{"executionName":"{{Execution}}"}""");

        // Act
        var pending = _function.InvokeAsync(input, CancellationToken.None);
        await _test.Clock.RunUntilAsync(pending, TimeSpan.FromSeconds(1));
        var ex = await Assert.ThrowsAsync<DrillLaunchesInProgressException>(() => pending);

        // Assert: the exception's type name is the Step Functions error name.
        Assert.Contains("DRS drill job drsjob-00000000000000002 is still launching 1 server(s) after 45 s", ex.Message, StringComparison.Ordinal);
        using var log = JsonDocument.Parse(Assert.Single(_test.LogLines()));
        Assert.Equal(nameof(DrillLaunchesInProgressException), log.RootElement.GetProperty("error").GetString());
        Assert.Empty(_test.Drill.TerminateCalls);
    }

    public void Dispose() => _test.Dispose();
}
