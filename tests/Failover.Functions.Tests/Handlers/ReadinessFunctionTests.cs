using System.Text.Json;
using Failover.Core;
using Failover.Testing;
using Failover.Functions.Tests.Hosting;

namespace Failover.Functions.Tests.Handlers;

/// <summary>The Readiness handler on its schedule's event: evaluates, publishes, stores, tells the team of a change.</summary>
public sealed class ReadinessFunctionTests : IDisposable
{
    private readonly TestHost _test = TestHost.Create();

    [Fact]
    public async Task InvokeAsync_WhenTheScheduleDeliversItsEventAndAReplicaStoppedReplicating_ShouldReturnStoreAndNotifyTheFinding()
    {
        // Arrange
        _test.Databases.AddReplica(Samples.ReplicaId).SetReplicationStatus(Samples.ReplicaId, "error");
        _test.ReplicaLag.SetLag(Samples.ReplicaId, 2);
        _test.Drills.LastSuccessful = _test.Clock.GetUtcNow().AddDays(-1);
        var function = new ReadinessFunction(_test.Host);

        // Act
        await using var input = EventSamples.Open(EventSamples.ScheduledEventDoc);
        var evaluation = await TestHost.ReadAsync(await function.InvokeAsync(input, CancellationToken.None), FailoverJson.Default.ReadinessEvaluation);

        // Assert
        Assert.False(evaluation.Ready);
        Assert.Equal($"replica-not-replicating:{Samples.ReplicaId}", Assert.Single(evaluation.Findings).Id);
        Assert.Equal(evaluation.Findings, _test.ReadinessOutputs.Stored!.Findings);
        Assert.Single(_test.ReadinessOutputs.Published);
        Assert.Equal("readiness", Assert.Single(_test.Notifications.Published).Attributes["phase"]);
        using var log = JsonDocument.Parse(Assert.Single(_test.LogLines()));
        Assert.Equal(("aws.events", $"replica-not-replicating:{Samples.ReplicaId}", "true"),
            (log.RootElement.GetProperty("source").GetString(), log.RootElement.GetProperty("findings").GetString(), log.RootElement.GetProperty("notified").GetString()));
    }

    [Fact]
    public async Task InvokeAsync_WhenTheStateIsUnchanged_ShouldNotNotifyAgain()
    {
        // Arrange
        _test.Databases.AddReplica(Samples.ReplicaId);
        _test.ReplicaLag.SetLag(Samples.ReplicaId, 2);
        var function = new ReadinessFunction(_test.Host);

        // Act: no drill ever succeeded, twice.
        foreach (var _ in Enumerable.Range(0, 2))
        {
            await using var input = TestHost.Input("""{"source":"failover.cli"}""");
            await function.InvokeAsync(input, CancellationToken.None);
        }

        // Assert
        Assert.Single(_test.Notifications.Published);
        Assert.Equal(2, _test.ReadinessOutputs.Published.Count);
        Assert.Equal("drill-overdue", Assert.Single(_test.ReadinessOutputs.Stored!.Findings).Id);
    }

    public void Dispose() => _test.Dispose();
}
