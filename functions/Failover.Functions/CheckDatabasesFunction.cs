using Failover.Core;
using Failover.Core.Runs;

namespace Failover.Functions;

/// <summary>Check databases: reads each promoting database once and records which are writable.</summary>
public sealed class CheckDatabasesFunction
{
    private readonly FunctionHost _host;

    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public CheckDatabasesFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <summary>Used by the local gateway and tests.</summary>
    public CheckDatabasesFunction(FunctionHost host) => _host = host;

    /// <summary>Lambda entry point (Stream in, Stream out).</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        using var deadline = _host.InvocationDeadline();
        return await InvokeAsync(input, deadline.Token);
    }

    /// <summary>Handles one invocation.</summary>
    public Task<Stream> InvokeAsync(Stream input, CancellationToken cancellationToken) =>
        Handler.RunAsync(_host, "CheckDatabasesFunction", input, FailoverJson.Default.RunState, FailoverJson.Default.RunState, _host.Databases.CheckAsync, cancellationToken);
}
