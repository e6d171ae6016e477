using System.Globalization;
using System.Net;
using System.Text;
using Failover.Aws.Adapters;
using Failover.Core.Reports;

namespace Failover.Cli;

/// <summary>
/// The run report as one self-contained HTML page (inline CSS and SVG; no script, nothing fetched): the figures, a
/// timeline chart with each step as a bar on a time axis, coloured by phase, the critical path outlined, the DRS waves
/// below, RTO and RPO against their objectives, then the resources and the checks.
/// </summary>
public static class ReportHtml
{
    // Inside an SVG in an HTML page a style element applies to the whole page, so the objectives chart shares it.
    private const string ChartStyle = """
        <style>
        text { font-family: system-ui, sans-serif; font-size: 11px; fill: #1d2330; } .grid { stroke: #e3e5ea; }
        .bar { stroke: none; } .bar.critical { stroke: #1d2330; stroke-width: 2; } .bar.failed { fill: #b3261e; }
        .phase-prepare { fill: #7b8794; } .phase-approval { fill: #c59f2b; } .phase-databases { fill: #2f6fde; }
        .phase-servers { fill: #2b9a66; } .phase-compute { fill: #d35400; } .phase-traffic { fill: #8e44ad; } .phase-report { fill: #5d6d7e; } .phase-other { fill: #aaaabb; }
        .wave { fill: #8fd3b0; } .objective { stroke: #b3261e; stroke-dasharray: 4 3; stroke-width: 2; } .figure { fill: #2f6fde; }
        </style>
        """;

    // Chart geometry, in SVG user units.
    private const int LabelWidth = 190;
    private const int ChartWidth = 720;
    private const int RowHeight = 22;
    private const int AxisHeight = 28;

    /// <summary>Renders a run's report.</summary>
    public static string Render(RunReport report)
    {
        var html = new StringBuilder();
        var title = $"{ReportText.Title(report)} {report.Plan}: {report.Outcome}";
        html.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{E(title)}</title>
            <style>
            body {"{"} font-family: system-ui, sans-serif; margin: 24px; color: #1d2330; {"}"}
            h1 {"{"} font-size: 22px; {"}"} h2 {"{"} font-size: 17px; margin-top: 28px; {"}"}
            table {"{"} border-collapse: collapse; font-size: 13px; {"}"} td, th {"{"} border: 1px solid #ccd; padding: 3px 8px; text-align: left; vertical-align: top; {"}"}
            .outcome-succeeded {"{"} color: #137333; {"}"} .outcome-failed, .outcome-blocked {"{"} color: #b3261e; {"}"} .outcome-partial {"{"} color: #a15c00; {"}"}
            </style>
            </head>
            <body>
            <h1 class="outcome-{E(report.Outcome)}">{E(title)}</h1>

            """);
        html.Append("<table class=\"facts\">");
        Row(html, "Execution", $"{report.Execution.Name} ({report.Execution.Status}, {report.Execution.HistoryEvents} history events)");
        Row(html, "Execution ARN", report.ExecutionArn);
        Row(html, "Region", report.Region);
        Row(html, "Reason", report.Reason);
        Row(html, "Started", report.StartedAt?.ToString("u", CultureInfo.InvariantCulture));
        Row(html, "Ended", report.EndedAt?.ToString("u", CultureInfo.InvariantCulture));
        Row(html, "RTO", $"{ReportText.Figure(report.RtoSeconds)} against an objective of {ReportText.Figure(report.RtoObjectiveSeconds)}{Met(report.RtoObjectiveMet)}");
        Row(html, "RPO", $"{ReportText.Figure(report.RpoSeconds)} against an objective of {ReportText.Figure(report.RpoObjectiveSeconds)}{Met(report.RpoObjectiveMet)}");
        if (report.Drill is { } drill)
        {
            Row(html, "Projected RTO", $"{ReportText.Figure(drill.ProjectedRtoSeconds)} against an objective of {drill.RtoObjectiveSeconds} s: {(drill.WithinObjective ? "within" : "exceeds")}");
        }

        html.AppendLine("</table>");
        html.AppendLine("<h2>Timeline</h2>");
        Timeline(html, report);
        html.AppendLine("<h2>RTO and RPO against their objectives</h2>");
        Objectives(html, report);
        html.AppendLine("<h2>Resources</h2>");
        Table(html, ["Kind", "Id", "Outcome", "Detail"], report.Resources.Select(r => new[] { r.Kind, r.Id, r.Outcome, r.Detail }));
        if (report.Checks.Count > 0)
        {
            html.AppendLine("<h2>End-state checks</h2>");
            Table(html, ["Check", "Result", "Detail"], report.Checks.Select(c => new[] { c.Name, c.Passed ? "passed" : "FAILED", c.Detail }));
        }

        html.AppendLine("</body>\n</html>");
        return html.ToString();
    }

    /// <summary>
    /// Steps on the critical path: every step of a phase that runs alone, and of the side-by-side phases (databases,
    /// servers, compute) only the one that ended last, which held the run up.
    /// </summary>
    public static IReadOnlySet<string> CriticalSteps(RunReport report)
    {
        var phaseEnds = report.Steps
            .Where(s => ExecutionPhases.PhaseOf(s.Name) is { } phase && ExecutionPhases.Parallel.Contains(phase))
            .GroupBy(s => ExecutionPhases.PhaseOf(s.Name)!)
            .Select(g => (Phase: g.Key, End: g.Max(s => s.StartSeconds + s.DurationSeconds)))
            .ToList();
        var slowest = phaseEnds.Count == 0 ? null : phaseEnds.MaxBy(p => p.End).Phase;
        return report.Steps
            .Where(s => ExecutionPhases.PhaseOf(s.Name) is { } phase && (!ExecutionPhases.Parallel.Contains(phase) || phase == slowest))
            .Select(s => s.Name)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static void Timeline(StringBuilder html, RunReport report)
    {
        var waves = report.Waves.Where(w => w.StartedAt is not null && report.StartedAt is not null).ToList();
        var end = Math.Max(1, report.Steps.Select(s => s.StartSeconds + s.DurationSeconds)
            .Concat(waves.Select(w => (w.StartedAt!.Value - report.StartedAt!.Value).TotalSeconds + (w.DurationSeconds ?? 0)))
            .DefaultIfEmpty(1).Max());
        var critical = CriticalSteps(report);
        var rows = report.Steps.Count + waves.Count;
        var height = AxisHeight + (rows * RowHeight) + 8;
        double X(double seconds) => LabelWidth + (seconds / end * ChartWidth);
        html.AppendLine(CultureInfo.InvariantCulture, $"""<svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="{LabelWidth + ChartWidth + 20}" height="{height}" role="img" aria-label="Timeline of the run's steps">""");
        // The chart's style travels inside it, so the SVG stands alone when copied out of the page.
        html.AppendLine(ChartStyle);
        html.AppendLine("<g class=\"axis\">");
        var tick = TickStep(end);
        for (var t = 0.0; t <= end + 1e-9; t += tick)
        {
            html.AppendLine(CultureInfo.InvariantCulture, $"""<line class="grid" x1="{X(t):0.#}" y1="{AxisHeight - 6}" x2="{X(t):0.#}" y2="{height - 8}"/><text x="{X(t):0.#}" y="14" text-anchor="middle">{t.ToString("0.###", CultureInfo.InvariantCulture)} s</text>""");
        }

        html.AppendLine("</g>");
        var y = AxisHeight;
        foreach (var step in report.Steps)
        {
            var phase = ExecutionPhases.PhaseOf(step.Name) ?? "other";
            var classes = $"bar step phase-{phase}{(critical.Contains(step.Name) ? " critical" : "")}{(step.Outcome == "failed" ? " failed" : "")}";
            var width = Math.Max(2, step.DurationSeconds / end * ChartWidth);
            html.AppendLine(CultureInfo.InvariantCulture,
                $"""<g class="row"><text x="{LabelWidth - 8}" y="{y + 15}" text-anchor="end">{E(step.Name)}</text><rect class="{classes}" data-step="{E(step.Name)}" data-phase="{phase}" x="{X(step.StartSeconds):0.#}" y="{y + 4}" width="{width:0.#}" height="{RowHeight - 8}"><title>{E(step.Name)}: {step.StartSeconds:0.###} s + {step.DurationSeconds:0.###} s, {E(step.Outcome)}</title></rect></g>""");
            y += RowHeight;
        }

        foreach (var wave in waves)
        {
            var start = (wave.StartedAt!.Value - report.StartedAt!.Value).TotalSeconds;
            var width = Math.Max(2, (wave.DurationSeconds ?? end - start) / end * ChartWidth);
            html.AppendLine(CultureInfo.InvariantCulture,
                $"""<g class="row"><text x="{LabelWidth - 8}" y="{y + 15}" text-anchor="end">{E(WaveLabel(wave.Name))}</text><rect class="bar wave" data-wave="{E(wave.Name)}" x="{X(start):0.#}" y="{y + 4}" width="{width:0.#}" height="{RowHeight - 8}"><title>{E(WaveLabel(wave.Name))}: {wave.Launched}/{wave.Servers} launched, {E(wave.Outcome)}</title></rect></g>""");
            y += RowHeight;
        }

        html.AppendLine("</svg>");
        html.AppendLine("<p>Bars are the workflow's steps, coloured by phase (prepare, approval, databases, servers, compute, traffic, report); an outlined bar is on the critical path; red failed.</p>");
    }

    private static void Objectives(StringBuilder html, RunReport report)
    {
        (string Id, string Name, double? Value, int? Objective)[] figures =
        [
            ("rto", "RTO", report.Drill?.ProjectedRtoSeconds ?? report.RtoSeconds, report.Drill?.RtoObjectiveSeconds ?? report.RtoObjectiveSeconds),
            ("rpo", "RPO", report.RpoSeconds, report.RpoObjectiveSeconds),
        ];
        html.AppendLine(CultureInfo.InvariantCulture, $"""<svg id="objectives" xmlns="http://www.w3.org/2000/svg" width="{LabelWidth + ChartWidth + 20}" height="{(figures.Length * 30) + 10}" role="img" aria-label="RTO and RPO against their objectives">""");
        var y = 6;
        foreach (var (id, name, value, objective) in figures)
        {
            var scale = Math.Max(1, Math.Max(value ?? 0, objective ?? 0) * 1.25);
            double X(double seconds) => LabelWidth + (seconds / scale * ChartWidth);
            html.Append(CultureInfo.InvariantCulture, $"""<g id="{id}"><text x="{LabelWidth - 8}" y="{y + 15}" text-anchor="end">{name} {E(ReportText.Figure(value))}</text>""");
            if (value is { } measured)
            {
                html.Append(CultureInfo.InvariantCulture, $"""<rect class="figure" x="{LabelWidth}" y="{y + 4}" width="{Math.Max(2, X(measured) - LabelWidth):0.#}" height="16"/>""");
            }

            if (objective is { } limit)
            {
                html.Append(CultureInfo.InvariantCulture, $"""<line class="objective" x1="{X(limit):0.#}" y1="{y}" x2="{X(limit):0.#}" y2="{y + 24}"/><text x="{X(limit) + 4:0.#}" y="{y + 15}">objective {limit} s</text>""");
            }

            html.AppendLine("</g>");
            y += 30;
        }

        html.AppendLine("</svg>");
    }

    private static readonly int[] TickMultiples = [1, 2, 5, 10];

    // About 8 ticks at 1, 2 or 5 times a power of ten.
    private static double TickStep(double end)
    {
        var raw = end / 8;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        return TickMultiples.Select(m => m * power).First(step => step >= raw);
    }

    private static void Table(StringBuilder html, string[] headers, IEnumerable<string[]> rows)
    {
        html.Append("<table><tr>");
        foreach (var header in headers)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{E(header)}</th>");
        }

        html.AppendLine("</tr>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td>{E(cell)}</td>");
            }

            html.AppendLine("</tr>");
        }

        html.AppendLine("</table>");
    }

    private static void Row(StringBuilder html, string name, string? value)
    {
        if (value is not null)
        {
            html.AppendLine(CultureInfo.InvariantCulture, $"<tr><th>{E(name)}</th><td>{E(value)}</td></tr>");
        }
    }

    // Waves without a name in the plan are called "wave N" already.
    private static string WaveLabel(string name) => name.StartsWith("wave", StringComparison.OrdinalIgnoreCase) ? name : $"wave {name}";

    private static string Met(bool? met) => ReportText.Verdict(met) is { } verdict ? $": {verdict}" : "";

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
