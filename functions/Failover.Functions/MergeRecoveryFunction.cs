using Failover.Core;
using Failover.Core.Runs;

namespace Failover.Functions;

/// <summary>Merge recovery: one run from the parallel databases and servers branches.</summary>
public sealed class MergeRecoveryFunction(FunctionHost host) : StreamFunction<MergeRequest, WorkflowState>(host, FailoverJson.Default.MergeRequest, FailoverJson.Default.WorkflowState)
{
    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public MergeRecoveryFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <inheritdoc />
    protected override Task<WorkflowState> RunAsync(MergeRequest input, CancellationToken cancellationToken) => Task.FromResult(input.Merge());
}
