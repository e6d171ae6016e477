namespace Failover.Local.Models;

/// <summary>
/// One record of a hosted zone, with the members of ResourceRecordSet (Route 53 API reference,
/// API_ResourceRecordSet.html) that failover routing reads. Alias records are not modelled.
/// </summary>
/// <param name="Name">The record name, with or without the trailing dot.</param>
/// <param name="Type">The record type, e.g. A or CNAME.</param>
/// <param name="SetIdentifier">Tells apart records with the same name and type (failover records have one).</param>
/// <param name="Failover">PRIMARY or SECONDARY for a failover record; null for any other record.</param>
/// <param name="HealthCheckId">The health check guarding the record; null when it has none (always healthy).</param>
/// <param name="Ttl">The record's TTL in seconds.</param>
/// <param name="Values">The record's values (ResourceRecords).</param>
public sealed record ModelRecord(string Name, string Type, string? SetIdentifier, string? Failover,
    string? HealthCheckId, int Ttl, IReadOnlyList<string> Values);
