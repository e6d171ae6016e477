using System.Globalization;

namespace Failover.Local.Models;

/// <summary>
/// Evaluates a CloudWatch metric alarm the way the CloudWatch User Guide describes it: "Using Amazon CloudWatch
/// alarms" (AlarmThatSendsEmail.html), sections "Evaluating an alarm" and "Configuring how CloudWatch alarms treat
/// missing data" (alarms-and-missing-data.html).
/// </summary>
/// <remarks>
/// <para>The raw datapoints are aggregated per period with the alarm's statistic. The evaluation range is the last
/// <c>EvaluationPeriods</c> periods counted back from the evaluation time: period k covers
/// (at − (k+1)·Period, at − k·Period]. CloudWatch aligns periods to its own clock, retrieves a few more periods than
/// EvaluationPeriods and evaluates with some delay; the model leaves all three out, so a datapoint counts as soon as
/// it is published and leaves the range exactly EvaluationPeriods × Period after its timestamp.</para>
/// <para>ALARM when at least DatapointsToAlarm periods breach. Missing periods, as the page's tables say:
/// <c>breaching</c> and <c>notBreaching</c> fill them in as breaching or not breaching; <c>missing</c> does not
/// count them, so the alarm is ALARM when the existing periods alone reach DatapointsToAlarm, OK when any existing
/// period does not breach, and INSUFFICIENT_DATA otherwise (every period missing, or only breaching periods, too
/// few for ALARM); <c>ignore</c> decides like <c>missing</c> but keeps the current state where <c>missing</c> would
/// say INSUFFICIENT_DATA. (One row of the page's first table, "X - - - -" giving ALARM under MISSING, contradicts the
/// row "- - - - X" giving INSUFFICIENT_DATA with the same counts; the model follows the counting rule.)</para>
/// <para>A state set with SetAlarmState is only the current state: it lasts until the next evaluation ("returns
/// to its actual state", API_SetAlarmState.html), which this evaluation is.</para>
/// </remarks>
public static class AlarmEvaluator
{
    /// <summary>The metric or expression is within the threshold.</summary>
    public const string Ok = "OK";

    /// <summary>The metric or expression is outside the threshold.</summary>
    public const string Alarm = "ALARM";

    /// <summary>Not enough data to decide.</summary>
    public const string InsufficientData = "INSUFFICIENT_DATA";

    private static readonly string[] States = [Ok, Alarm, InsufficientData];
    private static readonly string[] Statistics = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];
    private static readonly string[] AnomalyBandOperators = ["LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"];

    /// <summary>Evaluates <paramref name="alarm"/> at <paramref name="at"/>.</summary>
    /// <param name="alarm">The alarm; see <see cref="Validate"/> for what is accepted.</param>
    /// <param name="datapoints">The raw datapoints of the alarm's metric, in any order; those after <paramref name="at"/> are not yet published.</param>
    /// <param name="currentState">The alarm's state before this evaluation (possibly set with SetAlarmState).</param>
    /// <param name="at">When the evaluation happens.</param>
    /// <exception cref="ArgumentException">The alarm or the current state is not valid; the message says which setting.</exception>
    /// <exception cref="NotSupportedException">The alarm compares with an anomaly detection band.</exception>
    public static AlarmEvaluation Evaluate(MetricAlarmModel alarm, IReadOnlyList<MetricPoint> datapoints, string currentState, DateTimeOffset at)
    {
        Validate(alarm);
        ArgumentNullException.ThrowIfNull(datapoints);
        if (!States.Contains(currentState, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Alarm '{alarm.AlarmName}': current state '{currentState}' is not one of {string.Join(", ", States)}.", nameof(currentState));
        }

        var period = TimeSpan.FromSeconds(alarm.PeriodSeconds);
        var breaching = 0;
        var notBreaching = 0;
        for (var k = 0; k < alarm.EvaluationPeriods; k++)
        {
            var end = at - (k * period);
            var samples = datapoints.Where(p => p.Timestamp > end - period && p.Timestamp <= end).Select(p => p.Value).ToList();
            if (samples.Count == 0)
            {
                continue;
            }

            if (Breaches(alarm, Aggregate(alarm.Statistic, samples)))
            {
                breaching++;
            }
            else
            {
                notBreaching++;
            }
        }

        var missing = alarm.EvaluationPeriods - breaching - notBreaching;
        var treatment = TreatmentOf(alarm);
        var counted = breaching + (treatment == "breaching" ? missing : 0);
        var evidence = $"{breaching} of the last {alarm.EvaluationPeriods} period(s) of {alarm.PeriodSeconds} s breaching ({alarm.Statistic} {alarm.ComparisonOperator} {alarm.Threshold.ToString(CultureInfo.InvariantCulture)}), {missing} missing (TreatMissingData {treatment})";
        string state;
        string reason;
        if (counted >= alarm.DatapointsToAlarm)
        {
            state = Alarm;
            reason = $"Threshold Crossed: {evidence}; {alarm.DatapointsToAlarm} needed for ALARM.";
        }
        else if (treatment is "breaching" or "notBreaching" || notBreaching > 0)
        {
            state = Ok;
            reason = $"Threshold not crossed: {evidence}; {alarm.DatapointsToAlarm} needed for ALARM.";
        }
        else if (treatment == "missing")
        {
            state = InsufficientData;
            reason = $"Insufficient Data: {evidence}; no period decides.";
        }
        else
        {
            state = currentState;
            reason = $"State kept: {evidence}; no period decides, so the alarm stays {currentState}.";
        }

        return new AlarmEvaluation(state, reason, breaching, missing);
    }

    /// <summary>
    /// Throws when <paramref name="alarm"/> is not an alarm this model evaluates, naming the alarm and the setting:
    /// statistic, period (10, 20, 30 or a multiple of 60; Period × EvaluationPeriods at most one day for periods
    /// under an hour, seven days otherwise, as API_PutMetricAlarm.html says), EvaluationPeriods ≥ 1,
    /// 1 ≤ DatapointsToAlarm ≤ EvaluationPeriods, comparison operator and TreatMissingData.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is not valid.</exception>
    /// <exception cref="NotSupportedException">The alarm compares with an anomaly detection band.</exception>
    public static void Validate(MetricAlarmModel alarm)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var problem = alarm switch
        {
            _ when !Statistics.Contains(alarm.Statistic, StringComparer.Ordinal) =>
                $"Statistic '{alarm.Statistic}' is not one of {string.Join(", ", Statistics)}",
            _ when alarm.PeriodSeconds is not (10 or 20 or 30) && (alarm.PeriodSeconds <= 0 || alarm.PeriodSeconds % 60 != 0) =>
                $"Period {alarm.PeriodSeconds} s is not 10, 20, 30 or a multiple of 60",
            _ when alarm.EvaluationPeriods < 1 =>
                $"EvaluationPeriods {alarm.EvaluationPeriods} is below 1",
            _ when alarm.DatapointsToAlarm < 1 || alarm.DatapointsToAlarm > alarm.EvaluationPeriods =>
                $"DatapointsToAlarm {alarm.DatapointsToAlarm} is not between 1 and EvaluationPeriods ({alarm.EvaluationPeriods})",
            _ when (long)alarm.PeriodSeconds * alarm.EvaluationPeriods > (alarm.PeriodSeconds < 3600 ? 86_400 : 604_800) =>
                $"Period × EvaluationPeriods ({(long)alarm.PeriodSeconds * alarm.EvaluationPeriods} s) is longer than CloudWatch allows",
            _ when AnomalyBandOperators.Contains(alarm.ComparisonOperator, StringComparer.Ordinal) =>
                throw new NotSupportedException($"Alarm '{alarm.AlarmName}': ComparisonOperator {alarm.ComparisonOperator} compares with an anomaly detection band, which this model does not evaluate."),
            _ when alarm.ComparisonOperator is not ("GreaterThanOrEqualToThreshold" or "GreaterThanThreshold" or "LessThanThreshold" or "LessThanOrEqualToThreshold") =>
                $"ComparisonOperator '{alarm.ComparisonOperator}' is not one of GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold",
            _ when TreatmentOf(alarm) is not ("missing" or "notBreaching" or "breaching" or "ignore") =>
                $"TreatMissingData '{alarm.TreatMissingData}' is not one of missing, notBreaching, breaching, ignore",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ArgumentException($"Alarm '{alarm.AlarmName}': {problem}.", nameof(alarm));
        }
    }

    // PutMetricAlarm: "If TreatMissingData is omitted, the default behavior of missing is used."
    private static string TreatmentOf(MetricAlarmModel alarm) => string.IsNullOrEmpty(alarm.TreatMissingData) ? "missing" : alarm.TreatMissingData;

    private static double Aggregate(string statistic, List<double> samples) => statistic switch
    {
        "SampleCount" => samples.Count,
        "Average" => samples.Average(),
        "Sum" => samples.Sum(),
        "Minimum" => samples.Min(),
        _ => samples.Max(),
    };

    private static bool Breaches(MetricAlarmModel alarm, double value) => alarm.ComparisonOperator switch
    {
        "GreaterThanOrEqualToThreshold" => value >= alarm.Threshold,
        "GreaterThanThreshold" => value > alarm.Threshold,
        "LessThanThreshold" => value < alarm.Threshold,
        _ => value <= alarm.Threshold,
    };
}
