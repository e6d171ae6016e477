using Failover.Core;
using Failover.Core.Runs;

namespace Failover.Functions;

/// <summary>Promote databases: starts promotion of every replica that is still a replica.</summary>
public sealed class PromoteDatabasesFunction
{
    private readonly FunctionHost _host;

    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public PromoteDatabasesFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <summary>Used by the local gateway and tests.</summary>
    public PromoteDatabasesFunction(FunctionHost host) => _host = host;

    /// <summary>Lambda entry point (Stream in, Stream out).</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        using var deadline = _host.InvocationDeadline();
        return await InvokeAsync(input, deadline.Token);
    }

    /// <summary>Handles one invocation.</summary>
    public Task<Stream> InvokeAsync(Stream input, CancellationToken cancellationToken) =>
        Handler.RunAsync(_host, "PromoteDatabasesFunction", input, FailoverJson.Default.RunState, FailoverJson.Default.RunState, _host.Databases.PromoteAsync, cancellationToken);
}
