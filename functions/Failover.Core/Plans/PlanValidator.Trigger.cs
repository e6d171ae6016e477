using System.Text.RegularExpressions;

namespace Failover.Core.Plans;

/// <summary>The trigger section's rules.</summary>
public static partial class PlanValidator
{
    [GeneratedRegex("^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:[0-9]{12}:alarm:.+$")]
    private static partial Regex AlarmArnPattern();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountPattern();

    private static void ValidateTrigger(TriggerPolicy trigger, List<PlanError> errors)
    {
        Require(errors, AccountPattern().IsMatch(trigger.AccountId), "$.trigger.accountId", "must be a 12-digit account id");
        Require(errors, trigger.DecisionWindowMinutes is >= 1 and <= 1440, "$.trigger.decisionWindowMinutes", "must be 1-1440");
        for (var i = 0; i < trigger.AlarmArns.Count; i++)
        {
            var arn = trigger.AlarmArns[i] ?? "";
            Require(errors, AlarmArnPattern().IsMatch(arn), $"$.trigger.alarmArns[{i}]", $"'{arn}' is not a CloudWatch alarm ARN");
            Require(errors, !AlarmArnPattern().IsMatch(arn) || arn.Split(':')[4] == trigger.AccountId, $"$.trigger.alarmArns[{i}]", "alarm belongs to another account than trigger.accountId");
        }
    }

    private static void Require(List<PlanError> errors, bool ok, string path, string message)
    {
        if (!ok)
        {
            errors.Add(new PlanError(path, message));
        }
    }
}
