using Failover.Core;
using Failover.Core.Runs;

namespace Failover.Functions;

/// <summary>Switch traffic: flips each switch of the plan once the critical databases are writable.</summary>
public sealed class SwitchTrafficFunction
{
    private readonly FunctionHost _host;

    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public SwitchTrafficFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <summary>Used by the local gateway and tests.</summary>
    public SwitchTrafficFunction(FunctionHost host) => _host = host;

    /// <summary>Lambda entry point (Stream in, Stream out).</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        using var deadline = _host.InvocationDeadline();
        return await InvokeAsync(input, deadline.Token);
    }

    /// <summary>Handles one invocation.</summary>
    public Task<Stream> InvokeAsync(Stream input, CancellationToken cancellationToken) =>
        Handler.RunAsync(_host, "SwitchTrafficFunction", input, FailoverJson.Default.RunState, FailoverJson.Default.RunState, _host.Traffic.SwitchAsync, cancellationToken);
}
