using Failover.Core.Ports;
using Failover.Core.Runs;

namespace Failover.Core.Reports;

/// <summary>Input of the Report task: the execution (for its history) and the run.</summary>
public sealed record ReportRequest
{
    /// <summary>The Step Functions execution's ARN, whose history (GetExecutionHistory) gives the per-step timings.</summary>
    public string ExecutionArn { get; set; } = "";

    /// <summary>The run as the workflow left it.</summary>
    public RunState Run { get; set; } = new();
}

/// <summary>Builds the run's report at the end of the workflow: per-step timings from the execution's own history.</summary>
public sealed class ReportService(IExecutionTimeline timeline, int rtoObjectiveSeconds)
{
    /// <summary>The report: outcome, RTO/RPO, steps aggregated by state, per-resource outcomes; it is the execution's
    /// output, so a large plan's is kept within <see cref="ReportBuilder.OutputBudgetBytes"/>.</summary>
    public async Task<RunReport> ReportAsync(ReportRequest request, CancellationToken cancellationToken)
    {
        var history = await timeline.ReadAsync(request.ExecutionArn, cancellationToken);
        var run = request.Run;
        var steps = ReportBuilder.Aggregate(ReportBuilder.Timeline(history, executionEnded: false));
        var report = ReportBuilder.WithFigures(new RunReport
        {
            Outcome = run.HasFindings ? ReportOutcomes.Partial : ReportOutcomes.Succeeded,
            Mode = run.Mode,
            Plan = run.Plan,
            Steps = steps,
            Drill = run.IsDrill ? ReportBuilder.Drill(run, steps, rtoObjectiveSeconds) : null,
            Resources = ReportBuilder.Resources(run),
            Execution = new ExecutionReport
            {
                Name = run.ExecutionName,
                Status = "RUNNING",
                HistoryEvents = history.Count,
                LargestPayloadBytes = history.Count == 0 ? 0 : history.Max(e => e.PayloadBytes),
            },
        }, run);
        var startedAt = history.Count == 0 ? (DateTimeOffset?)null : history[0].Timestamp;
        return ReportBuilder.WithinOutputBudget(ReportBuilder.WithExecution(report, request.ExecutionArn, startedAt, null, run));
    }
}
