using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Failover.Core;
using Failover.Core.Plans;
using Failover.Core.Runs;
using Failover.Core.Triggers;
using Failover.Functions;
using Spectre.Console;

namespace Failover.Cli;

/// <summary>What <c>failover start</c> was asked to do.</summary>
public sealed record StartOptions
{
    /// <summary>Stack whose StateMachineArn output names the state machine.</summary>
    public string? Stack { get; init; }

    /// <summary>The state machine, when no stack is named.</summary>
    public string? StateMachineArn { get; init; }

    /// <summary>drill, failover or switchover; null means failover (or drill with <see cref="Drill"/>).</summary>
    public string? Mode { get; init; }

    /// <summary>Shorthand for <c>--mode drill</c>.</summary>
    public bool Drill { get; init; }

    public string? Reason { get; init; }

    /// <summary>Region of the stack, over the session's (<see cref="AwsSession.ResolveRegion"/>).</summary>
    public string? Region { get; init; }

    /// <summary>Another endpoint for every AWS call (e.g. the local AWS), over the session's.</summary>
    public Uri? EndpointUrl { get; init; }

    /// <summary>The plan the stack was built with (default: the packaged plan); names the execution and validates the input.</summary>
    public FileInfo? PlanFile { get; init; }

    /// <summary>A failover or switchover starts without asking (scripts, pipelines); a drill never asks.</summary>
    public bool Yes { get; init; }

    /// <summary>Follow the execution phase by phase until it ends, then show its report (<see cref="RunWatch"/>).</summary>
    public bool Wait { get; init; }
}

/// <summary><c>failover start</c>: an operator's start of the deployed state machine (drill, failover or switchover).</summary>
public static partial class StartCommand
{
    /// <summary>The stack output that names the state machine (template.yaml Outputs).</summary>
    public const string StateMachineOutput = "StateMachineArn";

    /// <summary>Builds the command.</summary>
    public static Command Build(GlobalOptions global)
    {
        var stack = new Option<string?>("--stack") { Description = "Deployed stack name; the state machine is read from its StateMachineArn output." };
        var stateMachine = new Option<string?>("--state-machine-arn") { Description = "The state machine ARN (instead of --stack)." };
        var mode = new Option<string?>("--mode") { Description = "drill | failover | switchover (default failover)." };
        var drill = new Option<bool>("--drill") { Description = "Shorthand for --mode drill." };
        var reason = new Option<string?>("--reason") { Description = "Why the run is started (required; it is in every notification and the report)." };
        var plan = new Option<FileInfo?>("--plan") { Description = "The plan the stack was built with (default: the packaged plan)." };
        var yes = new Option<bool>("--yes") { Description = "Start a failover or switchover without asking to confirm (required when no terminal can ask)." };
        var wait = new Option<bool>("--wait") { Description = "Follow the run phase by phase until it ends, then show its report; the exit code is the run's." };
        var command = new Command("start", "Start the deployed state machine: a drill, a failover or a switchover, with the same input checks as the workflow.")
        {
            stack, stateMachine, mode, drill, reason, plan, yes, wait,
        };
        command.SetAction(global.Guarded((result, terminal, cancellationToken) => RunAsync(
            new StartOptions
            {
                Stack = result.GetValue(stack),
                StateMachineArn = result.GetValue(stateMachine),
                Mode = result.GetValue(mode),
                Drill = result.GetValue(drill),
                Reason = result.GetValue(reason),
                PlanFile = result.GetValue(plan),
                Yes = result.GetValue(yes),
                Wait = result.GetValue(wait),
            },
            global.Session(result), terminal, TimeProvider.System, cancellationToken)));
        return command;
    }

    /// <summary>
    /// Validates, asks to confirm a production run (failover, switchover) unless <see cref="StartOptions.Yes"/>, and
    /// starts. Exit codes: 0 started (with <see cref="StartOptions.Wait"/>: the run succeeded); 1 with Wait: the run
    /// failed; 2 the input, the plan or the stack cannot be used, or the start was not confirmed (nothing was started).
    /// AWS errors propagate (<see cref="CliErrors"/> maps them).
    /// </summary>
    public static async Task<int> RunAsync(StartOptions options, AwsSession session, Terminal terminal, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (options.Drill && options.Mode is { } other && other != RunModes.Drill)
        {
            return terminal.Fail(ExitCodes.InputError, $"--drill contradicts --mode {other}");
        }

        if ((options.Stack is null) == (options.StateMachineArn is null))
        {
            return terminal.Fail(ExitCodes.InputError, "Name the state machine with exactly one of --stack NAME or --state-machine-arn ARN.");
        }

        if (options.StateMachineArn is { } givenArn && !StateMachineArn().IsMatch(givenArn))
        {
            return terminal.Fail(ExitCodes.InputError, $"'{givenArn}' is not a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME).");
        }

        var planPath = options.PlanFile?.FullName ?? FunctionSettings.PackagedPlanPath;
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

        var request = new StartRequest { Mode = options.Drill ? RunModes.Drill : options.Mode ?? RunModes.Failover, Reason = options.Reason?.Trim() ?? "" };
        var problems = StartRequestRules.Validate(plan, request);
        if (problems.Count > 0)
        {
            return terminal.Fail(ExitCodes.InputError, "Nothing was started: " + string.Join("; ", problems));
        }

        session = session with { Region = options.Region ?? session.Region, EndpointUrl = options.EndpointUrl ?? session.EndpointUrl };
        var (region, _) = session.ResolveRegion(options.StateMachineArn, () => plan.RecoveryRegion);
        var clients = await session.ClientsAsync(region, clock, terminal, cancellationToken);
        var stateMachineArn = options.StateMachineArn;
        if (options.Stack is { } stackName)
        {
            var stack = await clients.CloudFormation.DescribeStackAsync(stackName, cancellationToken);
            stateMachineArn = stack.Outputs.FirstOrDefault(o => o.OutputKey == StateMachineOutput)?.OutputValue;
            if (string.IsNullOrEmpty(stateMachineArn))
            {
                return terminal.Fail(ExitCodes.InputError, $"Stack {stackName} ({stack.StackStatus}) has no {StateMachineOutput} output.");
            }
        }

        if (request.Mode != RunModes.Drill && !options.Yes)
        {
            // A production run promotes databases and moves traffic: nobody should start one by a slip of the keyboard.
            if (terminal.Ask is not { } ask)
            {
                return terminal.Fail(ExitCodes.InputError, $"Nothing was started: a {request.Mode} changes production (databases, traffic); confirm with --yes when no terminal can ask.");
            }

            var answer = ask($"Start a {request.Mode} of plan {plan.Name} in {region}? It promotes its databases and moves its traffic. Type the plan name to confirm:");
            if (answer?.Trim() != plan.Name)
            {
                return terminal.Fail(ExitCodes.InputError, $"Nothing was started: the answer was not the plan name ({plan.Name}).");
            }
        }

        var name = StartRequestRules.ManualExecutionName(plan, request.Mode, clock.GetUtcNow());
        var input = JsonSerializer.Serialize(request, FailoverJson.Default.StartRequest);
        var started = await clients.StepFunctions.StartExecutionAsync(stateMachineArn!, name, input, cancellationToken);
        if (options.Wait)
        {
            terminal.Progress.MarkupLineInterpolated($"Started [bold]{request.Mode}[/] of plan [bold]{plan.Name}[/]: {started.ExecutionArn}");
            var ended = await RunWatch.FollowAsync(clients.StepFunctions, started.ExecutionArn, terminal, clock, cancellationToken);
            return await StatusCommand.ShowAsync(ended, (null, null, null), terminal, cancellationToken);
        }

        if (terminal.Json)
        {
            terminal.WriteJson(new JsonObject { ["executionArn"] = started.ExecutionArn, ["name"] = name, ["mode"] = request.Mode, ["plan"] = plan.Name }.ToJsonString(Indented));
        }
        else
        {
            terminal.Out.MarkupLineInterpolated($"Started [bold]{request.Mode}[/] of plan [bold]{plan.Name}[/]: {name}");
            terminal.Out.MarkupLineInterpolated($"Execution {started.ExecutionArn}");
        }

        return ExitCodes.Success;
    }

    /// <summary>The same, writing to one console, with explicit credentials (null: the default chain), and AWS errors as exit codes.</summary>
    public static Task<int> RunAsync(StartOptions options, IAnsiConsole console, TimeProvider clock, AWSCredentials? credentials, CancellationToken cancellationToken)
    {
        var terminal = Terminal.Single(console);
        return CliErrors.GuardAsync(terminal, () => RunAsync(options, new AwsSession { Credentials = credentials }, terminal, clock, cancellationToken), cancellationToken);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [GeneratedRegex(@"^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:\s]+$")]
    private static partial Regex StateMachineArn();
}
