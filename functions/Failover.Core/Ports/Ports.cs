using Failover.Core.Plans;

namespace Failover.Core.Ports;

/// <summary>State of a DB instance as the workflow needs it.</summary>
/// <param name="Id">DBInstanceIdentifier.</param>
/// <param name="Status">DBInstanceStatus as RDS reports it.</param>
/// <param name="ReplicationSource">ReadReplicaSourceDBInstanceIdentifier; null once standalone.</param>
/// <param name="Engine">Engine as RDS reports it (mysql, postgres, …); null when not reported.</param>
/// <param name="EngineVersion">EngineVersion as RDS reports it (e.g. 14.1); null when not reported.</param>
/// <param name="BackupRetentionPeriod">Days of automated backups (0 = off); null when not reported.</param>
/// <param name="ReplicationStatus">The Status of the instance's StatusInfos entry of StatusType "read replication"
/// (replicating, replication stop point set, replication stop point reached, error, stopped, terminated); null when RDS
/// reports none. API_DBInstanceStatusInfo.html; USER_ReadRepl.Monitoring.html ("Monitoring read replication").</param>
public sealed record DatabaseInstanceState(string Id, string Status, string? ReplicationSource, string? Engine = null, string? EngineVersion = null, int? BackupRetentionPeriod = null, string? ReplicationStatus = null)
{
    /// <summary>The <see cref="ReplicationStatus"/> of a replica that is receiving its source's changes.</summary>
    public const string Replicating = "replicating";

    /// <summary>Still replicating from a source, so not writable yet.</summary>
    public bool IsReplica => !string.IsNullOrEmpty(ReplicationSource);
}

/// <summary>RDS instances in the recovery region.</summary>
public interface IDatabaseInstances
{
    /// <summary>Current state, or null when the instance does not exist.</summary>
    Task<DatabaseInstanceState?> DescribeAsync(string id, CancellationToken cancellationToken);

    /// <summary>The current state of each of these instances that exists, keyed by the id asked for (ids are not
    /// case-sensitive), read in as few calls as RDS allows rather than one call each.</summary>
    Task<IReadOnlyDictionary<string, DatabaseInstanceState>> DescribeManyAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken);

    /// <summary>Starts promotion of a read replica to a standalone, writable instance.</summary>
    Task PromoteAsync(string id, CancellationToken cancellationToken);
}

/// <summary>A database's replication lag metric over a time range.</summary>
/// <param name="Metric">The metric read (e.g. ReplicaLag), for evidence texts.</param>
/// <param name="Datapoints">One-minute maxima in seconds, oldest first; -1 where the service reported it.</param>
public sealed record LagSeries(string Metric, IReadOnlyList<Rpo.LagDatapoint> Datapoints);

/// <summary>Reads the replication lag history of a replica: the evidence of the data at risk.</summary>
public interface IReplicaLagReader
{
    /// <summary>The lag datapoints of a database of <paramref name="kind"/> (<see cref="DatabaseKinds"/>) between two
    /// moments. <paramref name="id"/> is the replica instance, the replica cluster, or an Aurora global database's
    /// secondary cluster identifier.</summary>
    Task<LagSeries> ReadAsync(string kind, string id, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>As <see cref="ReadAsync"/> for many databases over the same moments, in as few calls as CloudWatch allows;
    /// one series per source, in the order of <paramref name="sources"/>.</summary>
    Task<IReadOnlyList<LagSeries>> ReadManyAsync(IReadOnlyList<LagSource> sources, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);
}

/// <summary>Whose lag to read: a database of <paramref name="Kind"/> (<see cref="DatabaseKinds"/>) and the identifier
/// <see cref="IReplicaLagReader.ReadAsync"/> takes.</summary>
public sealed record LagSource(string Kind, string Id);

/// <summary>An Aurora DB cluster as the workflow needs it.</summary>
/// <param name="ReplicationSource">ReplicationSourceIdentifier; null once standalone.</param>
public sealed record ClusterState(string Id, string? Arn, string Status, string? ReplicationSource)
{
    /// <summary>Still replicating from a source cluster.</summary>
    public bool IsReplica => !string.IsNullOrEmpty(ReplicationSource);
}

/// <summary>An Aurora global database: its members and any failover underway.</summary>
/// <param name="FailoverStatus">FailoverState.Status (pending, failing-over, switching-over, cancelling); null when none is underway.</param>
public sealed record GlobalClusterState(string Id, string? FailoverStatus, IReadOnlyList<GlobalClusterMember> Members)
{
    /// <summary>True when <paramref name="clusterArn"/> is the writer and no failover is underway.</summary>
    public bool IsWriter(string clusterArn) => FailoverStatus is null && Members.Any(m => m.DBClusterArn == clusterArn && m.IsWriter);
}

/// <summary>One member cluster of a global database.</summary>
/// <param name="SynchronizationStatus">connected, or pending-resync while the member is not synchronised with the writer;
/// null when RDS did not say (API_GlobalClusterMember.html).</param>
public sealed record GlobalClusterMember(string DBClusterArn, bool IsWriter, string? SynchronizationStatus = null)
{
    /// <summary>The SynchronizationStatus of a member that is in step with the writer.</summary>
    public const string Connected = "connected";
}

/// <summary>RDS refused a switchover: the global database is not in a state that allows one
/// (InvalidGlobalClusterStateFault, InvalidDBClusterStateFault or another conflict).</summary>
/// <param name="Reason">The error code and RDS's message.</param>
public sealed record SwitchoverRefusal(string Reason);

/// <summary>Aurora clusters and global databases.</summary>
public interface IAuroraClusters
{
    /// <summary>A cluster in the recovery region, or null when it does not exist.</summary>
    Task<ClusterState?> DescribeClusterAsync(string clusterId, CancellationToken cancellationToken);

    /// <summary>Starts promotion of a cross-region replica cluster.</summary>
    Task PromoteClusterAsync(string clusterId, CancellationToken cancellationToken);

    /// <summary>A global database as seen from <paramref name="region"/>, or null when it does not exist.
    /// Throws a transient error when that region does not answer.</summary>
    Task<GlobalClusterState?> DescribeGlobalClusterAsync(string globalClusterId, string region, CancellationToken cancellationToken);

    /// <summary>Planned switchover to the target cluster: no data loss; needs the primary region and a healthy global
    /// database. Returns null when RDS accepted it, or why RDS refused it.</summary>
    Task<SwitchoverRefusal?> SwitchoverGlobalClusterAsync(string globalClusterId, string targetClusterArn, CancellationToken cancellationToken);

    /// <summary>Unplanned failover to the target cluster with AllowDataLoss.</summary>
    Task FailoverGlobalClusterAsync(string globalClusterId, string targetClusterArn, CancellationToken cancellationToken);
}

/// <summary>A DRS source server's readiness.</summary>
/// <param name="ReplicationState">dataReplicationState, e.g. CONTINUOUS.</param>
/// <param name="LagSeconds">dataReplicationInfo.lagDuration; null when DRS reports none.</param>
public sealed record SourceServerState(string Id, string ReplicationState, double? LagSeconds);

/// <summary>A DRS job: its status and each server's launch status.</summary>
public sealed record RecoveryJobState(string JobId, string Status, IReadOnlyDictionary<string, string> LaunchStatusByServer, IReadOnlyDictionary<string, string> Tags);

/// <summary>What a StartRecovery did: the job it started, or why DRS refused for now.</summary>
/// <param name="JobId">The new job; null when refused.</param>
/// <param name="Refusal">The error code and message of a refusal that passes with time (quota, conflict, throttling).</param>
public sealed record StartRecoveryOutcome(string? JobId, string? Refusal = null)
{
    /// <summary>A started job.</summary>
    public static StartRecoveryOutcome Started(string jobId) => new(jobId);

    /// <summary>A refusal to wait out.</summary>
    public static StartRecoveryOutcome Refused(string reason) => new(null, reason);
}

/// <summary>Elastic Disaster Recovery in the recovery region.</summary>
public interface IRecoveryServers
{
    /// <summary>Source servers with these ids, plus every server carrying all <paramref name="tags"/> (when any).</summary>
    Task<IReadOnlyList<SourceServerState>> DescribeSourceServersAsync(IReadOnlyList<string> ids, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>
    /// Starts one recovery job (StartRecovery). Not idempotent: look for the job first. A refusal that passes with time
    /// (a DRS quota, a server already in another job, throttling) is returned as <see cref="StartRecoveryOutcome.Refusal"/>,
    /// not thrown: the caller waits and tries again.
    /// </summary>
    Task<StartRecoveryOutcome> StartRecoveryAsync(IReadOnlyList<string> sourceServerIds, bool isDrill, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>Every job of the account that is not COMPLETED, whoever started it: DRS quotas count them all.</summary>
    Task<IReadOnlyList<RecoveryJobState>> DescribeActiveJobsAsync(CancellationToken cancellationToken);

    /// <summary>Jobs created since <paramref name="since"/> that carry the tag, to find batches an earlier attempt started.</summary>
    Task<IReadOnlyList<RecoveryJobState>> FindJobsAsync(DateTimeOffset since, string tagKey, string tagValue, CancellationToken cancellationToken);

    /// <summary>The jobs with these ids.</summary>
    Task<IReadOnlyList<RecoveryJobState>> DescribeJobsAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken);
}

/// <summary>Flips traffic switches and follows them until they have taken effect.</summary>
public interface ITrafficSwitch
{
    /// <summary>Describes what is missing for each switch to work, in the order of <paramref name="targets"/>; null where
    /// it is wired (the health check or zone exists, the guarded record is there). Read together, so switches in one
    /// hosted zone can share its reads.</summary>
    Task<IReadOnlyList<string?>> CheckReadyAsync(IReadOnlyList<TrafficSwitchTarget> targets, CancellationToken cancellationToken);

    /// <summary>Flips the switch; returns what to follow until it has taken effect (a Route 53 change id, or the guarded
    /// health check as <see cref="GuardPrefix"/> + id), or null when it takes effect at once. Safe to repeat.</summary>
    Task<string?> SwitchAsync(TrafficSwitchTarget target, string comment, CancellationToken cancellationToken);

    /// <summary>Flips switch-metric switches together: their datapoints go out in as few calls as CloudWatch allows, not
    /// one call each. Returns, in the order of <paramref name="targets"/>, what to follow for each (as
    /// <see cref="SwitchAsync"/> does). Safe to repeat.</summary>
    Task<IReadOnlyList<string?>> SwitchMetricsAsync(IReadOnlyList<TrafficSwitchTarget> targets, CancellationToken cancellationToken);

    /// <summary>True once what <see cref="SwitchAsync"/> returned has taken effect: the change is INSYNC, or Route 53
    /// reports the guarded health check unhealthy (so it answers with the recovery region).</summary>
    Task<bool> IsInSyncAsync(string changeId, CancellationToken cancellationToken);

    /// <summary>Marks a followed id as a health check whose status tells when traffic has moved.</summary>
    public const string GuardPrefix = "healthcheck/";
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
    /// <summary>StartExecution created a new execution.</summary>
    Started,

    /// <summary>An execution of that name already exists (ExecutionAlreadyExists): an earlier attempt started it; nothing new runs.</summary>
    AlreadyExists,
}

/// <summary>Starts executions of the failover state machine.</summary>
public interface IExecutionStarter
{
    /// <summary>Starts an execution named <paramref name="name"/>; an existing one of that name is reported, not an error.</summary>
    Task<StartOutcome> StartAsync(string name, string input, CancellationToken cancellationToken);
}

/// <summary>Reads an execution's history for the report's timeline.</summary>
public interface IExecutionTimeline
{
    /// <summary>Every history event of the execution, oldest first.</summary>
    Task<IReadOnlyList<Reports.ExecutionHistoryEvent>> ReadAsync(string executionArn, CancellationToken cancellationToken);
}

/// <summary>Values of <see cref="DrillResource.Kind"/>.</summary>
public static class DrillResourceKinds
{
    /// <summary>A temporary RDS copy of a replica, named and tagged with the execution.</summary>
    public const string DatabaseCopy = "database-copy";

    /// <summary>A DRS drill recovery instance, launched by a job tagged with the execution.</summary>
    public const string RecoveryInstance = "recovery-instance";
}

/// <summary>A resource a drill created: its kind (<see cref="DrillResourceKinds"/>) and id.</summary>
/// <param name="Kind">One of <see cref="DrillResourceKinds"/>.</param>
/// <param name="Id">The copy's DB instance identifier or the recovery instance's id.</param>
/// <param name="ExecutionName">The drill execution that created it, when its tags say so (recovery instances, from their launch
/// job); a copy's execution is in its name instead (<see cref="Services.DatabasePromotionService.IsDrillCopyOf"/>).</param>
public sealed record DrillResource(string Kind, string Id, string? ExecutionName = null);

/// <summary>A DRS drill launch job that has not completed: recovery instances may still appear from it.</summary>
/// <param name="JobId">The launch job.</param>
/// <param name="SourceServerIds">Its servers whose launch has not finished (PENDING or IN_PROGRESS).</param>
/// <param name="ExecutionName">The drill execution the job is tagged with, if any.</param>
public sealed record DrillLaunch(string JobId, IReadOnlyList<string> SourceServerIds, string? ExecutionName = null);

/// <summary>What drills create and remove, found by the tags they carry.</summary>
public interface IDrillResources
{
    /// <summary>Creates the temporary copy: a read replica of <paramref name="replicaId"/>, tagged with the execution.</summary>
    Task CreateDatabaseCopyAsync(string copyId, string replicaId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>
    /// What drills left that can be removed now: of one execution, or of every drill when <paramref name="executionName"/>
    /// is null. Recovery instances of launch jobs still in progress are not listed (<see cref="FindLaunchesInProgressAsync"/>).
    /// </summary>
    Task<IReadOnlyList<DrillResource>> FindAsync(string? executionName, CancellationToken cancellationToken);

    /// <summary>DRS drill launch jobs that have not completed: of one execution, or of every drill when <paramref name="executionName"/> is null.</summary>
    Task<IReadOnlyList<DrillLaunch>> FindLaunchesInProgressAsync(string? executionName, CancellationToken cancellationToken);

    /// <summary>Deletes one database copy; one already gone or going is not an error.</summary>
    Task RemoveDatabaseCopyAsync(string copyId, CancellationToken cancellationToken);

    /// <summary>
    /// Terminates recovery instances with one TerminateRecoveryInstances call, which is one DRS job (at most
    /// <see cref="Services.DrillCleanupService.MaxInstancesPerTerminateJob"/> ids); instances already gone are not an error.
    /// </summary>
    Task TerminateRecoveryInstancesAsync(IReadOnlyList<string> recoveryInstanceIds, CancellationToken cancellationToken);
}

/// <summary>Checks that a traffic switch is wired, without flipping it.</summary>
public interface ISwitchVerifier
{
    /// <summary>Every problem found with the switch's wiring; empty when it is wired.</summary>
    Task<IReadOnlyList<string>> VerifyAsync(Plans.TrafficSwitchTarget target, CancellationToken cancellationToken);
}
