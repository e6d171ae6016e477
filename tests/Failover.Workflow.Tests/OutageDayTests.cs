using Failover.Aws.Clients;
using Failover.Core.Reports;
using Failover.Local;
using Failover.Local.Models;

namespace Failover.Workflow.Tests;

/// <summary>
/// The local AWS's day against what AWS documents: CloudWatch re-evaluates an alarm set with SetAlarmState
/// (AlarmThatSendsEmail.html; aws-facts §20), and a Route 53 CLOUDWATCH_METRIC health check falls back to its
/// InsufficientDataHealthStatus once the switch datapoint ages out (dns-failover-determining-health-of-endpoints.html).
/// </summary>
[Collection(LocalAwsCollection.Name)]
public sealed class OutageDayTests(LocalAwsFixture fixture)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;

    [Fact]
    public async Task EvaluateAlarmsAsync_WhenTheOutageAlarmWasForcedWithSetAlarmState_ShouldReturnItToItsActualState()
    {
        // Arrange: the canary has seen the primary region answer for the last hour, up to now.
        var environment = await fixture.FreshEnvironmentAsync(Timeout);
        await environment.Day.StayUpUntilNowAsync(environment.Plan.Name, Timeout);
        var alarmName = environment.Plan.Trigger.AlarmArns[0].Split(':')[^1];
        var cloudWatch = fixture.Aws.Clients(environment.Plan.RecoveryRegion, TimeProvider.System).CloudWatch;
        await cloudWatch.SetAlarmStateAsync(alarmName, AlarmEvaluator.Alarm, "forced by hand", Timeout);

        // Act
        var changes = await environment.Day.EvaluateAlarmsAsync(null, Timeout);

        // Assert
        var change = Assert.Single(changes, c => c.Alarm.Alarm.AlarmName == alarmName);
        Assert.Equal(AlarmEvaluator.Ok, change.Evaluation.State);
        Assert.Equal(AlarmEvaluator.Ok, (await cloudWatch.DescribeAlarmsAsync([alarmName], Timeout)).Single().StateValue);
    }

    [Fact]
    public async Task EvaluateAlarmsAsync_WhenAnAlarmChanges_ShouldTellOfItBeforeSettingTheAlarmsAfterIt()
    {
        // Arrange: the outage alarm and a second alarm on the same canary, added after it, both forced to ALARM while the
        // canary has seen the primary region answer: evaluated, each returns to OK.
        var (environment, outageAlarm, cloudWatch, later) = await WithAnAlarmAfterTheOutageAlarmAsync(
            (name, plan) => new PutMetricAlarmRequest(name, OutageDay.CanaryNamespace, OutageDay.CanaryMetric, OutageDay.CanaryDimensions(plan), "Minimum", 60, 3, 1, "LessThanThreshold")
            {
                TreatMissingData = "breaching",
            });
        await cloudWatch.SetAlarmStateAsync(outageAlarm, AlarmEvaluator.Alarm, "forced by hand", Timeout);
        await cloudWatch.SetAlarmStateAsync(later.AlarmName, AlarmEvaluator.Alarm, "forced by hand", Timeout);
        var laterWhenTold = new Dictionary<string, string>(StringComparer.Ordinal);

        // Act: as EventBridge would, read the other alarm's state when told of each change.
        var changes = await environment.Day.EvaluateAlarmsAsync(
            async (alarm, _, ct) => laterWhenTold[alarm.Alarm.AlarmName] = (await cloudWatch.DescribeAlarmsAsync([later.AlarmName], ct)).Single().StateValue,
            Timeout);

        // Assert: told of the outage alarm's change while the alarm after it still held its old state.
        Assert.Equal([outageAlarm, later.AlarmName], changes.Select(c => c.Alarm.Alarm.AlarmName).Where(laterWhenTold.ContainsKey));
        Assert.Equal(AlarmEvaluator.Alarm, laterWhenTold[outageAlarm]);
        Assert.Equal(AlarmEvaluator.Ok, laterWhenTold[later.AlarmName]);
    }

    [Fact]
    public async Task EvaluateAlarmsAsync_WhenAnAlarmChanges_ShouldHaveEvaluatedEveryAlarmBeforeTellingOfIt()
    {
        // Arrange: the outage alarm forced to ALARM while the canary has seen the primary region answer, and a second alarm
        // added after it, OK while its metric has no data. Both are evaluated at the same instant.
        var (environment, outageAlarm, cloudWatch, later) = await WithAnAlarmAfterTheOutageAlarmAsync(
            (name, plan) => new PutMetricAlarmRequest(name, "Failover/Tests", "Probe", new Dictionary<string, string> { ["Probe"] = plan }, "Maximum", 60, 1, 0, "GreaterThanThreshold")
            {
                TreatMissingData = "notBreaching",
            });
        await environment.Day.EvaluateAlarmsAsync(null, Timeout);
        await cloudWatch.SetAlarmStateAsync(outageAlarm, AlarmEvaluator.Alarm, "forced by hand", Timeout);
        var breach = new MetricDatum("Probe", 1, later.Dimensions) { Timestamp = DateTimeOffset.UtcNow.AddSeconds(-30) };

        // Act: told of the outage alarm's change, the workflow's run begins; here it publishes a datapoint that breaches
        // the second alarm's threshold within the instant's last period.
        var changes = await environment.Day.EvaluateAlarmsAsync((_, _, ct) => cloudWatch.PutMetricDataAsync("Failover/Tests", [breach], ct), Timeout);

        // Assert: the second alarm was evaluated on what there was at the instant, before the change was told.
        Assert.Equal(outageAlarm, Assert.Single(changes).Alarm.Alarm.AlarmName);
        Assert.Equal(AlarmEvaluator.Ok, (await cloudWatch.DescribeAlarmsAsync([later.AlarmName], Timeout)).Single().StateValue);
    }

    [Fact]
    public async Task Simulate_WhenTheSwitchHealthCheckFallsBackToHealthyOnMissingData_ShouldAnswerThePrimaryAgainADayLater()
    {
        // Arrange: the wiring the project shipped before: InsufficientDataHealthStatus Healthy.
        var environment = await fixture.FreshEnvironmentAsync(Timeout, new LocalEnvironmentOptions { SwitchInsufficientDataHealthStatus = MetricHealthCheckModel.Healthy });

        // Act
        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        // Assert: traffic moved, and came back to the dead primary once nobody published the switch metric.
        Assert.Contains(report.Checks, c => c is { Id: "dns-answers-recovery", Passed: true });
        var dayLater = Assert.Single(report.Checks, c => c.Id == "dns-still-recovery-after-24h");
        Assert.False(dayLater.Passed);
        Assert.Contains($".{environment.Plan.PrimaryRegion}.", dayLater.Detail, StringComparison.Ordinal);
        Assert.Equal(ReportOutcomes.Failed, report.Outcome);
    }

    [Fact]
    public async Task Simulate_WhenThePrimaryRegionGoesDark_ShouldMeetItAndKeepTrafficOnTheRecoveryRegion()
    {
        // Arrange
        var environment = await fixture.FreshEnvironmentAsync(Timeout);

        // Act
        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        // Assert
        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        foreach (var id in new[] { "primary-region-unreachable", "dns-answers-recovery", "dns-still-recovery-after-24h" })
        {
            Assert.Contains(report.Checks, c => c.Id == id && c.Passed);
        }

        Assert.True(fixture.Aws.Gateway.RefusedCalls(environment.Plan.PrimaryRegion) > 0);
        Assert.True(report.RpoSeconds <= report.RpoObjectiveSeconds);
        var evidence = Assert.Single(report.RpoEvidence);
        Assert.Contains("; -1 from ", evidence.Evidence, StringComparison.Ordinal);
        var traffic = Assert.Single(report.Resources, r => r.Kind == "traffic-switch");
        Assert.Contains("Route 53 reports health check", traffic.Detail, StringComparison.Ordinal);
    }

    /// <summary>A fresh environment whose canary has seen the primary region answer up to now, and a second alarm (named
    /// after the outage alarm, made from that name and the plan's) put into CloudWatch and the day after the outage alarm.</summary>
    private async Task<(DeployedEnvironment Environment, string OutageAlarm, CloudWatchClient CloudWatch, PutMetricAlarmRequest Later)> WithAnAlarmAfterTheOutageAlarmAsync(
        Func<string, string, PutMetricAlarmRequest> alarm)
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout);
        await environment.Day.StayUpUntilNowAsync(environment.Plan.Name, Timeout);
        var outageAlarm = environment.Plan.Trigger.AlarmArns[0].Split(':')[^1];
        var region = environment.Plan.RecoveryRegion;
        var cloudWatch = fixture.Aws.Clients(region, TimeProvider.System).CloudWatch;
        var later = alarm($"{outageAlarm}-later", environment.Plan.Name);
        await cloudWatch.PutMetricAlarmAsync(later, Timeout);
        environment.Day.AddAlarm(new ModelledAlarm(MetricAlarmModel.Of(later), region, $"arn:aws:cloudwatch:{region}:{LocalAws.AccountId}:alarm:{later.AlarmName}"));
        return (environment, outageAlarm, cloudWatch, later);
    }
}
