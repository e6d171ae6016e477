using Failover.Core.Plans;
using Failover.Core.Rpo;
using Failover.Core.Runs;
using Failover.Testing;

namespace Failover.Core.Tests.Rpo;

public sealed class RpoGateTests
{
    private static readonly IReadOnlyDictionary<string, RpoEstimate> NoneApproved = new Dictionary<string, RpoEstimate>();

    [Theory]
    [InlineData(RunModes.Failover)]
    [InlineData(RunModes.Switchover)]
    public void Judge_WhenAManualRunsReplicaExceedsTheObjective_ShouldBlockWhateverTheMode(string mode)
    {
        // Arrange: a switchover of an RDS replica promotes it like a failover: what it has not replicated is lost.
        var run = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId, lagSeconds: 61).Change(r => r with { Mode = mode }).Build();

        // Act
        var verdict = RpoGate.Judge(run, NoneApproved);

        // Assert
        Assert.StartsWith($"{Samples.ReplicaId}: 61 s of writes at risk exceeds the RPO objective of 60 s", Assert.Single(verdict.Blocked), StringComparison.Ordinal);
        Assert.Empty(verdict.NeedsApproval);
    }

    [Fact]
    public void Judge_WhenTheRunIsADrillOrTheInputAllowsDataLoss_ShouldLetEverythingThrough()
    {
        // Arrange
        var unknown = RunBuilder.Prepared().WithDatabase(Samples.ReplicaId, lagSeconds: -1).Build();

        // Act
        var drill = RpoGate.Judge(unknown with { Mode = RunModes.Drill }, NoneApproved);
        var allowed = RpoGate.Judge(unknown with { AllowDataLoss = true }, NoneApproved);

        // Assert
        Assert.Equal((0, 0, 0, 0), (drill.Blocked.Count, drill.NeedsApproval.Count, allowed.Blocked.Count, allowed.NeedsApproval.Count));
    }

    [Fact]
    public void Judge_WhenAGlobalDatabaseIsSwitchedOver_ShouldNotJudgeIt()
    {
        // Arrange: a switchover synchronises first and loses nothing.
        var run = RunBuilder.Prepared().WithGlobalDatabase(action: DatabaseActions.GlobalSwitchover, lagSeconds: 500).Build();

        // Act
        var verdict = RpoGate.Judge(run, NoneApproved);

        // Assert
        Assert.Empty(verdict.Blocked);
    }

    [Fact]
    public void Judge_WhenAnAutomaticRunIsWithinTheUnattendedBudget_ShouldGoOnAlthoughTheObjectiveIsExceeded()
    {
        // Arrange
        var run = Automatic(lagSeconds: 90, new DataLossPolicy { UnattendedBudgetSeconds = 120 });

        // Act
        var verdict = RpoGate.Judge(run, NoneApproved);

        // Assert
        Assert.Equal((0, 0), (verdict.Blocked.Count, verdict.NeedsApproval.Count));
    }

    [Fact]
    public void Judge_WhenAnAutomaticRunExceedsTheBudget_ShouldAskForApprovalByDefaultOrBlockWhenThePlanSays()
    {
        // Arrange
        var asks = Automatic(lagSeconds: 90, new DataLossPolicy());
        var blocks = Automatic(lagSeconds: 90, new DataLossPolicy { WhenOverBudget = DataLossActions.Block });

        // Act
        var askVerdict = RpoGate.Judge(asks, NoneApproved);
        var blockVerdict = RpoGate.Judge(blocks, NoneApproved);

        // Assert
        Assert.StartsWith($"{Samples.ReplicaId}: 90 s of writes at risk exceeds the unattended data-loss budget of 60 s", Assert.Single(askVerdict.NeedsApproval), StringComparison.Ordinal);
        Assert.Empty(askVerdict.Blocked);
        Assert.Single(blockVerdict.Blocked);
        Assert.Empty(blockVerdict.NeedsApproval);
    }

    [Theory]
    [InlineData(DataLossActions.AskApproval, 0, 1)]
    [InlineData(DataLossActions.Block, 1, 0)]
    [InlineData(DataLossActions.Proceed, 0, 0)]
    public void Judge_WhenAnAutomaticRunHasNoEvidence_ShouldFollowThePlansChoice(string whenUnknown, int blocked, int approval)
    {
        // Arrange
        var run = Automatic(lagSeconds: -1, new DataLossPolicy { WhenUnknown = whenUnknown });

        // Act
        var verdict = RpoGate.Judge(run, NoneApproved);

        // Assert
        Assert.Equal((blocked, approval), (verdict.Blocked.Count, verdict.NeedsApproval.Count));
    }

    [Fact]
    public void Judge_WhenAPersonApprovedTheEstimate_ShouldGoOnUnlessTheEstimateGrewSince()
    {
        // Arrange
        var run = Automatic(lagSeconds: 90, new DataLossPolicy());
        var approvedSame = new Dictionary<string, RpoEstimate> { [Samples.ReplicaId] = new() { Seconds = 90 } };
        var approvedLess = new Dictionary<string, RpoEstimate> { [Samples.ReplicaId] = new() { Seconds = 70 } };

        // Act
        var same = RpoGate.Judge(run, approvedSame);
        var grew = RpoGate.Judge(run, approvedLess);

        // Assert
        Assert.Equal((0, 0), (same.Blocked.Count, same.NeedsApproval.Count));
        Assert.EndsWith("more than was approved", Assert.Single(grew.Blocked), StringComparison.Ordinal);
    }

    private static RunState Automatic(double lagSeconds, DataLossPolicy policy) => RunBuilder.Prepared()
        .WithDatabase(Samples.ReplicaId, lagSeconds: lagSeconds)
        .Change(r => r with { Trigger = new TriggerInfo { AlarmArn = Samples.AlarmArn, AlarmName = "outage", AlarmTime = ManualClock.DefaultStart }, DataLoss = policy })
        .Build();
}
