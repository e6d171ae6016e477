using System.Text;
using System.Text.Json;
using Failover.Aws.Clients;
using Failover.Aws.Transport;
using Failover.Core;
using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Readiness;
using Failover.Core.Runs;

namespace Failover.Aws.Adapters;

/// <summary>
/// The last readiness evaluation in the SSM parameter <c>/failover/PLAN/readiness</c>. The whole evaluation when it fits
/// a Standard parameter (4 KB); otherwise the findings' ids only (what telling a change needs) in the Advanced tier
/// (8 KB), the newest ids that fit.
/// </summary>
public sealed class SsmReadinessStore(SsmClient ssm, string planName) : IReadinessStore
{
    /// <summary>The parameter's name for a plan.</summary>
    public static string ParameterName(string planName) => $"/failover/{planName}/readiness";

    /// <inheritdoc />
    public async Task<ReadinessEvaluation?> ReadLastAsync(CancellationToken cancellationToken)
    {
        try
        {
            var parameter = await ssm.GetParameterAsync(ParameterName(planName), cancellationToken);
            return JsonSerializer.Deserialize(parameter.Value, FailoverJson.Default.ReadinessEvaluation);
        }
        catch (AwsNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task SaveAsync(ReadinessEvaluation evaluation, CancellationToken cancellationToken)
    {
        var (value, tier) = Value(evaluation);
        await ssm.PutParameterAsync(ParameterName(planName), value, tier, cancellationToken);
    }

    /// <summary>The stored text and its tier.</summary>
    public static (string Value, string Tier) Value(ReadinessEvaluation evaluation)
    {
        var whole = JsonSerializer.Serialize(evaluation, FailoverJson.Default.ReadinessEvaluation);
        if (Encoding.UTF8.GetByteCount(whole) <= SsmClient.StandardValueLimit)
        {
            return (whole, "Standard");
        }

        var ids = evaluation with { Findings = [.. evaluation.Findings.Select(f => new ReadinessFinding(f.Id, f.Resource, "", ""))] };
        var text = JsonSerializer.Serialize(ids, FailoverJson.Default.ReadinessEvaluation);
        while (Encoding.UTF8.GetByteCount(text) > SsmClient.AdvancedValueLimit && ids.Findings.Count > 0)
        {
            ids = ids with { Findings = [.. ids.Findings.Take(ids.Findings.Count * 9 / 10)] };
            text = JsonSerializer.Serialize(ids, FailoverJson.Default.ReadinessEvaluation);
        }

        return (text, "Advanced");
    }
}

/// <summary>Publishes <c>Ready</c> (1/0) and <c>Findings</c> (count) with the dimension Plan.</summary>
public sealed class CloudWatchReadinessMetrics(CloudWatchClient cloudWatch, string metricNamespace) : IReadinessMetrics
{
    /// <summary>The metric that is 1 when the plan is ready, 0 when not.</summary>
    public const string ReadyMetric = "Ready";

    /// <summary>The metric that counts the findings.</summary>
    public const string FindingsMetric = "Findings";

    /// <inheritdoc />
    public Task PublishAsync(ReadinessEvaluation evaluation, CancellationToken cancellationToken)
    {
        var dimensions = new Dictionary<string, string> { ["Plan"] = evaluation.Plan };
        return cloudWatch.PutMetricDataAsync(metricNamespace,
        [
            new MetricDatum(ReadyMetric, evaluation.Ready ? 1 : 0, dimensions) { Unit = "None", Timestamp = evaluation.EvaluatedAt },
            new MetricDatum(FindingsMetric, evaluation.Findings.Count, dimensions) { Unit = "Count", Timestamp = evaluation.EvaluatedAt },
        ], cancellationToken);
    }
}

/// <summary>Drills are executions of the failover state machine named as <see cref="Failover.Core.Triggers.StartRequestRules.ManualExecutionName"/>
/// names them for mode drill (PLAN-drill-…); ListExecutions with statusFilter SUCCEEDED (API_ListExecutions.html) lists them
/// with their startDate. Executions EventBridge starts (the template's DrillSchedule) get names of its own and are not counted.</summary>
public sealed class StepFunctionsDrillHistory(StepFunctionsClient stepFunctions, string stateMachineArn, RecoveryPlan plan) : IDrillHistory
{
    /// <inheritdoc />
    public async Task<DateTimeOffset?> LastSuccessfulDrillAsync(CancellationToken cancellationToken)
    {
        var prefix = $"{plan.Name}-{RunModes.Drill}-";
        var succeeded = await stepFunctions.ListExecutionsAsync(stateMachineArn, "SUCCEEDED", cancellationToken);
        return succeeded.Where(e => e.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(e => e.StartDate).Max();
    }
}
