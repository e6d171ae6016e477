using Failover.Core;
using Failover.Core.Runs;

namespace Failover.Functions;

/// <summary>Verify switches (drill): checks each switch is wired, never flips one.</summary>
public sealed class VerifyTrafficFunction(FunctionHost host) : StreamFunction<RunState, RunState>(host, FailoverJson.Default.RunState, FailoverJson.Default.RunState)
{
    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public VerifyTrafficFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <inheritdoc />
    protected override Task<RunState> RunAsync(RunState input, CancellationToken cancellationToken) => Host.Drills.VerifyTrafficAsync(input, cancellationToken);
}
