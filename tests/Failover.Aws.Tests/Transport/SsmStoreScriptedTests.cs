using Failover.Aws.Adapters;
using Failover.Aws.Transport;
using Failover.Core.Readiness;

namespace Failover.Aws.Tests.Transport;

/// <summary>What the readiness store sends SSM (moto does not enforce parameter tiers).</summary>
public sealed class SsmStoreScriptedTests : IAsyncLifetime
{
    private readonly ScriptedHttpServer _server = new();
    private readonly HttpClient _http = AwsTransport.CreateHttpClient();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task SaveAsync_WhenWritten_ShouldPutOverAnyTierWithIntelligentTieringOverJson11()
    {
        // Arrange: an Advanced parameter cannot be reverted to Standard (ps-default-tier.html); Intelligent-Tiering never asks to.
        using var cts = TestTimeout.Create();
        _server.Enqueue(ScriptedResponse.Json(200, """{"Version":3,"Tier":"Advanced"}"""));
        var store = new SsmReadinessStore(ScriptedAws.Clients(_server, _http).Ssm, "orders");

        // Act
        await store.SaveAsync(new ReadinessEvaluation { Plan = "orders", Ready = true }, cts.Token);

        // Assert
        var request = Assert.Single(_server.Requests);
        Assert.Equal("AmazonSSM.PutParameter", request.Header("X-Amz-Target"));
        Assert.StartsWith("application/x-amz-json-1.1", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Contains("\"Name\":\"/failover/orders/readiness\"", request.BodyText, StringComparison.Ordinal);
        Assert.Contains("\"Overwrite\":true,\"Tier\":\"Intelligent-Tiering\"", request.BodyText, StringComparison.Ordinal);
    }
}
