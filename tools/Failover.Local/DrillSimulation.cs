using System.Text.Json;
using Failover.Aws;
using Failover.Aws.Adapters;
using Failover.Core;
using Failover.Core.Plans;
using Failover.Core.Reports;
using Failover.Core.Runs;
using Failover.Core.Services;

namespace Failover.Local;

/// <summary>
/// A drill on the local AWS, proven harmless: production is read before and after and must be identical,
/// and nothing the drill created may remain.
/// </summary>
public sealed class DrillSimulation(LocalAws aws, DeployedEnvironment environment, TimeProvider clock)
{
    private readonly AwsClients _recovery = aws.Clients(environment.Plan.RecoveryRegion, clock);
    private readonly AwsClients _primary = aws.Clients(environment.Plan.PrimaryRegion, clock);

    /// <summary>Runs a drill through the state machine and returns its report with the harmlessness checks.</summary>
    public async Task<RunReport> RunAsync(IProgress<SimulationProgress>? progress, CancellationToken cancellationToken, Func<string, CancellationToken, Task>? whileRunning = null)
    {
        var before = await ProductionStateAsync(cancellationToken);
        var simulation = new Simulation(aws, environment, clock);
        var report = await simulation.StartAsync(new StartRequest { Mode = RunModes.Drill, Reason = "drill" }, progress, cancellationToken, whileRunning);
        return await CheckHarmlessAsync(report, before, cancellationToken);
    }

    /// <summary>What production looks like: every database, switch, alarm, health check, record, Auto Scaling group and ECS
    /// service size, and non-drill recovery instance.</summary>
    public async Task<IReadOnlyList<string>> ProductionStateAsync(CancellationToken cancellationToken)
    {
        var state = new List<string>();
        foreach (var db in environment.Plan.Databases)
        {
            var instance = (await _recovery.Rds.DescribeDBInstancesAsync(db.Id, cancellationToken)).Single();
            state.Add($"database {db.Id}: {instance.DBInstanceStatus}, replica of {instance.ReadReplicaSourceDBInstanceIdentifier ?? "nothing"}");
        }

        var now = clock.GetUtcNow();
        foreach (var sw in environment.Plan.Switches.Where(s => s.Kind == SwitchKinds.SwitchMetric))
        {
            var values = await _recovery.CloudWatch.GetMetricDataAsync(
                [new Aws.Clients.MetricDataQuery("switch", sw.Namespace, sw.MetricName, sw.Dimensions, 60, "Maximum")], now.AddHours(-1), now.AddMinutes(1), cancellationToken);
            state.Add($"switch metric {sw.Id}: {values.Sum(v => v.Values.Count)} datapoint(s)");
            if (environment.SwitchHealthCheckIds.TryGetValue(sw.Id, out var healthCheckId))
            {
                var check = await _primary.Route53.GetHealthCheckAsync(healthCheckId, cancellationToken);
                state.Add($"health check {check.Id}: version {check.HealthCheckVersion}, disabled {check.Disabled}, inverted {check.Inverted}");
            }
        }

        foreach (var record in await _primary.Route53.ListResourceRecordSetsAsync(environment.HostedZoneId, null, null, null, cancellationToken))
        {
            state.Add($"record {record.Name} {record.Type} {record.SetIdentifier}: {string.Join(",", record.ResourceRecords.Select(r => r.Value))} health check {record.HealthCheckId}");
        }

        foreach (var target in environment.Plan.Capacity)
        {
            state.Add(target.Kind == CapacityKinds.EcsService
                ? $"ECS service {target.Cluster}/{target.Service}: desired {string.Join(",", (await _recovery.Ecs.DescribeServicesAsync(target.Cluster!, [target.Service!], cancellationToken)).Select(s => s.DesiredCount))}"
                : $"Auto Scaling group {target.Name}: {string.Join(",", (await _recovery.AutoScaling.DescribeAutoScalingGroupsAsync([target.Name!], cancellationToken)).Select(g => $"desired {g.DesiredCapacity}, min {g.MinSize}, max {g.MaxSize}"))}");
        }

        var production = (await _recovery.Drs.DescribeRecoveryInstancesAsync(null, cancellationToken)).Where(r => r.IsDrill != true).ToList();
        state.Add($"non-drill recovery instances: {production.Count}");
        return state;
    }

    private async Task<RunReport> CheckHarmlessAsync(RunReport report, IReadOnlyList<string> before, CancellationToken cancellationToken)
    {
        var after = await ProductionStateAsync(cancellationToken);
        var changed = before.Except(after).Concat(after.Except(before)).ToList();
        var left = await new DrillResources(_recovery.Rds, _recovery.Drs).FindAsync(null, cancellationToken);
        var checks = report.Checks
            .Where(c => c.Name == "execution succeeded" || c.Name.EndsWith("notification delivered", StringComparison.Ordinal))
            .Append(new CheckReport("production unchanged", changed.Count == 0, changed.Count == 0 ? $"{before.Count} production facts identical before and after" : "changed: " + string.Join("; ", changed)))
            .Append(new CheckReport("no drill resource remains", left.Count == 0, left.Count == 0 ? "no drill copy or drill instance left" : "left: " + string.Join(", ", left.Select(r => $"{r.Kind} {r.Id}"))))
            .ToList();
        return report with
        {
            Checks = checks,
            Outcome = report.Execution.Status != "SUCCEEDED" || !checks.All(c => c.Passed) ? ReportOutcomes.Failed
                : report.Resources.Any(r => r.Outcome is DatabaseStatuses.Failed or ServerOutcomes.Partial or SwitchStatuses.NotWired) ? ReportOutcomes.Partial
                : ReportOutcomes.Succeeded,
        };
    }
}
