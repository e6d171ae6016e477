using System.Text.Json;
using System.Text.Json.Nodes;
using Failover.Aws.Clients;
using Failover.Core;
using Failover.Core.Reports;
using Failover.Core.Runs;

namespace Failover.Aws.Adapters;

/// <summary>An execution as the report sees it: its status, its history and the run as far as it got.</summary>
public sealed record ExecutionSnapshot(DescribeExecutionResult Execution, IReadOnlyList<HistoryEvent> History)
{
    /// <summary>The run as far as it got: the last state input that carries one.</summary>
    public RunState? Run
    {
        get
        {
            foreach (var e in History.Reverse())
            {
                if (e.Details?["input"]?.GetValue<string>() is { } input && JsonNode.Parse(input)?["run"] is JsonObject run)
                {
                    return run.Deserialize(FailoverJson.Default.RunState);
                }
            }

            return null;
        }
    }

    /// <summary>Every version of the run the history holds (state inputs and outputs that carry one), oldest first.</summary>
    public IReadOnlyList<RunState> RunVersions =>
    [
        .. History
            .SelectMany(e => new[] { e.Details?["input"], e.Details?["output"] })
            .Select(payload => payload?.GetValue<string>() is { } json && JsonNode.Parse(json) is JsonObject document && document["run"] is JsonObject run ? run : null)
            .OfType<JsonObject>()
            .Select(run => run.Deserialize(FailoverJson.Default.RunState))
            .OfType<RunState>(),
    ];
}

/// <summary>Reads an execution and builds its run report (the contract of <c>--json</c>), for the CLI and the simulation.</summary>
public static class ExecutionReports
{
    /// <summary>Reads the execution's description and whole history.</summary>
    public static async Task<ExecutionSnapshot> ReadAsync(StepFunctionsClient stepFunctions, string executionArn, CancellationToken cancellationToken) =>
        new(await stepFunctions.DescribeExecutionAsync(executionArn, cancellationToken), await stepFunctions.GetExecutionHistoryAsync(executionArn, cancellationToken));

    /// <summary>The report of an execution; <paramref name="checks"/> and <paramref name="extraResources"/> come from whoever can check the end state.</summary>
    public static RunReport Build(ExecutionSnapshot snapshot, IReadOnlyList<CheckReport> checks, IReadOnlyList<ResourceReport> extraResources)
    {
        var final = snapshot.Execution;
        var timeline = ExecutionHistory.ToTimeline(snapshot.History);
        var run = snapshot.Run;
        var report = ReportBuilder.WithFigures(new RunReport
        {
            Outcome = final.Status == "RUNNING" ? "running" : ReportBuilder.Outcome(final.Status, final.Error, run, checks),
            Mode = run?.Mode ?? RunModes.Failover,
            Plan = run?.Plan ?? "",
            Steps = ReportBuilder.Aggregate(ReportBuilder.Timeline(timeline, executionEnded: final.Status != "RUNNING")),
            Resources = [.. run is null ? [] : ReportBuilder.Resources(run), .. extraResources],
            Checks = checks,
            Drill = final.Output is { } output && JsonSerializer.Deserialize(output, FailoverJson.Default.RunReport) is { Drill: { } drill } ? drill : null,
            Execution = new ExecutionReport
            {
                Name = final.Name,
                Status = final.Status,
                HistoryEvents = snapshot.History.Count,
                LargestPayloadBytes = timeline.Count == 0 ? 0 : timeline.Max(e => e.PayloadBytes),
            },
        }, run);
        return ReportBuilder.WithExecution(report, final.ExecutionArn, final.StartDate, final.StopDate, run);
    }
}
