using Failover.Core;
using Failover.Core.Runs;

namespace Failover.Functions;

/// <summary>Prepare: validates the execution input against the plan and checks readiness; changes nothing.</summary>
public sealed class PrepareFunction
{
    private readonly FunctionHost _host;

    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public PrepareFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <summary>Used by the local gateway and tests.</summary>
    public PrepareFunction(FunctionHost host) => _host = host;

    /// <summary>Lambda entry point (Stream in, Stream out).</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        using var deadline = _host.InvocationDeadline();
        return await InvokeAsync(input, deadline.Token);
    }

    /// <summary>Handles one invocation.</summary>
    public Task<Stream> InvokeAsync(Stream input, CancellationToken cancellationToken) =>
        Handler.RunAsync(_host, "PrepareFunction", input, FailoverJson.Default.StartRequest, FailoverJson.Default.RunState, _host.Prepare.PrepareAsync, cancellationToken);
}
