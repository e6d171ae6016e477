using Failover.Core;
using Failover.Core.Tests.Support;
using Failover.Functions.Tests.Hosting;

namespace Failover.Functions.Tests.Handlers;

public sealed class NotifyFunctionTests : IDisposable
{
    private readonly TestHost _test = TestHost.Create();
    private readonly NotifyFunction _function;

    public NotifyFunctionTests() => _function = new NotifyFunction(_test.Host);

    [Fact]
    public async Task InvokeAsync_WhenPrepareFailed_ShouldPublishOneFailureWithTheError()
    {
        // Arrange: the document the state machine's "Notify failure" state sends when Prepare was caught.
        await using var input = TestHost.Input("""
            {
              "event": "failed",
              "state": {
                "request": { "mode": "failover", "reason": "drill" },
                "settings": { "databasePollSeconds": 30 },
                "error": { "Error": "ReadinessFailedException", "Cause": "Recovery region is not ready: database 'orders-replica' does not exist in us-west-2" }
              }
            }
            """);

        // Act
        var sent = await TestHost.ReadAsync(await _function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.NotificationSent);

        // Assert
        Assert.Equal("message-1", sent.MessageId);
        var notification = Assert.Single(_test.Notifications.Published);
        Assert.Equal("failed", notification.Attributes["outcome"]);
        Assert.Equal(Samples.PlanName, notification.Attributes["plan"]);
        Assert.Equal("[Failover] orders failover failed", notification.Subject);
        Assert.Contains("Error: ReadinessFailedException: Recovery region is not ready", notification.Body, StringComparison.Ordinal);
        Assert.Contains("Reason: drill", notification.Body, StringComparison.Ordinal);
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
        await using var input = TestHost.Input("""{"event":"failed","state":{}}""");

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
        await using var input = TestHost.Input("""{"event":"failed","state":{}}""");

        // Act
        await Assert.ThrowsAsync<SimulatedAwsException>(() => _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.Contains("\"error\":\"SimulatedAwsException\"", Assert.Single(_test.LogLines()), StringComparison.Ordinal);
    }

    public void Dispose() => _test.Dispose();
}
