using System.Globalization;
using Failover.Core.Plans;
using Failover.Core.Runs;

namespace Failover.Core.Triggers;

/// <summary>
/// The rules every execution input must meet before anything reads AWS: the ones `failover start` checks
/// before it calls StartExecution, and the input checks of the workflow's Prepare step.
/// </summary>
public static class StartRequestRules
{
    /// <summary>Longest <see cref="StartRequest.Reason"/> (UTF-16 code units, as <see cref="string.Length"/> counts): it is repeated in notifications and the report.</summary>
    public const int MaxReasonLength = 1024;

    /// <summary>Marks a reason that <see cref="FitReason"/> had to cut.</summary>
    public const string CutMark = "\u2026";

    /// <summary>Modes an operator may start.</summary>
    public static IReadOnlyList<string> Modes { get; } = [RunModes.Drill, RunModes.Failover, RunModes.Switchover];

    /// <summary>Every problem with <paramref name="request"/> for <paramref name="plan"/>; empty when acceptable.</summary>
    public static IReadOnlyList<string> Validate(RecoveryPlan plan, StartRequest request)
    {
        var problems = new List<string>();
        if (!Modes.Contains(request.Mode, StringComparer.Ordinal))
        {
            problems.Add($"mode '{request.Mode}' is not one of {string.Join(", ", Modes)}");
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            problems.Add("reason is required: say why the run is started (it is in every notification and the report)");
        }
        else if (request.Reason.Length > MaxReasonLength)
        {
            problems.Add($"reason is {request.Reason.Length} characters; at most {MaxReasonLength}");
        }

        if (request.Mode == RunModes.Switchover && request.AllowDataLoss)
        {
            problems.Add("a switchover is planned and loses no data: allowDataLoss applies to failover only");
        }

        if (request.Mode == RunModes.Drill && request.AllowDataLoss)
        {
            problems.Add("a drill touches no production data: allowDataLoss applies to failover only");
        }

        if (request.Scope is { } scope)
        {
            var unknown = Unknown(scope.Databases, plan.Databases.Select(d => d.Id), "database")
                .Concat(Unknown(scope.Servers, ServerWaves.SourceServerIds(plan.Waves), "server"))
                .Concat(Unknown(scope.Switches, plan.Switches.Select(s => s.Id), "switch"))
                .ToList();
            if (unknown.Count > 0)
            {
                problems.Add($"scope names resources the plan does not have: {string.Join(", ", unknown)}; the input may narrow the plan, never add to it");
            }
        }

        return problems;
    }

    /// <summary>
    /// <paramref name="reason"/> as <see cref="Validate"/> accepts its length: unchanged when it fits, else its start up to
    /// <see cref="MaxReasonLength"/> with <see cref="CutMark"/> at the end. For reasons made of text nobody here controls,
    /// such as a CloudWatch alarm's name and state reason (up to 255 and 1,023 characters, in any script). The cut falls
    /// between text elements, so it never splits a surrogate pair (which JSON could not encode) or a letter from its accent.
    /// </summary>
    public static string FitReason(string reason)
    {
        if (reason.Length <= MaxReasonLength)
        {
            return reason;
        }

        var kept = 0;
        while (kept < reason.Length)
        {
            var next = StringInfo.GetNextTextElementLength(reason, kept);
            if (kept + next > MaxReasonLength - CutMark.Length)
            {
                break;
            }

            kept += next;
        }

        return string.Concat(reason.AsSpan(0, kept), CutMark);
    }

    /// <summary>The execution name of an operator's start: <c>{plan}-{mode}-{yyyyMMddTHHmmssZ}-manual</c> (valid Step Functions name, at most 80 characters).</summary>
    public static string ManualExecutionName(RecoveryPlan plan, string mode, DateTimeOffset now) =>
        $"{plan.Name}-{mode}-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}-manual";

    private static IEnumerable<string> Unknown(IReadOnlyList<string>? wanted, IEnumerable<string> known, string what)
    {
        if (wanted is null)
        {
            return [];
        }

        var set = known.ToHashSet(StringComparer.Ordinal);
        return wanted.Where(w => !set.Contains(w)).Select(w => $"{what} '{w}'");
    }
}
