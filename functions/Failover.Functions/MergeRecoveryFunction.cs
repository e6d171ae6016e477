using Failover.Core;
using Failover.Core.Runs;

namespace Failover.Functions;

/// <summary>Merge recovery: one run from the parallel databases and servers branches.</summary>
public sealed class MergeRecoveryFunction(FunctionHost host) : StreamFunction<IReadOnlyList<WorkflowState>, RunState>(host, FailoverJson.Default.IReadOnlyListWorkflowState, FailoverJson.Default.RunState)
{
    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public MergeRecoveryFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <inheritdoc />
    protected override Task<RunState> RunAsync(IReadOnlyList<WorkflowState> input, CancellationToken cancellationToken) => Task.FromResult(RecoveredBranches.Merge(input));
}
