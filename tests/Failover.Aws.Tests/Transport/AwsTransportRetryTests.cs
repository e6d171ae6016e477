using System.Net;
using Failover.Aws.Transport;

namespace Failover.Aws.Tests.Transport;

public sealed class AwsTransportRetryTests : ScriptedAwsTest
{
    private readonly AutoAdvancingTimeProvider _clock = new();

    private AwsClients Clients(Func<AwsOptions, AwsOptions>? configure = null) => ScriptedAws.Clients(Server, Http, _clock, configure);

    [Fact]
    public async Task DescribeDBInstancesAsync_WhenThrottledTwiceThenAnswered_ShouldReturnTheAnswerAfterThreeRequests()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedAws.Throttling(), ScriptedAws.Throttling(), ScriptedAws.DescribeDBInstances("", "orders"));

        var instances = await Clients().Rds.DescribeDBInstancesAsync("orders", cts.Token);

        Assert.Equal("orders", Assert.Single(instances).DBInstanceIdentifier);
        Assert.Equal(3, Server.RequestCount);
    }

    [Fact]
    public async Task DescribeDBInstancesAsync_WhenThrottledOnEveryAttempt_ShouldThrowThrottlingAfterExactlyMaxAttempts()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedAws.Throttling(), ScriptedAws.Throttling(), ScriptedAws.Throttling(), ScriptedAws.DescribeDBInstances("", "orders"));

        var ex = await Assert.ThrowsAsync<AwsThrottlingException>(() => Clients(o => o with { MaxAttempts = 3 }).Rds.DescribeDBInstancesAsync("orders", cts.Token));

        Assert.Equal(3, Server.RequestCount);
        Assert.Equal("Throttling", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("req-throttled", ex.RequestId);
        Assert.Equal("Rate exceeded", ex.ServiceMessage);
        Assert.Null(ex.RetryAfter);
    }

    [Fact]
    public async Task DescribeDBInstancesAsync_WhenMaxAttemptsIsOne_ShouldNotRetryThrottling()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedAws.Throttling(), ScriptedAws.DescribeDBInstances("", "orders"));

        await Assert.ThrowsAsync<AwsThrottlingException>(() => Clients(o => o with { MaxAttempts = 1 }).Rds.DescribeDBInstancesAsync("orders", cts.Token));

        Assert.Equal(1, Server.RequestCount);
        Assert.Empty(_clock.Waits);
    }

    [Fact]
    public async Task DescribeDBInstancesAsync_When503OnARetrySafeRead_ShouldRetryAndSucceed()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.QueryError(503, "ServiceUnavailable", "try later"), ScriptedAws.DescribeDBInstances("", "orders"));

        var instances = await Clients().Rds.DescribeDBInstancesAsync("orders", cts.Token);

        Assert.Single(instances);
        Assert.Equal(2, Server.RequestCount);
    }

    [Fact]
    public async Task DescribeDBInstancesAsync_When503OnEveryAttempt_ShouldThrowTransientAfterMaxAttempts()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(Enumerable.Repeat(ScriptedResponse.QueryError(503, "ServiceUnavailable"), 3).ToArray());

        var ex = await Assert.ThrowsAsync<AwsTransientException>(() => Clients().Rds.DescribeDBInstancesAsync("orders", cts.Token));

        Assert.Equal(3, Server.RequestCount);
        Assert.Equal("ServiceUnavailable", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
    }

    [Fact]
    public async Task PromoteReadReplicaAsync_When503_ShouldThrowTransientAfterExactlyOneRequest()
    {
        // Not retry-safe: after a 5xx the promotion may or may not have started.
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.QueryError(503, "ServiceUnavailable"), ScriptedAws.PromoteReadReplica("orders-replica"));

        var ex = await Assert.ThrowsAsync<AwsTransientException>(() => Clients().Rds.PromoteReadReplicaAsync("orders-replica", null, cts.Token));

        Assert.Equal(1, Server.RequestCount);
        Assert.Equal("ServiceUnavailable", ex.ErrorCode);
        Assert.Equal("PromoteReadReplica", ex.Operation);
    }

    [Fact]
    public async Task PromoteReadReplicaAsync_WhenThrottled_ShouldRetryBecauseTheServiceDidNotAct()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedAws.Throttling(), ScriptedAws.PromoteReadReplica("orders-replica"));

        var promoted = await Clients().Rds.PromoteReadReplicaAsync("orders-replica", 7, cts.Token);

        Assert.Equal("orders-replica", promoted.DBInstanceIdentifier);
        Assert.Equal(2, Server.RequestCount);
        Assert.All(Server.Requests, r => Assert.Contains("BackupRetentionPeriod=7", r.BodyText, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublishAsync_When500_ShouldNotRepeatThePublish()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.QueryError(500, "InternalError"), ScriptedResponse.Xml(200, "<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>"));

        await Assert.ThrowsAsync<AwsTransientException>(() => Clients().Sns.PublishAsync("arn:aws:sns:us-west-2:123456789012:t", "s", "m", new Dictionary<string, string>(), cts.Token));

        Assert.Equal(1, Server.RequestCount);
    }

    [Fact]
    public async Task DescribeExecutionAsync_When429WithRetryAfter_ShouldWaitAtLeastRetryAfterBeforeRetrying()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(
            ScriptedResponse.Json(429, """{"__type":"ThrottlingException","message":"Rate exceeded"}""", new Dictionary<string, string> { ["Retry-After"] = "2" }),
            ScriptedAws.DescribeExecution("drill-1"));

        var execution = await Clients().StepFunctions.DescribeExecutionAsync("arn:aws:states:us-west-2:123456789012:execution:failover:drill-1", cts.Token);

        Assert.Equal("drill-1", execution.Name);
        Assert.Equal(2, Server.RequestCount);
        var wait = Assert.Single(_clock.Waits);
        Assert.True(wait >= TimeSpan.FromSeconds(2), $"waited {wait}");
    }

    [Fact]
    public async Task DescribeExecutionAsync_WhenRetryAfterPassesTheDeadline_ShouldThrowWithoutWaiting()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(
            ScriptedResponse.Json(429, """{"__type":"ThrottlingException","message":"slow down"}""", new Dictionary<string, string> { ["Retry-After"] = "30" }),
            ScriptedAws.DescribeExecution("drill-1"));

        var ex = await Assert.ThrowsAsync<AwsThrottlingException>(() =>
            Clients(o => o with { RetryDeadline = TimeSpan.FromSeconds(20) }).StepFunctions.DescribeExecutionAsync("arn:aws:states:us-west-2:123456789012:execution:failover:drill-1", cts.Token));

        Assert.Equal(1, Server.RequestCount);
        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Empty(_clock.Waits);
    }

    [Fact]
    public async Task DescribeDBInstancesAsync_WhenBackingOff_ShouldWaitWithinFullJitterBounds()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedAws.Throttling(), ScriptedAws.Throttling(), ScriptedAws.Throttling(), ScriptedAws.Throttling(), ScriptedAws.DescribeDBInstances("", "orders"));
        var baseDelay = TimeSpan.FromMilliseconds(100);

        await Clients(o => o with { MaxAttempts = 5, RetryBaseDelay = baseDelay }).Rds.DescribeDBInstancesAsync("orders", cts.Token);

        // Task.Delay skips the timer for a wait under 1 ms, so a (rare) tiny jitter leaves no entry.
        var waits = _clock.Waits;
        Assert.InRange(waits.Count, 1, 4);
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.Zero, baseDelay * 16));
        Assert.Equal(5, Server.RequestCount);
    }

    [Fact]
    public async Task DescribeDBInstancesAsync_WhenTheAttemptTimeoutElapses_ShouldThrowTransientRequestTimeout()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedAws.DescribeDBInstances("", "orders") with { Delay = TimeSpan.FromSeconds(20) });

        var ex = await Assert.ThrowsAsync<AwsTransientException>(() =>
            Clients(o => o with { MaxAttempts = 1, AttemptTimeout = TimeSpan.FromSeconds(1) }).Rds.DescribeDBInstancesAsync("orders", cts.Token));

        Assert.Equal("RequestTimeout", ex.ErrorCode);
        Assert.Null(ex.StatusCode);
        Assert.IsAssignableFrom<OperationCanceledException>(ex.InnerException);
        Assert.Equal(1, Server.RequestCount);
    }

    [Fact]
    public async Task DescribeDBInstancesAsync_WhenTheFirstAttemptTimesOut_ShouldRetryAndSucceed()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedAws.DescribeDBInstances("", "slow") with { Delay = TimeSpan.FromSeconds(20) }, ScriptedAws.DescribeDBInstances("", "orders"));

        var instances = await Clients(o => o with { AttemptTimeout = TimeSpan.FromSeconds(1) }).Rds.DescribeDBInstancesAsync("orders", cts.Token);

        Assert.Equal("orders", Assert.Single(instances).DBInstanceIdentifier);
        Assert.Equal(2, Server.RequestCount);
    }

    [Fact]
    public async Task DescribeDBInstancesAsync_WhenTheCallerCancels_ShouldThrowOperationCanceledNotTimeout()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedAws.DescribeDBInstances("", "orders") with { Delay = TimeSpan.FromSeconds(20) });
        using var wait = TestTimeout.Create();
        var call = Clients().Rds.DescribeDBInstancesAsync("orders", cts.Token);
        while (Server.RequestCount == 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), wait.Token);
        }

        await cts.CancelAsync();
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.True(cts.IsCancellationRequested);
        Assert.IsNotType<AwsTransientException>(ex.InnerException);
        Assert.Equal(1, Server.RequestCount);
    }

    [Fact]
    public async Task DescribeDBInstancesAsync_WhenNothingListens_ShouldThrowTransientConnectionFailure()
    {
        using var cts = TestTimeout.Create();
        var closed = new Uri($"http://127.0.0.1:{FreePort()}/");

        var ex = await Assert.ThrowsAsync<AwsTransientException>(() =>
            Clients(o => o with { EndpointUrl = closed, MaxAttempts = 2 }).Rds.DescribeDBInstancesAsync("orders", cts.Token));

        Assert.Equal("ConnectionFailure", ex.ErrorCode);
        Assert.IsType<HttpRequestException>(ex.InnerException);
    }

    [Fact]
    public async Task DescribeDBInstancesAsync_WhenTheReplyHasAMarker_ShouldSendItAndMergeThePages()
    {
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedAws.DescribeDBInstances("page+2/=", "a", "b"), ScriptedAws.DescribeDBInstances("", "c"));

        var instances = await Clients().Rds.DescribeDBInstancesAsync(null, cts.Token);

        Assert.Equal(["a", "b", "c"], instances.Select(i => i.DBInstanceIdentifier));
        Assert.Equal(2, Server.RequestCount);
        Assert.Equal("Action=DescribeDBInstances&Version=2014-10-31", Server.Requests[0].BodyText);
        Assert.Equal("Action=DescribeDBInstances&Version=2014-10-31&Marker=page%2B2%2F%3D", Server.Requests[1].BodyText);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
