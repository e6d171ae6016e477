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
/// The last readiness evaluation in the SSM parameter <c>/failover/PLAN/readiness</c>: the whole evaluation when it fits
/// a Standard parameter (4 KB); otherwise the findings' ids only (what telling a change needs), as many as fit an
/// Advanced parameter (8 KB). Written with the Intelligent-Tiering tier (ps-default-tier.html): Standard, free, while the
/// value fits; upgraded to Advanced when it does not — and an Advanced parameter cannot be reverted to Standard, so
/// naming a tier explicitly would make every later write of a small value fail.
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
        await ssm.PutParameterAsync(ParameterName(planName), Value(evaluation), "Intelligent-Tiering", cancellationToken);
    }

    /// <summary>The stored text.</summary>
    public static string Value(ReadinessEvaluation evaluation)
    {
        var whole = JsonSerializer.Serialize(evaluation, FailoverJson.Default.ReadinessEvaluation);
        if (Encoding.UTF8.GetByteCount(whole) <= SsmClient.StandardValueLimit)
        {
            return whole;
        }

        var ids = evaluation with { Findings = [.. evaluation.Findings.Select(f => new ReadinessFinding(f.Id, f.Resource, "", ""))] };
        var text = JsonSerializer.Serialize(ids, FailoverJson.Default.ReadinessEvaluation);
        while (Encoding.UTF8.GetByteCount(text) > SsmClient.AdvancedValueLimit && ids.Findings.Count > 0)
        {
            ids = ids with { Findings = [.. ids.Findings.Take(ids.Findings.Count * 9 / 10)] };
            text = JsonSerializer.Serialize(ids, FailoverJson.Default.ReadinessEvaluation);
        }

        return text;
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

/// <summary>
/// The drills among the state machine's executions that succeeded (ListExecutions with statusFilter SUCCEEDED,
/// API_ListExecutions.html). An operator's drill is named as <see cref="Failover.Core.Triggers.StartRequestRules.ManualExecutionName"/>
/// names it (PLAN-drill-…); the trigger's runs are named PLAN-failover-…. An execution the template's DrillSchedule rule
/// starts gets a name EventBridge chooses: its input says whether it is a drill (DescribeExecution), read only for such
/// executions newer than the newest named drill, newest first, at most <see cref="MaxInputsRead"/> per evaluation.
/// </summary>
public sealed class StepFunctionsDrillHistory(StepFunctionsClient stepFunctions, string stateMachineArn, RecoveryPlan plan) : IDrillHistory
{
    /// <summary>Most executions whose input one evaluation reads.</summary>
    public const int MaxInputsRead = 5;

    /// <inheritdoc />
    public async Task<DateTimeOffset?> LastSuccessfulDrillAsync(CancellationToken cancellationToken)
    {
        var succeeded = await stepFunctions.ListExecutionsAsync(stateMachineArn, "SUCCEEDED", cancellationToken);
        var named = succeeded.Where(e => e.Name.StartsWith($"{plan.Name}-{RunModes.Drill}-", StringComparison.Ordinal)).Select(e => e.StartDate).Max();
        var unnamed = succeeded
            .Where(e => !e.Name.StartsWith(plan.Name + "-", StringComparison.Ordinal) && e.StartDate > (named ?? DateTimeOffset.MinValue))
            .OrderByDescending(e => e.StartDate)
            .Take(MaxInputsRead);
        foreach (var execution in unnamed)
        {
            var described = await stepFunctions.DescribeExecutionAsync(execution.ExecutionArn, cancellationToken);
            if (IsDrill(described.Input))
            {
                return execution.StartDate;
            }
        }

        return named;
    }

    private static bool IsDrill(string? input)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(input ?? "{}")?["mode"] is System.Text.Json.Nodes.JsonValue mode
                && mode.TryGetValue<string>(out var text) && text == RunModes.Drill;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
