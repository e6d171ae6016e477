using Failover.Core.Runs;

namespace Failover.Core.Reports;

/// <summary>Builds the run report from the execution's history and final state.</summary>
public static class ReportBuilder
{
    /// <summary>The timeline: one step per state visit, in order; Wait, Choice and Pass states are folded away.</summary>
    /// <param name="executionEnded">False while the execution runs (the Report task reads its own history): states still
    /// open are then "running", not "failed".</param>
    public static IReadOnlyList<StepReport> Timeline(IReadOnlyList<ExecutionHistoryEvent> history, bool executionEnded = true)
    {
        var start = history.Count > 0 ? history[0].Timestamp : default;
        var steps = new List<StepReport>();
        var open = new Dictionary<string, ExecutionHistoryEvent>(StringComparer.Ordinal);
        string? failedState = null;
        foreach (var e in history)
        {
            if (e.StateName is null)
            {
                continue;
            }

            if (e.Type is "TaskStateEntered" or "SucceedStateEntered" or "FailStateEntered")
            {
                open[e.StateName] = e;
                failedState = null;
            }
            else if (e.Type is "TaskStateExited" or "SucceedStateExited" or "FailStateExited" && open.Remove(e.StateName, out var entered))
            {
                var outcome = failedState == e.StateName || e.Type == "FailStateExited" ? "failed" : "succeeded";
                steps.Add(new StepReport(e.StateName, outcome, Seconds(entered.Timestamp - start), Seconds(e.Timestamp - entered.Timestamp)));
            }

            if (e.Type is "TaskFailed" or "LambdaFunctionFailed" or "LambdaFunctionTimedOut" or "TaskTimedOut")
            {
                failedState = e.StateName;
            }
            else if (e.Type is "TaskSucceeded" or "LambdaFunctionSucceeded" && failedState == e.StateName)
            {
                // A retry of the same state succeeded.
                failedState = null;
            }
        }

        // A state still open at the end: the execution failed or stopped inside it (a Fail state has no exit
        // event), or, while it runs, is still in it.
        steps.AddRange(open.Values.Select(e => new StepReport(e.StateName!, executionEnded ? "failed" : "running", Seconds(e.Timestamp - start), 0)));
        return steps;
    }

    /// <summary>One step per state: first start, time from first entry to last exit, outcome of the last visit (poll loops fold into one line).</summary>
    public static IReadOnlyList<StepReport> Aggregate(IReadOnlyList<StepReport> steps) =>
    [
        .. steps.GroupBy(s => s.Name).Select(g =>
        {
            var first = g.First();
            var last = g.Last();
            return new StepReport(g.Key, last.Outcome, first.StartSeconds, Math.Round(last.StartSeconds + last.DurationSeconds - first.StartSeconds, 3));
        }).OrderBy(s => s.StartSeconds),
    ];

    /// <summary>The report with the run's RTO and RPO, their objectives, whether each was met, and every database's evidence.</summary>
    public static RunReport WithFigures(RunReport report, RunState? run)
    {
        if (run is null)
        {
            return report;
        }

        var figures = RecoveryFigures.From(run);
        var promoted = run.Databases.Where(d => d.PromotionStartedAt is not null && d.Action != DatabaseActions.GlobalSwitchover).ToList();
        return report with
        {
            Waves = Waves(run),
            RtoSeconds = figures.RtoSeconds,
            RpoSeconds = figures.RpoSeconds,
            RtoObjectiveSeconds = run.RtoObjectiveSeconds,
            RpoObjectiveSeconds = run.RpoObjectiveSeconds,
            RtoObjectiveMet = figures.RtoSeconds is { } rto ? rto <= run.RtoObjectiveSeconds : null,
            RpoObjectiveMet = run.Databases.All(d => d.PromotionStartedAt is null) ? null : promoted.All(d => d.Rpo?.Meets(run.RpoObjectiveSeconds) == true),
            RpoEvidence = [.. run.Databases.Select(d => new DatabaseRpoReport(d.Id, d.Rpo?.Seconds, d.Rpo?.Evidence ?? "not read", run.RpoObjectiveSeconds,
                d.PromotionStartedAt is null ? null : d.Action == DatabaseActions.GlobalSwitchover || d.Rpo?.Meets(run.RpoObjectiveSeconds) == true))],
        };
    }

    /// <summary>The report with where and when its execution ran, and why.</summary>
    public static RunReport WithExecution(RunReport report, string executionArn, DateTimeOffset? startedAt, DateTimeOffset? endedAt, RunState? run) => report with
    {
        ExecutionArn = executionArn,
        Region = Arn.TryParse(executionArn, out var arn) ? arn.Region : null,
        StartedAt = startedAt,
        EndedAt = endedAt,
        Reason = run?.Reason,
    };

    /// <summary>Each wave of servers the run started, with its start, duration and outcome.</summary>
    public static IReadOnlyList<WaveReport> Waves(RunState run) =>
    [
        .. (run.Servers?.Waves ?? []).Select(w => new WaveReport(w.Name, w.Outcome, w.StartedAt,
            w is { StartedAt: { } start, CompletedAt: { } end } ? Math.Round((end - start).TotalSeconds, 3) : null, w.Total, w.Launched, w.Failed, w.FailedServerIds)),
    ];

    /// <summary>The most the report may take as the execution's output: a quarter of Step Functions' 256 KiB per
    /// payload (Step Functions Developer Guide, "Step Functions service quotas"), so a large plan stays far from it.</summary>
    public const int OutputBudgetBytes = 48 * 1024;

    // Resource outcomes that need no one's attention.
    private static readonly HashSet<string> ExpectedOutcomes =
        [DatabaseStatuses.Writable, DatabaseStatuses.Verified, SwitchStatuses.Switched, SwitchStatuses.Verified, ServerOutcomes.Launched, CapacityStatuses.InService, CapacityStatuses.Verified];

    /// <summary>
    /// The report as the execution's output: whole while it fits <see cref="OutputBudgetBytes"/>; past it, without the
    /// resources and RPO evidence that need no attention, then without the last of the rest until it fits, counted in
    /// <see cref="RunReport.EntriesLeftOut"/>. No entry that needs attention is left out while one that does not
    /// remains.
    /// </summary>
    public static RunReport WithinOutputBudget(RunReport report)
    {
        if (Size(report) <= OutputBudgetBytes)
        {
            return report;
        }

        var resources = report.Resources.Where(r => !ExpectedOutcomes.Contains(r.Outcome)).ToList();
        var evidence = report.RpoEvidence.Where(e => e.Met != true).ToList();
        var total = report.Resources.Count + report.RpoEvidence.Count;
        var fitted = report with { Resources = resources, RpoEvidence = evidence, EntriesLeftOut = total - resources.Count - evidence.Count };
        while (Size(fitted) > OutputBudgetBytes && resources.Count + evidence.Count > 0)
        {
            var longer = resources.Count >= evidence.Count;
            if (longer)
            {
                resources.RemoveRange(resources.Count / 2, resources.Count - (resources.Count / 2));
            }
            else
            {
                evidence.RemoveRange(evidence.Count / 2, evidence.Count - (evidence.Count / 2));
            }

            fitted = fitted with { Resources = [.. resources], RpoEvidence = [.. evidence], EntriesLeftOut = total - resources.Count - evidence.Count };
        }

        return fitted;
    }

    private static int Size(RunReport report) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(report, FailoverJson.Default.RunReport).Length;

    /// <summary>Per-resource outcomes from the final run state; servers as one summary line (per-server detail lives in DRS).</summary>
    public static IReadOnlyList<ResourceReport> Resources(RunState run) =>
    [
        .. run.Databases.Select(d => new ResourceReport("database", d.Id, d.Status, $"{d.Action}: {d.Detail}")),
        .. run.Servers is { } servers
            ? [new ResourceReport("servers", $"{servers.Total} DRS source servers", servers.Outcome,
                $"{servers.Launched} launched, {servers.Failed} failed{(servers.FailedServerIds.Count > 0 ? ": " + string.Join(", ", servers.FailedServerIds.Take(20)) : "")}")]
            : Array.Empty<ResourceReport>(),
        .. run.Switches.Select(s => new ResourceReport("traffic-switch", s.Id, s.Status, s.Detail)),
        .. run.Capacity.Select(c => new ResourceReport("capacity", c.Id, c.Status, $"{c.Kind}: {c.Detail}")
        {
            Target = c.Target,
            Reached = c.Reached,
            SecondsToReach = c is { StartedAt: { } start, ReadyAt: { } ready } ? Math.Round((ready - start).TotalSeconds, 3) : null,
        }),
    ];

    /// <summary>
    /// The drill's projection of a real failover: preparation, then the slower of the databases (promotion
    /// measured on the temporary copies) and the servers (drill launches), then the traffic step.
    /// </summary>
    public static DrillReport Drill(RunState run, IReadOnlyList<StepReport> steps, int rtoObjectiveSeconds)
    {
        double Step(string name) => steps.FirstOrDefault(s => s.Name == name)?.DurationSeconds ?? 0;
        var promotions = run.Databases
            .Where(d => d.PromotionStartedAt is not null && d.WritableAt is not null)
            .Select(d => (d.WritableAt!.Value - d.PromotionStartedAt!.Value).TotalSeconds)
            .DefaultIfEmpty(0).Max();
        var servers = run.Servers is { StartedAt: { } start, CompletedAt: { } end } ? (end - start).TotalSeconds : 0;
        var projected = Math.Round(Step("Prepare") + Math.Max(promotions, servers) + Step("Verify switches"), 3);
        return new DrillReport(projected, rtoObjectiveSeconds, projected <= rtoObjectiveSeconds, run.Cleanup?.Removed ?? []);
    }

    /// <summary>Overall outcome: a run succeeds only if the execution succeeded and every check passed.</summary>
    public static string Outcome(string executionStatus, string? executionError, RunState? run, IReadOnlyList<CheckReport> checks)
    {
        if (executionStatus == "SUCCEEDED")
        {
            var anyFailed = run?.HasFindings == true;
            return checks.All(c => c.Passed) ? anyFailed ? ReportOutcomes.Partial : ReportOutcomes.Succeeded : ReportOutcomes.Failed;
        }

        return executionError is "ReadinessFailedException" or "InvalidRunInputException" or "PlanInvalidException" or "RpoGateBlockedException"
            ? ReportOutcomes.Blocked
            : ReportOutcomes.Failed;
    }

    private static double Seconds(TimeSpan span) => Math.Round(span.TotalSeconds, 3);
}
