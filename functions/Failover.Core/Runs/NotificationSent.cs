namespace Failover.Core.Runs;

/// <summary>Output of the Notify task.</summary>
public sealed record NotificationSent(string MessageId);
