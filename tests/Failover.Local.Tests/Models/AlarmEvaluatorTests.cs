using Failover.Local.Models;

namespace Failover.Local.Tests.Models;

/// <summary>
/// <see cref="AlarmEvaluator"/> against CloudWatch User Guide "Using Amazon CloudWatch alarms" (AlarmThatSendsEmail.html):
/// "Evaluating an alarm" and the tables of "Configuring how CloudWatch alarms treat missing data".
/// </summary>
public sealed class AlarmEvaluatorTests
{
    private static readonly DateTimeOffset At = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly MetricAlarmModel Alarm = new("orders-db-down", "Failover/Test", "Errors",
        new Dictionary<string, string> { ["Service"] = "orders" }, "Maximum", 60, 3, 3, 1, "GreaterThanOrEqualToThreshold", "missing");

    // The page's rows, limited to the EvaluationPeriods (3) periods the model evaluates; oldest period first,
    // 0 = not breaching, X = breaching, - = missing.
    [Theory]
    [InlineData("- - -", 3, "missing", "OK", "INSUFFICIENT_DATA")]
    [InlineData("- - -", 3, "ignore", "ALARM", "ALARM")]
    [InlineData("- - -", 3, "ignore", "OK", "OK")]
    [InlineData("- - -", 3, "breaching", "OK", "ALARM")]
    [InlineData("- - -", 3, "notBreaching", "ALARM", "OK")]
    [InlineData("0 - -", 3, "missing", "ALARM", "OK")]
    [InlineData("0 - -", 3, "ignore", "ALARM", "OK")]
    [InlineData("0 - -", 3, "breaching", "ALARM", "OK")]
    [InlineData("0 - -", 3, "notBreaching", "ALARM", "OK")]
    [InlineData("X X X", 3, "missing", "OK", "ALARM")]
    [InlineData("X X 0", 3, "breaching", "ALARM", "OK")]
    [InlineData("0 X -", 2, "missing", "ALARM", "OK")]
    [InlineData("0 X -", 2, "ignore", "ALARM", "OK")]
    [InlineData("0 X -", 2, "breaching", "OK", "ALARM")]
    [InlineData("0 X -", 2, "notBreaching", "ALARM", "OK")]
    [InlineData("- - 0", 2, "missing", "ALARM", "OK")]
    [InlineData("- - 0", 2, "breaching", "OK", "ALARM")]
    [InlineData("- - X", 2, "missing", "OK", "INSUFFICIENT_DATA")]
    [InlineData("- - X", 2, "ignore", "OK", "OK")]
    [InlineData("- - X", 2, "ignore", "INSUFFICIENT_DATA", "INSUFFICIENT_DATA")]
    [InlineData("- - X", 2, "breaching", "OK", "ALARM")]
    [InlineData("- - X", 2, "notBreaching", "ALARM", "OK")]
    [InlineData("X 0 X", 2, "missing", "OK", "ALARM")]
    [InlineData("X - X", 2, "notBreaching", "OK", "ALARM")]
    public void Evaluate_WhenPeriodsAreMissing_ShouldFollowTheTreatMissingDataTable(string periods, int datapointsToAlarm, string treatMissingData, string currentState, string expected)
    {
        var alarm = Alarm with { DatapointsToAlarm = datapointsToAlarm, TreatMissingData = treatMissingData };

        var evaluation = AlarmEvaluator.Evaluate(alarm, Datapoints(periods), currentState, At);

        Assert.Equal(expected, evaluation.State);
    }

    [Fact]
    public void Evaluate_WhenSomePeriodsAreMissing_ShouldCountBreachingAndMissingPeriodsAndSayWhy()
    {
        var alarm = Alarm with { DatapointsToAlarm = 2, TreatMissingData = "breaching" };

        var evaluation = AlarmEvaluator.Evaluate(alarm, Datapoints("X - 0"), AlarmEvaluator.Ok, At);

        Assert.Equal(new AlarmEvaluation(AlarmEvaluator.Alarm, evaluation.Reason, 1, 1), evaluation);
        Assert.Equal("Threshold Crossed: 1 of the last 3 period(s) of 60 s breaching (Maximum GreaterThanOrEqualToThreshold 1), 1 missing (TreatMissingData breaching); 2 needed for ALARM.", evaluation.Reason);
    }

    [Fact]
    public void Evaluate_WhenTreatMissingDataIsEmpty_ShouldTreatMissingDataAsMissing()
    {
        var alarm = Alarm with { TreatMissingData = "" };

        var evaluation = AlarmEvaluator.Evaluate(alarm, [], AlarmEvaluator.Alarm, At);

        Assert.Equal(AlarmEvaluator.InsufficientData, evaluation.State);
    }

    [Theory]
    [InlineData("Maximum", 5.9, "ALARM")]
    [InlineData("Maximum", 6, "OK")]
    [InlineData("Minimum", 0.9, "ALARM")]
    [InlineData("Minimum", 1, "OK")]
    [InlineData("Average", 2.9, "ALARM")]
    [InlineData("Average", 3, "OK")]
    [InlineData("Sum", 8.9, "ALARM")]
    [InlineData("Sum", 9, "OK")]
    [InlineData("SampleCount", 2.9, "ALARM")]
    [InlineData("SampleCount", 3, "OK")]
    public void Evaluate_WhenAPeriodHoldsSeveralDatapoints_ShouldAggregateThemWithTheStatistic(string statistic, double threshold, string expected)
    {
        var alarm = Alarm with { Statistic = statistic, Threshold = threshold, ComparisonOperator = "GreaterThanThreshold", EvaluationPeriods = 1, DatapointsToAlarm = 1 };
        MetricPoint[] samples = [new(At.AddSeconds(-50), 1), new(At.AddSeconds(-30), 6), new(At.AddSeconds(-10), 2)];

        var evaluation = AlarmEvaluator.Evaluate(alarm, samples, AlarmEvaluator.InsufficientData, At);

        Assert.Equal(expected, evaluation.State);
    }

    [Theory]
    [InlineData("GreaterThanOrEqualToThreshold", 5, "ALARM")]
    [InlineData("GreaterThanOrEqualToThreshold", 4.5, "OK")]
    [InlineData("GreaterThanThreshold", 5, "OK")]
    [InlineData("GreaterThanThreshold", 5.5, "ALARM")]
    [InlineData("LessThanThreshold", 5, "OK")]
    [InlineData("LessThanThreshold", 4.5, "ALARM")]
    [InlineData("LessThanOrEqualToThreshold", 5, "ALARM")]
    [InlineData("LessThanOrEqualToThreshold", 5.5, "OK")]
    public void Evaluate_WhenComparingWithTheThreshold_ShouldApplyTheOperator(string comparisonOperator, double value, string expected)
    {
        var alarm = Alarm with { Threshold = 5, ComparisonOperator = comparisonOperator, EvaluationPeriods = 1, DatapointsToAlarm = 1 };

        var evaluation = AlarmEvaluator.Evaluate(alarm, [new MetricPoint(At.AddSeconds(-1), value)], AlarmEvaluator.InsufficientData, At);

        Assert.Equal(expected, evaluation.State);
    }

    [Fact]
    public void Evaluate_WhenStateWasSetWithSetAlarmState_ShouldReturnToItsActualStateAtTheNextEvaluation()
    {
        var setState = AlarmEvaluator.Alarm;

        var evaluation = AlarmEvaluator.Evaluate(Alarm, Datapoints("0 0 0"), setState, At);

        Assert.Equal(AlarmEvaluator.Ok, evaluation.State);
    }

    [Fact]
    public void Evaluate_WhenADatapointIsPublished_ShouldCountItFromItsTimestampUntilItLeavesTheRange()
    {
        var alarm = Alarm with { EvaluationPeriods = 1, DatapointsToAlarm = 1 };
        MetricPoint[] published = [new(At, 5)];

        var before = AlarmEvaluator.Evaluate(alarm, published, AlarmEvaluator.Ok, At.AddTicks(-1));
        var atOnce = AlarmEvaluator.Evaluate(alarm, published, AlarmEvaluator.Ok, At);
        var lastMoment = AlarmEvaluator.Evaluate(alarm, published, AlarmEvaluator.Ok, At.AddSeconds(60).AddTicks(-1));
        var leftTheRange = AlarmEvaluator.Evaluate(alarm, published, AlarmEvaluator.Alarm, At.AddSeconds(60));

        Assert.Equal(
            new[] { AlarmEvaluator.InsufficientData, AlarmEvaluator.Alarm, AlarmEvaluator.Alarm, AlarmEvaluator.InsufficientData },
            new[] { before.State, atOnce.State, lastMoment.State, leftTheRange.State });
    }

    [Theory]
    [InlineData("p99", 60, 3, 3, "GreaterThanThreshold", "missing", "Statistic 'p99' is not one of")]
    [InlineData("Maximum", 45, 3, 3, "GreaterThanThreshold", "missing", "Period 45 s is not 10, 20, 30 or a multiple of 60")]
    [InlineData("Maximum", 0, 3, 3, "GreaterThanThreshold", "missing", "Period 0 s")]
    [InlineData("Maximum", 60, 0, 1, "GreaterThanThreshold", "missing", "EvaluationPeriods 0 is below 1")]
    [InlineData("Maximum", 60, 3, 4, "GreaterThanThreshold", "missing", "DatapointsToAlarm 4 is not between 1 and EvaluationPeriods (3)")]
    [InlineData("Maximum", 60, 3, 0, "GreaterThanThreshold", "missing", "DatapointsToAlarm 0")]
    [InlineData("Maximum", 60, 1441, 1, "GreaterThanThreshold", "missing", "Period × EvaluationPeriods (86460 s)")]
    [InlineData("Maximum", 3600, 169, 1, "GreaterThanThreshold", "missing", "Period × EvaluationPeriods (608400 s)")]
    [InlineData("Maximum", 60, 3, 3, "EqualToThreshold", "missing", "ComparisonOperator 'EqualToThreshold' is not one of")]
    [InlineData("Maximum", 60, 3, 3, "GreaterThanThreshold", "zero", "TreatMissingData 'zero' is not one of")]
    public void Evaluate_WhenTheAlarmIsInvalid_ShouldNameTheAlarmAndTheSetting(string statistic, int period, int evaluationPeriods, int datapointsToAlarm, string comparisonOperator, string treatMissingData, string expected)
    {
        var alarm = Alarm with
        {
            Statistic = statistic, PeriodSeconds = period, EvaluationPeriods = evaluationPeriods, DatapointsToAlarm = datapointsToAlarm,
            ComparisonOperator = comparisonOperator, TreatMissingData = treatMissingData,
        };

        var error = Assert.Throws<ArgumentException>(() => AlarmEvaluator.Evaluate(alarm, [], AlarmEvaluator.Ok, At));

        Assert.StartsWith("Alarm 'orders-db-down': ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_WhenTheAlarmComparesWithAnAnomalyBand_ShouldRefuseItClearly()
    {
        var alarm = Alarm with { ComparisonOperator = "LessThanLowerOrGreaterThanUpperThreshold" };

        var error = Assert.Throws<NotSupportedException>(() => AlarmEvaluator.Evaluate(alarm, [], AlarmEvaluator.Ok, At));

        Assert.Contains("anomaly detection band", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_WhenTheCurrentStateIsUnknown_ShouldSaySo()
    {
        var error = Assert.Throws<ArgumentException>(() => AlarmEvaluator.Evaluate(Alarm, [], "PENDING", At));

        Assert.Contains("current state 'PENDING' is not one of OK, ALARM, INSUFFICIENT_DATA", error.Message, StringComparison.Ordinal);
    }

    // One datapoint in the middle of each period written in periods (oldest first): 0 → 0, X → 5, - → none.
    private static List<MetricPoint> Datapoints(string periods)
    {
        var marks = periods.Split(' ');
        var points = new List<MetricPoint>();
        for (var i = 0; i < marks.Length; i++)
        {
            var periodsBack = marks.Length - 1 - i;
            var timestamp = At.AddSeconds((-60 * periodsBack) - 30);
            if (marks[i] != "-")
            {
                points.Add(new MetricPoint(timestamp, marks[i] == "X" ? 5 : 0));
            }
        }

        return points;
    }
}
