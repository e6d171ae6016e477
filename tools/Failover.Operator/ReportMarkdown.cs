using System.Globalization;
using System.Text;
using Failover.Core.Reports;

namespace Failover.Cli;

/// <summary>The run report as Markdown, for the team's records: any run (failover, switchover, drill), with the drill's verdict when it was one.</summary>
public static class ReportMarkdown
{
    /// <summary>Renders a run's report.</summary>
    public static string Render(RunReport report)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {ReportText.Title(report)} `{report.Plan}`: {report.Outcome}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Execution: `{report.Execution.Name}` ({report.Execution.Status}, {report.Execution.HistoryEvents} history events)");
        if (report.Drill is { } drill)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- Projected RTO: **{ReportText.Seconds(drill.ProjectedRtoSeconds)}** against an objective of {drill.RtoObjectiveSeconds} s: **{(drill.WithinObjective ? "within" : "exceeds")}**");
            md.AppendLine(CultureInfo.InvariantCulture, $"- RPO (replica lag at the drill): {ReportText.Figure(report.RpoSeconds)}");
            md.AppendLine(CultureInfo.InvariantCulture, $"- Cleanup removed: {(drill.Removed.Count == 0 ? "nothing" : string.Join(", ", drill.Removed.Select(r => $"`{r}`")))}");
        }
        else
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- RTO: **{ReportText.Figure(report.RtoSeconds)}** against an objective of {ReportText.Figure(report.RtoObjectiveSeconds)}{Met(report.RtoObjectiveMet)}");
            md.AppendLine(CultureInfo.InvariantCulture, $"- RPO: **{ReportText.Figure(report.RpoSeconds)}** against an objective of {ReportText.Figure(report.RpoObjectiveSeconds)}{Met(report.RpoObjectiveMet)}");
        }

        md.AppendLine();
        md.AppendLine("## Steps");
        md.AppendLine();
        md.AppendLine("| Step | Start (s) | Duration (s) | Outcome |");
        md.AppendLine("|---|---:|---:|---|");
        foreach (var step in report.Steps)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(step.Name)} | {step.StartSeconds:0.000} | {step.DurationSeconds:0.000} | {step.Outcome} |");
        }

        md.AppendLine();
        md.AppendLine(report.Drill is null ? "## Resources" : "## Readiness of every resource");
        md.AppendLine();
        md.AppendLine("| Kind | Id | Outcome | Detail |");
        md.AppendLine("|---|---|---|---|");
        foreach (var r in report.Resources)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Kind} | {Cell(r.Id)} | {r.Outcome} | {Cell(r.Detail)} |");
        }

        md.AppendLine();
        md.AppendLine("## Checks");
        md.AppendLine();
        foreach (var c in report.Checks)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- [{(c.Passed ? "x" : " ")}] {c.Name}: {c.Detail}");
        }

        return md.ToString();
    }

    // The verdict in bold, as the figure it follows.
    private static string Met(bool? met) => ReportText.Verdict(met) is { } verdict ? $": **{verdict}**" : "";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
