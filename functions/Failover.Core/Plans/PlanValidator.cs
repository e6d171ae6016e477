using System.Text.RegularExpressions;

namespace Failover.Core.Plans;

/// <summary>One problem in a plan, located by its JSON path.</summary>
public sealed record PlanError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>Checks a plan completely and reports every error, never just the first.</summary>
public static partial class PlanValidator
{
    [GeneratedRegex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex("^[A-Za-z0-9-]{1,40}$")]
    private static partial Regex PlanNamePattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,62}$")]
    private static partial Regex DbIdentifierPattern();

    /// <summary>Returns every error in <paramref name="plan"/>; empty when valid.</summary>
    public static IReadOnlyList<PlanError> Validate(RecoveryPlan plan)
    {
        var errors = new List<PlanError>();
        Require(errors, PlanNamePattern().IsMatch(plan.Name), "$.name", "must be 1-40 letters, digits or hyphens");
        Require(errors, RegionPattern().IsMatch(plan.PrimaryRegion), "$.primaryRegion", $"'{plan.PrimaryRegion}' is not a region code");
        Require(errors, RegionPattern().IsMatch(plan.RecoveryRegion), "$.recoveryRegion", $"'{plan.RecoveryRegion}' is not a region code");
        Require(errors, plan.PrimaryRegion != plan.RecoveryRegion, "$.recoveryRegion", "must differ from primaryRegion");
        Require(errors, plan.Objectives.RtoSeconds > 0, "$.objectives.rtoSeconds", "must be greater than 0");
        Require(errors, plan.Objectives.RpoSeconds >= 0, "$.objectives.rpoSeconds", "must be 0 or more");
        Require(errors, plan.Databases.Count + plan.Switches.Count > 0, "$", "plan has nothing to fail over: add databases or switches");

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Databases.Count; i++)
        {
            var db = plan.Databases[i];
            var path = $"$.databases[{i}]";
            if (db is null)
            {
                errors.Add(new PlanError(path, "must not be null"));
                continue;
            }

            Require(errors, db.Kind == DatabaseKinds.RdsInstanceReplica, $"{path}.kind", $"unknown kind '{db.Kind}'; expected '{DatabaseKinds.RdsInstanceReplica}'");
            Require(errors, DbIdentifierPattern().IsMatch(db.Id), $"{path}.id", $"'{db.Id}' is not a DB instance identifier");
            Require(errors, ids.Add(db.Id), $"{path}.id", $"'{db.Id}' is listed twice");
        }

        for (var i = 0; i < plan.Switches.Count; i++)
        {
            var sw = plan.Switches[i];
            var path = $"$.switches[{i}]";
            if (sw is null)
            {
                errors.Add(new PlanError(path, "must not be null"));
                continue;
            }

            Require(errors, sw.Kind == SwitchKinds.SwitchMetric, $"{path}.kind", $"unknown kind '{sw.Kind}'; expected '{SwitchKinds.SwitchMetric}'");
            Require(errors, sw.Id.Length > 0, $"{path}.id", "is required");
            Require(errors, ids.Add(sw.Id), $"{path}.id", $"'{sw.Id}' is listed twice");
            Require(errors, sw.Namespace.Length is > 0 and <= 255 && !sw.Namespace.StartsWith("AWS/", StringComparison.Ordinal), $"{path}.namespace", "must be 1-255 characters and not start with 'AWS/'");
            Require(errors, sw.MetricName.Length is > 0 and <= 255, $"{path}.metricName", "must be 1-255 characters");
            Require(errors, sw.Dimensions.Count <= 30, $"{path}.dimensions", "at most 30 dimensions");
            Require(errors, double.IsFinite(sw.FailoverValue), $"{path}.failoverValue", "must be a finite number");
        }

        ValidateTrigger(plan.Trigger, errors);
        return errors;
    }
}
