using System.Net;
using System.Text.Json;
using Failover.Aws.Adapters;
using Failover.Aws.Transport;
using Failover.Core.Ports;

namespace Failover.Aws.Tests.Wire;

[Collection(MotoCollection.Name)]
public sealed class SnsClientWireTests(MotoServer moto) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        using var cts = TestTimeout.Create();
        await moto.ResetAsync(cts.Token);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CreateTopicAsync_WhenCalledTwiceWithOneName_ShouldReturnTheSameArn()
    {
        using var cts = TestTimeout.Create();
        var sns = moto.Clients().Sns;

        var first = await sns.CreateTopicAsync("failover-notifications", cts.Token);
        var second = await sns.CreateTopicAsync("failover-notifications", cts.Token);

        Assert.Equal("arn:aws:sns:us-west-2:123456789012:failover-notifications", first);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task PublishAsync_WhenQueueIsSubscribed_ShouldDeliverTheSnsEnvelopeWithSubjectMessageAndAttributes()
    {
        using var cts = TestTimeout.Create();
        var clients = moto.Clients();
        var topicArn = await clients.Sns.CreateTopicAsync("failover-notifications", cts.Token);
        var queueUrl = await clients.Sqs.CreateQueueAsync("failover-inbox", cts.Token);
        var queueArn = (await clients.Sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"], cts.Token))["QueueArn"];
        var subscriptionArn = await clients.Sns.SubscribeAsync(topicArn, "sqs", queueArn, cts.Token);

        var messageId = await clients.Sns.PublishAsync(topicArn, "Failover started", "{\"plan\":\"orders\",\"mode\":\"drill\"}",
            new Dictionary<string, string> { ["plan"] = "orders", ["severity"] = "info" }, cts.Token);
        var received = await clients.Sqs.ReceiveMessageAsync(queueUrl, 10, 1, cts.Token);

        Assert.Equal("arn:aws:sqs:us-west-2:123456789012:failover-inbox", queueArn);
        Assert.StartsWith(topicArn + ":", subscriptionArn, StringComparison.Ordinal);
        var message = Assert.Single(received);
        Assert.False(string.IsNullOrEmpty(message.ReceiptHandle));
        using var envelope = JsonDocument.Parse(message.Body);
        var root = envelope.RootElement;
        Assert.Equal("Notification", root.GetProperty("Type").GetString());
        Assert.Equal(messageId, root.GetProperty("MessageId").GetString());
        Assert.Equal(topicArn, root.GetProperty("TopicArn").GetString());
        Assert.Equal("Failover started", root.GetProperty("Subject").GetString());
        Assert.Equal("{\"plan\":\"orders\",\"mode\":\"drill\"}", root.GetProperty("Message").GetString());
        var attributes = root.GetProperty("MessageAttributes");
        Assert.Equal("String", attributes.GetProperty("plan").GetProperty("Type").GetString());
        Assert.Equal("orders", attributes.GetProperty("plan").GetProperty("Value").GetString());
        Assert.Equal("String", attributes.GetProperty("severity").GetProperty("Type").GetString());
        Assert.Equal("info", attributes.GetProperty("severity").GetProperty("Value").GetString());
    }

    [Fact]
    public async Task SnsNotificationPublisherPublishAsync_WhenTopicExists_ShouldReturnTheMessageId()
    {
        using var cts = TestTimeout.Create();
        var clients = moto.Clients();
        var topicArn = await clients.Sns.CreateTopicAsync("failover-notifications", cts.Token);
        var publisher = new SnsNotificationPublisher(clients.Sns, topicArn);

        var id = await publisher.PublishAsync(new Notification("Subject with ünïcode & symbols", "body", new Dictionary<string, string>()), cts.Token);

        Assert.False(string.IsNullOrEmpty(id));
    }

    [Fact]
    public async Task PublishAsync_WhenTopicMissing_ShouldThrowNotFound()
    {
        using var cts = TestTimeout.Create();
        var sns = moto.Clients().Sns;

        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() =>
            sns.PublishAsync("arn:aws:sns:us-west-2:123456789012:missing-topic", "s", "m", new Dictionary<string, string>(), cts.Token));

        Assert.Equal("NotFound", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal("sns", ex.Service);
        Assert.Equal("Publish", ex.Operation);
    }
}
