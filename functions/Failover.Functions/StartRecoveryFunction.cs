using Failover.Core;
using Failover.Core.Runs;

namespace Failover.Functions;

/// <summary>Start recovery: starts DRS recovery jobs for the plan's servers in batches.</summary>
public sealed class StartRecoveryFunction(FunctionHost host) : StreamFunction<RunState, RunState>(host, FailoverJson.Default.RunState, FailoverJson.Default.RunState)
{
    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public StartRecoveryFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <inheritdoc />
    protected override Task<RunState> RunAsync(RunState input, CancellationToken cancellationToken) => Host.Servers.StartAsync(input, cancellationToken);
}
