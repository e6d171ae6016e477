using Failover.Core;
using Failover.Core.Runs;

namespace Failover.Functions;

/// <summary>Switch traffic: flips each switch once the critical databases are writable.</summary>
public sealed class SwitchTrafficFunction(FunctionHost host) : StreamFunction<RunState, RunState>(host, FailoverJson.Default.RunState, FailoverJson.Default.RunState)
{
    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public SwitchTrafficFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <inheritdoc />
    protected override Task<RunState> RunAsync(RunState input, CancellationToken cancellationToken) => Host.Traffic.SwitchWatchedAsync(input, Host.Watch, cancellationToken);
}
