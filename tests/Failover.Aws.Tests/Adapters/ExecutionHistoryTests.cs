using System.Text.Json.Nodes;
using Failover.Aws.Adapters;
using Failover.Aws.Clients;

namespace Failover.Aws.Tests.Adapters;

/// <summary>
/// History events reduced for the report and the failure notification. Events are shaped as GetExecutionHistory
/// returns them (HistoryEvent: id, previousEventId, type, the details of that type).
/// </summary>
public sealed class ExecutionHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);

    // Inside a Parallel state the branches interleave: the databases branch's failure comes after the servers branch
    // entered its next state, yet belongs to Promote databases (its previousEventId chain says so).
    [Fact]
    public void ToTimeline_WhenParallelBranchesInterleave_ShouldAttributeEachEventToItsOwnStateByPreviousEventId()
    {
        // Arrange
        HistoryEvent[] events =
        [
            Event(1, 0, "ExecutionStarted"),
            Event(2, 1, "ParallelStateEntered", "Recover"),
            Event(3, 2, "TaskStateEntered", "Promote databases"),
            Event(4, 2, "TaskStateEntered", "Start recovery"),
            Event(5, 3, "LambdaFunctionScheduled"),
            Event(6, 4, "LambdaFunctionScheduled"),
            Event(7, 6, "LambdaFunctionSucceeded"),
            Event(8, 7, "TaskStateExited", "Start recovery"),
            Event(9, 8, "ChoiceStateEntered", "Servers done?"),
            Event(10, 5, "LambdaFunctionFailed"),
            Event(11, 10, "ExecutionFailed"),
        ];

        // Act
        var timeline = ExecutionHistory.ToTimeline(events);

        // Assert
        Assert.Equal("Promote databases", timeline[9].StateName);
        Assert.Equal("Start recovery", timeline[6].StateName);
        Assert.Null(timeline[10].StateName);
        Assert.Equal("Promote databases", Failover.Core.Reports.ExecutionAttempts.EndedIn(timeline));
    }

    [Fact]
    public void ToTimeline_WhenEventsNameNoPreviousEvent_ShouldAttributeThemToTheStateEnteredLast()
    {
        // Arrange
        HistoryEvent[] events = [Event(1, 0, "ExecutionStarted"), Event(2, 0, "TaskStateEntered", "Prepare"), Event(3, 0, "LambdaFunctionScheduled")];

        // Act
        var timeline = ExecutionHistory.ToTimeline(events);

        // Assert
        Assert.Equal("Prepare", timeline[2].StateName);
    }

    [Fact]
    public void RunVersions_WhenStatesCarryTheRunInTheirInputAndOutput_ShouldListEveryVersionOldestFirst()
    {
        // Arrange
        HistoryEvent[] events =
        [
            Event(1, 0, "ExecutionStarted", input: """{"mode":"failover"}"""),
            Event(2, 1, "TaskStateEntered", "Switch traffic", input: """{"request":{},"run":{"plan":"orders","mode":"failover","executionName":"run-1"}}"""),
            Event(3, 2, "LambdaFunctionScheduled", input: """{"plan":"orders"}"""),
            Event(4, 3, "TaskStateExited", "Switch traffic", output: """{"request":{},"run":{"plan":"orders","mode":"failover","executionName":"run-1","trafficInSync":true}}"""),
        ];
        var snapshot = new ExecutionSnapshot(new DescribeExecutionResult("arn", "run-1", "FAILED", Start, Start, "{}", null, null, null), events);

        // Act
        var versions = snapshot.RunVersions;

        // Assert
        Assert.Equal([false, true], versions.Select(v => v.TrafficInSync));
    }

    private static HistoryEvent Event(long id, long previous, string type, string? state = null, string? input = null, string? output = null)
    {
        var details = new JsonObject();
        if (state is not null)
        {
            details["name"] = state;
        }

        if (input is not null)
        {
            details["input"] = input;
        }

        if (output is not null)
        {
            details["output"] = output;
        }

        return new HistoryEvent(id, type, Start.AddSeconds(id), details.Count == 0 ? null : details, previous);
    }
}
