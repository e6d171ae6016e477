using System.Text.Json;
using Failover.Core;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Testing;
using Failover.Functions.Tests.Hosting;

namespace Failover.Functions.Tests.Handlers;

/// <summary>StartRecoveryFunction and CheckRecoveryFunction: the run document in, the next version out.</summary>
public sealed class RecoveryFunctionsTests : IDisposable
{
    // The run as Prepare writes it for three servers in batches of two.
    private const string PreparedRun = """
        {
          "plan": "orders", "mode": "failover", "reason": "outage", "executionName": "orders-failover-20260801T1200Z",
          "preparedAt": "2026-08-01T12:00:00+00:00", "databases": [],
          "servers": {
            "total": 3, "criticalServerIds": [], "batchSize": 2, "maxConcurrentJobs": 20, "lagSeconds": 1.5,
            "jobs": [], "launched": 0, "failed": 0, "failedServerIds": [], "outcome": "pending"
          },
          "databasesWritable": true, "serversDone": false, "switches": [], "trafficInSync": true
        }
        """;

    private readonly TestHost _test = TestHost.Create(
        PlanBuilder.Sample().WithServers(PlanBuilder.Servers(Samples.ServerId(1), Samples.ServerId(2), Samples.ServerId(3)) with { BatchSize = 2 }),
        settings: s => s with { RecoveryTimeout = TimeSpan.FromMinutes(10) });

    public RecoveryFunctionsTests() => _test.Servers.AddServers(3);

    [Fact]
    public async Task StartInvokeAsync_WhenServersAreReady_ShouldStartOneJobPerBatchAndRecordThem()
    {
        // Arrange
        var function = new StartRecoveryFunction(_test.Host);
        await using var input = TestHost.Input(PreparedRun);

        // Act
        var text = await TestHost.ReadTextAsync(await function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.Equal([[Samples.ServerId(1), Samples.ServerId(2)], [Samples.ServerId(3)]], _test.Servers.StartCalls.Select(c => c.ServerIds));
        using var output = JsonDocument.Parse(text);
        var servers = output.RootElement.GetProperty("servers");
        Assert.Equal(2, servers.GetProperty("jobs").GetArrayLength());
        Assert.Equal(_test.Servers.StartCalls[0].JobId, servers.GetProperty("jobs")[0].GetProperty("jobId").GetString());
        Assert.Equal("PENDING", servers.GetProperty("jobs")[1].GetProperty("status").GetString());
        Assert.Equal(_test.Clock.GetUtcNow(), servers.GetProperty("startedAt").GetDateTimeOffset());
        Assert.False(output.RootElement.GetProperty("serversDone").GetBoolean());
        Assert.Empty(_test.LogLines());
    }

    [Fact]
    public async Task StartInvokeAsync_WhenTheRunHasNoServers_ShouldSayServersAreDoneAndStartNothing()
    {
        // Arrange
        var function = new StartRecoveryFunction(_test.Host);
        await using var input = TestHost.Input("""{"plan":"orders","mode":"failover","servers":null,"serversDone":true}""");

        // Act
        var run = await TestHost.ReadAsync(await function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.RunState);

        // Assert
        Assert.True(run.ServersDone);
        Assert.Null(run.Servers);
        Assert.Empty(_test.Servers.StartCalls);
    }

    [Fact]
    public async Task StartInvokeAsync_WhenInputIsNotARun_ShouldThrowInvalidRunInputNamingTheFunction()
    {
        // Arrange
        var function = new StartRecoveryFunction(_test.Host);
        await using var input = TestHost.Input("""{"servers":{"batchSize":"two"}}""");

        // Act
        var ex = await Assert.ThrowsAsync<InvalidRunInputException>(() => function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.StartsWith("StartRecoveryFunction: input is not valid at $.servers.batchSize", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_test.Servers.StartCalls);
    }

    [Fact]
    public async Task CheckInvokeAsync_WhenEveryJobCompletes_ShouldSummariseTheLaunches()
    {
        // Arrange
        var started = await TestHost.ReadTextAsync(await new StartRecoveryFunction(_test.Host).InvokeAsync(TestHost.Input(PreparedRun), CancellationToken.None));
        var function = new CheckRecoveryFunction(_test.Host);

        // Act
        var first = await TestHost.ReadTextAsync(await function.InvokeAsync(TestHost.Input(started), CancellationToken.None));
        var second = await TestHost.ReadAsync(await function.InvokeAsync(TestHost.Input(first), CancellationToken.None), FailoverJson.Default.RunState);

        // Assert
        using (var document = JsonDocument.Parse(first))
        {
            Assert.False(document.RootElement.GetProperty("serversDone").GetBoolean());
            Assert.Equal("STARTED", document.RootElement.GetProperty("servers").GetProperty("jobs")[0].GetProperty("status").GetString());
        }

        Assert.True(second.ServersDone);
        Assert.Equal((ServerOutcomes.Launched, 3, 0), (second.Servers!.Outcome, second.Servers.Launched, second.Servers.Failed));
        Assert.Equal(2, _test.Servers.StartCalls.Count);
    }

    [Fact]
    public async Task CheckInvokeAsync_WhenEveryServerFailsToLaunch_ShouldThrowServerRecoveryFailedAndLogIt()
    {
        // Arrange
        _test.Servers.FailLaunch(Samples.ServerId(1), Samples.ServerId(2), Samples.ServerId(3));
        var run = await TestHost.ReadTextAsync(await new StartRecoveryFunction(_test.Host).InvokeAsync(TestHost.Input(PreparedRun), CancellationToken.None));
        var function = new CheckRecoveryFunction(_test.Host);
        run = await TestHost.ReadTextAsync(await function.InvokeAsync(TestHost.Input(run), CancellationToken.None));

        // Act
        var ex = await Assert.ThrowsAsync<ServerRecoveryFailedException>(() => function.InvokeAsync(TestHost.Input(run), CancellationToken.None));

        // Assert
        Assert.Contains("(3 of 3 failed)", ex.Message, StringComparison.Ordinal);
        using var log = JsonDocument.Parse(Assert.Single(_test.LogLines()));
        Assert.Equal("CheckRecoveryFunction", log.RootElement.GetProperty("function").GetString());
        Assert.Equal(nameof(ServerRecoveryFailedException), log.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task CheckInvokeAsync_WhenJobsOutlastTheConfiguredRecoveryTimeout_ShouldThrowServerRecoveryTimeout()
    {
        // Arrange
        _test.Servers.DescribesUntilCompleted = int.MaxValue;
        var run = await TestHost.ReadTextAsync(await new StartRecoveryFunction(_test.Host).InvokeAsync(TestHost.Input(PreparedRun), CancellationToken.None));
        _test.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var function = new CheckRecoveryFunction(_test.Host);

        // Act
        var ex = await Assert.ThrowsAsync<ServerRecoveryTimeoutException>(() => function.InvokeAsync(TestHost.Input(run), CancellationToken.None));

        // Assert
        Assert.Equal("wave 'wave 1': 2 DRS job(s) unfinished and 0 server(s) not started after 600 s", ex.Message);
        Assert.Contains("\"error\":\"ServerRecoveryTimeoutException\"", Assert.Single(_test.LogLines()), StringComparison.Ordinal);
    }

    public void Dispose() => _test.Dispose();
}
