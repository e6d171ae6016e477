using System.Text.Json;
using System.Text.Json.Serialization;

namespace Failover.Core.Plans;

// Unknown plan members are errors: a misspelt key must not silently drop a resource from failover.

/// <summary>What fails over: the single plan document packaged with the functions (schema: plan.schema.json).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RecoveryPlan
{
    /// <summary>The plan's name (1-40 letters, digits or hyphens): starts execution names and tags what runs create (failover:plan).</summary>
    public string Name { get; set; } = "";

    /// <summary>The region that fails (e.g. us-east-1), where the primaries run; a switchover needs it to answer.</summary>
    public string PrimaryRegion { get; set; } = "";

    /// <summary>The region that takes over: where databases are promoted, servers launched and the workflow runs.</summary>
    public string RecoveryRegion { get; set; } = "";

    /// <summary>The recovery time and recovery point objectives the report measures the run against.</summary>
    public RecoveryObjectives Objectives { get; set; } = new();

    /// <summary>What automatic runs may do with data at risk (the RPO gate's policy).</summary>
    public DataLossPolicy DataLoss { get; set; } = new();

    /// <summary>Databases to make writable in the recovery region; empty when the plan has none.</summary>
    public IReadOnlyList<DatabaseTarget> Databases { get; set; } = [];

    /// <summary>How many databases are promoted and checked at once.</summary>
    public int DatabaseConcurrency { get; set; } = 10;

    /// <summary>
    /// DRS source servers to recover, in ordered waves: a wave starts once the previous one has launched (and its
    /// wait has passed). In JSON either one group (a single wave) or an array of groups; null when the plan has none.
    /// </summary>
    [JsonConverter(typeof(ServerWavesJsonConverter))]
    public IReadOnlyList<ServerGroup>? Servers { get; set; }

    /// <summary>The waves, empty when the plan has no servers.</summary>
    [JsonIgnore]
    public IReadOnlyList<ServerGroup> Waves => Servers ?? [];

    /// <summary>The Elastic Disaster Recovery quotas of the recovery account; recovery never asks DRS for more.</summary>
    public DrsQuotas DrsQuotas { get; set; } = new();

    /// <summary>Traffic switches flipped once every critical database is writable (and critical capacity is in service); empty when the plan has none.</summary>
    public IReadOnlyList<TrafficSwitchTarget> Switches { get; set; } = [];

    /// <summary>Auto Scaling groups and ECS services to scale up in the recovery region, in parallel with the databases
    /// and servers; traffic moves once every critical entry is in service.</summary>
    public IReadOnlyList<CapacityTarget> Capacity { get; set; } = [];

    /// <summary>Which alarms start an automatic failover, and how (quorum, sustain, approval).</summary>
    public TriggerPolicy Trigger { get; set; } = new();
}

/// <summary>Recovery time and recovery point objectives, in seconds.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RecoveryObjectives
{
    /// <summary>Recovery time objective, in seconds: from the alarm (or a manual start) until traffic has moved.</summary>
    public int RtoSeconds { get; set; }

    /// <summary>Recovery point objective, in seconds: the most writes the business accepts losing; the RPO gate holds promotions to it.</summary>
    public int RpoSeconds { get; set; }

    /// <summary>Days within which a drill must have succeeded; the readiness evaluation reports an older (or no) drill.</summary>
    public int DrillWithinDays { get; set; } = 90;
}

/// <summary>
/// What an automatic run (started by the outage alarm) may do when a database's data at risk is beyond its budget or
/// unknown. Manual runs promote only what is known to be within the RPO objective unless the input allows data loss.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record DataLossPolicy
{
    /// <summary>Seconds of writes an unattended run may lose; default: the RPO objective.</summary>
    public int? UnattendedBudgetSeconds { get; set; }

    /// <summary>Beyond the budget: <see cref="DataLossActions.AskApproval"/> (default) or <see cref="DataLossActions.Block"/>.</summary>
    public string WhenOverBudget { get; set; } = DataLossActions.AskApproval;

    /// <summary>Without evidence: <see cref="DataLossActions.AskApproval"/> (default), <see cref="DataLossActions.Block"/>
    /// or <see cref="DataLossActions.Proceed"/>.</summary>
    public string WhenUnknown { get; set; } = DataLossActions.AskApproval;
}

/// <summary>Values of <see cref="DataLossPolicy"/>'s actions.</summary>
public static class DataLossActions
{
    /// <summary>Wait for a person to accept the data at risk before promoting (the approval step).</summary>
    public const string AskApproval = "ask-approval";

    /// <summary>Stop the run before anything changes (outcome blocked).</summary>
    public const string Block = "block";

    /// <summary>Promote anyway; the report still gives the evidence.</summary>
    public const string Proceed = "proceed";
}

/// <summary>A database to make writable in the recovery region.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record DatabaseTarget
{
    /// <summary>Kind of database; <see cref="DatabaseKinds"/>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>DBInstanceIdentifier of the replica, GlobalClusterIdentifier, or DBClusterIdentifier of the replica cluster.</summary>
    public string Id { get; set; } = "";

    /// <summary>Aurora global database only: ARN of the secondary cluster in the recovery region.</summary>
    public string? TargetClusterArn { get; set; }

    /// <summary>Traffic is switched only after every critical database is writable.</summary>
    public bool Critical { get; set; } = true;

    /// <summary>How a drill rehearses it (<see cref="DrillMethods"/>); default: copy for RDS replicas, verify for Aurora.</summary>
    public string? Drill { get; set; }

    /// <summary>The drill method in effect (computed from <see cref="Drill"/> and <see cref="Kind"/>: never written, the schema has no such member).</summary>
    [JsonIgnore]
    public string DrillMethod => Drill ?? (Kind == DatabaseKinds.RdsInstanceReplica ? DrillMethods.Copy : DrillMethods.Verify);
}

/// <summary>How a drill rehearses a database without touching it.</summary>
public static class DrillMethods
{
    /// <summary>A temporary read replica of the replica, promoted and measured, then deleted (RDS instance replicas).</summary>
    public const string Copy = "copy";

    /// <summary>Read the replica's state only; nothing is created.</summary>
    public const string Verify = "verify";
}

/// <summary>Known values of <see cref="DatabaseTarget.Kind"/>.</summary>
public static class DatabaseKinds
{
    /// <summary>An RDS instance read replica, promoted with PromoteReadReplica.</summary>
    public const string RdsInstanceReplica = "rds-instance-replica";

    /// <summary>An Aurora global database: switchover (planned) or failover to the target cluster.</summary>
    public const string AuroraGlobal = "aurora-global";

    /// <summary>An Aurora cross-region replica cluster, promoted with PromoteReadReplicaDBCluster.</summary>
    public const string AuroraClusterReplica = "aurora-cluster-replica";

    /// <summary>Every kind, for messages.</summary>
    public static IReadOnlyList<string> All { get; } = [RdsInstanceReplica, AuroraGlobal, AuroraClusterReplica];
}

/// <summary>One wave of DRS source servers to launch in the recovery region, selected by ids and/or tags.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ServerGroup
{
    /// <summary>Name used in reports and notifications; default "wave N" (N from 1).</summary>
    public string? Name { get; set; }

    /// <summary>Seconds to wait after this wave has launched before the next wave starts (e.g. for services to come up).</summary>
    public int WaitAfterSeconds { get; set; }

    /// <summary>Source servers by id (s- followed by 17 characters).</summary>
    public IReadOnlyList<string> SourceServerIds { get; set; } = [];

    /// <summary>Also every source server carrying all of these tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();

    /// <summary>Servers whose failure fails the run, before later waves start, when every one of them failed; none listed: every server of the wave.</summary>
    public IReadOnlyList<string> CriticalServerIds { get; set; } = [];

    /// <summary>Servers per StartRecovery call; at most <see cref="DrsQuotas.ServersPerJob"/>.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>DRS jobs of this run in progress at once; at most <see cref="DrsQuotas.ConcurrentJobs"/>.</summary>
    public int MaxConcurrentJobs { get; set; } = 20;
}

/// <summary>Helpers over a plan's server waves.</summary>
public static class ServerWaves
{
    /// <summary>The wave's name, or "wave N" (N from 1) when it has none.</summary>
    public static string Name(ServerGroup wave, int index) => wave.Name ?? $"wave {index + 1}";

    /// <summary>Every source server id the waves list.</summary>
    public static IEnumerable<string> SourceServerIds(IReadOnlyList<ServerGroup> waves) => waves.SelectMany(w => w.SourceServerIds);
}

/// <summary>Reads <see cref="RecoveryPlan.Servers"/> from one group object (one wave) or an array of waves; writes the array.</summary>
public sealed class ServerWavesJsonConverter : JsonConverter<IReadOnlyList<ServerGroup>>
{
    /// <inheritdoc />
    public override IReadOnlyList<ServerGroup>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try
        {
            return reader.TokenType switch
            {
                JsonTokenType.StartObject => JsonSerializer.Deserialize(ref reader, FailoverJson.Default.ServerGroup) is { } group ? [group] : null,
                JsonTokenType.StartArray => JsonSerializer.Deserialize(ref reader, FailoverJson.Default.IReadOnlyListServerGroup),
                _ => throw new JsonException("must be a group of servers (one wave) or an array of waves"),
            };
        }
        catch (JsonException ex) when (ex.Path is { Length: > 1 } inner)
        {
            // The nested read reports paths from its own root ("$[0].tags"); the plan's reader wants them from the plan's.
            throw new JsonException(ex.Message, "$.servers" + inner[1..], ex.LineNumber, ex.BytePositionInLine, ex);
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, IReadOnlyList<ServerGroup> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, FailoverJson.Default.IReadOnlyListServerGroup);
}

/// <summary>
/// Elastic Disaster Recovery service quotas, as the AWS General Reference page "AWS Elastic Disaster Recovery endpoints
/// and quotas" (docs.aws.amazon.com/general/latest/gr/drs.html) gives them; the defaults are its current figures. Every
/// tool's jobs count against them, so recovery reads the account's active jobs before starting one. One job per source
/// server at a time (L-DD6D028C) is not a setting: a server already in a job is left for a later batch.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record DrsQuotas
{
    /// <summary>"Max source servers in a single Job" (L-B827C881): 100; older tables and the API model allow 200.</summary>
    public int ServersPerJob { get; set; } = 100;

    /// <summary>"Max source servers in all Jobs" (L-05AFA8C6): 500 servers in all jobs in progress together.</summary>
    public int ServersInActiveJobs { get; set; } = 500;

    /// <summary>"Concurrent jobs in progress" (L-D88FAC3A): 20 per account, launch and terminate jobs of every tool.</summary>
    public int ConcurrentJobs { get; set; } = 20;

    /// <summary>"Max total source servers per account" (L-E28BE5E0): 4,000, adjustable.</summary>
    public int SourceServers { get; set; } = 4000;
}

/// <summary>A traffic switch flipped once the databases are writable.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TrafficSwitchTarget
{
    /// <summary>Kind of switch; <see cref="SwitchKinds"/>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Name used in reports and notifications.</summary>
    public string Id { get; set; } = "";

    /// <summary>switch-metric: CloudWatch namespace of the switch metric.</summary>
    public string Namespace { get; set; } = "";

    /// <summary>switch-metric: metric the switch alarm watches; a Route 53 CLOUDWATCH_METRIC health check follows that alarm.</summary>
    public string MetricName { get; set; } = "";

    /// <summary>switch-metric: dimensions of the switch metric.</summary>
    public IReadOnlyDictionary<string, string> Dimensions { get; set; } = new Dictionary<string, string>();

    /// <summary>switch-metric: value that means "serve from the recovery region".</summary>
    public double FailoverValue { get; set; } = 1;

    /// <summary>switch-metric: the alarm on the switch metric, verified by drills.</summary>
    public string? AlarmName { get; set; }

    /// <summary>health-check-invert: the health check to disable and invert (forced unhealthy); switch-metric:
    /// the CLOUDWATCH_METRIC health check that follows the switch alarm (verified by drills). us-east-1 control plane.</summary>
    public string? HealthCheckId { get; set; }

    /// <summary>record-upsert: the hosted zone of the record to write (us-east-1 control plane); switch-metric and
    /// health-check-invert: the hosted zone of the failover record the health check guards.</summary>
    public string? HostedZoneId { get; set; }

    /// <summary>switch-metric and health-check-invert: the DNS name of the PRIMARY failover record the health check guards.
    /// A health check moves traffic only through the records it guards, so Prepare and readiness check that this record
    /// exists in <see cref="HostedZoneId"/> and is guarded by the switch's health check.</summary>
    public string? RecordName { get; set; }

    /// <summary>record-upsert: the record set to write.</summary>
    public RecordSet? Record { get; set; }
}

/// <summary>A Route 53 record set written by a record-upsert switch.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RecordSet
{
    /// <summary>The record's DNS name (Route 53 ResourceRecordSet Name), 1-1024 characters.</summary>
    public string Name { get; set; } = "";

    /// <summary>The record type (ResourceRecordSet Type): A, AAAA, CNAME, TXT, MX, SRV, NS, CAA, PTR, SPF, NAPTR or DS.</summary>
    public string Type { get; set; } = "";

    /// <summary>ResourceRecordSet SetIdentifier: tells apart records of the same name and type; required for a failover record.</summary>
    public string? SetIdentifier { get; set; }

    /// <summary>ResourceRecordSet Failover: PRIMARY or SECONDARY for a failover routing record; null for simple routing.</summary>
    public string? Failover { get; set; }

    /// <summary>ResourceRecordSet TTL, in seconds (default 60): how long resolvers may keep serving the old answer after the switch.</summary>
    public int Ttl { get; set; } = 60;

    /// <summary>The record's values (ResourceRecords), 1-1000, e.g. the recovery region's addresses.</summary>
    public IReadOnlyList<string> Values { get; set; } = [];
}

/// <summary>Known values of <see cref="TrafficSwitchTarget.Kind"/>.</summary>
public static class SwitchKinds
{
    /// <summary>PutMetricData on a metric watched by the switch alarm (recovery-region data plane).</summary>
    public const string SwitchMetric = "switch-metric";

    /// <summary>UpdateHealthCheck Disabled+Inverted: forced unhealthy (Route 53 control plane, us-east-1).</summary>
    public const string HealthCheckInvert = "health-check-invert";

    /// <summary>ChangeResourceRecordSets UPSERT, then GetChange until INSYNC (Route 53 control plane, us-east-1).</summary>
    public const string RecordUpsert = "record-upsert";

    /// <summary>Every kind, for messages.</summary>
    public static IReadOnlyList<string> All { get; } = [SwitchMetric, HealthCheckInvert, RecordUpsert];

    /// <summary>True for kinds that depend on us-east-1 being reachable.</summary>
    public static bool IsControlPlane(string kind) => kind is HealthCheckInvert or RecordUpsert;
}
