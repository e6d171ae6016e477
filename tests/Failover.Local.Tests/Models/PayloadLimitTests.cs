using System.Text.Json.Nodes;
using Failover.Aws.Clients;
using Failover.Local.Models;

namespace Failover.Local.Tests.Models;

/// <summary><see cref="PayloadLimit"/> against the Step Functions Developer Guide "Step Functions service quotas"
/// (256 KiB of data as a UTF-8 encoded string per state input or output, task parameters and results).</summary>
public sealed class PayloadLimitTests
{
    [Fact]
    public void Measure_WhenEventsCarryInputOutputAndParameters_ShouldMeasureEachInUtf8BytesLargestFirst()
    {
        var history = new List<HistoryEvent>
        {
            Event(1, "TaskStateEntered", new JsonObject { ["name"] = "Prepare", ["input"] = "{\"a\":\"é\"}" }),
            Event(2, "LambdaFunctionScheduled", new JsonObject { ["input"] = "{\"b\":1234567}" }),
            Event(3, "TaskScheduled", new JsonObject { ["parameters"] = "{}" }),
            Event(4, "ExecutionSucceeded", new JsonObject { ["output"] = "{\"c\":1}" }),
        };

        var measured = PayloadLimit.Measure(history);

        // "é" is two bytes in UTF-8; events without a name belong to the state entered last.
        Assert.Equal(
            [("LambdaFunctionScheduled", "Prepare", "input", 13), ("TaskStateEntered", "Prepare", "input", 10), ("ExecutionSucceeded", "Prepare", "output", 7), ("TaskScheduled", "Prepare", "parameters", 2)],
            measured.Select(m => (m.EventType, m.State, m.Member, m.Bytes)));
    }

    [Theory]
    [InlineData(PayloadLimit.MaxBytes, false)]
    [InlineData(PayloadLimit.MaxBytes + 1, true)]
    public void OverLimit_WhenAPayloadIsAtOrPast256KiB_ShouldHoldOnlyPastIt(int bytes, bool over)
    {
        var history = new List<HistoryEvent> { Event(1, "ParallelStateExited", new JsonObject { ["name"] = "Recover", ["output"] = new string('x', bytes) }) };

        var largest = PayloadLimit.Measure(history)[0];

        Assert.Equal((bytes, over), (largest.Bytes, largest.OverLimit));
    }

    private static HistoryEvent Event(long id, string type, JsonObject details) => new(id, type, DateTimeOffset.UnixEpoch.AddSeconds(id), details);
}
