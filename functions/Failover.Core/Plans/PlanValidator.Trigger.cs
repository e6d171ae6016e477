using System.Text.RegularExpressions;

namespace Failover.Core.Plans;

/// <summary>The trigger section's rules.</summary>
public static partial class PlanValidator
{
    // \z, not $: .NET's $ also matches before a final newline. The name is any text without control characters.
    [GeneratedRegex(@"^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:[0-9]{12}:alarm:\P{Cc}+\z")]
    private static partial Regex AlarmArnPattern();

    [GeneratedRegex(@"^[0-9]{12}\z")]
    private static partial Regex AccountPattern();

    /// <summary>
    /// Rules that need the whole plan: every allow-listed alarm lives in the recovery region, where the
    /// EventBridge rule listens and where the trigger reads alarm states (an alarm in the primary region
    /// fails with the region it should report on). The Trigger refuses to start with any of these errors.
    /// </summary>
    public static IReadOnlyList<PlanError> ValidateTriggerPlacement(RecoveryPlan plan)
    {
        var errors = new List<PlanError>();
        for (var i = 0; i < plan.Trigger.AlarmArns.Count; i++)
        {
            var arn = plan.Trigger.AlarmArns[i] ?? "";
            // Only against a known recovery region: an unknown one is reported once, at recoveryRegion.
            if (AlarmArnPattern().IsMatch(arn) && AwsRegions.IsKnown(plan.RecoveryRegion) && Arn.Parse(arn).Region is var region && region != plan.RecoveryRegion)
            {
                errors.Add(new PlanError($"$.trigger.alarmArns[{i}]",
                    $"alarm is in {region}; trigger alarms must live in the recovery region {plan.RecoveryRegion}"));
            }
        }

        return errors;
    }

    private static void ValidateTrigger(TriggerPolicy trigger, List<PlanError> errors)
    {
        Require(errors, AccountPattern().IsMatch(trigger.AccountId), "$.trigger.accountId", "must be a 12-digit account id");
        Require(errors, trigger.DecisionWindowMinutes is >= 1 and <= 1440, "$.trigger.decisionWindowMinutes", "must be 1-1440");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < trigger.AlarmArns.Count; i++)
        {
            var arn = trigger.AlarmArns[i] ?? "";
            Require(errors, AlarmArnPattern().IsMatch(arn), $"$.trigger.alarmArns[{i}]", $"'{arn}' is not a CloudWatch alarm ARN");
            RequireSupportedArn(errors, arn, $"$.trigger.alarmArns[{i}]");
            // Compared only with a valid account id: an invalid one is reported once, at accountId.
            Require(errors, !AlarmArnPattern().IsMatch(arn) || !AccountPattern().IsMatch(trigger.AccountId) || Arn.Parse(arn).Account == trigger.AccountId,
                $"$.trigger.alarmArns[{i}]", "alarm belongs to another account than trigger.accountId");
            Require(errors, seen.Add(arn), $"$.trigger.alarmArns[{i}]", $"'{arn}' is listed twice (the quorum counts alarms)");
        }

        Require(errors, trigger.AlarmArns.Count <= TriggerPolicy.MaxAlarms, "$.trigger.alarmArns", $"at most {TriggerPolicy.MaxAlarms} alarms (DescribeAlarms reads 100 names)");
        if (trigger.Quorum is { } quorum)
        {
            Require(errors, quorum >= 1 && quorum <= trigger.AlarmArns.Count, "$.trigger.quorum",
                trigger.AlarmArns.Count == 0 ? "no alarms are listed: remove quorum" : $"must be 1-{trigger.AlarmArns.Count} (the number of listed alarms)");
        }

        Require(errors, trigger.SustainSeconds is >= 0 and <= TriggerPolicy.MaxSustainSeconds, "$.trigger.sustainSeconds", $"must be 0-{TriggerPolicy.MaxSustainSeconds}");
        Require(errors, trigger.CooldownMinutes is >= 1 and <= TriggerPolicy.MaxCooldownMinutes, "$.trigger.cooldownMinutes", $"must be 1-{TriggerPolicy.MaxCooldownMinutes} (90 days of execution history)");
        Require(errors, trigger.EventClockSkewSeconds is >= 0 and <= TriggerPolicy.MaxEventClockSkewSeconds, "$.trigger.eventClockSkewSeconds", $"must be 0-{TriggerPolicy.MaxEventClockSkewSeconds}");
    }

    private static void Require(List<PlanError> errors, bool ok, string path, string message)
    {
        if (!ok)
        {
            errors.Add(new PlanError(path, message));
        }
    }
}
