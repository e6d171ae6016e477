using System.Text;
using System.Text.Json;
using Failover.Core.Plans;
using Failover.Core.Triggers;
using Failover.Local;
using Spectre.Console;

namespace Failover.Cli;

/// <summary><c>failover simulate --event FILE</c>: delivers an event through the local AWS's trigger path.</summary>
public static class SimulateEventCommand
{
    /// <summary>
    /// Starts the local AWS, deploys the plan, puts the event's allow-listed alarm into the state the event
    /// claims, invokes the Trigger function with the event and reports its decision. Exit codes: 0 the
    /// decision was made (started, ignored or rejected alike); 1 the Trigger failed (the platform would deliver
    /// the event again) or reported a start that does not exist; 2 the event (not JSON, or not an alarm event the
    /// Trigger can read), the plan or the local AWS cannot be used.
    /// </summary>
    public static async Task<int> RunAsync(FileInfo? planFile, FileInfo eventFile, FileInfo? jsonFile, Terminal terminal, CancellationToken cancellationToken)
    {
        var planPath = planFile?.FullName ?? LocalEnvironment.PlanPath;
        if (!File.Exists(planPath))
        {
            return terminal.Fail(ExitCodes.InputError, $"Plan not found: {planPath}");
        }

        if (!eventFile.Exists)
        {
            return terminal.Fail(ExitCodes.InputError, $"Event file not found: {eventFile.FullName}");
        }

        // Bytes as Lambda would pass them on; an event the Trigger's own parser cannot read never reaches the rules.
        var eventJson = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(eventFile.FullName, cancellationToken));
        if (AlarmEventParser.Parse(eventJson) is { Transition: null, Rejection: var unreadable })
        {
            return terminal.Fail(ExitCodes.InputError, $"{eventFile.FullName} is not an alarm event the Trigger can read: {unreadable}");
        }

        ReportFiles.Prepare(jsonFile);
        var console = terminal.Progress;
        TriggerDeliveryResult result;
        int executions;
        bool started;
        try
        {
            console.MarkupLine("[bold]Starting the local AWS[/] (moto + gateway on loopback)…");
            await using var aws = await LocalAws.StartAsync(null, cancellationToken);
            var environment = await LocalEnvironment.DeployAsync(aws, planPath, new LocalEnvironmentOptions(), TimeProvider.System, cancellationToken);
            console.MarkupLineInterpolated($"Deployed plan [bold]{environment.Plan.Name}[/]; trigger function {environment.TriggerFunctionName}");
            var delivery = new TriggerDelivery(aws, environment, TimeProvider.System);
            if (await delivery.ApplyClaimedStateAsync(eventJson, cancellationToken))
            {
                console.MarkupLine("[grey]Put the event's allow-listed alarm into the state the event claims.[/]");
            }

            result = await delivery.DeliverAsync(eventJson, cancellationToken);
            var list = await delivery.ExecutionsAsync(cancellationToken);
            executions = list.Count;
            started = result.Decision?.ExecutionName is { } name && list.Any(e => e.Name == name);
            console.MarkupLineInterpolated($"[grey]Function log: {environment.FunctionLogPath}[/]");
        }
        catch (PlanInvalidException ex)
        {
            return PlanErrors.Print(terminal.Error, ex);
        }
        catch (InvalidOperationException ex)
        {
            return terminal.Fail(ExitCodes.InputError, $"The Trigger cannot run with this plan: {ex.Message}");
        }

        if (result.Decision is not { } decision)
        {
            return terminal.Fail(ExitCodes.Failed, $"The Trigger failed with {result.FunctionError} (the platform would deliver the event again): {result.Payload}");
        }

        var table = new Table().Title("Trigger decision").AddColumns("", "");
        table.AddRow("decision", decision.Decision switch
        {
            TriggerDecisions.Started => "[green]started[/]",
            TriggerDecisions.Ignored => "[yellow]ignored[/]",
            _ => "[red]rejected[/]",
        });
        table.AddRow("reason", Markup.Escape(decision.Reason));
        table.AddRow("alarm", Markup.Escape(decision.Alarm ?? "-"));
        table.AddRow("state", Markup.Escape(decision.State ?? "-"));
        table.AddRow("delivery", Markup.Escape(decision.Delivery ?? "-"));
        table.AddRow("execution", Markup.Escape(decision.ExecutionName ?? "-"));
        table.AddRow("executions on the local AWS", executions.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (terminal.Json)
        {
            terminal.WriteJson(Encoding.UTF8.GetString(DecisionJson(decision)));
        }
        else
        {
            terminal.Out.Write(table);
        }

        if (jsonFile is not null)
        {
            await ReportFiles.WriteAsync(jsonFile, Encoding.UTF8.GetString(DecisionJson(decision)), "Decision", terminal, cancellationToken);
        }

        return decision.Decision == TriggerDecisions.Started && !started
            ? terminal.Fail(ExitCodes.Failed, $"The Trigger reported a start, but no execution {decision.ExecutionName} exists.")
            : ExitCodes.Success;
    }

    /// <summary>The same, writing results and errors to one console, and every failure as an exit code.</summary>
    public static Task<int> RunAsync(FileInfo? planFile, FileInfo eventFile, FileInfo? jsonFile, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var terminal = Terminal.Single(console);
        return CliErrors.GuardAsync(terminal, () => LocalAwsErrors.TranslateAsync(() => RunAsync(planFile, eventFile, jsonFile, terminal, cancellationToken)), cancellationToken);
    }

    /// <summary>The decision contract: <c>{ "decision", "reason", "executionName" }</c> (executionName null when none); members are only ever added.</summary>
    public static byte[] DecisionJson(TriggerDecision decision)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("decision", decision.Decision);
            json.WriteString("reason", decision.Reason);
            json.WriteString("executionName", decision.ExecutionName);
            json.WriteString("alarm", decision.Alarm);
            json.WriteString("state", decision.State);
            json.WriteString("delivery", decision.Delivery);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
