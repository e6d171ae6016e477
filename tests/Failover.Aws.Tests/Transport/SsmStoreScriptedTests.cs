using Failover.Aws.Adapters;
using Failover.Aws.Transport;
using Failover.Core.Readiness;

namespace Failover.Aws.Tests.Transport;

/// <summary>What the readiness store sends SSM (moto does not enforce parameter tiers).</summary>
public sealed class SsmStoreScriptedTests : ScriptedAwsTest
{
    [Fact]
    public async Task SaveAsync_WhenWritten_ShouldPutOverAnyTierWithIntelligentTieringOverJson11()
    {
        // Arrange: an Advanced parameter cannot be reverted to Standard (ps-default-tier.html); Intelligent-Tiering never asks to.
        using var cts = TestTimeout.Create();
        Server.Enqueue(ScriptedResponse.Json(200, """{"Version":3,"Tier":"Advanced"}"""));
        var store = new SsmReadinessStore(ScriptedAws.Clients(Server, Http).Ssm, "orders");

        // Act
        await store.SaveAsync(new ReadinessEvaluation { Plan = "orders", Ready = true }, cts.Token);

        // Assert
        var request = Assert.Single(Server.Requests);
        Assert.Equal("AmazonSSM.PutParameter", request.Header("X-Amz-Target"));
        Assert.StartsWith("application/x-amz-json-1.1", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Contains("\"Name\":\"/failover/orders/readiness\"", request.BodyText, StringComparison.Ordinal);
        Assert.Contains("\"Overwrite\":true,\"Tier\":\"Intelligent-Tiering\"", request.BodyText, StringComparison.Ordinal);
    }
}
