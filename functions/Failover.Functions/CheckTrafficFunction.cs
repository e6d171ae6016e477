using Failover.Core;
using Failover.Core.Runs;

namespace Failover.Functions;

/// <summary>Check traffic: follows Route 53 record changes until INSYNC.</summary>
public sealed class CheckTrafficFunction(FunctionHost host) : StreamFunction<RunState, RunState>(host, FailoverJson.Default.RunState, FailoverJson.Default.RunState)
{
    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public CheckTrafficFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <inheritdoc />
    protected override Task<RunState> RunAsync(RunState input, CancellationToken cancellationToken) => Host.Traffic.CheckWatchedAsync(input, Host.Watch, cancellationToken);
}
