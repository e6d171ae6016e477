using System.CommandLine;
using System.Text.Json;
using Amazon.Runtime;
using Failover.Aws;
using Failover.Aws.Transport;
using Failover.Core;
using Failover.Core.Plans;
using Failover.Core.Runs;
using Failover.Core.Triggers;
using Failover.Local;
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

    /// <summary>Region of the stack; default: the state machine ARN's region, else the plan's recovery region.</summary>
    public string? Region { get; init; }

    /// <summary>Another endpoint for every AWS call, e.g. the local AWS.</summary>
    public Uri? EndpointUrl { get; init; }

    /// <summary>The plan the stack was built with (default: the packaged plan); names the execution and validates the input.</summary>
    public FileInfo? PlanFile { get; init; }
}

/// <summary><c>failover start</c>: an operator's start of the deployed state machine (drill, failover or switchover).</summary>
public static class StartCommand
{
    /// <summary>The stack output that names the state machine (template.yaml Outputs).</summary>
    public const string StateMachineOutput = "StateMachineArn";

    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var stack = new Option<string?>("--stack") { Description = "Deployed stack name; the state machine is read from its StateMachineArn output." };
        var stateMachine = new Option<string?>("--state-machine-arn") { Description = "The state machine ARN (instead of --stack)." };
        var mode = new Option<string?>("--mode") { Description = "drill | failover | switchover (default failover)." };
        var drill = new Option<bool>("--drill") { Description = "Shorthand for --mode drill." };
        var reason = new Option<string?>("--reason") { Description = "Why the run is started (required; it is in every notification and the report)." };
        var region = new Option<string?>("--region") { Description = "Region of the stack (default: the ARN's region, else the plan's recovery region)." };
        var endpoint = EndpointOption();
        var plan = new Option<FileInfo?>("--plan") { Description = "The plan the stack was built with (default: the packaged plan)." };
        var command = new Command("start", "Start the deployed state machine: a drill, a failover or a switchover, with the same input checks as the workflow.")
        {
            stack, stateMachine, mode, drill, reason, region, endpoint, plan,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            new StartOptions
            {
                Stack = result.GetValue(stack),
                StateMachineArn = result.GetValue(stateMachine),
                Mode = result.GetValue(mode),
                Drill = result.GetValue(drill),
                Reason = result.GetValue(reason),
                Region = result.GetValue(region),
                EndpointUrl = result.GetValue(endpoint),
                PlanFile = result.GetValue(plan),
            },
            AnsiConsole.Console, TimeProvider.System, null, cancellationToken));
        return command;
    }

    /// <summary>The --endpoint-url option: an absolute http(s) URL every AWS call goes to (e.g. the local AWS).</summary>
    public static Option<Uri?> EndpointOption() => new("--endpoint-url")
    {
        Description = "Send every AWS call here instead (e.g. the local AWS).",
        CustomParser = r =>
        {
            var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                return uri;
            }

            r.AddError($"--endpoint-url '{text}' is not an absolute http(s) URL");
            return null;
        },
    };

    /// <summary>
    /// Validates and starts. Exit codes: 0 started; 1 AWS refused or failed; 2 the input, the plan or the
    /// stack cannot be used (nothing was started).
    /// </summary>
    /// <param name="credentials">Explicit credentials; null uses the default chain (environment, profiles, SSO, instance).</param>
    public static async Task<int> RunAsync(StartOptions options, IAnsiConsole console, TimeProvider clock, AWSCredentials? credentials, CancellationToken cancellationToken)
    {
        if (options.Drill && options.Mode is { } other && other != RunModes.Drill)
        {
            console.MarkupLineInterpolated($"[red]--drill contradicts --mode {other}[/]");
            return 2;
        }

        if ((options.Stack is null) == (options.StateMachineArn is null))
        {
            console.MarkupLine("[red]Name the state machine with exactly one of --stack NAME or --state-machine-arn ARN.[/]");
            return 2;
        }

        var planPath = options.PlanFile?.FullName ?? LocalEnvironment.PlanPath;
        RecoveryPlan plan;
        try
        {
            plan = PlanDocument.Parse(await File.ReadAllTextAsync(planPath, cancellationToken));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[red]Plan not readable:[/] {planPath}: {ex.Message}");
            return 2;
        }
        catch (PlanInvalidException ex)
        {
            return PlanErrors.Print(console, ex);
        }

        var request = new StartRequest { Mode = options.Drill ? RunModes.Drill : options.Mode ?? RunModes.Failover, Reason = options.Reason?.Trim() ?? "" };
        var problems = StartRequestRules.Validate(plan, request);
        if (problems.Count > 0)
        {
            console.MarkupLine("[red]Nothing was started:[/]");
            foreach (var problem in problems)
            {
                console.MarkupLineInterpolated($"  {problem}");
            }

            return 2;
        }

        var region = options.Region ?? (options.StateMachineArn is { } arn ? AlarmEventParser.RegionOf(arn) : null) ?? plan.RecoveryRegion;
        var clients = new AwsClients(new AwsOptions { Region = region, EndpointUrl = options.EndpointUrl, Credentials = credentials }, clock);
        try
        {
            var stateMachineArn = options.StateMachineArn;
            if (options.Stack is { } stackName)
            {
                var stack = await clients.CloudFormation.DescribeStackAsync(stackName, cancellationToken);
                stateMachineArn = stack.Outputs.FirstOrDefault(o => o.OutputKey == StateMachineOutput)?.OutputValue;
                if (string.IsNullOrEmpty(stateMachineArn))
                {
                    console.MarkupLineInterpolated($"[red]Stack {stackName} ({stack.StackStatus}) has no {StateMachineOutput} output.[/]");
                    return 2;
                }
            }

            var name = StartRequestRules.ManualExecutionName(plan, request.Mode, clock.GetUtcNow());
            var input = JsonSerializer.Serialize(request, FailoverJson.Default.StartRequest);
            var started = await clients.StepFunctions.StartExecutionAsync(stateMachineArn!, name, input, cancellationToken);
            console.MarkupLineInterpolated($"Started [bold]{request.Mode}[/] of plan [bold]{plan.Name}[/]: {name}");
            console.MarkupLineInterpolated($"Execution {started.ExecutionArn}");
            return 0;
        }
        catch (AwsServiceException ex)
        {
            console.MarkupLineInterpolated($"[red]AWS refused:[/] {ex.Message}");
            return ex.ErrorCode == "ValidationError" && options.Stack is not null ? 2 : 1;
        }
    }
}
