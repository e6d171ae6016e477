using Failover.Core.Ports;

namespace Failover.Testing;

/// <summary>Records each notification and answers with message ids message-1, message-2, ...</summary>
public sealed class FakeNotificationPublisher : INotificationPublisher
{
    private readonly Lock _gate = new();
    private readonly List<Notification> _published = [];

    /// <summary>When set, every publish throws it.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Every notification published, in order.</summary>
    public IReadOnlyList<Notification> Published
    {
        get
        {
            lock (_gate)
            {
                return [.. _published];
            }
        }
    }

    public Task<string> PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (Failure is { } failure)
            {
                throw failure;
            }

            _published.Add(notification);
            return Task.FromResult($"message-{_published.Count}");
        }
    }
}
