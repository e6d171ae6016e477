using Failover.Aws.Clients;

namespace Failover.Local.Models;

/// <summary>
/// Answers a DNS query from a hosted zone's records as Route 53 does with failover routing: Route 53 Developer Guide
/// "Failover routing" (routing-policy-failover.html), "How health checks work in simple Amazon Route 53
/// configurations" (dns-failover-simple-configs.html), "How health checks work in complex Amazon Route 53
/// configurations" (dns-failover-complex-configs.html) and "How Amazon Route 53 chooses records when health checking
/// is configured" (health-checks-how-route-53-chooses-records.html); ResourceRecordSet.Failover in the API reference.
/// </summary>
/// <remarks>
/// <para>The PRIMARY record answers while it is healthy; a record without a health check is always healthy.
/// Otherwise a healthy SECONDARY answers (a SECONDARY without a health check always is). When no record is healthy,
/// "Route 53 considers all the records in the group to be healthy", so the PRIMARY answers ("If Route 53 considers
/// both the primary and secondary records unhealthy, Route 53 returns the primary record"), or the SECONDARY when
/// there is no PRIMARY.</para>
/// <para>A record that is not a failover record answers its values. Names compare case-insensitively, with or
/// without the trailing dot. Alias records, wildcards and the other routing policies (several non-failover records
/// with the same name and type) are not modelled and are refused.</para>
/// </remarks>
public static class FailoverResolver
{
    /// <summary>The failover value of the record that answers while healthy.</summary>
    public const string Primary = "PRIMARY";

    /// <summary>The failover value of the record that answers when the primary is unhealthy.</summary>
    public const string Secondary = "SECONDARY";

    /// <summary>What Route 53 answers to a query for <paramref name="name"/> and <paramref name="type"/>; null when no record matches.</summary>
    /// <param name="name">The queried name, with or without the trailing dot.</param>
    /// <param name="type">The queried type, e.g. A.</param>
    /// <param name="records">The hosted zone's records.</param>
    /// <param name="isHealthy">The current status of the health check with this id.</param>
    /// <exception cref="ArgumentException">The records are a group Route 53 refuses (failover mixed with other records, two PRIMARY records, an unknown Failover value).</exception>
    /// <exception cref="NotSupportedException">Several non-failover records match: a routing policy the model does not have.</exception>
    public static DnsAnswer? Resolve(string name, string type, IReadOnlyList<ModelRecord> records, Func<string, bool> isHealthy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(isHealthy);
        var group = records.Where(r => Answers(r, name, type)).ToList();
        var query = $"{name} {type}";
        if (group.Count == 0)
        {
            return null;
        }

        if (group.TrueForAll(r => r.Failover is null))
        {
            return group.Count == 1
                ? Answer(group[0], "not a failover record: its values")
                : throw new NotSupportedException($"{query}: {group.Count} records that are not failover records (weighted, latency or another routing policy), which this model does not answer.");
        }

        if (group.Exists(r => r.Failover is null))
        {
            throw new ArgumentException($"{query}: failover records mixed with other records of the same name and type, which Route 53 refuses.", nameof(records));
        }

        var unknown = group.Find(r => r.Failover is not (Primary or Secondary));
        if (unknown is not null)
        {
            throw new ArgumentException($"{query}: record '{unknown.SetIdentifier}' has Failover '{unknown.Failover}', not {Primary} or {Secondary}.", nameof(records));
        }

        var primary = Single(group, Primary, query);
        var secondary = Single(group, Secondary, query);

        if (primary is not null && Healthy(primary, isHealthy))
        {
            return Answer(primary, $"{Status(primary, isHealthy)}: {Primary}");
        }

        var primaryStatus = primary is null ? $"no {Primary} record" : Status(primary, isHealthy);
        if (secondary is not null && Healthy(secondary, isHealthy))
        {
            return Answer(secondary, $"{primaryStatus}: {Secondary}");
        }

        var secondaryStatus = secondary is null ? $"no {Secondary} record" : Status(secondary, isHealthy);
        return Answer(primary ?? secondary!, $"{primaryStatus}, {secondaryStatus}: {(primary is null ? Secondary : Primary)} (no record is healthy, so Route 53 considers all healthy)");
    }

    /// <summary>Whether <paramref name="record"/> is one of the records a query for <paramref name="name"/> and <paramref name="type"/> chooses from.</summary>
    public static bool Answers(ModelRecord record, string name, string type) =>
        Route53Client.SameName(record.Name, name) && string.Equals(record.Type, type, StringComparison.OrdinalIgnoreCase);

    private static ModelRecord? Single(List<ModelRecord> group, string failover, string query)
    {
        var matches = group.FindAll(r => r.Failover == failover);
        return matches.Count <= 1
            ? matches.FirstOrDefault()
            : throw new ArgumentException($"{query}: {matches.Count} {failover} records; Route 53 allows one.", nameof(group));
    }

    private static bool Healthy(ModelRecord record, Func<string, bool> isHealthy) => record.HealthCheckId is null || isHealthy(record.HealthCheckId);

    private static string Status(ModelRecord record, Func<string, bool> isHealthy) => record.HealthCheckId is null
        ? $"{record.Failover} has no health check"
        : $"{record.Failover} health check {record.HealthCheckId} {(isHealthy(record.HealthCheckId) ? "healthy" : "unhealthy")}";

    private static DnsAnswer Answer(ModelRecord record, string why) => new(record.Values, record.SetIdentifier, record.Ttl, why);
}
