using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Failover.Core;
using Failover.Core.Plans;
using Failover.Core.Reports;
using Failover.Local;
using Failover.Local.Iam;
using Spectre.Console;

namespace Failover.Cli;

/// <summary><c>failover simulate</c>: a complete failover on the embedded local AWS.</summary>
public static class SimulateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build(GlobalOptions global)
    {
        var json = new Option<FileInfo?>("--json") { Description = "Write the run report (JSON contract: see README) to this file (its folder is created)." };
        var plan = new Option<FileInfo?>("--plan") { Description = "Plan to simulate (default: the plan packaged with the functions)." };
        var alarmEvent = new Option<FileInfo?>("--event") { Description = "Deliver this event file through the trigger path instead, and report the decision." };
        var scenario = new Option<string>("--scenario") { Description = $"Plan to run: {string.Join(" | ", Scenarios.Names)} (scale: 50 databases, 1,000 servers, 50 switches).", DefaultValueFactory = _ => "standard" };
        scenario.AcceptOnlyFromAmong([.. Scenarios.Names]);
        var mode = new Option<string>("--mode") { Description = "failover (from the outage alarm) or drill (an operator's drill: nothing in production changes).", DefaultValueFactory = _ => "failover" };
        mode.AcceptOnlyFromAmong("failover", "drill");
        var markdown = new Option<FileInfo?>("--markdown") { Description = "Write the report as Markdown here (with --json it is written beside the JSON, with .md, unless given)." };
        var noIam = new Option<bool>("--no-iam") { Description = "Run without IAM enforcement (by default each function signs as a user whose policy is its role in template.yaml)." };
        var reject = new Option<bool>("--reject") { Description = "When the run asks for approval, reject it (by default the simulation approves it, visibly, as failover approve would)." };
        var command = new Command("simulate", "Run a complete failover (or a drill) on the local AWS (moto + gateway) and check its end state.") { json, plan, alarmEvent, scenario, mode, markdown, noIam, reject };
        command.SetAction(global.Guarded((result, terminal, cancellationToken) => result.GetValue(alarmEvent) is { } eventFile
            ? SimulateEventCommand.RunAsync(result.GetValue(plan), eventFile, result.GetValue(json), terminal, cancellationToken)
            : RunAsync(result.GetValue(plan), result.GetValue(json), terminal, cancellationToken, result.GetValue(scenario) ?? "standard",
                result.GetValue(mode) == "drill", result.GetValue(markdown), !result.GetValue(noIam),
                result.GetValue(reject) ? SimulatedApproval.Approve with { Reject = true, Reason = "rejected in the simulation (--reject)" } : SimulatedApproval.Approve)));
        return command;
    }

    /// <summary>
    /// Runs the simulation. Exit codes: 0 the run succeeded and every end-state check held; 1 otherwise; 2 the plan,
    /// the report files or the local AWS cannot be used. A local AWS that stops answering propagates
    /// (<see cref="CliErrors"/>: exit 3).
    /// </summary>
    public static async Task<int> RunAsync(FileInfo? planFile, FileInfo? jsonFile, Terminal terminal, CancellationToken cancellationToken,
        string scenario = "standard", bool drill = false, FileInfo? markdownFile = null, bool iam = true, SimulatedApproval? approval = null)
    {
        approval ??= SimulatedApproval.Approve;
        var planPath = planFile?.FullName ?? LocalEnvironment.PlanPath;
        if (!File.Exists(planPath))
        {
            return terminal.Fail(ExitCodes.InputError, $"Plan not found: {planPath}");
        }

        var reportFiles = ReportFiles.ReportPaths(jsonFile, markdownFile);
        ReportFiles.Prepare(reportFiles.Json, reportFiles.Markdown, reportFiles.Html);
        var console = terminal.Progress;
        RunReport report;
        try
        {
            console.MarkupLine("[bold]Starting the local AWS[/] (moto + gateway on loopback)…");
            var (scenarioPlan, options) = Scenarios.Prepare(scenario, planPath, new LocalEnvironmentOptions());
            await using var aws = await LocalAws.StartAsync(iam ? LocalIam.MotoEnvironment : null, cancellationToken);
            if (iam)
            {
                // Every function signs as a user whose policy is its role in template.yaml: a missing permission fails the run.
                var policies = TemplatePolicies.ForLocal(PlanDocument.Parse(await File.ReadAllTextAsync(scenarioPlan, cancellationToken)));
                options = options with { FunctionCredentials = (await LocalIam.EnableAsync(aws, policies, null, cancellationToken)).FunctionCredentials };
                console.MarkupLine("IAM enforcement on: each function runs with its template.yaml role.");
            }

            var clock = TimeProvider.System;
            var deployStarted = clock.GetTimestamp();
            var environment = await LocalEnvironment.DeployAsync(aws, scenarioPlan, options, clock, cancellationToken);
            console.MarkupLineInterpolated($"[grey]Deployed in {clock.GetElapsedTime(deployStarted).TotalSeconds:0.0} s[/]");
            console.MarkupLineInterpolated($"Deployed plan [bold]{environment.Plan.Name}[/]: {environment.Plan.Databases.Count} database(s), {environment.Plan.Switches.Count} switch(es); state machine {environment.StateMachineArn}");
            var runStarted = clock.GetTimestamp();
            report = scenario == "readiness" ? await new ReadinessSimulation(aws, environment, clock).RunAsync(new Progress(console), options, cancellationToken)
                : drill ? await new DrillSimulation(aws, environment, clock).RunAsync(new Progress(console), cancellationToken)
                : await new Simulation(aws, environment, clock) { Approval = approval }.RunAsync(new Progress(console), cancellationToken);
            console.MarkupLineInterpolated($"Run took {clock.GetElapsedTime(runStarted).TotalSeconds:0.0} s");
            console.MarkupLineInterpolated($"[grey]Function log: {environment.FunctionLogPath}[/]");
        }
        catch (PlanInvalidException ex)
        {
            return PlanErrors.Print(terminal.Error, ex);
        }

        if (terminal.Json)
        {
            terminal.WriteJson(JsonSerializer.Serialize(report, FailoverJson.Indented.RunReport));
        }
        else
        {
            Render(report, terminal.Out);
        }

        await ReportFiles.WriteReportAsync(reportFiles, report, terminal, cancellationToken);
        return report.Outcome == ReportOutcomes.Succeeded ? ExitCodes.Success : ExitCodes.Failed;
    }

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

    internal static void Render(RunReport report, IAnsiConsole console)
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

    private sealed class Progress(IAnsiConsole console) : IProgress<Failover.Local.SimulationProgress>
    {
        public void Report(Failover.Local.SimulationProgress value) =>
            console.MarkupLineInterpolated($"[grey]+{value.Offset.TotalSeconds,6:0.0}s[/] {value.Message}");
    }
}
