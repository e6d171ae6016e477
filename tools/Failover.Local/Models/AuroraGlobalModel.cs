using System.Text;
using System.Xml.Linq;
using Failover.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Failover.Local.Models;

/// <summary>What RDS does with a switchover while the primary region is dark or its database impaired.</summary>
public enum ImpairedSwitchover
{
    /// <summary>Refused at once with InvalidGlobalClusterStateFault; nothing changes.</summary>
    Refused,

    /// <summary>Accepted, then cancelled: FailoverState "pending", then "cancelling", then empty with the old writer.</summary>
    Cancelled,
}

/// <summary>
/// Timings and figures of <see cref="AuroraGlobalModel"/>. AWS gives no exact figures (RTO "in the order of minutes",
/// aurora-global-database-disaster-recovery.html; replication lag typically under a second): every value is a setting
/// whose default is scaled down so a local run takes seconds.
/// </summary>
public sealed record AuroraGlobalSettings
{
    /// <summary>How long FailoverState stays "pending" (the clusters are verified before the operation starts, API_FailoverState.html).</summary>
    public TimeSpan PendingDuration { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long FailoverState stays "failing-over" after pending, until the target is the writer.</summary>
    public TimeSpan FailoverDuration { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long FailoverState stays "switching-over" after pending (secondaries synchronised, roles swapped).</summary>
    public TimeSpan SwitchoverDuration { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a cancelled switchover stays "cancelling" before the old writer is back.</summary>
    public TimeSpan CancellationDuration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether a switchover is refused or accepted-then-cancelled while the writer's region is in an outage.</summary>
    public ImpairedSwitchover ImpairedSwitchover { get; init; } = ImpairedSwitchover.Refused;

    /// <summary>AuroraGlobalDBReplicationLag of each secondary, in milliseconds.</summary>
    public double ReplicationLagMilliseconds { get; init; } = 500;

    /// <summary>AuroraGlobalDBRPOLag of each secondary (Aurora PostgreSQL), in milliseconds.</summary>
    public double RpoLagMilliseconds { get; init; } = 500;
}

/// <summary>A secondary cluster's lag as the model holds it: the AWS/RDS metrics RDS publishes for it, in milliseconds.</summary>
/// <param name="ReplicationLagMilliseconds">AuroraGlobalDBReplicationLag.</param>
/// <param name="RpoLagMilliseconds">AuroraGlobalDBRPOLag.</param>
public sealed record AuroraGlobalLag(double ReplicationLagMilliseconds, double RpoLagMilliseconds);

/// <summary>One reply of the model: HTTP status and the query-protocol XML document.</summary>
internal readonly record struct AuroraGlobalReply(int Status, string Xml);

/// <summary>
/// Aurora global databases for the local gateway: moto 5.2.1 has CreateGlobalCluster and DescribeGlobalClusters but
/// neither SwitchoverGlobalCluster nor FailoverGlobalCluster, and reports every member as a reader. For the global
/// databases registered here the gateway answers these three operations (query protocol, the shapes of botocore's
/// rds/2014-10-31 model; errors as RDS's &lt;ErrorResponse&gt;), following
/// <list type="bullet">
/// <item>API_DescribeGlobalClusters.html: members with IsWriter and SynchronizationStatus (connected | pending-resync),
/// FailoverState {Status, FromDbClusterArn, ToDbClusterArn, IsDataLossAllowed} only while an operation is underway.</item>
/// <item>API_SwitchoverGlobalCluster.html: secondaries are synchronised first, so nothing is lost; the old writer becomes a
/// connected secondary. Intended for a healthy global database ("controlled environments"): while the writer's region
/// is in an outage of any kind (<see cref="RegionOutage"/>) the switchover is refused with InvalidGlobalClusterStateFault
/// or accepted and then cancelled, as <see cref="AuroraGlobalSettings.ImpairedSwitchover"/> says.</item>
/// <item>API_FailoverGlobalCluster.html: with AllowDataLoss a failover (pending, failing-over, then the target is the
/// writer), which works whatever state the old primary is in; without it (or with Switchover) a switchover; both
/// together are refused.</item>
/// <item>aurora-global-database-disaster-recovery.html: in an outage of the primary region "the replication between the
/// primary cluster and the secondaries ceases". The model reports secondaries pending-resync while the writer's region
/// is unreachable or answers only errors (no page names the value RDS shows then: a model choice). An impaired
/// database behind a regional API that answers is not visible in DescribeGlobalClusters: members stay connected, which
/// is why a switchover can look possible and still fail. After a failover the old primary is detached when its region
/// is dark, else it stays as a secondary that is pending-resync (the model does not play the resync).</item>
/// </list>
/// Calls signed for a dark region never reach the model: the gateway's outage answers them. The secondary clusters'
/// DescribeDBClusters view is moto's. Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class AuroraGlobalModel(TimeProvider clock)
{
    /// <summary>SynchronizationStatus of a member in step with the writer.</summary>
    public const string Connected = "connected";

    /// <summary>SynchronizationStatus of a member that is not synchronised with the writer.</summary>
    public const string PendingResync = "pending-resync";

    private static readonly XNamespace Ns = "http://rds.amazonaws.com/doc/2014-10-31/";
    private readonly Lock _gate = new();
    private readonly Dictionary<string, GlobalDatabase> _globals = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The model's timings and figures; a change applies to operations started afterwards.</summary>
    public AuroraGlobalSettings Settings { get; set; } = new();

    /// <summary>Registers a global database: <paramref name="writerClusterArn"/> is the primary, the others its secondaries.</summary>
    public void Register(string globalClusterIdentifier, string engine, string writerClusterArn, IReadOnlyList<string> secondaryClusterArns)
    {
        ArgumentException.ThrowIfNullOrEmpty(globalClusterIdentifier);
        foreach (var arn in secondaryClusterArns.Prepend(writerClusterArn))
        {
            if (!Arn.TryParse(arn, out var cluster) || !cluster.Names("rds", "cluster") || cluster is not { Region.Length: > 0, Account.Length: > 0, ResourceName.Length: > 0 }
                || cluster.ResourceName.Contains(':', StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{arn}' is not a DB cluster ARN (arn:aws:rds:REGION:ACCOUNT:cluster:ID)", nameof(secondaryClusterArns));
            }
        }

        lock (_gate)
        {
            _globals[globalClusterIdentifier] = new GlobalDatabase(globalClusterIdentifier, engine, writerClusterArn, [writerClusterArn, .. secondaryClusterArns]);
        }
    }

    /// <summary>True when <paramref name="globalClusterIdentifier"/> is a global database the model answers for.</summary>
    public bool Knows(string globalClusterIdentifier)
    {
        lock (_gate)
        {
            return _globals.ContainsKey(globalClusterIdentifier);
        }
    }

    /// <summary>The lag the model holds for a secondary cluster of a global database; null when the cluster is the writer
    /// (a primary has no replication lag) or not a member. Publishing it as metrics is up to the caller.</summary>
    public AuroraGlobalLag? LagOf(string globalClusterIdentifier, string clusterArn, RegionOutage? outage)
    {
        lock (_gate)
        {
            if (!_globals.TryGetValue(globalClusterIdentifier, out var global))
            {
                return null;
            }

            Advance(global, outage);
            return global.Writer == clusterArn || !global.Members.Contains(clusterArn) ? null : new AuroraGlobalLag(Settings.ReplicationLagMilliseconds, Settings.RpoLagMilliseconds);
        }
    }

    /// <summary>Forgets every global database (the local AWS was reset).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _globals.Clear();
        }
    }

    /// <summary>
    /// Answers an RDS DescribeGlobalClusters, SwitchoverGlobalCluster or FailoverGlobalCluster request that names a global
    /// database registered here; returns false, writing nothing, for any other request (moto answers those).
    /// </summary>
    public async Task<bool> TryHandleAsync(HttpContext context, byte[] body, string operation, RegionOutage? outage)
    {
        if (operation is not ("DescribeGlobalClusters" or "SwitchoverGlobalCluster" or "FailoverGlobalCluster") || CredentialScope.Of(context.Request)?.Service != "rds")
        {
            return false;
        }

        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        if (!form.TryGetValue("GlobalClusterIdentifier", out var id) || !Knows(id))
        {
            return false;
        }

        var reply = Handle(operation, form, outage);
        var response = context.Response;
        response.StatusCode = reply.Status;
        response.ContentType = "text/xml";
        var bytes = Encoding.UTF8.GetBytes(reply.Xml);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, context.RequestAborted);
        return true;
    }

    /// <summary>One call: <paramref name="form"/> holds the request's form parameters.</summary>
    internal AuroraGlobalReply Handle(string operation, IReadOnlyDictionary<string, string> form, RegionOutage? outage)
    {
        lock (_gate)
        {
            try
            {
                var id = Required(form, "GlobalClusterIdentifier");
                var global = _globals.GetValueOrDefault(id) ?? throw new RdsFault(404, "GlobalClusterNotFoundFault", $"Global cluster {id} not found.");
                Advance(global, outage);
                return operation switch
                {
                    "DescribeGlobalClusters" => Success(operation, new XElement(Ns + "GlobalClusters", GlobalClusterXml("GlobalClusterMember", global, outage))),
                    "SwitchoverGlobalCluster" => Success(operation, GlobalClusterXml("GlobalCluster", Switchover(global, Required(form, "TargetDbClusterIdentifier"), outage), outage)),
                    _ => Success(operation, GlobalClusterXml("GlobalCluster", Failover(global, form, outage), outage)),
                };
            }
            catch (RdsFault fault)
            {
                return Error(fault);
            }
        }
    }

    private GlobalDatabase Switchover(GlobalDatabase global, string target, RegionOutage? outage)
    {
        var targetArn = Changeable(global, target);
        if (global.Synchronization.GetValueOrDefault(targetArn, Connected) != Connected)
        {
            throw new RdsFault(400, "InvalidGlobalClusterStateFault", $"Cluster {targetArn} is {global.Synchronization[targetArn]}: a switchover needs every secondary synchronised.");
        }

        var now = clock.GetUtcNow();
        var impaired = outage?.Affects(RegionOf(global.Writer), now) == true;
        if (impaired && Settings.ImpairedSwitchover == ImpairedSwitchover.Refused)
        {
            throw new RdsFault(400, "InvalidGlobalClusterStateFault", $"The primary cluster {global.Writer} of global cluster {global.Id} is not healthy: a switchover needs a healthy global database; fail over with AllowDataLoss instead.");
        }

        global.Underway = new Operation(global.Writer, targetArn, DataLossAllowed: false, Cancelled: impaired, now,
            Settings.PendingDuration, impaired ? Settings.CancellationDuration : Settings.SwitchoverDuration);
        return global;
    }

    private GlobalDatabase Failover(GlobalDatabase global, IReadOnlyDictionary<string, string> form, RegionOutage? outage)
    {
        var target = Required(form, "TargetDbClusterIdentifier");
        var allowDataLoss = form.TryGetValue("AllowDataLoss", out var loss) ? loss : null;
        if (allowDataLoss is not null && form.ContainsKey("Switchover"))
        {
            throw new RdsFault(400, "InvalidParameterCombination", "AllowDataLoss and Switchover can't be specified together.");
        }

        if (!string.Equals(allowDataLoss, "true", StringComparison.OrdinalIgnoreCase))
        {
            // Without AllowDataLoss the operation is a switchover (API_FailoverGlobalCluster.html).
            return Switchover(global, target, outage);
        }

        var targetArn = Changeable(global, target);
        global.Underway = new Operation(global.Writer, targetArn, DataLossAllowed: true, Cancelled: false, clock.GetUtcNow(), Settings.PendingDuration, Settings.FailoverDuration);
        return global;
    }

    // The member the request names (its ARN, or its identifier when only one member has it), if it can take over now.
    private string Changeable(GlobalDatabase global, string target)
    {
        var matches = global.Members.Where(m => m == target || Arn.Parse(m).ResourceId == target).ToList();
        if (matches.Count != 1)
        {
            throw new RdsFault(404, "DBClusterNotFoundFault", $"DBCluster {target} is not a member of global cluster {global.Id}; name it by its ARN.");
        }

        if (global.Underway is { } underway)
        {
            throw new RdsFault(400, "InvalidGlobalClusterStateFault", $"Global cluster {global.Id} has an operation underway (FailoverState {Status(underway, clock.GetUtcNow())}).");
        }

        if (matches[0] == global.Writer)
        {
            throw new RdsFault(400, "InvalidDBClusterStateFault", $"DBCluster {matches[0]} is already the primary cluster of global cluster {global.Id}.");
        }

        return matches[0];
    }

    // Applies an operation that has finished by now: the target becomes the writer, unless the switchover was cancelled.
    private void Advance(GlobalDatabase global, RegionOutage? outage)
    {
        if (global.Underway is not { } operation || clock.GetUtcNow() < operation.EndsAt)
        {
            return;
        }

        global.Underway = null;
        if (operation.Cancelled)
        {
            return;
        }

        var old = operation.From;
        global.Writer = operation.To;
        global.Synchronization.Remove(operation.To);
        if (!operation.DataLossAllowed)
        {
            global.Synchronization.Remove(old);
        }
        else if (outage is { Kind: not OutageKind.DatabaseImpaired } dark && dark.Affects(RegionOf(old), operation.EndsAt))
        {
            global.Members.Remove(old);
        }
        else
        {
            global.Synchronization[old] = PendingResync;
        }
    }

    private XElement GlobalClusterXml(string elementName, GlobalDatabase global, RegionOutage? outage)
    {
        var now = clock.GetUtcNow();
        // Replication from a region that does not answer has ceased.
        var replicationCeased = outage is { Kind: not OutageKind.DatabaseImpaired } dark && dark.Affects(RegionOf(global.Writer), now);
        var account = Arn.Parse(global.Writer).Account;
        var element = new XElement(Ns + elementName,
            new XElement(Ns + "GlobalClusterIdentifier", global.Id),
            new XElement(Ns + "GlobalClusterArn", $"arn:aws:rds::{account}:global-cluster:{global.Id}"),
            new XElement(Ns + "Status", "available"),
            new XElement(Ns + "Engine", global.Engine),
            new XElement(Ns + "StorageEncrypted", "false"),
            new XElement(Ns + "DeletionProtection", "false"),
            new XElement(Ns + "GlobalClusterMembers", global.Members.Select(arn => new XElement(Ns + "GlobalClusterMember",
                new XElement(Ns + "DBClusterArn", arn),
                new XElement(Ns + "Readers", arn == global.Writer ? global.Members.Where(m => m != arn).Select(m => new XElement(Ns + "member", m)) : []),
                new XElement(Ns + "IsWriter", arn == global.Writer ? "true" : "false"),
                new XElement(Ns + "SynchronizationStatus", arn == global.Writer ? Connected : replicationCeased ? PendingResync : global.Synchronization.GetValueOrDefault(arn, Connected))))));
        if (global.Underway is { } underway)
        {
            element.Add(new XElement(Ns + "FailoverState",
                new XElement(Ns + "Status", Status(underway, now)),
                new XElement(Ns + "FromDbClusterArn", underway.From),
                new XElement(Ns + "ToDbClusterArn", underway.To),
                new XElement(Ns + "IsDataLossAllowed", underway.DataLossAllowed ? "true" : "false")));
        }

        return element;
    }

    // pending while the clusters are verified, then failing-over / switching-over, or cancelling (API_FailoverState.html).
    private static string Status(Operation operation, DateTimeOffset now) =>
        now < operation.StartedAt + operation.Pending ? "pending"
        : operation.Cancelled ? "cancelling"
        : operation.DataLossAllowed ? "failing-over"
        : "switching-over";

    private static string RegionOf(string clusterArn) => Arn.Parse(clusterArn).Region;

    private static string Required(IReadOnlyDictionary<string, string> form, string name) =>
        form.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new RdsFault(400, "MissingParameter", $"The request must contain the parameter {name}.");

    private static AuroraGlobalReply Success(string operation, XElement result) => new(200, new XDocument(
        new XElement(Ns + $"{operation}Response",
            new XElement(Ns + $"{operation}Result", result),
            new XElement(Ns + "ResponseMetadata", new XElement(Ns + "RequestId", Guid.NewGuid().ToString())))).ToString(SaveOptions.DisableFormatting));

    private static AuroraGlobalReply Error(RdsFault fault) => new(fault.Status, new XDocument(
        new XElement(Ns + "ErrorResponse",
            new XElement(Ns + "Error",
                new XElement(Ns + "Type", "Sender"),
                new XElement(Ns + "Code", fault.Code),
                new XElement(Ns + "Message", fault.Message)),
            new XElement(Ns + "RequestId", Guid.NewGuid().ToString()))).ToString(SaveOptions.DisableFormatting));

    private sealed class GlobalDatabase(string id, string engine, string writer, List<string> members)
    {
        public string Id { get; } = id;

        public string Engine { get; } = engine;

        public string Writer { get; set; } = writer;

        /// <summary>Member ARNs, the primary first as registered; a detached member leaves the list.</summary>
        public List<string> Members { get; } = members;

        /// <summary>Members that are not connected (the old primary after a failover); every other member is connected.</summary>
        public Dictionary<string, string> Synchronization { get; } = new(StringComparer.Ordinal);

        public Operation? Underway { get; set; }
    }

    private sealed record Operation(string From, string To, bool DataLossAllowed, bool Cancelled, DateTimeOffset StartedAt, TimeSpan Pending, TimeSpan Running)
    {
        public DateTimeOffset EndsAt => StartedAt + Pending + Running;
    }

    private sealed class RdsFault(int status, string code, string message) : Exception(message)
    {
        public int Status { get; } = status;

        public string Code { get; } = code;
    }
}
