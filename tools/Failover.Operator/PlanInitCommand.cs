using System.CommandLine;
using System.Text;
using System.Text.Json;
using Failover.Core;
using Failover.Core.Plans;
using Spectre.Console;

namespace Failover.Cli;

/// <summary>
/// <c>failover plan init --primary-region R1 --recovery-region R2</c>: discovers a plan with read-only calls in both
/// regions (<see cref="PlanDiscovery"/>) and writes it, checked by the rules of <c>failover plan validate</c>. The plan
/// goes to <c>--out</c> (or stdout); what was decided goes to stdout with <c>--out</c> (stderr without), and findings
/// and the choices left to the user, one per line, to stderr.
/// </summary>
public static class PlanInitCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build(GlobalOptions global)
    {
        var primary = new Option<string>("--primary-region") { Description = "The region that runs the workload today.", Required = true };
        var recovery = new Option<string>("--recovery-region") { Description = "The region to recover into (replicas, DRS, the stack).", Required = true };
        var name = new Option<string?>("--name") { Description = "The plan's name (1-40 letters, digits or hyphens; default PRIMARY-to-RECOVERY)." };
        var output = new Option<FileInfo?>("--out") { Description = "Write the plan here (default: stdout)." };
        var waveTag = new Option<string?>("--wave-tag") { Description = "Put DRS servers in waves by this tag's value (default: one wave)." };
        var waveOrder = new Option<string?>("--wave-order") { Description = "The --wave-tag values in wave order, comma-separated, e.g. data,app,web." };
        var outageAlarms = new Option<string[]>("--outage-alarm") { Description = "An outage alarm (name, recovery region) for the trigger; repeat for several (default: the one candidate found)." };
        var switchAlarms = new Option<string[]>("--switch-alarm") { Description = "HEALTH-CHECK-ID=ALARM-NAME: the alarm a CLOUDWATCH_METRIC health check follows, when Route 53 does not say." };
        var rto = new Option<int?>("--rto-seconds") { Description = $"Recovery time objective (default {PlanDiscovery.DefaultRtoSeconds})." };
        var rpo = new Option<int?>("--rpo-seconds") { Description = $"Recovery point objective (default {PlanDiscovery.DefaultRpoSeconds})." };
        var command = new Command("init", "Discover a plan from the account (read-only): replicas, Aurora global and replica clusters, DRS servers, Route 53 metric switches, the outage alarm; list what it cannot decide (exit 0 valid plan written, 1 no valid plan, 2 bad input).")
        {
            primary, recovery, name, output, waveTag, waveOrder, outageAlarms, switchAlarms, rto, rpo,
        };
        command.SetAction(global.Guarded((result, terminal, cancellationToken) =>
        {
            var request = Request(result.GetValue(primary)!, result.GetValue(recovery)!, result.GetValue(name), result.GetValue(waveTag), result.GetValue(waveOrder),
                result.GetValue(outageAlarms) ?? [], result.GetValue(switchAlarms) ?? [], result.GetValue(rto), result.GetValue(rpo));
            return RunAsync(request, result.GetValue(output), global.Session(result), terminal, TimeProvider.System, cancellationToken);
        }));
        return command;
    }

    /// <summary>
    /// The request from the options; a malformed one (unknown region, a wave order without its tag, a switch alarm
    /// without '=') is an input error naming the option.
    /// </summary>
    public static PlanInitRequest Request(string primaryRegion, string recoveryRegion, string? name, string? waveTag, string? waveOrder,
        IReadOnlyList<string> outageAlarms, IReadOnlyList<string> switchAlarms, int? rtoSeconds, int? rpoSeconds)
    {
        foreach (var (option, region) in new[] { ("--primary-region", primaryRegion), ("--recovery-region", recoveryRegion) })
        {
            if (!AwsRegions.IsKnown(region))
            {
                throw new CliException(ExitCodes.InputError, $"{option} '{region}' is not a region of the aws partition.");
            }
        }

        if (primaryRegion == recoveryRegion)
        {
            throw new CliException(ExitCodes.InputError, $"--recovery-region must differ from --primary-region ({primaryRegion}).");
        }

        if (waveOrder is not null && waveTag is null)
        {
            throw new CliException(ExitCodes.InputError, "--wave-order needs --wave-tag: the tag whose values it orders.");
        }

        var order = waveOrder?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (order.Distinct(StringComparer.Ordinal).Count() != order.Length)
        {
            throw new CliException(ExitCodes.InputError, $"--wave-order '{waveOrder}' names a value twice.");
        }

        var alarmsByCheck = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in switchAlarms)
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0 || !alarmsByCheck.TryAdd(parts[0], parts[1]))
            {
                throw new CliException(ExitCodes.InputError, $"--switch-alarm '{pair}' is not HEALTH-CHECK-ID=ALARM-NAME, once per health check.");
            }
        }

        return new PlanInitRequest
        {
            PrimaryRegion = primaryRegion,
            RecoveryRegion = recoveryRegion,
            Name = name,
            WaveTag = waveTag,
            WaveOrder = order,
            OutageAlarms = outageAlarms,
            SwitchAlarms = alarmsByCheck,
            RtoSeconds = rtoSeconds,
            RpoSeconds = rpoSeconds,
        };
    }

    /// <summary>
    /// Discovers, checks and writes the plan, then prints the <c>sam deploy</c> line it implies (<see cref="PlanCommand.SamDeployLine"/>).
    /// Exit codes: 0 a valid plan was written (choices, if any, listed); 1 no valid plan can be written (each missing
    /// piece printed as <c>PATH: message</c>, nothing written); 2 bad input. AWS errors propagate (<see cref="CliErrors"/>).
    /// </summary>
    public static async Task<int> RunAsync(PlanInitRequest request, FileInfo? outFile, AwsSession session, Terminal terminal, TimeProvider clock, CancellationToken cancellationToken)
    {
        ReportFiles.Prepare(outFile);
        var primary = await session.ClientsAsync(request.PrimaryRegion, clock, terminal, cancellationToken);
        var recovery = await session.ClientsAsync(request.RecoveryRegion, clock, terminal, cancellationToken);
        var discovered = await PlanDiscovery.DiscoverAsync(primary, recovery, request, cancellationToken);

        // The report goes where the plan does not: stdout when the plan is in a file, stderr when it is on stdout.
        var report = outFile is null ? terminal.Error : terminal.Out;
        foreach (var decision in discovered.Decisions)
        {
            report.MarkupLineInterpolated($"found: {decision}");
        }

        foreach (var finding in discovered.Findings)
        {
            terminal.Error.MarkupLineInterpolated($"finding: {finding}");
        }

        foreach (var choice in discovered.Choices)
        {
            terminal.Error.MarkupLineInterpolated($"choice: {choice}");
        }

        var json = JsonSerializer.Serialize(discovered.Plan, FailoverJson.Indented.RecoveryPlan);
        RecoveryPlan plan;
        try
        {
            // The rules of `failover plan validate`, on the very bytes that will be written.
            plan = PlanDocument.Parse(Encoding.UTF8.GetBytes(json), PlanValidator.ValidateTriggerPlacement);
        }
        catch (PlanInvalidException ex)
        {
            foreach (var error in ex.Errors)
            {
                // Path and message only: the lines and columns are of a file that is not written.
                terminal.Error.MarkupLineInterpolated($"missing: {error.Path}: {error.Message}");
            }

            return terminal.Fail(ExitCodes.Failed, $"no valid plan can be written from {request.PrimaryRegion} and {request.RecoveryRegion}: {ex.Errors.Count} error(s) above; nothing written.");
        }

        if (outFile is null)
        {
            terminal.WriteJson(json);
        }
        else
        {
            await File.WriteAllTextAsync(outFile.FullName, json + "\n", cancellationToken);
        }

        var waves = plan.Waves.Count == 0 ? "no DRS servers" : $"{ServerWaves.SourceServerIds(plan.Waves).Count()} DRS server(s) in {plan.Waves.Count} wave(s)";
        report.MarkupLineInterpolated($"{(outFile is null ? "Plan" : $"Wrote {outFile.FullName}: plan")} '{plan.Name}' is valid: {plan.PrimaryRegion} -> {plan.RecoveryRegion}, {plan.Databases.Count} database(s), {waves}, {plan.Switches.Count} switch(es), {plan.Trigger.AlarmArns.Count} outage alarm(s); {discovered.Choices.Count} choice(s) left to you.");
        try
        {
            report.Profile.Out.Writer.WriteLine(PlanCommand.SamDeployLine(plan));
        }
        catch (PlanInvalidException ex)
        {
            terminal.Error.MarkupLineInterpolated($"choice: template parameters: {string.Join("; ", ex.Errors)}");
        }

        return ExitCodes.Success;
    }
}
