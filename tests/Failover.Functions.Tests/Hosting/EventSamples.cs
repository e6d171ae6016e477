namespace Failover.Functions.Tests.Hosting;

/// <summary>The alarm event samples in Events/ (copied beside the test assembly).</summary>
internal static class EventSamples
{
    /// <summary>The CloudWatch User Guide's single-metric alarm example (ServerCpuTooHigh), unchanged.</summary>
    public const string MetricAlarmDoc = "metric-alarm.ServerCpuTooHigh.doc.json";

    /// <summary>The CloudWatch User Guide's composite alarm example (ServiceAggregatedAlarm), unchanged.</summary>
    public const string CompositeAlarmDoc = "composite-alarm.ServiceAggregatedAlarm.doc.json";

    /// <summary>The metric alarm example adjusted to the sample plan's allow-listed alarm, OK to ALARM.</summary>
    public const string MetricOkToAlarm = "metric-alarm.orders-primary-outage.ok-to-alarm.json";

    /// <summary>The same alarm going back from ALARM to OK.</summary>
    public const string MetricAlarmToOk = "metric-alarm.orders-primary-outage.alarm-to-ok.json";

    /// <summary>The composite alarm example adjusted to the sample plan's allow-listed alarm, OK to ALARM.</summary>
    public const string CompositeOkToAlarm = "composite-alarm.orders-primary-outage.ok-to-alarm.json";

    /// <summary>An alarm notification delivered through SNS to Lambda (aws-facts.md 9.2), as documented.</summary>
    public const string SnsAlarmDoc = "sns-alarm.orders-db-down.doc.json";

    /// <summary>The SNS alarm notification adjusted to the sample plan's allow-listed alarm.</summary>
    public const string SnsAlarm = "sns-alarm.orders-primary-outage.json";

    /// <summary>The scheduled event EventBridge delivers to a Lambda target of a schedule, as the Lambda Developer Guide
    /// documents it ("Invoke a Lambda function on a schedule", with-scheduled-events.html), unchanged.</summary>
    public const string ScheduledEventDoc = "scheduled-event.doc.json";

    public static IReadOnlyList<string> All { get; } =
        [MetricAlarmDoc, CompositeAlarmDoc, MetricOkToAlarm, MetricAlarmToOk, CompositeOkToAlarm, SnsAlarmDoc, SnsAlarm];

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Events", name);

    public static string Read(string name) => File.ReadAllText(PathOf(name));

    public static Stream Open(string name) => File.OpenRead(PathOf(name));
}
