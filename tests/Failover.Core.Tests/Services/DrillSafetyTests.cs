using Failover.Core.Plans;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Testing;

namespace Failover.Core.Tests.Services;

/// <summary>
/// A drill never promotes a replica or flips a switch, and a promotion RDS refuses fails the step at once. The
/// workflow tests see these too, but only as a run that waits out its 120 s promotion timeout; here they fail in
/// milliseconds, with the clock standing still.
/// </summary>
public sealed class DrillSafetyTests
{
    private static readonly TimeSpan PromotionTimeout = TimeSpan.FromMinutes(30);
    private readonly FakeDatabaseInstances _databases = new();
    private readonly FakeDrillResources _drill;
    private readonly FakeTrafficSwitch _switches = new();
    private readonly ManualClock _clock = new();
    private readonly DatabasePromotionService _service;

    public DrillSafetyTests()
    {
        _drill = new FakeDrillResources(_databases);
        _service = new DatabasePromotionService(
            new DatabasePorts(_databases, new FakeAuroraClusters(), new FakeReplicaLagReader(), _drill, Samples.RecoveryRegion, _ => DrillMethods.Copy), _clock, PromotionTimeout);
    }

    [Fact]
    public async Task PromoteAsync_WhenADrillRehearsesAReplica_ShouldCopyItTaggedWithTheExecutionAndNeverPromoteIt()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        var run = Drill(RunBuilder.Prepared().WithDatabase(Samples.ReplicaId));

        // Act
        var result = await _service.PromoteAsync(run, CancellationToken.None);

        // Assert
        Assert.Empty(_databases.PromoteCalls);
        var copy = Assert.Single(_drill.Copies);
        Assert.Equal(Samples.ReplicaId, copy.ReplicaId);
        Assert.Equal(Samples.ExecutionName, copy.Tags[DatabasePromotionService.DrillTag]);
        Assert.Equal((DatabaseStatuses.Copying, copy.CopyId), (result.Databases[0].Status, result.Databases[0].DrillCopyId));
        Assert.False(result.DatabasesWritable);
    }

    [Fact]
    public async Task CheckAsync_WhenTheDrillCopyIsAvailable_ShouldPromoteTheCopyOnlyAndLeaveTheReplicaAReplica()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        var run = await _service.PromoteAsync(Drill(RunBuilder.Prepared().WithDatabase(Samples.ReplicaId)), CancellationToken.None);
        var copyId = run.Databases[0].DrillCopyId!;

        // Act
        run = await _service.CheckAsync(run, CancellationToken.None);
        run = await _service.CheckAsync(run, CancellationToken.None);
        run = await _service.CheckAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal([copyId], _databases.PromoteCalls);
        Assert.Equal(DatabaseStatuses.Writable, run.Databases[0].Status);
        Assert.True(_databases.Peek(Samples.ReplicaId)!.IsReplica);
    }

    [Fact]
    public async Task CheckAsync_WhenRdsRefusesToPromoteTheDrillCopy_ShouldFailAtOnce()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        var run = await _service.PromoteAsync(Drill(RunBuilder.Prepared().WithDatabase(Samples.ReplicaId)), CancellationToken.None);
        _databases.PromoteFailure = new SimulatedAwsException("InvalidDBInstanceState", "DB instance is not in available state");

        // Act
        var ex = await Assert.ThrowsAsync<SimulatedAwsException>(() => _service.CheckAsync(run, CancellationToken.None));

        // Assert
        Assert.Equal("InvalidDBInstanceState", ex.Code);
        Assert.Equal([run.Databases[0].DrillCopyId!], _databases.PromoteCalls);
    }

    [Fact]
    public async Task PromoteAsync_WhenRdsRefusesToPromoteTheReplica_ShouldFailAtOnceInsteadOfWaitingForTheTimeout()
    {
        // Arrange
        _databases.AddReplica(Samples.ReplicaId);
        _databases.PromoteFailure = new SimulatedAwsException("InvalidDBInstanceState", "DB instance is not in available state");
        var run = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId).Build();

        // Act
        var ex = await Assert.ThrowsAsync<SimulatedAwsException>(() => _service.PromoteAsync(run, CancellationToken.None));

        // Assert
        Assert.Equal("InvalidDBInstanceState", ex.Code);
        Assert.Equal([Samples.ReplicaId], _databases.PromoteCalls);
    }

    [Fact]
    public async Task VerifyTrafficAsync_WhenTheRunIsNotADrill_ShouldRefuseAndTouchNoSwitch()
    {
        // Arrange
        var service = new DrillService(PlanBuilder.Sample().Build(), _switches);
        var run = RunBuilder.Prepared().WithSwitch(Samples.SwitchId).Build();

        // Act
        var ex = await Assert.ThrowsAsync<InvalidRunInputException>(() => service.VerifyTrafficAsync(run, CancellationToken.None));

        // Assert
        Assert.Contains("only in a drill; this run is a failover", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_switches.Switched);
    }

    [Fact]
    public async Task VerifyTrafficAsync_WhenADrillChecksItsSwitches_ShouldVerifyEachAndFlipNone()
    {
        // Arrange
        var service = new DrillService(PlanBuilder.Sample().Build(), _switches);
        var run = Drill(RunBuilder.Prepared().WithSwitch(Samples.SwitchId));

        // Act
        var result = await service.VerifyTrafficAsync(run, CancellationToken.None);

        // Assert
        Assert.Equal(SwitchStatuses.Verified, Assert.Single(result.Switches).Status);
        Assert.Empty(_switches.Switched);
        Assert.Null(result.TrafficSwitchedAt);
    }

    private static RunState Drill(RunBuilder builder) => builder.Change(r => r with { Mode = RunModes.Drill }).Build();
}
