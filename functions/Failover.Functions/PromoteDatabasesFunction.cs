using Failover.Core;
using Failover.Core.Runs;

namespace Failover.Functions;

/// <summary>Promote databases: starts making every ready database writable.</summary>
public sealed class PromoteDatabasesFunction(FunctionHost host) : StreamFunction<RunState, RunState>(host, FailoverJson.Default.RunState, FailoverJson.Default.RunState)
{
    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public PromoteDatabasesFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <inheritdoc />
    protected override Task<RunState> RunAsync(RunState input, CancellationToken cancellationToken) => Host.Databases.PromoteAsync(input, cancellationToken);
}
