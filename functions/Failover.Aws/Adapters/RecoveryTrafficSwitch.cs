using Failover.Aws.Clients;
using Failover.Aws.Transport;
using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Services;

namespace Failover.Aws.Adapters;

/// <summary>
/// Every kind of traffic switch: the data-plane switch metric (recovery region), and the Route 53
/// control-plane switches (health check Disabled+Inverted, record UPSERT), which depend on us-east-1.
/// </summary>
public sealed class RecoveryTrafficSwitch(CloudWatchClient cloudWatch, Route53Client route53) : ITrafficSwitch
{
    /// <summary>Switches read side by side: Route 53 allows a burst of 50 requests and 10 a second after it ("Throttling
    /// for Amazon Route 53 API requests").</summary>
    private const int ReadConcurrency = 10;

    /// <inheritdoc />
    /// <remarks>Switches guarding records of the same zone read it once when it fits in one page: one call for them all
    /// rather than one per switch, which for 100 switches would be twice Route 53's burst.</remarks>
    public async Task<IReadOnlyList<string?>> CheckReadyAsync(IReadOnlyList<TrafficSwitchTarget> targets, CancellationToken cancellationToken)
    {
        var sharedZones = targets.Where(GuardsARecord).GroupBy(t => t.HostedZoneId!, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var zones = new Dictionary<string, IReadOnlyList<ResourceRecordSet>?>(StringComparer.Ordinal);
        foreach (var zone in sharedZones)
        {
            // A zone that cannot be read in one page (or at all) is read record by record, as a zone of one switch is:
            // the per-switch read says what is missing.
            try
            {
                zones[zone] = await route53.ListZoneInOnePageAsync(zone, cancellationToken);
            }
            catch (AwsServiceException)
            {
                zones[zone] = null;
            }
        }

        return await Bounded.SelectAsync(targets, ReadConcurrency, (target, ct) => CheckReadyAsync(target, zones.GetValueOrDefault(target.HostedZoneId ?? ""), ct), cancellationToken);
    }

    private static bool GuardsARecord(TrafficSwitchTarget target) =>
        target is { Kind: not SwitchKinds.RecordUpsert, HostedZoneId: not null, RecordName: not null };

    private async Task<string?> CheckReadyAsync(TrafficSwitchTarget target, IReadOnlyList<ResourceRecordSet>? zoneRecords, CancellationToken cancellationToken)
    {
        try
        {
            switch (target.Kind)
            {
                case SwitchKinds.HealthCheckInvert:
                    await route53.GetHealthCheckAsync(target.HealthCheckId!, cancellationToken);
                    return await GuardedRecordProblemAsync(target, zoneRecords, cancellationToken);
                case SwitchKinds.RecordUpsert:
                    await route53.ListResourceRecordSetsAsync(target.HostedZoneId!, target.Record!.Name, target.Record.Type, 1, cancellationToken);
                    return null;
                default:
                    return await GuardedRecordProblemAsync(target, zoneRecords, cancellationToken);
            }
        }
        catch (AwsNotFoundException ex)
        {
            return $"{ex.ErrorCode}: {ex.ServiceMessage}";
        }
        catch (AwsServiceException ex) when (ex is AwsTransientException or AwsThrottlingException)
        {
            // us-east-1 may be the region that is down; that must not block the failover. The switch step
            // itself will report whether the control plane answers.
            return null;
        }
    }

    // A health check moves traffic only through the failover records it guards: Route 53 answers with the PRIMARY record
    // while its health check is healthy and with the SECONDARY otherwise (Route 53 Developer Guide, "Configuring DNS
    // failover", dns-failover-configuring.html). So the record the plan names must be a PRIMARY failover record guarded by
    // the switch's health check (any health check when a switch-metric switch names none).
    private async Task<string?> GuardedRecordProblemAsync(TrafficSwitchTarget target, IReadOnlyList<ResourceRecordSet>? zoneRecords, CancellationToken cancellationToken)
    {
        if (target is not { HostedZoneId: { } zone, RecordName: { } name })
        {
            return null;
        }

        var sets = zoneRecords?.Where(s => Route53Client.SameName(s.Name, name)).ToList() ?? await route53.ListRecordSetsNamedAsync(zone, name, cancellationToken);
        var primaries = sets.Where(s => s.Failover == "PRIMARY").ToList();
        if (primaries.Count == 0)
        {
            return $"zone {zone} has no PRIMARY failover record named {name}: the health check would move no traffic";
        }

        var guarded = primaries.Where(s => target.HealthCheckId is { } id ? s.HealthCheckId == id : s.HealthCheckId is not null).ToList();
        return guarded.Count > 0
            ? null
            : $"the PRIMARY failover record {name} in zone {zone} is guarded by {string.Join(", ", primaries.Select(p => p.HealthCheckId is { } id ? $"health check {id}" : "no health check").Distinct())}, " +
              (target.HealthCheckId is { } expected ? $"not by the switch's health check {expected}" : "not by a health check the switch can turn unhealthy");
    }

    /// <inheritdoc />
    public async Task<string?> SwitchAsync(TrafficSwitchTarget target, string comment, CancellationToken cancellationToken)
    {
        switch (target.Kind)
        {
            case SwitchKinds.HealthCheckInvert:
            {
                var check = await route53.GetHealthCheckAsync(target.HealthCheckId!, cancellationToken);
                if (!(check.Disabled && check.Inverted))
                {
                    await route53.UpdateHealthCheckAsync(
                        new UpdateHealthCheckRequest(check.Id) { HealthCheckVersion = check.HealthCheckVersion, Disabled = true, Inverted = true },
                        cancellationToken);
                }

                return null;
            }

            case SwitchKinds.RecordUpsert:
            {
                var record = target.Record!;
                var set = new ResourceRecordSet(record.Name, record.Type)
                {
                    SetIdentifier = record.SetIdentifier,
                    Failover = record.Failover,
                    TTL = record.Ttl,
                    ResourceRecords = [.. record.Values.Select(v => new ResourceRecord(v))],
                };
                var change = await route53.ChangeResourceRecordSetsAsync(target.HostedZoneId!, new ChangeBatch([new Change("UPSERT", set)]) { Comment = comment }, cancellationToken);
                return change.Id;
            }

            default:
                return (await SwitchMetricsAsync([target], cancellationToken))[0];
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string?>> SwitchMetricsAsync(IReadOnlyList<TrafficSwitchTarget> targets, CancellationToken cancellationToken)
    {
        if (targets.FirstOrDefault(t => t.Kind != SwitchKinds.SwitchMetric) is { } other)
        {
            throw new ArgumentException($"switch '{other.Id}' is a {other.Kind} switch, not a {SwitchKinds.SwitchMetric} one", nameof(targets));
        }

        // One PutMetricData per namespace (a plan uses one); the client splits a call only where CloudWatch's limits say.
        foreach (var inNamespace in targets.GroupBy(t => t.Namespace, StringComparer.Ordinal))
        {
            await cloudWatch.PutMetricDataAsync(inNamespace.Key, [.. inNamespace.Select(t => new MetricDatum(t.MetricName, t.FailoverValue, t.Dimensions) { Unit = "None" })], cancellationToken);
        }

        // Traffic has moved only when Route 53 sees the guarded health check unhealthy, not when the datapoint is in.
        return [.. targets.Select(t => t.HealthCheckId is { } guard ? ITrafficSwitch.GuardPrefix + guard : null)];
    }

    /// <inheritdoc />
    public async Task<bool> IsInSyncAsync(string changeId, CancellationToken cancellationToken)
    {
        if (!changeId.StartsWith(ITrafficSwitch.GuardPrefix, StringComparison.Ordinal))
        {
            return (await route53.GetChangeAsync(changeId, cancellationToken)).Status == "INSYNC";
        }

        try
        {
            var observations = await route53.GetHealthCheckStatusAsync(changeId[ITrafficSwitch.GuardPrefix.Length..], cancellationToken);
            return IsUnhealthy(observations);
        }
        catch (AwsServiceException ex) when (ex is AwsTransientException or AwsThrottlingException)
        {
            // us-east-1 answers GetHealthCheckStatus and may be down: not confirmed yet; the service bounds the wait.
            return false;
        }
    }

    /// <summary>
    /// Route 53 considers an endpoint healthy when more than 18% of its health checkers report it healthy
    /// (dns-failover-determining-health-of-endpoints.html); a check with no observation yet is not known unhealthy.
    /// </summary>
    public static bool IsUnhealthy(IReadOnlyList<HealthCheckObservation> observations)
    {
        if (observations.Count == 0)
        {
            return false;
        }

        var healthy = observations.Count(o => o.StatusReport?.Status?.StartsWith("Success", StringComparison.OrdinalIgnoreCase) == true);
        return healthy <= observations.Count * 0.18;
    }
}
