using Failover.Core;
using Failover.Core.Services;

namespace Failover.Functions;

/// <summary>
/// Notify failure: the target of the execution status rule (EventBridge "Step Functions Execution Status Change",
/// FAILED, TIMED_OUT or ABORTED). Reads the execution, cleans up a drill, and publishes the failure notification:
/// the step it failed at, the error, what had already changed, and how to redrive.
/// </summary>
public sealed class NotifyFailureFunction(FunctionHost host) : StreamFunction<ExecutionEndedEvent, ExecutionEndedResult>(host, FailoverJson.Default.ExecutionEndedEvent, FailoverJson.Default.ExecutionEndedResult)
{
    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public NotifyFailureFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <inheritdoc />
    protected override async Task<ExecutionEndedResult> RunAsync(ExecutionEndedEvent input, CancellationToken cancellationToken)
    {
        var service = Host.ExecutionEnded ?? throw new InvalidOperationException("TOPIC_ARN is not set for the NotifyFailure function.");
        var result = await service.HandleAsync(input, cancellationToken);
        Host.Log.Write("INFO", result.Skipped ?? $"failure notified: {result.Status} at {result.FailedStep ?? "no step"}",
            [new("function", nameof(NotifyFailureFunction)), new("execution", result.ExecutionName), new("status", result.Status), new("step", result.FailedStep)]);
        return result;
    }
}
