using System.Globalization;
using System.Xml.Linq;
using Failover.Aws.Transport;

namespace Failover.Aws.Clients;

/// <summary>One metric datum for PutMetricData.</summary>
public sealed record MetricDatum(string MetricName, double Value, IReadOnlyDictionary<string, string> Dimensions)
{
    /// <summary>CloudWatch unit of <c>Value</c> (e.g. Seconds, Count, Bytes); null sends none and the datum is stored as None.</summary>
    public string? Unit { get; init; }

    /// <summary>When the value was measured; null lets CloudWatch stamp the datum with the time it received it.</summary>
    public DateTimeOffset? Timestamp { get; init; }
}

/// <summary>A metric to read with GetMetricData.</summary>
/// <param name="Id">Query id: lower-case start, letters, digits and underscores.</param>
public sealed record MetricDataQuery(string Id, string Namespace, string MetricName, IReadOnlyDictionary<string, string> Dimensions, int PeriodSeconds, string Stat);

/// <summary>Values of one query, newest first.</summary>
public sealed record MetricDataResult(string Id, string StatusCode, IReadOnlyList<DateTimeOffset> Timestamps, IReadOnlyList<double> Values);

/// <summary>A metric alarm's identity and state.</summary>
public sealed record MetricAlarm(string AlarmName, string? AlarmArn, string StateValue, string? StateReason, DateTimeOffset? StateUpdatedTimestamp)
{
    /// <summary>When StateValue last changed (StateUpdatedTimestamp also moves when only the reason or evaluation state does).</summary>
    public DateTimeOffset? StateTransitionedTimestamp { get; init; }

    /// <summary>The watched metric's namespace; null for an alarm on a metric math expression (its Metrics list).</summary>
    public string? Namespace { get; init; }

    /// <summary>The watched metric; null for an alarm on a metric math expression.</summary>
    public string? MetricName { get; init; }

    /// <summary>The watched metric's dimensions.</summary>
    public IReadOnlyDictionary<string, string> Dimensions { get; init; } = new Dictionary<string, string>();

    /// <summary>The value compared with the statistic; null for an anomaly detection alarm (ThresholdMetricId).</summary>
    public double? Threshold { get; init; }

    /// <summary>How the statistic is compared with <see cref="Threshold"/>, e.g. GreaterThanOrEqualToThreshold.</summary>
    public string? ComparisonOperator { get; init; }
}

/// <summary>A composite alarm's identity and state.</summary>
public sealed record CompositeAlarm(string AlarmName, string? AlarmArn, string StateValue, string? StateReason, DateTimeOffset? StateUpdatedTimestamp)
{
    /// <summary>When StateValue last changed.</summary>
    public DateTimeOffset? StateTransitionedTimestamp { get; init; }

    /// <summary>The rule over other alarms, e.g. ALARM(a) OR ALARM(b).</summary>
    public string? AlarmRule { get; init; }
}

/// <summary>Reply of DescribeAlarms: metric and composite alarms, as the request's AlarmTypes asked.</summary>
public sealed record DescribeAlarmsResult(IReadOnlyList<MetricAlarm> MetricAlarms, IReadOnlyList<CompositeAlarm> CompositeAlarms);

/// <summary>Values of DescribeAlarms' AlarmTypes.</summary>
public static class AlarmTypes
{
    /// <summary>Ask DescribeAlarms for alarms that watch one metric or a metric math expression.</summary>
    public const string MetricAlarm = "MetricAlarm";

    /// <summary>Ask DescribeAlarms for composite alarms, whose state is a rule over other alarms.</summary>
    public const string CompositeAlarm = "CompositeAlarm";
}

/// <summary>Parameters of PutMetricAlarm that the local environment needs.</summary>
public sealed record PutMetricAlarmRequest(string AlarmName, string Namespace, string MetricName, IReadOnlyDictionary<string, string> Dimensions, string Statistic, int PeriodSeconds, int EvaluationPeriods, double Threshold, string ComparisonOperator)
{
    /// <summary>How the alarm evaluates periods with no data: missing (the default: they are not counted, and the alarm goes to INSUFFICIENT_DATA when every period is missing), notBreaching, breaching or ignore (the state is kept).</summary>
    public string TreatMissingData { get; init; } = "missing";
}

/// <summary>Amazon CloudWatch over the query protocol (Version 2010-08-01).</summary>
public sealed class CloudWatchClient
{
    private const string Version = "2010-08-01";
    private readonly AwsTransport _transport;

    internal CloudWatchClient(AwsTransport transport) => _transport = transport;

    /// <summary>Most metrics one PutMetricData takes (API_PutMetricData.html and botocore cloudwatch 2010-08-01:
    /// "no more than 1000 metrics per call"); each datum counts as one here, whether or not two share a metric.</summary>
    public const int MaxMetricsPerPut = 1000;

    /// <summary>Largest PutMetricData body (API_PutMetricData.html: "limited to 1 MB in size for HTTP POST requests"),
    /// read as 1,000,000 bytes so either reading of a megabyte holds.</summary>
    public const int MaxPutBytes = 1_000_000;

    private static readonly int PutMetricDataHeaderBytes = new QueryParameters().Encode("PutMetricData", Version).Length;

    /// <summary>Publishes datapoints in as few PutMetricData calls as the API's limits allow (<see cref="MaxMetricsPerPut"/>
    /// and <see cref="MaxPutBytes"/> per call), one call after another. Repeating a put of the same value is harmless for a
    /// switch metric.</summary>
    [IamAction("cloudwatch:PutMetricData")]
    public async Task PutMetricDataAsync(string metricNamespace, IReadOnlyList<MetricDatum> data, CancellationToken cancellationToken)
    {
        foreach (var put in PutMetricDataCalls(metricNamespace, data))
        {
            await CallAsync("PutMetricData", put, retrySafe: true, cancellationToken);
        }
    }

    // Fills each call until the next datum would pass either limit; a datum always goes into a call, even alone. No data, no call.
    private static List<QueryParameters> PutMetricDataCalls(string metricNamespace, IReadOnlyList<MetricDatum> data)
    {
        var calls = new List<QueryParameters>();
        var call = new QueryParameters().Add("Namespace", metricNamespace);
        var inCall = 0;
        foreach (var datum in data)
        {
            var mark = call.Count;
            AddDatum(call, inCall + 1, datum);
            if (inCall > 0 && (inCall == MaxMetricsPerPut || PutMetricDataHeaderBytes + call.EncodedLength > MaxPutBytes))
            {
                call.RemoveFrom(mark);
                calls.Add(call);
                call = new QueryParameters().Add("Namespace", metricNamespace);
                AddDatum(call, 1, datum);
                inCall = 0;
            }

            inCall++;
        }

        if (inCall > 0)
        {
            calls.Add(call);
        }

        return calls;
    }

    private static void AddDatum(QueryParameters parameters, int member, MetricDatum datum)
    {
        var prefix = $"MetricData.member.{member}.";
        parameters.Add(prefix + "MetricName", datum.MetricName).Add(prefix + "Value", datum.Value)
            .Add(prefix + "Unit", datum.Unit).Add(prefix + "Timestamp", datum.Timestamp);
        AddDimensions(parameters, prefix + "Dimensions", datum.Dimensions);
    }

    /// <summary>Reads metric values between two times; follows every page.</summary>
    [IamAction("cloudwatch:GetMetricData")]
    public async Task<IReadOnlyList<MetricDataResult>> GetMetricDataAsync(IReadOnlyList<MetricDataQuery> queries, DateTimeOffset startTime, DateTimeOffset endTime, CancellationToken cancellationToken)
    {
        var merged = new Dictionary<string, (string Status, List<DateTimeOffset> Times, List<double> Values)>(StringComparer.Ordinal);
        string? nextToken = null;
        do
        {
            var parameters = new QueryParameters().Add("StartTime", startTime).Add("EndTime", endTime).Add("ScanBy", "TimestampDescending").Add("NextToken", nextToken);
            for (var i = 0; i < queries.Count; i++)
            {
                var q = queries[i];
                var prefix = $"MetricDataQueries.member.{i + 1}.";
                parameters.Add(prefix + "Id", q.Id)
                    .Add(prefix + "MetricStat.Metric.Namespace", q.Namespace)
                    .Add(prefix + "MetricStat.Metric.MetricName", q.MetricName)
                    .Add(prefix + "MetricStat.Period", q.PeriodSeconds)
                    .Add(prefix + "MetricStat.Stat", q.Stat)
                    .Add(prefix + "ReturnData", true);
                AddDimensions(parameters, prefix + "MetricStat.Metric.Dimensions", q.Dimensions);
            }

            var result = await CallAsync("GetMetricData", parameters, retrySafe: true, cancellationToken);
            foreach (var r in result.Items("MetricDataResults"))
            {
                var id = r.Required("Id");
                if (!merged.TryGetValue(id, out var entry))
                {
                    entry = (r.Text("StatusCode") ?? "Complete", [], []);
                    merged[id] = entry;
                }

                entry.Times.AddRange(r.Items("Timestamps").Select(t => DateTimeOffset.Parse(t.Value, CultureInfo.InvariantCulture)));
                entry.Values.AddRange(r.Items("Values").Select(v => double.Parse(v.Value, CultureInfo.InvariantCulture)));
            }

            nextToken = result.Text("NextToken");
        }
        while (!string.IsNullOrEmpty(nextToken));

        return [.. merged.Select(kv => new MetricDataResult(kv.Key, kv.Value.Status, kv.Value.Times, kv.Value.Values))];
    }

    /// <summary>Describes metric alarms by name (at most 100 names).</summary>
    [IamAction("cloudwatch:DescribeAlarms")]
    public async Task<IReadOnlyList<MetricAlarm>> DescribeAlarmsAsync(IReadOnlyList<string> alarmNames, CancellationToken cancellationToken)
    {
        if (alarmNames.Count > 100)
        {
            throw new ArgumentException("DescribeAlarms takes at most 100 alarm names", nameof(alarmNames));
        }

        var alarms = new List<MetricAlarm>();
        string? nextToken = null;
        do
        {
            var parameters = new QueryParameters().Add("NextToken", nextToken);
            for (var i = 0; i < alarmNames.Count; i++)
            {
                parameters.Add($"AlarmNames.member.{i + 1}", alarmNames[i]);
            }

            var result = await CallAsync("DescribeAlarms", parameters, retrySafe: true, cancellationToken);
            alarms.AddRange(result.Items("MetricAlarms").Select(ParseMetricAlarm));
            nextToken = result.Text("NextToken");
        }
        while (!string.IsNullOrEmpty(nextToken));

        return alarms;
    }

    /// <summary>
    /// Describes alarms by name (at most 100) of the given <paramref name="alarmTypes"/> (<see cref="AlarmTypes"/>;
    /// CloudWatch returns only metric alarms when AlarmTypes is omitted); follows every page.
    /// </summary>
    [IamAction("cloudwatch:DescribeAlarms")]
    public async Task<DescribeAlarmsResult> DescribeAlarmsAsync(IReadOnlyList<string> alarmNames, IReadOnlyList<string> alarmTypes, CancellationToken cancellationToken)
    {
        if (alarmNames.Count > 100)
        {
            throw new ArgumentException("DescribeAlarms takes at most 100 alarm names", nameof(alarmNames));
        }

        var metric = new List<MetricAlarm>();
        var composite = new List<CompositeAlarm>();
        string? nextToken = null;
        do
        {
            var parameters = new QueryParameters();
            for (var i = 0; i < alarmNames.Count; i++)
            {
                parameters.Add($"AlarmNames.member.{i + 1}", alarmNames[i]);
            }

            for (var i = 0; i < alarmTypes.Count; i++)
            {
                parameters.Add($"AlarmTypes.member.{i + 1}", alarmTypes[i]);
            }

            parameters.Add("NextToken", nextToken);
            var result = await CallAsync("DescribeAlarms", parameters, retrySafe: true, cancellationToken);
            metric.AddRange(result.Items("MetricAlarms").Select(ParseMetricAlarm));
            composite.AddRange(result.Items("CompositeAlarms").Select(a => new CompositeAlarm(
                a.Required("AlarmName"), a.Text("AlarmArn"), a.Text("StateValue") ?? "INSUFFICIENT_DATA", a.Text("StateReason"), Timestamp(a, "StateUpdatedTimestamp"))
            {
                StateTransitionedTimestamp = Timestamp(a, "StateTransitionedTimestamp"),
                AlarmRule = a.Text("AlarmRule"),
            }));
            nextToken = result.Text("NextToken");
        }
        while (!string.IsNullOrEmpty(nextToken));

        return new DescribeAlarmsResult(metric, composite);
    }

    /// <summary>Sets an alarm's state until its next evaluation (used to rehearse an outage).</summary>
    [IamAction("cloudwatch:SetAlarmState")]
    public async Task SetAlarmStateAsync(string alarmName, string stateValue, string stateReason, CancellationToken cancellationToken) =>
        await CallAsync("SetAlarmState", new QueryParameters().Add("AlarmName", alarmName).Add("StateValue", stateValue).Add("StateReason", stateReason), retrySafe: true, cancellationToken);

    /// <summary>Creates or replaces a metric alarm.</summary>
    [IamAction("cloudwatch:PutMetricAlarm")]
    public async Task PutMetricAlarmAsync(PutMetricAlarmRequest request, CancellationToken cancellationToken)
    {
        var parameters = new QueryParameters()
            .Add("AlarmName", request.AlarmName)
            .Add("Namespace", request.Namespace)
            .Add("MetricName", request.MetricName)
            .Add("Statistic", request.Statistic)
            .Add("Period", request.PeriodSeconds)
            .Add("EvaluationPeriods", request.EvaluationPeriods)
            .Add("Threshold", request.Threshold)
            .Add("ComparisonOperator", request.ComparisonOperator)
            .Add("TreatMissingData", request.TreatMissingData);
        AddDimensions(parameters, "Dimensions", request.Dimensions);
        await CallAsync("PutMetricAlarm", parameters, retrySafe: true, cancellationToken);
    }

    /// <summary>A MetricAlarm element of DescribeAlarms (CloudWatch API Reference, MetricAlarm data type:
    /// docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricAlarm.html).</summary>
    private static MetricAlarm ParseMetricAlarm(XElement a) =>
        new(a.Required("AlarmName"), a.Text("AlarmArn"), a.Text("StateValue") ?? "INSUFFICIENT_DATA", a.Text("StateReason"), Timestamp(a, "StateUpdatedTimestamp"))
        {
            StateTransitionedTimestamp = Timestamp(a, "StateTransitionedTimestamp"),
            Namespace = a.Text("Namespace"),
            MetricName = a.Text("MetricName"),
            Dimensions = a.Items("Dimensions").Where(d => d.Text("Name") is not null)
                .GroupBy(d => d.Text("Name")!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Text("Value") ?? "", StringComparer.Ordinal),
            Threshold = a.Text("Threshold") is { Length: > 0 } threshold ? double.Parse(threshold, CultureInfo.InvariantCulture) : null,
            ComparisonOperator = a.Text("ComparisonOperator"),
        };

    private static DateTimeOffset? Timestamp(XElement element, string name) =>
        element.Text(name) is { Length: > 0 } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;

    private static void AddDimensions(QueryParameters parameters, string prefix, IReadOnlyDictionary<string, string> dimensions)
    {
        var n = 0;
        foreach (var (name, value) in dimensions)
        {
            n++;
            parameters.Add($"{prefix}.member.{n}.Name", name).Add($"{prefix}.member.{n}.Value", value);
        }
    }

    private Task<XElement> CallAsync(string action, QueryParameters parameters, bool retrySafe, CancellationToken cancellationToken) =>
        QueryProtocol.CallAsync(_transport, AwsService.CloudWatch, Version, action, parameters, retrySafe, cancellationToken);
}
