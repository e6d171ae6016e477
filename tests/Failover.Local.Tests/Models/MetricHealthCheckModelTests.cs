using Failover.Local.Models;

namespace Failover.Local.Tests.Models;

/// <summary>
/// <see cref="MetricHealthCheckModel"/> against Route 53 Developer Guide "How Amazon Route 53 determines whether a health
/// check is healthy" (dns-failover-determining-health-of-endpoints.html) and the API reference's HealthCheckConfig and
/// AlarmIdentifier (API_HealthCheckConfig.html, API_AlarmIdentifier.html).
/// </summary>
public sealed class MetricHealthCheckModelTests
{
    private static readonly DateTimeOffset Published = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);

    // The switch: one datapoint of 1 fails traffic over. The alarm treats missing data as breaching, which a metric
    // health check must not take into account.
    private static readonly MetricAlarmModel SwitchAlarm = new("orders-switch", "Failover", "Switch",
        new Dictionary<string, string> { ["Plan"] = "orders" }, "Maximum", 60, 1, 1, 1, "GreaterThanOrEqualToThreshold", "breaching");

    private static readonly MetricPoint[] SwitchedOnce = [new(Published, 1)];

    [Fact]
    public void IsHealthy_WhenTheDataStreamBreachesTheThreshold_ShouldBeUnhealthy()
    {
        var check = new MetricHealthCheckModel("hc-1", SwitchAlarm, MetricHealthCheckModel.Healthy, inverted: false, disabled: false);

        var healthy = check.IsHealthy(SwitchedOnce, Published.AddSeconds(10));

        Assert.False(healthy);
    }

    [Fact]
    public void IsHealthy_WhenTheDataStreamStaysWithinTheThreshold_ShouldBeHealthy()
    {
        var check = new MetricHealthCheckModel("hc-1", SwitchAlarm, MetricHealthCheckModel.Unhealthy, inverted: false, disabled: false);

        var healthy = check.IsHealthy([new MetricPoint(Published, 0)], Published.AddSeconds(10));

        Assert.True(healthy);
    }

    [Theory]
    [InlineData(MetricHealthCheckModel.Healthy, true)]
    [InlineData(MetricHealthCheckModel.Unhealthy, false)]
    [InlineData(MetricHealthCheckModel.LastKnownStatus, false)]
    public void IsHealthy_WhenTheSwitchPublishedOnceHasLeftTheRange24HoursLater_ShouldReportInsufficientDataHealthStatus(string insufficientDataHealthStatus, bool expected)
    {
        var check = new MetricHealthCheckModel("hc-1", SwitchAlarm, insufficientDataHealthStatus, inverted: false, disabled: false);
        var switched = check.IsHealthy(SwitchedOnce, Published.AddSeconds(10));

        var dayLater = check.IsHealthy(SwitchedOnce, Published.AddHours(24));

        Assert.False(switched);
        Assert.Equal(expected, dayLater);
    }

    [Fact]
    public void IsHealthy_WhenThereIsNoDataAndTheAlarmTreatsMissingDataAsBreaching_ShouldStillReportInsufficientDataHealthStatus()
    {
        var check = new MetricHealthCheckModel("hc-1", SwitchAlarm, MetricHealthCheckModel.Healthy, inverted: false, disabled: false);

        var healthy = check.IsHealthy([], Published);

        Assert.True(healthy);
    }

    [Fact]
    public void IsHealthy_WhenLastKnownStatusHasNoEarlierStatus_ShouldBeHealthy()
    {
        var check = new MetricHealthCheckModel("hc-1", SwitchAlarm, MetricHealthCheckModel.LastKnownStatus, inverted: false, disabled: false);

        var healthy = check.IsHealthy([], Published);

        Assert.True(healthy);
    }

    [Fact]
    public void IsHealthy_WhenLastKnownStatusFollowsARecovery_ShouldKeepTheRecoveredStatus()
    {
        var check = new MetricHealthCheckModel("hc-1", SwitchAlarm, MetricHealthCheckModel.LastKnownStatus, inverted: false, disabled: false);
        MetricPoint[] switchedBack = [new(Published, 1), new(Published.AddMinutes(5), 0)];
        check.IsHealthy(switchedBack, Published.AddSeconds(10));
        check.IsHealthy(switchedBack, Published.AddMinutes(5).AddSeconds(10));

        var dayLater = check.IsHealthy(switchedBack, Published.AddHours(24));

        Assert.True(dayLater);
    }

    [Theory]
    [InlineData(1, MetricHealthCheckModel.Healthy, true)]
    [InlineData(0, MetricHealthCheckModel.Healthy, false)]
    [InlineData(-1, MetricHealthCheckModel.Unhealthy, true)]
    [InlineData(-1, MetricHealthCheckModel.Healthy, false)]
    public void IsHealthy_WhenInverted_ShouldReportTheOppositeStatus(int switchValue, string insufficientDataHealthStatus, bool expected)
    {
        var check = new MetricHealthCheckModel("hc-1", SwitchAlarm, insufficientDataHealthStatus, inverted: false, disabled: false) { Inverted = true };
        MetricPoint[] data = switchValue < 0 ? [] : [new(Published, switchValue)];

        var healthy = check.IsHealthy(data, Published.AddSeconds(10));

        Assert.Equal(expected, healthy);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void IsHealthy_WhenDisabled_ShouldBeHealthyOrUnhealthyWhenAlsoInvertedWhateverTheData(bool inverted, bool expected)
    {
        var check = new MetricHealthCheckModel("hc-1", SwitchAlarm, MetricHealthCheckModel.Unhealthy, inverted, disabled: false) { Disabled = true };

        var switched = check.IsHealthy(SwitchedOnce, Published.AddSeconds(10));
        var noData = check.IsHealthy([], Published.AddHours(24));

        Assert.Equal(expected, switched);
        Assert.Equal(expected, noData);
    }

    [Fact]
    public void Constructor_WhenTheAlarmIsHighResolution_ShouldRefuseIt()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new MetricHealthCheckModel("hc-1", SwitchAlarm with { PeriodSeconds = 10 }, MetricHealthCheckModel.Healthy, inverted: false, disabled: false));

        Assert.Contains("Route 53 supports standard-resolution metrics only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InsufficientDataHealthStatus_WhenSetToAnUnknownValue_ShouldSayWhichAreAllowed()
    {
        var check = new MetricHealthCheckModel("hc-1", SwitchAlarm, MetricHealthCheckModel.Healthy, inverted: false, disabled: false);

        var error = Assert.Throws<ArgumentException>(() => check.InsufficientDataHealthStatus = "Unknown");

        Assert.Contains("Health check hc-1: InsufficientDataHealthStatus 'Unknown' is not one of Healthy, Unhealthy, LastKnownStatus", error.Message, StringComparison.Ordinal);
    }
}
