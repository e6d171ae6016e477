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
    /// the event again) or reported a start that does not exist; 2 the event, the plan or the local AWS cannot be used.
    /// </summary>
    public static async Task<int> RunAsync(FileInfo? planFile, FileInfo eventFile, FileInfo? jsonFile, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var planPath = planFile?.FullName ?? LocalEnvironment.PlanPath;
        if (!File.Exists(planPath))
        {
            console.MarkupLineInterpolated($"[red]Plan not found:[/] {planPath}");
            return 2;
        }

        if (!eventFile.Exists)
        {
            console.MarkupLineInterpolated($"[red]Event file not found:[/] {eventFile.FullName}");
            return 2;
        }

        // Bytes as Lambda would pass them on: a file that is not UTF-8 is the trigger's problem to reject.
        var eventJson = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(eventFile.FullName, cancellationToken));
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
        catch (LocalAwsException ex)
        {
            console.MarkupLineInterpolated($"[red]Local AWS error:[/] {ex.Message}");
            return 2;
        }
        catch (PlanInvalidException ex)
        {
            return PlanErrors.Print(console, ex);
        }
        catch (InvalidOperationException ex)
        {
            console.MarkupLineInterpolated($"[red]The Trigger cannot run with this plan:[/] {ex.Message}");
            return 2;
        }

        if (result.Decision is not { } decision)
        {
            console.MarkupLineInterpolated($"[red]The Trigger failed with {result.FunctionError}[/] (the platform would deliver the event again): {result.Payload}");
            return 1;
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
        console.Write(table);

        if (jsonFile is not null)
        {
            await File.WriteAllBytesAsync(jsonFile.FullName, DecisionJson(decision), cancellationToken);
            console.MarkupLineInterpolated($"Decision written to {jsonFile.FullName}");
        }

        if (decision.Decision == TriggerDecisions.Started && !started)
        {
            console.MarkupLineInterpolated($"[red]The Trigger reported a start, but no execution {decision.ExecutionName} exists.[/]");
            return 1;
        }

        return 0;
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
