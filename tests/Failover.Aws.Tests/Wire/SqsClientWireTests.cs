using System.Net;
using Failover.Aws.Transport;

namespace Failover.Aws.Tests.Wire;

[Collection(MotoCollection.Name)]
public sealed class SqsClientWireTests(MotoServer moto) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        using var cts = TestTimeout.Create();
        await moto.ResetAsync(cts.Token);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CreateQueueAsync_WhenCalledTwiceWithOneName_ShouldReturnTheSameUrl()
    {
        using var cts = TestTimeout.Create();
        var sqs = moto.Clients().Sqs;

        var first = await sqs.CreateQueueAsync("inbox", cts.Token);
        var second = await sqs.CreateQueueAsync("inbox", cts.Token);

        Assert.EndsWith("/123456789012/inbox", first, StringComparison.Ordinal);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task ReceiveMessageAsync_WhenQueueIsEmpty_ShouldReturnNoMessages()
    {
        using var cts = TestTimeout.Create();
        var sqs = moto.Clients().Sqs;
        var url = await sqs.CreateQueueAsync("empty", cts.Token);

        var messages = await sqs.ReceiveMessageAsync(url, 1, 0, cts.Token);

        Assert.Empty(messages);
    }

    [Fact]
    public async Task ReceiveMessageAsync_WhenQueueMissing_ShouldThrowNotFound()
    {
        using var cts = TestTimeout.Create();
        var sqs = moto.Clients().Sqs;

        var ex = await Assert.ThrowsAnyAsync<AwsServiceException>(() => sqs.ReceiveMessageAsync(new Uri(moto.Endpoint, "123456789012/missing-queue").ToString(), 1, 0, cts.Token));

        // moto sends x-amzn-errortype: com.amazonaws.sqs#QueueDoesNotExist and
        // x-amzn-query-error: AWS.SimpleQueueService.NonExistentQueue;Sender (HTTP 400).
        Assert.IsType<AwsNotFoundException>(ex);
        Assert.True(ex.ErrorCode is "AWS.SimpleQueueService.NonExistentQueue" or "QueueDoesNotExist", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("sqs", ex.Service);
    }
}
