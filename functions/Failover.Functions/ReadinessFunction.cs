using Failover.Core;
using Failover.Core.Readiness;

namespace Failover.Functions;

/// <summary>
/// Readiness: on its schedule (an EventBridge Scheduled Event) or on demand, evaluates whether a failover started now
/// would find what it needs; publishes the Ready and Findings metrics, tells the team when a finding appears or clears,
/// stores the evaluation, and returns it.
/// </summary>
public sealed class ReadinessFunction(FunctionHost host) : StreamFunction<ReadinessRequest, ReadinessEvaluation>(host, FailoverJson.Default.ReadinessRequest, FailoverJson.Default.ReadinessEvaluation)
{
    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public ReadinessFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <inheritdoc />
    protected override async Task<ReadinessEvaluation> RunAsync(ReadinessRequest input, CancellationToken cancellationToken)
    {
        var readiness = Host.Readiness ?? throw new InvalidOperationException("READINESS_NAMESPACE and STATE_MACHINE_ARN are required by the Readiness function");
        var result = await readiness.RunAsync(cancellationToken);
        Host.Log.Write("INFO", result.Evaluation.Ready ? "ready" : "not ready",
        [
            new("source", input.Source ?? "unknown"),
            new("findings", string.Join(",", result.Evaluation.Findings.Select(f => f.Id))),
            new("notified", result.Notified ? "true" : "false"),
        ]);
        return result.Evaluation;
    }
}
