using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Failover.Aws.Transport;

namespace Failover.Aws.Clients;

/// <summary>A health check's configuration members the product reads.</summary>
/// <param name="InsufficientDataHealthStatus">CLOUDWATCH_METRIC checks: the status without enough data (Healthy | Unhealthy |
/// LastKnownStatus); null when not reported.</param>
public sealed record HealthCheck(string Id, string Type, bool Inverted, bool Disabled, long HealthCheckVersion, string? AlarmName, string? AlarmRegion, string? InsufficientDataHealthStatus = null);

/// <summary>A failover record: primary or secondary answer for one name, guarded by a health check.</summary>
public sealed record FailoverRecord(string Name, string Type, string SetIdentifier, string Failover, int Ttl, string Value, string? HealthCheckId);

/// <summary>A hosted zone: its bare id (without /hostedzone/), its name (with the final dot) and whether it is private.</summary>
public sealed record HostedZone(string Id, string Name, bool PrivateZone);

/// <summary>Status of a submitted change (PENDING or INSYNC).</summary>
public sealed record ChangeInfo(string Id, string Status);

/// <summary>What one Route 53 health checker last observed (Status is free text such as "Success: HTTP Status Code 200, OK").</summary>
public sealed record HealthCheckObservation(string? Region, string? IPAddress, StatusReport? StatusReport);

/// <summary>A checker's report.</summary>
public sealed record StatusReport(string? Status, DateTimeOffset? CheckedTime);

/// <summary>The UpdateHealthCheck members the product sets; null members are left unchanged.</summary>
/// <param name="HealthCheckId">The health check to update.</param>
public sealed record UpdateHealthCheckRequest(string HealthCheckId)
{
    /// <summary>Optimistic concurrency: the update fails with HealthCheckVersionMismatch (409) when the check has moved on.</summary>
    public long? HealthCheckVersion { get; init; }

    /// <summary>Treat healthy as unhealthy and vice versa.</summary>
    public bool? Inverted { get; init; }

    /// <summary>Stop checking: a disabled check is considered healthy (unhealthy when also inverted).</summary>
    public bool? Disabled { get; init; }

    /// <summary>CLOUDWATCH_METRIC checks: Healthy, Unhealthy or LastKnownStatus when the alarm has insufficient data.</summary>
    public string? InsufficientDataHealthStatus { get; init; }
}

/// <summary>One value of a record set.</summary>
public sealed record ResourceRecord(string Value);

/// <summary>An alias to another AWS resource or record.</summary>
public sealed record AliasTarget(string HostedZoneId, string DNSName, bool EvaluateTargetHealth);

/// <summary>A resource record set (the members a failover, weighted or simple record uses).</summary>
public sealed record ResourceRecordSet(string Name, string Type)
{
    /// <summary>Tells apart the records of one name and type under a routing policy (failover, weighted, latency, multivalue), 1 to 128 characters; null for a simple record (API_ResourceRecordSet.html).</summary>
    public string? SetIdentifier { get; init; }

    /// <summary>Weighted routing: this record's share of answers, 0 to 255 (0 sends no traffic while another record has weight); null when the record is not weighted.</summary>
    public long? Weight { get; init; }

    /// <summary>Latency routing: the AWS Region of the resource this record answers with (e.g. eu-west-1); null when the record is not latency-based.</summary>
    public string? Region { get; init; }

    /// <summary>PRIMARY or SECONDARY.</summary>
    public string? Failover { get; init; }

    /// <summary>Multivalue answer routing: true makes Route 53 answer with up to eight healthy records at random; null when the record does not use it.</summary>
    public bool? MultiValueAnswer { get; init; }

    /// <summary>Seconds resolvers may cache the answer; null for an alias record, which takes the target's TTL.</summary>
    public long? TTL { get; init; }

    /// <summary>The record's values (e.g. IP addresses for an A record); empty for an alias record.</summary>
    public IReadOnlyList<ResourceRecord> ResourceRecords { get; init; } = [];

    /// <summary>The AWS resource or record this alias answers with; null for a record with its own values and TTL.</summary>
    public AliasTarget? AliasTarget { get; init; }

    /// <summary>The health check whose status decides whether Route 53 may answer with this record; null when the record is always eligible.</summary>
    public string? HealthCheckId { get; init; }
}

/// <summary>One change of a batch: CREATE, DELETE or UPSERT.</summary>
public sealed record Change(string Action, ResourceRecordSet ResourceRecordSet);

/// <summary>Changes applied atomically (all or nothing).</summary>
public sealed record ChangeBatch(IReadOnlyList<Change> Changes)
{
    /// <summary>Free text kept with the change (at most 256 characters), e.g. which run made it; null sends none.</summary>
    public string? Comment { get; init; }
}

/// <summary>Amazon Route 53 over rest-xml (2013-04-01); global, signed for us-east-1.</summary>
public sealed class Route53Client
{
    private static readonly XNamespace Ns = "https://route53.amazonaws.com/doc/2013-04-01/";
    private readonly AwsTransport _transport;

    internal Route53Client(AwsTransport transport) => _transport = transport;

    /// <summary>Creates a public hosted zone and returns its bare id (without /hostedzone/).</summary>
    [IamAction("route53:CreateHostedZone")]
    public async Task<string> CreateHostedZoneAsync(string name, string callerReference, CancellationToken cancellationToken)
    {
        var body = new XElement(Ns + "CreateHostedZoneRequest", new XElement(Ns + "Name", name), new XElement(Ns + "CallerReference", callerReference));
        var reply = await SendAsync("CreateHostedZone", HttpMethod.Post, "/2013-04-01/hostedzone", body, retrySafe: true, cancellationToken);
        return BareId(reply.Child("HostedZone")?.Text("Id") ?? throw QueryProtocol.Malformed(AwsService.Route53, "CreateHostedZone", "no HostedZone/Id"));
    }

    /// <summary>Creates a CLOUDWATCH_METRIC health check that follows an alarm, and returns its id.</summary>
    [IamAction("route53:CreateHealthCheck")]
    public async Task<string> CreateAlarmHealthCheckAsync(string callerReference, string alarmRegion, string alarmName, string insufficientDataHealthStatus, CancellationToken cancellationToken)
    {
        var body = new XElement(Ns + "CreateHealthCheckRequest",
            new XElement(Ns + "CallerReference", callerReference),
            new XElement(Ns + "HealthCheckConfig",
                new XElement(Ns + "Type", "CLOUDWATCH_METRIC"),
                new XElement(Ns + "AlarmIdentifier", new XElement(Ns + "Region", alarmRegion), new XElement(Ns + "Name", alarmName)),
                new XElement(Ns + "InsufficientDataHealthStatus", insufficientDataHealthStatus)));
        var reply = await SendAsync("CreateHealthCheck", HttpMethod.Post, "/2013-04-01/healthcheck", body, retrySafe: true, cancellationToken);
        return reply.Child("HealthCheck")?.Text("Id") ?? throw QueryProtocol.Malformed(AwsService.Route53, "CreateHealthCheck", "no HealthCheck/Id");
    }

    /// <summary>Reads a health check.</summary>
    [IamAction("route53:GetHealthCheck")]
    public async Task<HealthCheck> GetHealthCheckAsync(string healthCheckId, CancellationToken cancellationToken)
    {
        var reply = await SendAsync("GetHealthCheck", HttpMethod.Get, $"/2013-04-01/healthcheck/{Uri.EscapeDataString(healthCheckId)}", null, retrySafe: true, cancellationToken);
        return ParseHealthCheck(reply, "GetHealthCheck");
    }

    /// <summary>
    /// Every health check of the account, following NextMarker (Route 53 API Reference, ListHealthChecks:
    /// docs.aws.amazon.com/Route53/latest/APIReference/API_ListHealthChecks.html; at most 1,000 per page).
    /// A CLOUDWATCH_METRIC check names the alarm it follows in HealthCheckConfig/AlarmIdentifier.
    /// </summary>
    [IamAction("route53:ListHealthChecks")]
    public Task<IReadOnlyList<HealthCheck>> ListHealthChecksAsync(CancellationToken cancellationToken) =>
        ListAllAsync("ListHealthChecks", "/2013-04-01/healthcheck", "HealthChecks", ParseHealthCheckElement, cancellationToken);

    /// <summary>
    /// Every hosted zone of the account, following NextMarker (Route 53 API Reference, ListHostedZones:
    /// docs.aws.amazon.com/Route53/latest/APIReference/API_ListHostedZones.html; at most 100 per page).
    /// </summary>
    [IamAction("route53:ListHostedZones")]
    public Task<IReadOnlyList<HostedZone>> ListHostedZonesAsync(CancellationToken cancellationToken) =>
        ListAllAsync("ListHostedZones", "/2013-04-01/hostedzone", "HostedZones",
            zone => new HostedZone(BareId(zone.Required("Id")), zone.Required("Name"), zone.Child("Config")?.Bool("PrivateZone") ?? false), cancellationToken);

    // The marker-paged list operations (ListHealthChecks, ListHostedZones): every page, until IsTruncated is false.
    private async Task<IReadOnlyList<T>> ListAllAsync<T>(string operation, string path, string itemsElement, Func<XElement, T> parse, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? marker = null;
        do
        {
            var reply = await SendAsync(operation, HttpMethod.Get, path, null, retrySafe: true, cancellationToken,
                marker is null ? "" : "marker=" + Uri.EscapeDataString(marker));
            items.AddRange(reply.Items(itemsElement).Select(parse));
            marker = reply.Bool("IsTruncated") == true
                ? reply.Text("NextMarker") ?? throw QueryProtocol.Malformed(AwsService.Route53, operation, "IsTruncated without NextMarker")
                : null;
        }
        while (marker is not null);

        return items;
    }

    /// <summary>The latest observation of each Route 53 checker (diagnostic; not for high query rates).</summary>
    [IamAction("route53:GetHealthCheckStatus")]
    public async Task<IReadOnlyList<HealthCheckObservation>> GetHealthCheckStatusAsync(string healthCheckId, CancellationToken cancellationToken)
    {
        var reply = await SendAsync("GetHealthCheckStatus", HttpMethod.Get, $"/2013-04-01/healthcheck/{Uri.EscapeDataString(healthCheckId)}/status", null, retrySafe: true, cancellationToken);
        return [.. reply.Items("HealthCheckObservations").Select(o => new HealthCheckObservation(
            o.Text("Region"),
            o.Text("IPAddress"),
            o.Child("StatusReport") is { } report ? new StatusReport(report.Text("Status"), report.Text("CheckedTime") is { } t ? DateTimeOffset.Parse(t, CultureInfo.InvariantCulture) : null) : null))];
    }

    /// <summary>Updates a health check (us-east-1 control plane). Retried on 5xx only without <see cref="UpdateHealthCheckRequest.HealthCheckVersion"/>:
    /// with it, a retry of an update that went through would report HealthCheckVersionMismatch.</summary>
    [IamAction("route53:UpdateHealthCheck")]
    public async Task<HealthCheck> UpdateHealthCheckAsync(UpdateHealthCheckRequest request, CancellationToken cancellationToken)
    {
        // Member order is the model's: HealthCheckVersion … Inverted, Disabled … InsufficientDataHealthStatus.
        var body = new XElement(Ns + "UpdateHealthCheckRequest",
            request.HealthCheckVersion is { } version ? new XElement(Ns + "HealthCheckVersion", version) : null,
            request.Inverted is { } inverted ? new XElement(Ns + "Inverted", inverted ? "true" : "false") : null,
            request.Disabled is { } disabled ? new XElement(Ns + "Disabled", disabled ? "true" : "false") : null,
            request.InsufficientDataHealthStatus is { } insufficient ? new XElement(Ns + "InsufficientDataHealthStatus", insufficient) : null);
        var reply = await SendAsync("UpdateHealthCheck", HttpMethod.Post, $"/2013-04-01/healthcheck/{Uri.EscapeDataString(request.HealthCheckId)}", body,
            retrySafe: request.HealthCheckVersion is null, cancellationToken);
        return ParseHealthCheck(reply, "UpdateHealthCheck");
    }

    /// <summary>Lists the record sets of a zone from an optional start name/type, following NextRecordName/Type/Identifier.
    /// <paramref name="maxItems"/> caps how many are returned (and is the page size); null lists every record set from the start.</summary>
    [IamAction("route53:ListResourceRecordSets")]
    public async Task<IReadOnlyList<ResourceRecordSet>> ListResourceRecordSetsAsync(string hostedZoneId, string? startRecordName, string? startRecordType, int? maxItems, CancellationToken cancellationToken)
    {
        var sets = new List<ResourceRecordSet>();
        RecordPosition? from = new(startRecordName, startRecordType, null);
        while (from is not null)
        {
            var (page, next) = await ListPageAsync(hostedZoneId, from, maxItems is { } m ? m - sets.Count : null, cancellationToken);
            sets.AddRange(page);
            if (maxItems is { } max && sets.Count >= max)
            {
                return [.. sets.Take(max)];
            }

            from = next;
        }

        return sets;
    }

    /// <summary>The record sets named <paramref name="name"/>, of every type. Route 53 lists a zone in name order, so they
    /// are next to each other: they are read from the name on in pages of <see cref="NamedRecordsPageSize"/> until a page
    /// reaches another name (one page for a name with a failover pair or two), not a page of the zone's next records.</summary>
    [IamAction("route53:ListResourceRecordSets")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Globalization", "CA1308:Normalize strings to uppercase", Justification = "Route 53 keeps record names in lower case and lists them in that order.")]
    public async Task<IReadOnlyList<ResourceRecordSet>> ListRecordSetsNamedAsync(string hostedZoneId, string name, CancellationToken cancellationToken)
    {
        var sets = new List<ResourceRecordSet>();
        // Route 53 keeps names in lower case and lists them in that order; a name in capitals would start elsewhere.
        RecordPosition? from = new(name.ToLowerInvariant(), null, null);
        while (from is not null)
        {
            var (page, next) = await ListPageAsync(hostedZoneId, from, NamedRecordsPageSize, cancellationToken);
            var named = page.TakeWhile(s => SameName(s.Name, name)).ToList();
            sets.AddRange(named);
            from = named.Count == page.Count && next is { Name: { } nextName } && SameName(nextName, name) ? next : null;
        }

        return sets;
    }

    /// <summary>Every record set of the zone when they fit in one page of <see cref="MaxPageSize"/>, read in one call; null
    /// when the zone holds more.</summary>
    [IamAction("route53:ListResourceRecordSets")]
    public async Task<IReadOnlyList<ResourceRecordSet>?> ListZoneInOnePageAsync(string hostedZoneId, CancellationToken cancellationToken)
    {
        var (page, next) = await ListPageAsync(hostedZoneId, new RecordPosition(null, null, null), MaxPageSize, cancellationToken);
        return next is null ? page : null;
    }

    /// <summary>The most record sets one ListResourceRecordSets returns (MaxItems; API reference, ListResourceRecordSets).</summary>
    public const int MaxPageSize = 300;

    /// <summary>The page size <see cref="ListRecordSetsNamedAsync"/> reads with.</summary>
    public const int NamedRecordsPageSize = 8;

    /// <summary>Whether two DNS names are the same: case-insensitive, with or without the trailing dot.</summary>
    public static bool SameName(string a, string b) => string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    private sealed record RecordPosition(string? Name, string? Type, string? Identifier);

    private async Task<(IReadOnlyList<ResourceRecordSet> Page, RecordPosition? Next)> ListPageAsync(string hostedZoneId, RecordPosition from, int? maxItems, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                query.Add(key + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("name", from.Name);
        Add("type", from.Type);
        Add("identifier", from.Identifier);
        Add("maxitems", maxItems?.ToString(CultureInfo.InvariantCulture));
        var reply = await SendAsync("ListResourceRecordSets", HttpMethod.Get, $"/2013-04-01/hostedzone/{Uri.EscapeDataString(BareId(hostedZoneId))}/rrset", null, retrySafe: true, cancellationToken, string.Join("&", query));
        var page = reply.Items("ResourceRecordSets").Select(ParseRecordSet).ToList();
        if (reply.Bool("IsTruncated") != true)
        {
            return (page, null);
        }

        var next = new RecordPosition(reply.Text("NextRecordName"), reply.Text("NextRecordType"), reply.Text("NextRecordIdentifier"));
        if (next.Name is null)
        {
            throw QueryProtocol.Malformed(AwsService.Route53, "ListResourceRecordSets", "IsTruncated without NextRecordName");
        }

        // Following a position that is the one asked for would read the same page for ever.
        return next == from ? throw QueryProtocol.Malformed(AwsService.Route53, "ListResourceRecordSets", $"the next page starts where this one did ({next.Name} {next.Type})") : (page, next);
    }

    /// <summary>Applies a batch of changes atomically; returns the change to follow with GetChange. Retried on 5xx only when every
    /// change is an UPSERT (a repeated CREATE or DELETE that went through fails with InvalidChangeBatch).</summary>
    [IamAction("route53:ChangeResourceRecordSets")]
    public async Task<ChangeInfo> ChangeResourceRecordSetsAsync(string hostedZoneId, ChangeBatch changeBatch, CancellationToken cancellationToken)
    {
        var changes = changeBatch.Changes.Select(c => new XElement(Ns + "Change", new XElement(Ns + "Action", c.Action), RecordSetXml(c.ResourceRecordSet)));
        var body = new XElement(Ns + "ChangeResourceRecordSetsRequest",
            new XElement(Ns + "ChangeBatch",
                changeBatch.Comment is null ? null : new XElement(Ns + "Comment", changeBatch.Comment),
                new XElement(Ns + "Changes", changes)));
        var reply = await SendAsync("ChangeResourceRecordSets", HttpMethod.Post, $"/2013-04-01/hostedzone/{Uri.EscapeDataString(BareId(hostedZoneId))}/rrset/", body,
            retrySafe: changeBatch.Changes.All(c => c.Action == "UPSERT"), cancellationToken);
        return ParseChange(reply, "ChangeResourceRecordSets");
    }

    /// <summary>UPSERTs records in one atomic batch; returns the change to follow with GetChange.</summary>
    [IamAction("route53:ChangeResourceRecordSets")]
    public Task<ChangeInfo> UpsertFailoverRecordsAsync(string hostedZoneId, string comment, IReadOnlyList<FailoverRecord> records, CancellationToken cancellationToken) =>
        ChangeResourceRecordSetsAsync(hostedZoneId, new ChangeBatch([.. records.Select(r => new Change("UPSERT", new ResourceRecordSet(r.Name, r.Type)
        {
            SetIdentifier = r.SetIdentifier,
            Failover = r.Failover,
            TTL = r.Ttl,
            ResourceRecords = [new ResourceRecord(r.Value)],
            HealthCheckId = r.HealthCheckId,
        }))]) { Comment = comment }, cancellationToken);

    /// <summary>Reads the status of a change.</summary>
    [IamAction("route53:GetChange")]
    public async Task<ChangeInfo> GetChangeAsync(string changeId, CancellationToken cancellationToken)
    {
        var reply = await SendAsync("GetChange", HttpMethod.Get, $"/2013-04-01/change/{Uri.EscapeDataString(BareId(changeId))}", null, retrySafe: true, cancellationToken);
        return ParseChange(reply, "GetChange");
    }

    /// <summary>Route 53 returns ids with a type prefix (/hostedzone/Z1, /change/C1); URIs take the bare id.</summary>
    public static string BareId(string id) => id[(id.LastIndexOf('/') + 1)..];

    private static HealthCheck ParseHealthCheck(XElement reply, string operation) =>
        ParseHealthCheckElement(reply.Child("HealthCheck") ?? throw QueryProtocol.Malformed(AwsService.Route53, operation, "no HealthCheck"));

    private static HealthCheck ParseHealthCheckElement(XElement check)
    {
        var config = check.Child("HealthCheckConfig") ?? new XElement("HealthCheckConfig");
        var alarm = config.Child("AlarmIdentifier") ?? check.Child("CloudWatchAlarmConfiguration");
        return new HealthCheck(check.Required("Id"), config.Text("Type") ?? "", config.Bool("Inverted") ?? false, config.Bool("Disabled") ?? false,
            long.Parse(check.Text("HealthCheckVersion") ?? "1", CultureInfo.InvariantCulture), alarm?.Text("Name") ?? alarm?.Text("AlarmName"), alarm?.Text("Region"),
            config.Text("InsufficientDataHealthStatus"));
    }

    // Element order is the model's (Route 53 rejects other orders).
    private static XElement RecordSetXml(ResourceRecordSet r) => new(Ns + "ResourceRecordSet",
        new XElement(Ns + "Name", r.Name),
        new XElement(Ns + "Type", r.Type),
        r.SetIdentifier is null ? null : new XElement(Ns + "SetIdentifier", r.SetIdentifier),
        r.Weight is null ? null : new XElement(Ns + "Weight", r.Weight.Value),
        r.Region is null ? null : new XElement(Ns + "Region", r.Region),
        r.Failover is null ? null : new XElement(Ns + "Failover", r.Failover),
        r.MultiValueAnswer is null ? null : new XElement(Ns + "MultiValueAnswer", r.MultiValueAnswer.Value ? "true" : "false"),
        r.TTL is null ? null : new XElement(Ns + "TTL", r.TTL.Value),
        r.ResourceRecords.Count == 0 ? null : new XElement(Ns + "ResourceRecords", r.ResourceRecords.Select(v => new XElement(Ns + "ResourceRecord", new XElement(Ns + "Value", v.Value)))),
        r.AliasTarget is null ? null : new XElement(Ns + "AliasTarget",
            new XElement(Ns + "HostedZoneId", r.AliasTarget.HostedZoneId),
            new XElement(Ns + "DNSName", r.AliasTarget.DNSName),
            new XElement(Ns + "EvaluateTargetHealth", r.AliasTarget.EvaluateTargetHealth ? "true" : "false")),
        r.HealthCheckId is null ? null : new XElement(Ns + "HealthCheckId", r.HealthCheckId));

    private static ResourceRecordSet ParseRecordSet(XElement e)
    {
        var alias = e.Child("AliasTarget");
        return new ResourceRecordSet(e.Required("Name"), e.Required("Type"))
        {
            SetIdentifier = e.Text("SetIdentifier"),
            Weight = e.Text("Weight") is { } w ? long.Parse(w, CultureInfo.InvariantCulture) : null,
            Region = e.Text("Region"),
            Failover = e.Text("Failover"),
            MultiValueAnswer = e.Bool("MultiValueAnswer"),
            TTL = e.Text("TTL") is { } ttl ? long.Parse(ttl, CultureInfo.InvariantCulture) : null,
            ResourceRecords = [.. e.Items("ResourceRecords").Select(r => new ResourceRecord(r.Text("Value") ?? ""))],
            AliasTarget = alias is null ? null : new AliasTarget(alias.Required("HostedZoneId"), alias.Required("DNSName"), alias.Bool("EvaluateTargetHealth") ?? false),
            HealthCheckId = e.Text("HealthCheckId"),
        };
    }

    private static ChangeInfo ParseChange(XElement reply, string operation)
    {
        var info = reply.Child("ChangeInfo") ?? throw QueryProtocol.Malformed(AwsService.Route53, operation, "no ChangeInfo");
        return new ChangeInfo(BareId(info.Required("Id")), info.Required("Status"));
    }

    private async Task<XElement> SendAsync(string operation, HttpMethod method, string path, XElement? body, bool retrySafe, CancellationToken cancellationToken, string query = "")
    {
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(new XDocument(new XDeclaration("1.0", "UTF-8", null), body).Declaration + body.ToString(SaveOptions.DisableFormatting));
        var request = new AwsRequest(operation, method, path, bytes, body is null ? null : "application/xml", retrySafe) { Query = query };
        var response = await _transport.SendAsync(AwsService.Route53, request, cancellationToken);
        return QueryProtocol.ParseXml(AwsService.Route53, operation, response.Body);
    }
}
