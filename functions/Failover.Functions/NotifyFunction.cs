using Failover.Core;
using Failover.Core.Runs;

namespace Failover.Functions;

/// <summary>Notify: publishes the run's outcome to the team's topic.</summary>
public sealed class NotifyFunction
{
    private readonly FunctionHost _host;

    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public NotifyFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <summary>Used by the local gateway and tests.</summary>
    public NotifyFunction(FunctionHost host) => _host = host;

    /// <summary>Lambda entry point (Stream in, Stream out).</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        using var deadline = _host.InvocationDeadline();
        return await InvokeAsync(input, deadline.Token);
    }

    /// <summary>Handles one invocation.</summary>
    public Task<Stream> InvokeAsync(Stream input, CancellationToken cancellationToken) =>
        Handler.RunAsync(_host, "NotifyFunction", input, FailoverJson.Default.NotifyRequest, FailoverJson.Default.NotificationSent, NotifyAsync, cancellationToken);

    private async Task<NotificationSent> NotifyAsync(NotifyRequest request, CancellationToken cancellationToken)
    {
        var service = _host.Notifications ?? throw new InvalidOperationException("TOPIC_ARN is not set for the Notify function.");
        return new NotificationSent(await service.NotifyAsync(request, cancellationToken));
    }
}
