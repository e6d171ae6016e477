using Failover.Core;
using Failover.Core.Runs;

namespace Failover.Functions;

/// <summary>Scale compute: raises the plan's Auto Scaling groups and ECS services to their targets and reports what is in
/// service. Idempotent, so the workflow calls it both to start and to check.</summary>
public sealed class ScaleCapacityFunction(FunctionHost host) : StreamFunction<RunState, RunState>(host, FailoverJson.Default.RunState, FailoverJson.Default.RunState)
{
    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public ScaleCapacityFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <inheritdoc />
    protected override Task<RunState> RunAsync(RunState input, CancellationToken cancellationToken) => Host.Capacity.ScaleAsync(input, cancellationToken);
}
