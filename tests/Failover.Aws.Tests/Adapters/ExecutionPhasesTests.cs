using System.Text.Json.Nodes;
using Failover.Aws.Adapters;
using Failover.Aws.Clients;

namespace Failover.Aws.Tests.Adapters;

/// <summary>An execution's phases as <c>failover start --wait</c> and <c>status --watch</c> show them, from history events shaped as GetExecutionHistory returns them.</summary>
public sealed class ExecutionPhasesTests
{
    private const string ExecutionArn = "arn:aws:states:us-west-2:123456789012:execution:failover:orders-failover-20260801T120000Z-manual";
    private static readonly DateTimeOffset Start = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void From_WhenDatabasesAreBeingCheckedAndServersAreDone_ShouldShowBothBranchesWithTheirCounts()
    {
        // Arrange: the run as Check databases last handed it back: one of two databases writable, servers launched.
        var run = """{"run":{"plan":"orders","mode":"failover","approvalRequired":false,"databases":[{"id":"a","kind":"rds-instance-replica","status":"writable"},{"id":"b","kind":"rds-instance-replica","status":"promoting"}],"servers":{"total":3,"launched":3,"outcome":"launched"},"switches":[{"id":"web","kind":"switch-metric"}]}}""";
        var snapshot = Snapshot("RUNNING",
            Entered("PassStateEntered", "Load settings"), Entered("TaskStateEntered", "Prepare"), Entered("TaskStateEntered", "Notify start"),
            Entered("ChoiceStateEntered", "Approval required?"), Entered("ParallelStateEntered", "Recover"),
            Entered("TaskStateEntered", "Promote databases"), Entered("TaskStateEntered", "Start recovery"), Entered("PassStateEntered", "Servers recovered"),
            Entered("TaskStateEntered", "Check databases", run));

        // Act
        var phases = ExecutionPhases.From(snapshot);

        // Assert
        Assert.Equal(
            [
                new PhaseLine("prepare", "done", "failover of plan orders"),
                new PhaseLine("approval", "skipped", "not required"),
                new PhaseLine("databases", "running", "1/2 writable"),
                new PhaseLine("servers", "done", "3/3 launched"),
                new PhaseLine("compute", "pending", "none in the plan"),
                new PhaseLine("traffic", "pending", "0/1 switched"),
                new PhaseLine("report", "pending", ""),
            ],
            phases);
    }

    [Fact]
    public void From_WhenTheExecutionFailedWhileWaitingForApproval_ShouldMarkApprovalFailedWithTheErrorAndTheRestSkipped()
    {
        // Arrange
        var run = """{"run":{"plan":"orders","mode":"failover","approvalRequired":true,"databases":[],"switches":[]}}""";
        var snapshot = Snapshot("FAILED",
            Entered("TaskStateEntered", "Prepare", run), Entered("ChoiceStateEntered", "Approval required?"), Entered("TaskStateEntered", "Wait for approval"));

        // Act
        var phases = ExecutionPhases.From(snapshot);

        // Assert
        Assert.Equal(["done", "failed", "skipped", "skipped", "skipped", "skipped", "skipped"], phases.Select(p => p.Status));
        Assert.Equal("FAILED: States.Timeout (no answer in time)", phases[1].Detail);
    }

    [Fact]
    public void From_WhenCapacityIsScalingInItsBranch_ShouldCountItFromTheCapacityBranchsVersionOfTheRun()
    {
        // Arrange: the capacity branch's run has one of two entries in service; the databases branch's later version still
        // carries the capacity as Prepare left it (pending).
        var capacity = """{"run":{"plan":"orders","mode":"failover","databases":[],"capacity":[{"id":"web","kind":"auto-scaling-group","status":"in-service"},{"id":"api","kind":"ecs-service","status":"scaling"}],"switches":[]}}""";
        var stale = """{"run":{"plan":"orders","mode":"failover","databases":[],"capacity":[{"id":"web","kind":"auto-scaling-group","status":"pending"},{"id":"api","kind":"ecs-service","status":"pending"}],"switches":[]}}""";
        var snapshot = Snapshot("RUNNING",
            Entered("ParallelStateEntered", "Recover"), Entered("ChoiceStateEntered", "Capacity to scale?"),
            Entered("TaskStateEntered", "Scale compute", capacity), Entered("TaskStateEntered", "Check databases", stale));

        // Act
        var compute = ExecutionPhases.From(snapshot).Single(p => p.Phase == "compute");

        // Assert
        Assert.Equal(new PhaseLine("compute", "running", "1/2 in service"), compute);
    }

    [Fact]
    public void From_WhileWaitingForApproval_ShouldSayHowToApprove()
    {
        var snapshot = Snapshot("RUNNING", Entered("ChoiceStateEntered", "Approval required?"), Entered("TaskStateEntered", "Wait for approval"));

        var approval = ExecutionPhases.From(snapshot)[1];

        Assert.Equal(new PhaseLine("approval", "running", "waiting for a person: failover approve --token TOKEN (the token is in the approval notification)"), approval);
    }

    private static ExecutionSnapshot Snapshot(string status, params (string Type, string Name, string? Input)[] entered)
    {
        var history = entered.Select((e, i) => new HistoryEvent(i + 2, e.Type, Start.AddSeconds(i), new JsonObject { ["name"] = e.Name, ["input"] = e.Input }, i + 1)).ToList();
        var failed = status == "FAILED";
        return new ExecutionSnapshot(
            new DescribeExecutionResult(ExecutionArn, "orders-failover-20260801T120000Z-manual", status, Start, failed ? Start.AddMinutes(2) : null, null, null, failed ? "States.Timeout" : null, failed ? "no answer in time" : null),
            history);
    }

    private static (string Type, string Name, string? Input) Entered(string type, string name, string? input = null) => (type, name, input);
}
