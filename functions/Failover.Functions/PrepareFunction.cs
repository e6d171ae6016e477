using Failover.Core;
using Failover.Core.Runs;

namespace Failover.Functions;

/// <summary>Prepare: validates the input against the plan, checks readiness and the RPO gate; changes nothing.</summary>
public sealed class PrepareFunction(FunctionHost host) : StreamFunction<PrepareRequest, RunState>(host, FailoverJson.Default.PrepareRequest, FailoverJson.Default.RunState)
{
    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public PrepareFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <inheritdoc />
    protected override Task<RunState> RunAsync(PrepareRequest input, CancellationToken cancellationToken) => Host.Prepare.PrepareAsync(input, cancellationToken);
}
