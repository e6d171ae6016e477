using System.Globalization;
using System.Text;
using Failover.Core.Reports;

namespace Failover.Cli;

/// <summary>The drill report as Markdown, for the team's records.</summary>
public static class DrillMarkdown
{
    /// <summary>Renders a drill's report.</summary>
    public static string Render(RunReport report)
    {
        var drill = report.Drill ?? throw new ArgumentException("not a drill report", nameof(report));
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Drill of plan `{report.Plan}`: {report.Outcome}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Execution: `{report.Execution.Name}` ({report.Execution.Status}, {report.Execution.HistoryEvents} history events)");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Projected RTO: **{Seconds(drill.ProjectedRtoSeconds)}** against an objective of {drill.RtoObjectiveSeconds} s: **{(drill.WithinObjective ? "within" : "exceeds")}**");
        md.AppendLine(CultureInfo.InvariantCulture, $"- RPO (replica lag at the drill): {(report.RpoSeconds is { } rpo ? Seconds(rpo) : "n/a")}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Cleanup removed: {(drill.Removed.Count == 0 ? "nothing" : string.Join(", ", drill.Removed.Select(r => $"`{r}`")))}");
        md.AppendLine();
        md.AppendLine("## Steps");
        md.AppendLine();
        md.AppendLine("| Step | Start (s) | Duration (s) | Outcome |");
        md.AppendLine("|---|---:|---:|---|");
        foreach (var step in report.Steps)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {step.Name} | {step.StartSeconds:0.000} | {step.DurationSeconds:0.000} | {step.Outcome} |");
        }

        md.AppendLine();
        md.AppendLine("## Readiness of every resource");
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

    private static string Seconds(double value) => value.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
