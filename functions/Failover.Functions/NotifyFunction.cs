using Failover.Core;
using Failover.Core.Runs;

namespace Failover.Functions;

/// <summary>Notify: publishes a phase of the run, or its outcome, to the team's topic.</summary>
public sealed class NotifyFunction(FunctionHost host) : StreamFunction<NotifyRequest, NotificationSent>(host, FailoverJson.Default.NotifyRequest, FailoverJson.Default.NotificationSent)
{
    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public NotifyFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <inheritdoc />
    protected override async Task<NotificationSent> RunAsync(NotifyRequest input, CancellationToken cancellationToken)
    {
        var service = Host.Notifications ?? throw new InvalidOperationException("TOPIC_ARN is not set for the Notify function.");
        return new NotificationSent(await service.NotifyAsync(input, cancellationToken));
    }
}
