using Failover.Aws.Clients;
using Failover.Aws.Transport;
using Failover.Core.Plans;
using Failover.Core.Ports;

namespace Failover.Aws.Adapters;

/// <summary>Checks a switch's wiring by reading it: the switch alarm, the health check that follows it, and the records.</summary>
public sealed class SwitchVerifier(CloudWatchClient cloudWatch, Route53Client route53) : ISwitchVerifier
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> VerifyAsync(TrafficSwitchTarget target, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        switch (target.Kind)
        {
            case SwitchKinds.SwitchMetric:
                if (target.AlarmName is null && target.HealthCheckId is null)
                {
                    problems.Add("the plan names no alarmName or healthCheckId to verify the switch with");
                }

                if (target.AlarmName is { } alarmName && (await cloudWatch.DescribeAlarmsAsync([alarmName], cancellationToken)).Count == 0)
                {
                    problems.Add($"switch alarm '{alarmName}' does not exist");
                }

                if (target.HealthCheckId is { } id && await HealthCheckAsync(id, problems, cancellationToken) is { } check)
                {
                    if (check.Type != "CLOUDWATCH_METRIC")
                    {
                        problems.Add($"health check {id} is {check.Type}, not CLOUDWATCH_METRIC");
                    }
                    else if (check.AlarmName is { } followed && target.AlarmName is { } expected && followed != expected)
                    {
                        problems.Add($"health check {id} follows alarm '{followed}', not the switch alarm '{expected}'");
                    }

                    // A metric check follows the alarm's data stream, not its state: once the switch datapoint ages out of the
                    // alarm's range it reports InsufficientDataHealthStatus (dns-failover-determining-health-of-endpoints.html).
                    if (check.Type == "CLOUDWATCH_METRIC" && check.InsufficientDataHealthStatus != "LastKnownStatus")
                    {
                        problems.Add($"health check {id} turns {check.InsufficientDataHealthStatus ?? "Healthy"} once the switch datapoint ages out of the alarm's range " +
                            "(InsufficientDataHealthStatus): traffic would return to the primary minutes after a failover; set it to LastKnownStatus");
                    }
                }

                break;
            case SwitchKinds.HealthCheckInvert:
                await HealthCheckAsync(target.HealthCheckId!, problems, cancellationToken);
                break;
            default:
                var record = target.Record!;
                try
                {
                    var sets = await route53.ListResourceRecordSetsAsync(target.HostedZoneId!, record.Name, record.Type, 1, cancellationToken);
                    if (!sets.Any(s => Route53Client.SameName(s.Name, record.Name) && s.Type == record.Type))
                    {
                        problems.Add($"record {record.Name} {record.Type} does not exist in zone {target.HostedZoneId}");
                    }
                }
                catch (AwsNotFoundException ex)
                {
                    problems.Add($"zone {target.HostedZoneId}: {ex.ErrorCode}");
                }

                break;
        }

        return problems;
    }

    private async Task<HealthCheck?> HealthCheckAsync(string id, List<string> problems, CancellationToken cancellationToken)
    {
        try
        {
            return await route53.GetHealthCheckAsync(id, cancellationToken);
        }
        catch (AwsNotFoundException)
        {
            problems.Add($"health check {id} does not exist");
            return null;
        }
    }
}
