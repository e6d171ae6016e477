using System.Text.Json;

namespace Failover.Core.Plans;

/// <summary>Raised when a plan cannot be used; lists every error with its JSON path.</summary>
public sealed class PlanInvalidException(IReadOnlyList<PlanError> errors)
    : Exception("Plan is invalid: " + string.Join("; ", errors))
{
    public IReadOnlyList<PlanError> Errors { get; } = errors;
}

/// <summary>Reads a plan from JSON text and validates it.</summary>
public static class PlanDocument
{
    /// <summary>Parses and validates; throws <see cref="PlanInvalidException"/> listing every problem.</summary>
    public static RecoveryPlan Parse(string json)
    {
        RecoveryPlan? plan;
        try
        {
            plan = JsonSerializer.Deserialize(json, FailoverJson.Default.RecoveryPlan);
        }
        catch (JsonException ex)
        {
            throw new PlanInvalidException([new PlanError(ex.Path ?? "$", ex.Message)]);
        }

        if (plan is null)
        {
            throw new PlanInvalidException([new PlanError("$", "plan is empty (null)")]);
        }

        var errors = PlanValidator.Validate(plan);
        return errors.Count > 0 ? throw new PlanInvalidException(errors) : plan;
    }
}
