namespace Failover.Local.Models;

/// <summary>
/// One Route 53 health check of type CLOUDWATCH_METRIC, as the Route 53 Developer Guide "How Amazon Route 53
/// determines whether a health check is healthy" (dns-failover-determining-health-of-endpoints.html, "Health checks
/// that monitor CloudWatch alarms") and the API reference (API_HealthCheckConfig.html, API_AlarmIdentifier.html)
/// describe it.
/// </summary>
/// <remarks>
/// <para>Route 53 "monitors the data stream for the corresponding alarm instead of monitoring the alarm state": the
/// check is unhealthy when the alarm's datapoints breach its threshold over its evaluation range, healthy when they
/// do not, and <see cref="InsufficientDataHealthStatus"/> when there is not enough data to decide. The alarm's state
/// (SetAlarmState cannot force the check) and its TreatMissingData do not enter: the data stream is evaluated with
/// missing data not counted (<see cref="AlarmEvaluator"/> with <c>missing</c>), so a value published once stops
/// counting when it leaves the evaluation range.</para>
/// <para>LastKnownStatus: "the status of the health check from the last time that CloudWatch had sufficient data
/// to determine the alarm state. For new health checks that have no last known status, the default status for the
/// health check is healthy." Inverted: Route 53 considers the check unhealthy when it would otherwise be healthy,
/// and the reverse. Disabled: "Route 53 considers the status of the health check to always be healthy"; to stop
/// routing traffic to a resource, the reference says to change Inverted, so disabled and inverted is always
/// unhealthy. A disabled check does not monitor the metric, so it learns no new last known status.</para>
/// <para>Route 53 supports alarms on standard-resolution metrics only (no period under 60 s) with the statistics
/// Average, Minimum, Maximum, Sum and SampleCount (API_AlarmIdentifier.html). How soon Route 53 follows a new
/// datapoint is not documented; the model follows it at once.</para>
/// </remarks>
public sealed class MetricHealthCheckModel
{
    /// <summary>InsufficientDataHealthStatus: the check is healthy when the data does not decide.</summary>
    public const string Healthy = "Healthy";

    /// <summary>InsufficientDataHealthStatus: the check is unhealthy when the data does not decide.</summary>
    public const string Unhealthy = "Unhealthy";

    /// <summary>InsufficientDataHealthStatus: the check keeps the status it last had with enough data.</summary>
    public const string LastKnownStatus = "LastKnownStatus";

    private readonly MetricAlarmModel _dataStream;
    private string _insufficientDataHealthStatus = Healthy;
    private bool _lastKnownHealthy = true;

    /// <summary>A CLOUDWATCH_METRIC health check on <paramref name="alarm"/>'s data stream.</summary>
    /// <param name="healthCheckId">The health check's id.</param>
    /// <param name="alarm">The alarm the check's AlarmIdentifier names.</param>
    /// <param name="insufficientDataHealthStatus">Healthy, Unhealthy or LastKnownStatus.</param>
    /// <param name="inverted">The check's Inverted setting.</param>
    /// <param name="disabled">The check's Disabled setting.</param>
    /// <exception cref="ArgumentException">The id is empty, the alarm is not one Route 53 supports, or the insufficient-data status is unknown.</exception>
    public MetricHealthCheckModel(string healthCheckId, MetricAlarmModel alarm, string insufficientDataHealthStatus, bool inverted, bool disabled)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(healthCheckId);
        AlarmEvaluator.Validate(alarm);
        if (alarm.PeriodSeconds < 60)
        {
            throw new ArgumentException($"Health check {healthCheckId}: alarm '{alarm.AlarmName}' has a period of {alarm.PeriodSeconds} s; Route 53 supports standard-resolution metrics only.", nameof(alarm));
        }

        HealthCheckId = healthCheckId;
        _dataStream = alarm with { TreatMissingData = "missing" };
        InsufficientDataHealthStatus = insufficientDataHealthStatus;
        Inverted = inverted;
        Disabled = disabled;
    }

    /// <summary>The health check's id.</summary>
    public string HealthCheckId { get; }

    /// <summary>Route 53 reports the opposite of what the data says.</summary>
    public bool Inverted { get; set; }

    /// <summary>Route 53 stops monitoring the metric and considers the check healthy (unhealthy when also inverted).</summary>
    public bool Disabled { get; set; }

    /// <summary>Healthy, Unhealthy or LastKnownStatus: the status when the data stream does not decide.</summary>
    /// <exception cref="ArgumentException">On set, when the value is none of the three.</exception>
    public string InsufficientDataHealthStatus
    {
        get => _insufficientDataHealthStatus;
        set => _insufficientDataHealthStatus = value is Healthy or Unhealthy or LastKnownStatus
            ? value
            : throw new ArgumentException($"Health check {HealthCheckId}: InsufficientDataHealthStatus '{value}' is not one of {Healthy}, {Unhealthy}, {LastKnownStatus}.", nameof(value));
    }

    /// <summary>
    /// The status Route 53 gives the check at <paramref name="at"/> from the alarm metric's datapoints; remembers it
    /// as the last known status when the data decided.
    /// </summary>
    /// <param name="alarmMetricDatapoints">The raw datapoints of the alarm's metric.</param>
    /// <param name="at">When Route 53 looks.</param>
    public bool IsHealthy(IReadOnlyList<MetricPoint> alarmMetricDatapoints, DateTimeOffset at)
    {
        if (Disabled)
        {
            return !Inverted;
        }

        var evaluation = AlarmEvaluator.Evaluate(_dataStream, alarmMetricDatapoints, AlarmEvaluator.InsufficientData, at);
        bool healthy;
        if (evaluation.State == AlarmEvaluator.InsufficientData)
        {
            healthy = InsufficientDataHealthStatus switch
            {
                Healthy => true,
                Unhealthy => false,
                _ => _lastKnownHealthy,
            };
        }
        else
        {
            healthy = evaluation.State == AlarmEvaluator.Ok;
            _lastKnownHealthy = healthy;
        }

        return healthy != Inverted;
    }
}
