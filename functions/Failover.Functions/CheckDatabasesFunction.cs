using Failover.Core;
using Failover.Core.Runs;

namespace Failover.Functions;

/// <summary>Check databases: reads each database being promoted and records which are writable, looking again within the invocation (<see cref="FunctionHost.Watch"/>).</summary>
public sealed class CheckDatabasesFunction(FunctionHost host) : StreamFunction<RunState, RunState>(host, FailoverJson.Default.RunState, FailoverJson.Default.RunState)
{
    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public CheckDatabasesFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <inheritdoc />
    protected override Task<RunState> RunAsync(RunState input, CancellationToken cancellationToken) => Host.Databases.CheckWatchedAsync(input, Host.Watch, cancellationToken);
}
