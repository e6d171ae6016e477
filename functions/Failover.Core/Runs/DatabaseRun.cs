using Failover.Core.Rpo;

namespace Failover.Core.Runs;

/// <summary>Progress and outcome of one database.</summary>
public sealed record DatabaseRun
{
    /// <summary>The plan's database id (<see cref="Plans.DatabaseTarget.Id"/>): DB instance, global cluster or DB cluster identifier.</summary>
    public string Id { get; set; } = "";

    /// <summary><see cref="Plans.DatabaseKinds"/>, copied from the plan.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Traffic moves only once it is writable; a non-critical database that fails leaves the run partial instead of failing it.</summary>
    public bool Critical { get; set; }

    /// <summary>What makes it writable; <see cref="DatabaseActions"/>.</summary>
    public string Action { get; set; } = "";

    /// <summary>Aurora global database: the secondary cluster that becomes the writer.</summary>
    public string? TargetClusterArn { get; set; }

    /// <summary>Aurora global switchover in failover mode: when RDS refuses or cancels the switchover, fail over with
    /// AllowDataLoss instead. False in switchover mode, which never loses data. Written only when true: the run
    /// document stays small at scale.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool FallBackToFailover { get; set; }

    /// <summary>Drill: the temporary copy that is promoted instead of the replica.</summary>
    public string? DrillCopyId { get; set; }

    /// <summary>The engine as RDS reports it (e.g. mysql, postgres); decides how its lag metric is read.</summary>
    public string? Engine { get; set; }

    /// <summary>Data at risk, judged at Prepare and again right before promotion; null when not read.</summary>
    public RpoEstimate? Rpo { get; set; }

    /// <summary>Where the database is in its recovery (<see cref="DatabaseStatuses"/>).</summary>
    public string Status { get; set; } = DatabaseStatuses.Ready;

    /// <summary>The last thing seen or done, in words (e.g. "promotion requested", a refusal from RDS), for notifications and the report.</summary>
    public string Detail { get; set; } = "";

    /// <summary>When the promotion (or, in a drill, the copy) was requested; the start of the database's measured recovery. Null until then.</summary>
    public DateTimeOffset? PromotionStartedAt { get; set; }

    /// <summary>When the database was first seen writable; null until then.</summary>
    public DateTimeOffset? WritableAt { get; set; }
}
