using System.Text.Json;
using Failover.Aws.Adapters;
using Failover.Aws.Clients;
using Failover.Aws.Transport;
using Failover.Core;
using Failover.Core.Readiness;

namespace Failover.Aws.Tests.Wire;

[Collection(MotoCollection.Name)]
public sealed class SsmClientWireTests(MotoServer moto) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        using var cts = TestTimeout.Create();
        await moto.ResetAsync(cts.Token);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task PutParameterAsync_WhenWrittenTwice_ShouldOverwriteAndCountVersions()
    {
        // Arrange
        using var cts = TestTimeout.Create();
        var ssm = moto.Clients().Ssm;

        // Act
        var first = await ssm.PutParameterAsync("/failover/orders/readiness", "{\"ready\":true}", "Standard", cts.Token);
        var second = await ssm.PutParameterAsync("/failover/orders/readiness", "{\"ready\":false}", "Standard", cts.Token);
        var read = await ssm.GetParameterAsync("/failover/orders/readiness", cts.Token);

        // Assert
        Assert.Equal((1, 2), (first, second));
        Assert.Equal(new SsmParameter("/failover/orders/readiness", "{\"ready\":false}", 2), read);
    }

    [Fact]
    public async Task GetParameterAsync_WhenThereIsNone_ShouldThrowNotFound()
    {
        // Arrange
        using var cts = TestTimeout.Create();
        var ssm = moto.Clients().Ssm;

        // Act
        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() => ssm.GetParameterAsync("/failover/none/readiness", cts.Token));

        // Assert
        Assert.Equal("ParameterNotFound", ex.ErrorCode);
    }

    [Fact]
    public async Task SaveAsync_WhenTheEvaluationIsOverTheStandardTier_ShouldKeepTheFindingIdsInTheAdvancedTier()
    {
        // Arrange: 40 findings with long texts are well over 4 KB.
        using var cts = TestTimeout.Create();
        var store = new SsmReadinessStore(moto.Clients().Ssm, "orders");
        var evaluation = new ReadinessEvaluation
        {
            Plan = "orders",
            EvaluatedAt = DateTimeOffset.UnixEpoch,
            Findings = [.. Enumerable.Range(1, 40).Select(i => new ReadinessFinding($"server-not-replicating:s-{i:x17}", $"s-{i:x17}", new string('p', 200), new string('r', 100)))],
        };

        // Act
        await store.SaveAsync(evaluation, cts.Token);
        var stored = await store.ReadLastAsync(cts.Token);

        // Assert
        Assert.True(JsonSerializer.Serialize(evaluation, FailoverJson.Default.ReadinessEvaluation).Length > SsmClient.StandardValueLimit);
        Assert.Equal(evaluation.Findings.Select(f => f.Id), stored!.Findings.Select(f => f.Id));
        Assert.All(stored.Findings, f => Assert.Equal("", f.Problem));
        Assert.True(SsmReadinessStore.Value(evaluation).Length <= SsmClient.AdvancedValueLimit);
    }

    [Fact]
    public async Task ReadLastAsync_WhenNothingWasStored_ShouldReturnNull()
    {
        // Arrange
        using var cts = TestTimeout.Create();
        var store = new SsmReadinessStore(moto.Clients().Ssm, "orders");

        // Act
        var stored = await store.ReadLastAsync(cts.Token);

        // Assert
        Assert.Null(stored);
    }
}
