using Failover.Core;
using Failover.Core.Services;
using Failover.Testing;
using Failover.Functions.Tests.Hosting;

namespace Failover.Functions.Tests.Handlers;

public sealed class NotifyFunctionTests : IDisposable
{
    private readonly TestHost _test = TestHost.Create();
    private readonly NotifyFunction _function;

    public NotifyFunctionTests() => _function = new NotifyFunction(_test.Host);

    // The state machine no longer announces failures (NotifyFailureFunction does, from the execution status rule).
    [Fact]
    public async Task InvokeAsync_WhenAskedToAnnounceAFailure_ShouldRefuseItAndPublishNothing()
    {
        // Arrange: the document the removed "Notify failure" state used to send.
        await using var input = TestHost.Input("""{"event":"failed","state":{"request":{"mode":"failover","reason":"drill"},"error":{"Error":"ReadinessFailedException","Cause":"not ready"}}}""");

        // Act
        var ex = await Assert.ThrowsAsync<InvalidRunInputException>(() => _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.StartsWith("event 'failed' is not a phase of a run", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_test.Notifications.Published);
    }

    [Fact]
    public async Task InvokeAsync_WhenOutputIsRead_ShouldBeTheMessageIdInCamelCase()
    {
        // Arrange
        await using var input = TestHost.Input("""{"event":"succeeded","state":{"request":{"mode":"failover","reason":"drill"}}}""");

        // Act
        var text = await TestHost.ReadTextAsync(await _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.Equal("""{"messageId":"message-1"}""", text);
    }

    [Fact]
    public async Task InvokeAsync_WhenHostHasNoTopic_ShouldFailNamingTheVariable()
    {
        // Arrange
        using var test = TestHost.Create(notifications: false);
        var function = new NotifyFunction(test.Host);
        await using var input = TestHost.Input("""{"event":"succeeded","state":{}}""");

        // Act
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.Contains("TOPIC_ARN", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_WhenPublishFails_ShouldThrowAndLogTheErrorName()
    {
        // Arrange
        _test.Notifications.Failure = new SimulatedAwsException("KMSThrottling", "slow down");
        await using var input = TestHost.Input("""{"event":"succeeded","state":{}}""");

        // Act
        await Assert.ThrowsAsync<SimulatedAwsException>(() => _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.Contains("\"error\":\"SimulatedAwsException\"", Assert.Single(_test.LogLines()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_WhenRecoveryEndedWithFailedServers_ShouldPublishAPartialRecoveryNamingThem()
    {
        // Arrange: the document the state machine's "Notify recovery" state sends after the parallel recovery.
        await using var input = TestHost.Input("""
            {
              "event": "recovered",
              "state": {
                "request": { "mode": "failover", "reason": "outage" },
                "settings": { "databasePollSeconds": 30, "serverPollSeconds": 30, "trafficPollSeconds": 10 },
                "run": {
                  "plan": "orders", "mode": "failover", "reason": "outage", "executionName": "orders-failover-20260801T1200Z",
                  "preparedAt": "2026-08-01T12:00:00+00:00",
                  "databases": [ { "id": "orders-replica", "kind": "rds-instance-replica", "critical": true, "action": "promote-read-replica",
                                   "lagSeconds": 0.4, "status": "writable", "detail": "writable",
                                   "promotionStartedAt": "2026-08-01T12:00:05+00:00", "writableAt": "2026-08-01T12:04:00+00:00" } ],
                  "servers": { "total": 2, "batchSize": 100, "maxConcurrentJobs": 20,
                               "lagSeconds": 2, "jobs": [ { "batch": 0, "jobId": "drsjob-00000000000000001", "status": "COMPLETED" } ],
                               "launched": 1, "failed": 1, "failedServerIds": [ "s-00000000000000002" ], "outcome": "partial" },
                  "databasesWritable": true, "serversDone": true, "switches": [ { "id": "orders-web", "kind": "switch-metric" } ]
                }
              }
            }
            """);

        // Act
        await _function.InvokeAsync(input, CancellationToken.None);

        // Assert
        var notification = Assert.Single(_test.Notifications.Published);
        Assert.Equal("[Failover] orders failover recovered (partial)", notification.Subject);
        Assert.Equal(("recovery", "partial"), (notification.Attributes["phase"], notification.Attributes["outcome"]));
        Assert.Contains("Servers: partial; 1 launched, 1 failed of 2 in 1 DRS job(s)", notification.Body, StringComparison.Ordinal);
        Assert.Contains("Failed servers: s-00000000000000002", notification.Body, StringComparison.Ordinal);
        Assert.Contains("Database orders-replica: writable", notification.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_WhenTheRunStarts_ShouldPublishTheStartPhase()
    {
        // Arrange
        await using var input = TestHost.Input("""{"event":"started","state":{"request":{"mode":"failover","reason":"outage"},"run":{"plan":"orders","mode":"failover","reason":"outage"}}}""");

        // Act
        await _function.InvokeAsync(input, CancellationToken.None);

        // Assert
        var notification = Assert.Single(_test.Notifications.Published);
        Assert.Equal("[Failover] orders failover started", notification.Subject);
        Assert.Equal(("start", "started", "failover", "orders"), (notification.Attributes["phase"], notification.Attributes["outcome"], notification.Attributes["mode"], notification.Attributes["plan"]));
    }

    public void Dispose() => _test.Dispose();
}
