using System.CommandLine;
using Failover.Core.Plans;

namespace Failover.Cli;

/// <summary><c>failover plan</c>: plan documents. <c>failover plan validate FILE</c> lists every error with its JSON path.</summary>
public static class PlanCommand
{
    /// <summary>Exit code: the plan is valid.</summary>
    public const int Valid = 0;

    /// <summary>Exit code: the plan was read and has errors (each printed as <c>PATH: message</c>).</summary>
    public const int Invalid = 1;

    /// <summary>Exit code: the file could not be read.</summary>
    public const int Unreadable = 2;

    /// <summary>Builds the command and its subcommands.</summary>
    public static Command Build()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The plan document (JSON) to check." };
        var validate = new Command("validate", "Check a plan document and list every error with its JSON path (exit 0 valid, 1 invalid, 2 unreadable).") { file };
        validate.SetAction((result, cancellationToken) =>
            ValidateAsync(result.GetValue(file)!, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, cancellationToken));
        return new Command("plan", "Work with plan documents.") { validate };
    }

    /// <summary>
    /// Reads and checks the plan as the functions do (every rule of <see cref="PlanDocument"/>, and the trigger's
    /// placement rules the Trigger applies at start-up); prints each error as <c>PATH: message</c> on
    /// <paramref name="output"/>.
    /// </summary>
    public static async Task<int> ValidateAsync(FileInfo file, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string json;
        try
        {
            json = await File.ReadAllTextAsync(file.FullName, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"Cannot read the plan {file.FullName}: {ex.Message}");
            return Unreadable;
        }

        IReadOnlyList<PlanError> errors;
        RecoveryPlan? plan = null;
        try
        {
            plan = PlanDocument.Parse(json);
            errors = PlanValidator.ValidateTriggerPlacement(plan);
        }
        catch (PlanInvalidException ex)
        {
            errors = ex.Errors;
        }

        foreach (var planError in errors)
        {
            await output.WriteLineAsync($"{planError.Path}: {planError.Message}");
        }

        if (errors.Count > 0)
        {
            await error.WriteLineAsync($"{file.Name}: {errors.Count} error(s); the plan is invalid.");
            return Invalid;
        }

        var servers = plan!.Waves.Count == 0 ? "no DRS servers"
            : string.Join("; then ", plan.Waves.Select((wave, i) => (plan.Waves.Count > 1 ? $"wave {i + 1}{(wave.Name is null ? "" : $" ({wave.Name})")}: " : "")
                + $"{wave.SourceServerIds.Count} DRS server(s) by id{(wave.Tags.Count > 0 ? " and those tagged " + string.Join(", ", wave.Tags.Select(t => $"{t.Key}={t.Value}")) : "")}"));
        await output.WriteLineAsync($"{file.Name}: plan '{plan.Name}' is valid: {plan.PrimaryRegion} -> {plan.RecoveryRegion}, {plan.Databases.Count} database(s), {servers}, {plan.Switches.Count} switch(es).");
        return Valid;
    }
}
