using System.CommandLine;
using Failover.Core.Plans;

namespace Failover.Cli;

/// <summary>
/// <c>failover plan</c>: plan documents. <c>failover plan validate FILE</c> lists every error with its JSON path, line and column;
/// <c>failover plan params FILE</c> prints the <c>sam deploy --parameter-overrides</c> the plan needs;
/// <c>failover plan init</c> writes a plan from what the account holds (<see cref="PlanInitCommand"/>).
/// </summary>
public static class PlanCommand
{
    /// <summary>Exit code: the plan is valid.</summary>
    public const int Valid = 0;

    /// <summary>Exit code: the plan was read and has errors (each printed as <c>PATH (line L, column C): message</c>).</summary>
    public const int Invalid = 1;

    /// <summary>Exit code: the file could not be read.</summary>
    public const int Unreadable = 2;

    /// <summary>Builds the command and its subcommands; <paramref name="global"/> gives <c>init</c> its AWS settings.</summary>
    public static Command Build(GlobalOptions global)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The plan document (JSON) to check." };
        var validate = new Command("validate", "Check a plan document and list every error with its JSON path (exit 0 valid, 1 invalid, 2 unreadable).") { file };
        validate.SetAction((result, cancellationToken) =>
            ValidateAsync(result.GetValue(file)!, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, cancellationToken));
        var deployFile = new Argument<FileInfo>("FILE") { Description = "The plan document (JSON) the stack will run." };
        var parameters = new Command("params", "Print the `sam deploy --parameter-overrides` the plan needs (alarms, replicas, clusters, health checks, zones), so the stack's permissions match the plan (exit 0, 1 invalid, 2 unreadable).") { deployFile };
        parameters.SetAction((result, cancellationToken) =>
            ParamsAsync(result.GetValue(deployFile)!, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, cancellationToken));
        return new Command("plan", "Work with plan documents.") { PlanInitCommand.Build(global), validate, parameters };
    }

    /// <summary>
    /// Reads and checks the plan like <see cref="ValidateAsync"/>, then prints the <c>sam deploy</c> command line
    /// whose <c>--parameter-overrides</c> scope the stack to the plan (<see cref="DeployParameters"/>).
    /// </summary>
    public static async Task<int> ParamsAsync(FileInfo file, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var (plan, exitCode) = await ReadAsync(file, output, error, cancellationToken);
        if (plan is null)
        {
            return exitCode;
        }

        try
        {
            await output.WriteLineAsync(SamDeployLine(plan));
            return Valid;
        }
        catch (PlanInvalidException ex)
        {
            return await ReportAsync(file, ex.Errors, output, error);
        }
    }

    /// <summary>
    /// <c>sam deploy --parameter-overrides …</c> for <paramref name="plan"/> (<see cref="DeployParameters"/>); throws
    /// <see cref="PlanInvalidException"/> when one stack cannot grant what the plan asks for.
    /// </summary>
    public static string SamDeployLine(RecoveryPlan plan) => $"sam deploy --parameter-overrides {DeployParameters.ParameterOverrides(DeployParameters.For(plan))}";

    /// <summary>
    /// Reads and checks the plan as the functions do (every rule of <see cref="PlanDocument"/>, and the trigger's
    /// placement rules the Trigger applies at start-up); prints each error as <c>PATH: message</c> on
    /// <paramref name="output"/>.
    /// </summary>
    public static async Task<int> ValidateAsync(FileInfo file, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var (plan, exitCode) = await ReadAsync(file, output, error, cancellationToken);
        if (plan is null)
        {
            return exitCode;
        }

        var servers = plan.Waves.Count == 0 ? "no DRS servers"
            : string.Join("; then ", plan.Waves.Select((wave, i) => (plan.Waves.Count > 1 ? $"wave {i + 1}{(wave.Name is null ? "" : $" ({wave.Name})")}: " : "")
                + $"{wave.SourceServerIds.Count} DRS server(s) by id{(wave.Tags.Count > 0 ? " and those tagged " + string.Join(", ", wave.Tags.Select(t => $"{t.Key}={t.Value}")) : "")}"));
        await output.WriteLineAsync($"{file.Name}: plan '{plan.Name}' is valid: {plan.PrimaryRegion} -> {plan.RecoveryRegion}, {plan.Databases.Count} database(s), {servers}, {plan.Switches.Count} switch(es).");
        return Valid;
    }

    /// <summary>The valid plan, or null with the exit code after printing why (unreadable, or every error).</summary>
    private static async Task<(RecoveryPlan? Plan, int ExitCode)> ReadAsync(FileInfo file, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        byte[] json;
        try
        {
            // Bytes, not text: PlanDocument refuses bytes that are not UTF-8 (File.ReadAllText would make them U+FFFD).
            json = await File.ReadAllBytesAsync(file.FullName, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Cannot read the plan {file.FullName}: {ex.Message}");
            return (null, Unreadable);
        }

        try
        {
            return (PlanDocument.Parse(json, PlanValidator.ValidateTriggerPlacement), Valid);
        }
        catch (PlanInvalidException ex)
        {
            return (null, await ReportAsync(file, ex.Errors, output, error));
        }
    }

    private static async Task<int> ReportAsync(FileInfo file, IReadOnlyList<PlanError> errors, TextWriter output, TextWriter error)
    {
        foreach (var planError in errors)
        {
            await output.WriteLineAsync(planError.ToString());
        }

        await error.WriteLineAsync($"{file.Name}: {errors.Count} error(s); the plan is invalid.");
        return Invalid;
    }
}
