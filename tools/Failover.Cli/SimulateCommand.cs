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
        command.SetAction(LocalAwsErrors.Guarded(global, (result, terminal, cancellationToken) => result.GetValue(alarmEvent) is { } eventFile
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
            ReportConsole.Render(report, terminal.Out);
        }

        await ReportFiles.WriteReportAsync(reportFiles, report, terminal, cancellationToken);
        return report.Outcome == ReportOutcomes.Succeeded ? ExitCodes.Success : ExitCodes.Failed;
    }

    private sealed class Progress(IAnsiConsole console) : IProgress<Failover.Local.SimulationProgress>
    {
        public void Report(Failover.Local.SimulationProgress value) =>
            console.MarkupLineInterpolated($"[grey]+{value.Offset.TotalSeconds,6:0.0}s[/] {value.Message}");
    }
}
