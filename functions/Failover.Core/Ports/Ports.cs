using Failover.Core.Plans;

namespace Failover.Core.Ports;

/// <summary>State of a DB instance as the workflow needs it.</summary>
/// <param name="Id">DBInstanceIdentifier.</param>
/// <param name="Status">DBInstanceStatus as RDS reports it.</param>
/// <param name="ReplicationSource">ReadReplicaSourceDBInstanceIdentifier; null once standalone.</param>
public sealed record DatabaseInstanceState(string Id, string Status, string? ReplicationSource)
{
    /// <summary>Still replicating from a source, so not writable yet.</summary>
    public bool IsReplica => !string.IsNullOrEmpty(ReplicationSource);
}

/// <summary>RDS instances in the recovery region.</summary>
public interface IDatabaseInstances
{
    /// <summary>Current state, or null when the instance does not exist.</summary>
    Task<DatabaseInstanceState?> DescribeAsync(string id, CancellationToken cancellationToken);

    /// <summary>Starts promotion of a read replica to a standalone, writable instance.</summary>
    Task PromoteAsync(string id, CancellationToken cancellationToken);
}

/// <summary>Reads replication lag (the RPO) of a replica.</summary>
public interface IReplicaLagReader
{
    /// <summary>The latest lag in seconds, or null when no recent datapoint exists.</summary>
    Task<double?> ReadLagSecondsAsync(string replicaId, CancellationToken cancellationToken);
}

/// <summary>Flips a data-plane traffic switch.</summary>
public interface ITrafficSwitch
{
    /// <summary>Publishes the switch's failover value so its alarm, and the health check on it, move traffic.</summary>
    Task SwitchAsync(TrafficSwitchTarget target, CancellationToken cancellationToken);
}

/// <summary>A message for the team.</summary>
/// <param name="Subject">Fewer than 100 characters, no line breaks.</param>
/// <param name="Body">Readable text.</param>
/// <param name="Attributes">Message attributes for filtering (plan, mode, phase, outcome).</param>
public sealed record Notification(string Subject, string Body, IReadOnlyDictionary<string, string> Attributes);

/// <summary>Sends notifications to the team.</summary>
public interface INotificationPublisher
{
    /// <summary>Publishes and returns the message id.</summary>
    Task<string> PublishAsync(Notification notification, CancellationToken cancellationToken);
}

/// <summary>Whether a start created a new execution or found the same one already there.</summary>
public enum StartOutcome
{
    Started,
    AlreadyExists,
}

/// <summary>Starts executions of the failover state machine.</summary>
public interface IExecutionStarter
{
    /// <summary>Starts an execution named <paramref name="name"/>; an existing one of that name is reported, not an error.</summary>
    Task<StartOutcome> StartAsync(string name, string input, CancellationToken cancellationToken);
}
