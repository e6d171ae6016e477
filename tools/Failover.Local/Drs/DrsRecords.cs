namespace Failover.Local.Drs;

// What the simulator keeps of DRS's resources; only DrsSimulator changes them, under its lock.

internal sealed class DrsSourceServer(string id, DateTimeOffset added, Dictionary<string, string> tags)
{
    public string Id { get; } = id;
    public DateTimeOffset Added { get; } = added;
    public Dictionary<string, string> Tags { get; } = tags;
    public string ReplicationState { get; set; } = "CONTINUOUS";
    public TimeSpan Lag { get; set; }

    /// <summary>Position in the order added: DescribeSourceServers answers in that order.</summary>
    public int Sequence { get; set; }
    public List<DrsSnapshot> Snapshots { get; } = [];
    public string? RecoveryInstanceId { get; set; }
    public (string JobId, bool IsDrill)? LastLaunch { get; set; }
}

internal sealed record DrsSnapshot(string Id, DateTimeOffset ExpectedTimestamp, DateTimeOffset Timestamp);

internal sealed class DrsJob(string id, string type, string initiatedBy, DateTimeOffset created, TimeSpan duration, Dictionary<string, string> tags)
{
    public string Id { get; } = id;
    public string Type { get; } = type;
    public string InitiatedBy { get; } = initiatedBy;
    public DateTimeOffset Created { get; } = created;
    public Dictionary<string, string> Tags { get; } = tags;
    public List<DrsJobServer> Servers { get; } = [];
    public bool Applied { get; set; }

    public DateTimeOffset Started(TimeSpan startDelay) => Created + startDelay;

    public DateTimeOffset Completed(TimeSpan startDelay) => Created + startDelay + duration;
}

internal sealed class DrsJobServer(string sourceServerId, bool fails, DateTimeOffset pointInTime)
{
    public string SourceServerId { get; } = sourceServerId;
    public bool Fails { get; } = fails;
    public DateTimeOffset PointInTime { get; } = pointInTime;
    public string? RecoveryInstanceId { get; set; }
}

internal sealed class DrsRecoveryInstance(string id, string sourceServerId, string jobId, bool isDrill, DateTimeOffset pointInTime, Dictionary<string, string> tags)
{
    public string Id { get; } = id;
    public string SourceServerId { get; } = sourceServerId;
    public string JobId { get; } = jobId;
    public bool IsDrill { get; } = isDrill;
    public DateTimeOffset PointInTime { get; } = pointInTime;
    public Dictionary<string, string> Tags { get; } = tags;
    public string? TerminatingJob { get; set; }
}
