using Failover.Aws.Clients;
using Failover.Core;
using Failover.Core.Ports;

namespace Failover.Aws.Adapters;

/// <summary>
/// Reads alarm states with one DescribeAlarms call (metric and composite alarms, by name). Only alarms in the
/// client's region can be read; the others are reported absent, as are alarms that do not exist.
/// </summary>
public sealed class CloudWatchAlarmStates(CloudWatchClient cloudWatch, string region) : IAlarmStates
{
    private static readonly string[] BothTypes = [AlarmTypes.CompositeAlarm, AlarmTypes.MetricAlarm];

    /// <inheritdoc />
    public async Task<IReadOnlyList<AlarmStatus>> ReadAsync(IReadOnlyList<string> alarmArns, CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var text in alarmArns)
        {
            if (Arn.TryParse(text, out var arn) && arn.Names("cloudwatch", "alarm") && arn.Region == region)
            {
                wanted.Add(arn.ResourceName, text);
            }
        }

        if (wanted.Count == 0)
        {
            return [];
        }

        var result = await cloudWatch.DescribeAlarmsAsync([.. wanted.Keys], BothTypes, cancellationToken);
        var found = result.MetricAlarms.Select(a => (a.AlarmName, a.AlarmArn, a.StateValue, Since: a.StateTransitionedTimestamp ?? a.StateUpdatedTimestamp))
            .Concat(result.CompositeAlarms.Select(a => (a.AlarmName, a.AlarmArn, a.StateValue, Since: a.StateTransitionedTimestamp ?? a.StateUpdatedTimestamp)));
        var states = new List<AlarmStatus>();
        foreach (var (name, arn, state, since) in found)
        {
            // Same name, same ARN: DescribeAlarms matches names exactly, and the ARN (when sent) must agree.
            if (wanted.TryGetValue(name, out var listed) && (arn is null || arn == listed) && since is { } time)
            {
                states.Add(new AlarmStatus(listed, name, state, time));
            }
        }

        return states;
    }
}
