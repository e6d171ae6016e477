using System.Text;
using System.Xml.Linq;
using Failover.Aws.Transport;

namespace Failover.Aws.Clients;

/// <summary>A health check's configuration members the product reads.</summary>
public sealed record HealthCheck(string Id, string Type, bool Inverted, bool Disabled, long HealthCheckVersion, string? AlarmName, string? AlarmRegion);

/// <summary>A failover record: primary or secondary answer for one name, guarded by a health check.</summary>
public sealed record FailoverRecord(string Name, string Type, string SetIdentifier, string Failover, int Ttl, string Value, string? HealthCheckId);

/// <summary>Status of a submitted change (PENDING or INSYNC).</summary>
public sealed record ChangeInfo(string Id, string Status);

/// <summary>Amazon Route 53 over rest-xml (2013-04-01); global, signed for us-east-1.</summary>
public sealed class Route53Client
{
    private static readonly XNamespace Ns = "https://route53.amazonaws.com/doc/2013-04-01/";
    private readonly AwsTransport _transport;

    internal Route53Client(AwsTransport transport) => _transport = transport;

    /// <summary>Creates a public hosted zone and returns its bare id (without /hostedzone/).</summary>
    public async Task<string> CreateHostedZoneAsync(string name, string callerReference, CancellationToken cancellationToken)
    {
        var body = new XElement(Ns + "CreateHostedZoneRequest", new XElement(Ns + "Name", name), new XElement(Ns + "CallerReference", callerReference));
        var reply = await SendAsync("CreateHostedZone", HttpMethod.Post, "/2013-04-01/hostedzone", body, retrySafe: true, cancellationToken);
        return BareId(reply.Child("HostedZone")?.Text("Id") ?? throw QueryProtocol.Malformed(AwsService.Route53, "CreateHostedZone", "no HostedZone/Id"));
    }

    /// <summary>Creates a CLOUDWATCH_METRIC health check that follows an alarm, and returns its id.</summary>
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
    public async Task<HealthCheck> GetHealthCheckAsync(string healthCheckId, CancellationToken cancellationToken)
    {
        var reply = await SendAsync("GetHealthCheck", HttpMethod.Get, $"/2013-04-01/healthcheck/{Uri.EscapeDataString(healthCheckId)}", null, retrySafe: true, cancellationToken);
        var check = reply.Child("HealthCheck") ?? throw QueryProtocol.Malformed(AwsService.Route53, "GetHealthCheck", "no HealthCheck");
        var config = check.Child("HealthCheckConfig") ?? new XElement("HealthCheckConfig");
        var alarm = config.Child("AlarmIdentifier") ?? check.Child("CloudWatchAlarmConfiguration");
        return new HealthCheck(check.Required("Id"), config.Text("Type") ?? "", config.Bool("Inverted") ?? false, config.Bool("Disabled") ?? false,
            long.Parse(check.Text("HealthCheckVersion") ?? "1", System.Globalization.CultureInfo.InvariantCulture), alarm?.Text("Name") ?? alarm?.Text("AlarmName"), alarm?.Text("Region"));
    }

    /// <summary>UPSERTs records in one atomic batch; returns the change to follow with GetChange.</summary>
    public async Task<ChangeInfo> UpsertFailoverRecordsAsync(string hostedZoneId, string comment, IReadOnlyList<FailoverRecord> records, CancellationToken cancellationToken)
    {
        var changes = records.Select(r => new XElement(Ns + "Change",
            new XElement(Ns + "Action", "UPSERT"),
            new XElement(Ns + "ResourceRecordSet",
                new XElement(Ns + "Name", r.Name),
                new XElement(Ns + "Type", r.Type),
                new XElement(Ns + "SetIdentifier", r.SetIdentifier),
                new XElement(Ns + "Failover", r.Failover),
                new XElement(Ns + "TTL", r.Ttl),
                new XElement(Ns + "ResourceRecords", new XElement(Ns + "ResourceRecord", new XElement(Ns + "Value", r.Value))),
                r.HealthCheckId is null ? null : new XElement(Ns + "HealthCheckId", r.HealthCheckId))));
        var body = new XElement(Ns + "ChangeResourceRecordSetsRequest",
            new XElement(Ns + "ChangeBatch", new XElement(Ns + "Comment", comment), new XElement(Ns + "Changes", changes)));
        var reply = await SendAsync("ChangeResourceRecordSets", HttpMethod.Post, $"/2013-04-01/hostedzone/{Uri.EscapeDataString(BareId(hostedZoneId))}/rrset/", body, retrySafe: true, cancellationToken);
        return ParseChange(reply, "ChangeResourceRecordSets");
    }

    /// <summary>Reads the status of a change.</summary>
    public async Task<ChangeInfo> GetChangeAsync(string changeId, CancellationToken cancellationToken)
    {
        var reply = await SendAsync("GetChange", HttpMethod.Get, $"/2013-04-01/change/{Uri.EscapeDataString(BareId(changeId))}", null, retrySafe: true, cancellationToken);
        return ParseChange(reply, "GetChange");
    }

    /// <summary>Route 53 returns ids with a type prefix (/hostedzone/Z1, /change/C1); URIs take the bare id.</summary>
    public static string BareId(string id) => id[(id.LastIndexOf('/') + 1)..];

    private static ChangeInfo ParseChange(XElement reply, string operation)
    {
        var info = reply.Child("ChangeInfo") ?? throw QueryProtocol.Malformed(AwsService.Route53, operation, "no ChangeInfo");
        return new ChangeInfo(BareId(info.Required("Id")), info.Required("Status"));
    }

    private async Task<XElement> SendAsync(string operation, HttpMethod method, string path, XElement? body, bool retrySafe, CancellationToken cancellationToken)
    {
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(new XDocument(new XDeclaration("1.0", "UTF-8", null), body).Declaration + body.ToString(SaveOptions.DisableFormatting));
        var request = new AwsRequest(operation, method, path, bytes, body is null ? null : "application/xml", retrySafe);
        var response = await _transport.SendAsync(AwsService.Route53, request, cancellationToken);
        return QueryProtocol.ParseXml(AwsService.Route53, operation, response.Body);
    }
}
