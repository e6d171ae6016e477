namespace Failover.Local.Models;

/// <summary>
/// One raw datapoint of a CloudWatch metric as published with PutMetricData: a single sample with its timestamp.
/// </summary>
/// <param name="Timestamp">When the sample was taken (PutMetricData <c>Timestamp</c>).</param>
/// <param name="Value">The sample (PutMetricData <c>Value</c>).</param>
public sealed record MetricPoint(DateTimeOffset Timestamp, double Value);
