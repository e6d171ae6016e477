namespace Failover.Local.Models;

/// <summary>What Route 53 answers to a DNS query, as <see cref="FailoverResolver"/> decides it.</summary>
/// <param name="Values">The values answered.</param>
/// <param name="SetIdentifier">The SetIdentifier of the record answered (null for a record without one).</param>
/// <param name="Ttl">The TTL answered.</param>
/// <param name="Why">Why this record, in words, e.g. "PRIMARY health check hc-1 unhealthy: SECONDARY".</param>
public sealed record DnsAnswer(IReadOnlyList<string> Values, string? SetIdentifier, int Ttl, string Why);
