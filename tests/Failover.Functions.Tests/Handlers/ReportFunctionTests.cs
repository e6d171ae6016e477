using System.Text.Json;
using Failover.Core;
using Failover.Core.Services;
using Failover.Testing;
using Failover.Functions.Tests.Hosting;

namespace Failover.Functions.Tests.Handlers;

/// <summary>ReportFunction: {"executionArn", "run"} in, the run report (README contract) out.</summary>
public sealed class ReportFunctionTests : IDisposable
{
    private readonly TestHost _test = TestHost.Create();
    private readonly ReportFunction _function;

    public ReportFunctionTests() => _function = new ReportFunction(_test.Host);

    [Fact]
    public async Task InvokeAsync_WhenTheRunSwitchedTraffic_ShouldWriteTheReportContract()
    {
        // Arrange
        _test.Timeline.With(Samples.ExecutionArn, new HistoryBuilder(ManualClock.DefaultStart)
            .At(0).Event("ExecutionStarted", payloadBytes: 512)
            .Task("Prepare", 0.1, 1.1)
            .Task("Check databases", 30, 30.5)
            .Task("Check databases", 60, 60.5)
            .Build());
        await using var input = TestHost.Input("""
            {
              "executionArn": "arn:aws:states:us-west-2:123456789012:execution:failover:orders-failover-20260801T1200Z",
              "run": {
                "plan": "orders", "mode": "failover", "executionName": "orders-failover-20260801T1200Z",
                "trigger": { "alarmArn": "arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-primary-outage", "alarmName": "orders-primary-outage",
                             "alarmTime": "2026-08-01T11:59:00+00:00" },
                "preparedAt": "2026-08-01T12:00:00+00:00",
                "rtoObjectiveSeconds": 900, "rpoObjectiveSeconds": 60,
                "databases": [ { "id": "orders-replica", "kind": "rds-instance-replica", "critical": true, "action": "promote-read-replica",
                                 "rpo": { "seconds": 2.5, "evidence": "ReplicaLag max 2.5 s" },
                                 "status": "writable", "detail": "writable", "promotionStartedAt": "2026-08-01T12:00:02+00:00" } ],
                "servers": null,
                "switches": [ { "id": "orders-web", "kind": "switch-metric", "status": "switched", "detail": "Failover/TrafficSwitch = 1",
                                "switchedAt": "2026-08-01T12:01:30+00:00" } ],
                "databasesWritable": true, "serversDone": true, "trafficInSync": true, "trafficSwitchedAt": "2026-08-01T12:01:30+00:00"
              }
            }
            """);

        // Act
        var text = await TestHost.ReadTextAsync(await _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.Equal([Samples.ExecutionArn], _test.Timeline.Calls);
        using var report = JsonDocument.Parse(text);
        var root = report.RootElement;
        Assert.Equal("succeeded", root.GetProperty("outcome").GetString());
        Assert.Equal(("failover", "orders"), (root.GetProperty("mode").GetString(), root.GetProperty("plan").GetString()));
        Assert.Equal(150, root.GetProperty("rtoSeconds").GetDouble());
        Assert.Equal(2.5, root.GetProperty("rpoSeconds").GetDouble());
        Assert.Equal((900, 60), (root.GetProperty("rtoObjectiveSeconds").GetInt32(), root.GetProperty("rpoObjectiveSeconds").GetInt32()));
        Assert.True(root.GetProperty("rpoObjectiveMet").GetBoolean());
        var evidence = Assert.Single(root.GetProperty("rpoEvidence").EnumerateArray());
        Assert.Equal(("orders-replica", 2.5, "ReplicaLag max 2.5 s"), (evidence.GetProperty("database").GetString(), evidence.GetProperty("estimateSeconds").GetDouble(), evidence.GetProperty("evidence").GetString()));
        var steps = root.GetProperty("steps");
        Assert.Equal(2, steps.GetArrayLength());
        Assert.Equal(("Check databases", 30.0, 30.5), (steps[1].GetProperty("name").GetString(), steps[1].GetProperty("startSeconds").GetDouble(), steps[1].GetProperty("durationSeconds").GetDouble()));
        Assert.Equal(2, root.GetProperty("resources").GetArrayLength());
        Assert.Equal("promote-read-replica: writable", root.GetProperty("resources")[0].GetProperty("detail").GetString());
        var execution = root.GetProperty("execution");
        Assert.Equal((Samples.ExecutionName, 16, 512), (execution.GetProperty("name").GetString(), execution.GetProperty("historyEvents").GetInt32(), execution.GetProperty("largestPayloadBytes").GetInt32()));
    }

    [Fact]
    public async Task InvokeAsync_WhenTheHistoryCannotBeRead_ShouldThrowAndLogTheErrorName()
    {
        // Arrange
        await using var input = TestHost.Input("""{"executionArn":"arn:aws:states:us-west-2:123456789012:execution:failover:missing","run":{"plan":"orders"}}""");

        // Act
        var ex = await Assert.ThrowsAsync<SimulatedAwsException>(() => _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.Equal("ExecutionDoesNotExist", ex.Code);
        using var log = JsonDocument.Parse(Assert.Single(_test.LogLines()));
        Assert.Equal(("ReportFunction", "SimulatedAwsException"), (log.RootElement.GetProperty("function").GetString(), log.RootElement.GetProperty("error").GetString()));
    }

    [Theory]
    [InlineData("""{"executionArn":5}""", "$.executionArn")]
    [InlineData("""{"executionArn":"arn","run":null}""", "$.run")]
    [InlineData("""{"executionArn":"arn","run":{"databases":{}}}""", "$.run.databases")]
    public async Task InvokeAsync_WhenInputIsNotAReportRequest_ShouldThrowInvalidRunInputSayingWhere(string json, string path)
    {
        // Arrange
        await using var input = TestHost.Input(json);

        // Act
        var ex = await Assert.ThrowsAsync<InvalidRunInputException>(() => _function.InvokeAsync(input, CancellationToken.None));

        // Assert
        Assert.StartsWith($"ReportFunction: input is not valid at {path}", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_test.Timeline.Calls);
    }

    public void Dispose() => _test.Dispose();
}
