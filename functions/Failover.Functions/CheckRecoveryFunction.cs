using Failover.Core;
using Failover.Core.Runs;

namespace Failover.Functions;

/// <summary>Check recovery: follows the DRS jobs, starts batches that now have room, summarises launches.</summary>
public sealed class CheckRecoveryFunction(FunctionHost host) : StreamFunction<RunState, RunState>(host, FailoverJson.Default.RunState, FailoverJson.Default.RunState)
{
    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public CheckRecoveryFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <inheritdoc />
    protected override Task<RunState> RunAsync(RunState input, CancellationToken cancellationToken) => Host.Servers.CheckWatchedAsync(input, Host.Watch, cancellationToken);
}
