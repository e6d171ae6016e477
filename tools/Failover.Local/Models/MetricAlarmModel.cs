using Failover.Aws.Clients;

namespace Failover.Local.Models;

/// <summary>
/// The settings of a CloudWatch metric alarm on one metric with a static threshold, named as PutMetricAlarm and
/// DescribeAlarms name them (CloudWatch API reference, API_PutMetricAlarm.html). <see cref="AlarmEvaluator"/>
/// evaluates it; <see cref="AlarmEvaluator.Validate"/> says what is wrong with it.
/// </summary>
/// <param name="AlarmName">The alarm's name.</param>
/// <param name="Namespace">The metric's namespace.</param>
/// <param name="MetricName">The metric's name.</param>
/// <param name="Dimensions">The metric's dimensions.</param>
/// <param name="Statistic">SampleCount, Average, Sum, Minimum or Maximum (extended statistics are not modelled).</param>
/// <param name="PeriodSeconds">Length of one evaluated period: 10, 20, 30 or a multiple of 60.</param>
/// <param name="EvaluationPeriods">N: how many of the most recent periods are evaluated.</param>
/// <param name="DatapointsToAlarm">M: how many of those N periods must breach for ALARM.</param>
/// <param name="Threshold">The value the statistic is compared with.</param>
/// <param name="ComparisonOperator">GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold or LessThanOrEqualToThreshold.</param>
/// <param name="TreatMissingData">missing, notBreaching, breaching or ignore; empty means missing, the API's default.</param>
public sealed record MetricAlarmModel(string AlarmName, string Namespace, string MetricName,
    IReadOnlyDictionary<string, string> Dimensions, string Statistic, int PeriodSeconds, int EvaluationPeriods,
    int DatapointsToAlarm, double Threshold, string ComparisonOperator, string TreatMissingData)
{
    /// <summary>The alarm a PutMetricAlarm request creates: every one of its evaluation periods must breach (the request
    /// sets no DatapointsToAlarm).</summary>
    public static MetricAlarmModel Of(PutMetricAlarmRequest alarm) => new(alarm.AlarmName, alarm.Namespace, alarm.MetricName, alarm.Dimensions,
        alarm.Statistic, alarm.PeriodSeconds, alarm.EvaluationPeriods, alarm.EvaluationPeriods, alarm.Threshold, alarm.ComparisonOperator, alarm.TreatMissingData);
}
