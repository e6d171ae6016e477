using System.CommandLine;
using System.Text.Json;
using Failover.Aws.Adapters;
using Failover.Core;
using Failover.Core.Plans;
using Failover.Core.Readiness;
using Failover.Functions;
using Spectre.Console;

namespace Failover.Cli;

/// <summary><c>failover readiness</c>: the plan's readiness findings, evaluated now by the deployed function or as last stored.</summary>
public static class ReadinessCommand
{
    /// <summary>The stack output that names the Readiness function (template.yaml Outputs).</summary>
    public const string FunctionOutput = "ReadinessFunctionName";

    /// <summary>Builds the command.</summary>
    public static Command Build(GlobalOptions global)
    {
        var last = new Option<bool>("--last") { Description = "Show the last stored evaluation (SSM parameter /failover/PLAN/readiness) instead of evaluating now." };
        var stack = new Option<string?>("--stack") { Description = $"Deployed stack name; the Readiness function is read from its {FunctionOutput} output." };
        var function = new Option<string?>("--function") { Description = "The Readiness function's name or ARN (instead of --stack)." };
        var plan = new Option<FileInfo?>("--plan") { Description = "The plan the stack was built with (default: the packaged plan)." };
        var command = new Command("readiness", "Show the plan's readiness findings with what to do (exit 0 ready, 1 not ready): evaluated now by the deployed Readiness function, or the last stored evaluation with --last.")
        {
            last, stack, function, plan,
        };
        command.SetAction(global.Guarded((result, terminal, cancellationToken) => RunAsync(
            result.GetValue(last), result.GetValue(stack), result.GetValue(function), result.GetValue(plan), global.Session(result), terminal, TimeProvider.System, cancellationToken)));
        return command;
    }

    /// <summary>
    /// Evaluates (or reads) and shows the findings. Exit codes: 0 ready; 1 not ready; 2 the plan, the options or the
    /// stack cannot be used, or nothing is stored yet. AWS errors propagate (<see cref="CliErrors"/> maps them).
    /// </summary>
    public static async Task<int> RunAsync(bool last, string? stackName, string? functionName, FileInfo? planFile, AwsSession session, Terminal terminal, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (last && (stackName ?? functionName) is not null)
        {
            return terminal.Fail(ExitCodes.InputError, "--last reads the stored evaluation: it takes no --stack or --function.");
        }

        if (!last && (stackName is null) == (functionName is null))
        {
            return terminal.Fail(ExitCodes.InputError, "Name the Readiness function with exactly one of --stack NAME or --function NAME (or use --last).");
        }

        var planPath = planFile?.FullName ?? FunctionSettings.PackagedPlanPath;
        RecoveryPlan plan;
        try
        {
            plan = PlanDocument.Parse(await File.ReadAllTextAsync(planPath, cancellationToken));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return terminal.Fail(ExitCodes.InputError, $"Plan not readable: {planPath}: {ex.Message}");
        }
        catch (PlanInvalidException ex)
        {
            return PlanErrors.Print(terminal.Error, ex);
        }

        var (region, _) = session.ResolveRegion(null, () => plan.RecoveryRegion);
        var clients = await session.ClientsAsync(region, clock, terminal, cancellationToken);
        ReadinessEvaluation? evaluation;
        if (last)
        {
            evaluation = await new SsmReadinessStore(clients.Ssm, plan.Name).ReadLastAsync(cancellationToken);
            if (evaluation is null)
            {
                return terminal.Fail(ExitCodes.InputError, $"No evaluation is stored in {SsmReadinessStore.ParameterName(plan.Name)} ({region}) yet: the schedule has not run; evaluate now with --stack or --function.");
            }
        }
        else
        {
            if (stackName is not null)
            {
                var stack = await clients.CloudFormation.DescribeStackAsync(stackName, cancellationToken);
                functionName = stack.Outputs.FirstOrDefault(o => o.OutputKey == FunctionOutput)?.OutputValue;
                if (string.IsNullOrEmpty(functionName))
                {
                    return terminal.Fail(ExitCodes.InputError, $"Stack {stackName} ({stack.StackStatus}) has no {FunctionOutput} output.");
                }
            }

            var invoke = await clients.Lambda.InvokeAsync(functionName!, "{\"source\":\"failover.cli\"}", "RequestResponse", cancellationToken);
            if (invoke.FunctionError is not null)
            {
                return terminal.Fail(ExitCodes.Failed, $"The Readiness function {functionName} failed: {invoke.Payload}");
            }

            try
            {
                evaluation = JsonSerializer.Deserialize(invoke.Payload, FailoverJson.Default.ReadinessEvaluation);
            }
            catch (JsonException ex)
            {
                return terminal.Fail(ExitCodes.Failed, $"The Readiness function {functionName} did not return an evaluation: {ex.Message}");
            }

            if (evaluation is null)
            {
                return terminal.Fail(ExitCodes.Failed, $"The Readiness function {functionName} returned no evaluation.");
            }
        }

        if (terminal.Json)
        {
            terminal.WriteJson(JsonSerializer.Serialize(evaluation, FailoverJson.Indented.ReadinessEvaluation));
        }
        else
        {
            Render(evaluation, terminal.Out);
        }

        return evaluation.Ready ? ExitCodes.Success : ExitCodes.Failed;
    }

    /// <summary>The evaluation as a table of findings, or one line when ready.</summary>
    public static void Render(ReadinessEvaluation evaluation, IAnsiConsole console)
    {
        var when = evaluation.EvaluatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        if (evaluation.Ready)
        {
            console.MarkupLineInterpolated($"Plan [bold]{evaluation.Plan}[/] is [green]ready[/] (evaluated {when}): no finding.");
            return;
        }

        var table = new Table().Title($"Readiness of {Markup.Escape(evaluation.Plan)}: NOT ready ({evaluation.Findings.Count} finding(s), evaluated {when})").AddColumns("Finding", "Problem", "What to do");
        foreach (var f in evaluation.Findings)
        {
            table.AddRow(Markup.Escape(f.Id), Markup.Escape(f.Problem), Markup.Escape(f.Remedy));
        }

        console.Write(table);
    }
}
