using Failover.Aws.Clients;
using Failover.Core.Ports;

namespace Failover.Aws.Adapters;

/// <summary>Publishes notifications to the stack's SNS topic.</summary>
public sealed class SnsNotificationPublisher(SnsClient sns, string topicArn) : INotificationPublisher
{
    /// <inheritdoc />
    public Task<string> PublishAsync(Notification notification, CancellationToken cancellationToken) =>
        sns.PublishAsync(topicArn, notification.Subject, notification.Body, notification.Attributes, cancellationToken);
}
