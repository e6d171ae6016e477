using Failover.Local;

namespace Failover.Workflow.Tests;

/// <summary>
/// A queue of the test's own, subscribed to the notification topic like a team member's inbox: it receives every
/// notification without taking any from the deployment's queue, which the simulation's end-state checks read.
/// Failure notifications arrive after the execution ended (EventBridge delivers the status change asynchronously),
/// so a test waits for them here instead of expecting them by the time the simulation returns.
/// </summary>
public sealed class NotificationInbox
{
    /// <summary>A ceiling, not a budget: the wait ends as soon as the notification is there; a loaded machine delivers late.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly Simulation _reader;
    private readonly List<ReceivedNotification> _received = [];

    private NotificationInbox(Simulation reader) => _reader = reader;

    /// <summary>Every notification received so far, in order.</summary>
    public IReadOnlyList<ReceivedNotification> Received => _received;

    /// <summary>Creates the inbox's queue and subscribes it to the deployment's topic.</summary>
    public static async Task<NotificationInbox> SubscribeAsync(LocalAws aws, DeployedEnvironment environment, CancellationToken cancellationToken)
    {
        var recovery = aws.Clients(environment.Plan.RecoveryRegion, TimeProvider.System);
        var queueUrl = await recovery.Sqs.CreateQueueAsync($"failover-{environment.Plan.Name}-inbox", cancellationToken);
        var queueArn = (await recovery.Sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"], cancellationToken))["QueueArn"];
        await recovery.Sns.SubscribeAsync(environment.TopicArn, "sqs", queueArn, cancellationToken);
        // The simulation's reader unwraps the SNS envelopes; pointed at this queue it reads the inbox.
        return new NotificationInbox(new Simulation(aws, environment with { NotificationQueueUrl = queueUrl }, TimeProvider.System));
    }

    /// <summary>The first notification of <paramref name="phase"/> (start, recovery, traffic, end, failure), waiting for it up to <see cref="Patience"/>.</summary>
    public async Task<ReceivedNotification> WaitForPhaseAsync(string phase, CancellationToken cancellationToken)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Patience;
        while (true)
        {
            if (_received.FirstOrDefault(n => n.Attributes.GetValueOrDefault("phase") == phase) is { } found)
            {
                return found;
            }

            Assert.True(TimeProvider.System.GetUtcNow() < deadline,
                $"no {phase} notification within {Patience.TotalSeconds:0} s; received: {string.Join("; ", _received.Select(n => n.Subject))}");
            _received.AddRange(await _reader.ReadNotificationsAsync(cancellationToken));
        }
    }
}
