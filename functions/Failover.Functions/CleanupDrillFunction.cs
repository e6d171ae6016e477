using Failover.Core;
using Failover.Core.Runs;
using Failover.Core.Services;

namespace Failover.Functions;

/// <summary>
/// Clean up drill: removes what a drill created. Called by the state machine on every exit it controls, and by
/// the EventBridge rule on "Step Functions Execution Status Change" for the exits it does not (stop, timeout).
/// Idempotent: nothing left means nothing to do.
/// </summary>
public sealed class CleanupDrillFunction(FunctionHost host) : StreamFunction<CleanupRequest, DrillCleanup>(host, FailoverJson.Default.CleanupRequest, FailoverJson.Default.DrillCleanup)
{
    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public CleanupDrillFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <inheritdoc />
    protected override Task<DrillCleanup> RunAsync(CleanupRequest input, CancellationToken cancellationToken) =>
        input.ExecutionName is { Length: > 0 } name
            ? Host.DrillCleanup.CleanupAsync(name, cancellationToken)
            : throw new InvalidRunInputException("executionName is required: the state machine cleans up its own drill (the CLI's 'failover drill cleanup' removes every drill's leftovers)");
}
