using System.Globalization;
using Failover.Core.Reports;
using Spectre.Console;

namespace Failover.Cli;

/// <summary>A run report on the terminal, as <c>simulate</c> and <c>status</c> show it.</summary>
internal static class ReportConsole
{
    private const int BarColumns = 40;

    // The step as a bar on the run's time axis, BarColumns wide: a compact picture of where the time went.
    private static string Bar(StepReport step, double end)
    {
        if (end <= 0)
        {
            return "";
        }

        var from = (int)Math.Floor(step.StartSeconds / end * BarColumns);
        var length = Math.Max(1, (int)Math.Round(step.DurationSeconds / end * BarColumns));
        from = Math.Min(from, BarColumns - 1);
        length = Math.Min(length, BarColumns - from);
        return new string(' ', from) + new string('\u2588', length) + new string(' ', BarColumns - from - length);
    }

    /// <summary>Writes <paramref name="report"/> as tables and sentences: the timeline, the resources, the end-state checks and the figures.</summary>
    public static void Render(RunReport report, IAnsiConsole console)
    {
        if (report.Readiness is { } readiness)
        {
            // The readiness scenario starts no execution of its own: its evaluations and checks are the report.
            foreach (var evaluation in readiness.Evaluations)
            {
                ReadinessCommand.Render(evaluation, console);
            }

            console.MarkupLineInterpolated($"Readiness notifications: {readiness.Notifications}");
            RenderChecks(report, console);
            console.MarkupLineInterpolated($"Outcome: [bold]{report.Outcome}[/]   mode {report.Mode}");
            return;
        }

        var timeline = new Table().Title("Timeline").AddColumns("Step", "Start (s)", "Duration (s)", "Outcome", "");
        var end = report.Steps.Select(s => s.StartSeconds + s.DurationSeconds).DefaultIfEmpty(0).Max();
        foreach (var step in report.Steps)
        {
            timeline.AddRow(Markup.Escape(step.Name), Seconds(step.StartSeconds), Seconds(step.DurationSeconds), Outcome(step.Outcome), Bar(step, end));
        }

        console.Write(timeline);
        var resources = new Table().Title("Resources").AddColumns("Kind", "Id", "Outcome", "Detail");
        // Hundreds of servers make an unreadable table: summarise them (the JSON report lists each one).
        var servers = report.Resources.Where(r => r.Kind == "server").ToList();
        if (servers.Count > 10)
        {
            resources.AddRow("server", $"{servers.Count} servers", string.Join(", ", servers.GroupBy(s => s.Outcome).Select(g => $"{g.Count()} {g.Key}")), "per server: see --json");
        }

        foreach (var r in report.Resources.Where(r => r.Kind != "server" || servers.Count <= 10))
        {
            resources.AddRow(Markup.Escape(r.Kind), Markup.Escape(r.Id), Outcome(r.Outcome), Markup.Escape(r.Detail));
        }

        console.Write(resources);
        RenderChecks(report, console);
        console.MarkupLineInterpolated($"Outcome: [bold]{report.Outcome}[/]   mode {report.Mode}   RTO {Figure(report.RtoSeconds)}   RPO {Figure(report.RpoSeconds)}");
        if (report.Drill is { } drill)
        {
            var verdict = drill.WithinObjective ? "[green]within[/]" : "[red]exceeds[/]";
            console.MarkupLine($"Drill: projected RTO {Figure(drill.ProjectedRtoSeconds)} {verdict} the objective of {drill.RtoObjectiveSeconds} s; cleanup removed {drill.Removed.Count} resource(s)");
        }
        console.MarkupLineInterpolated($"Execution {report.Execution.Name}: {report.Execution.Status}, {report.Execution.HistoryEvents} history events, largest payload {report.Execution.LargestPayloadBytes} bytes");
        if (report.Simulation is { } simulation)
        {
            console.MarkupLineInterpolated($"RTO / critical-path bound: {(simulation.RtoToBound is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) : "n/a")} (bound {Figure(simulation.CriticalPathBoundSeconds)}: {simulation.CriticalPath})");
        }
    }

    private static void RenderChecks(RunReport report, IAnsiConsole console)
    {
        if (report.Checks.Count > 0)
        {
            var checks = new Table().Title("End-state checks").AddColumns("Check", "Result", "Detail");
            foreach (var c in report.Checks)
            {
                checks.AddRow(Markup.Escape(c.Name), c.Passed ? "[green]passed[/]" : "[red]FAILED[/]", Markup.Escape(c.Detail));
            }

            console.Write(checks);
        }
    }

    private static string Outcome(string outcome) => outcome switch
    {
        "succeeded" or "writable" or "switched" => $"[green]{Markup.Escape(outcome)}[/]",
        "failed" => "[red]failed[/]",
        _ => $"[yellow]{Markup.Escape(outcome)}[/]",
    };

    private static string Seconds(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Figure(double? seconds) => seconds switch
    {
        null => "n/a",
        < 0 => "unknown",
        _ => seconds.Value.ToString("0.###", CultureInfo.InvariantCulture) + " s",
    };
}
