using System.Net;
using System.Text.Json;
using Failover.Core;
using Failover.Core.Plans;
using Failover.Core.Reports;
using Failover.Core.Runs;
using Failover.Local;

namespace Failover.Workflow.Tests;

/// <summary>The real statemachines/failover.asl.json, executed by moto, calling the handlers through the gateway.</summary>
[Collection(LocalAwsCollection.Name)]
public sealed class FailoverWorkflowTests(LocalAwsFixture fixture)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;

    [Fact]
    public async Task Simulate_WhenThePlanFileHasAnAuroraReplicaCluster_ShouldPromoteItAndReportItWritable()
    {
        var packaged = PlanDocument.Parse(await File.ReadAllTextAsync(LocalEnvironment.PlanPath, Timeout));
        var path = await WritePlanAsync(packaged with
        {
            Databases = [.. packaged.Databases, new DatabaseTarget { Kind = DatabaseKinds.AuroraClusterReplica, Id = "ledger-west", Critical = true }],
        });
        await fixture.Aws.ResetAsync(Timeout);
        var environment = await LocalEnvironment.DeployAsync(fixture.Aws, path, new LocalEnvironmentOptions(), TimeProvider.System, Timeout);

        var report = await Simulate(environment);

        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        Assert.All(report.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Contains(report.Checks, c => c.Id == "database-writable:ledger-west");
        Assert.Contains(report.Resources, r => r is { Kind: "database", Id: "ledger-west", Outcome: "writable" });
        Assert.Equal(1, fixture.Aws.Gateway.Calls("PromoteReadReplicaDBCluster"));
        // The RPO evidence of the cluster is its AuroraBinlogReplicaLag before the outage, as for the RDS replica.
        Assert.Equal(2.5, report.RpoSeconds);
    }

    [Fact]
    public async Task Simulate_WhenThePlanFileHasControlPlaneSwitches_ShouldDeployTheirTargetsAndSwitchThem()
    {
        var packaged = PlanDocument.Parse(await File.ReadAllTextAsync(LocalEnvironment.PlanPath, Timeout));
        var path = await WritePlanAsync(packaged with
        {
            Switches =
            [
                .. packaged.Switches,
                new TrafficSwitchTarget { Kind = SwitchKinds.HealthCheckInvert, Id = "orders-api-check", HealthCheckId = "abcdef01-2345-6789-abcd-ef0123456789", HostedZoneId = "Z0123456789ABCDEFGHIJ", RecordName = "api.orders.example.org." },
                new TrafficSwitchTarget
                {
                    Kind = SwitchKinds.RecordUpsert,
                    Id = "orders-status",
                    HostedZoneId = "Z0123456789ABCDEFGHIJ",
                    Record = new RecordSet { Name = "status.orders.example.org.", Type = "A", Ttl = 30, Values = ["198.51.100.7"] },
                },
            ],
        });
        await fixture.Aws.ResetAsync(Timeout);
        var environment = await LocalEnvironment.DeployAsync(fixture.Aws, path, new LocalEnvironmentOptions(), TimeProvider.System, Timeout);

        var report = await Simulate(environment);

        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        Assert.All(report.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Contains(report.Checks, c => c.Id == "traffic-switch-set:orders-api-check" && c.Detail.Contains("disabled True, inverted True", StringComparison.Ordinal));
        Assert.Contains(report.Checks, c => c.Id == "traffic-switch-set:orders-status" && c.Detail == "status.orders.example.org. A = 198.51.100.7");
        // The inverted check guards a failover record: DNS answers it from the recovery region, now and a day later.
        Assert.Contains(report.Checks, c => c.Id == "dns-still-recovery-after-24h" && c.Detail.Contains("orders-api-check.example.com.", StringComparison.Ordinal));
        Assert.Equal(1, fixture.Aws.Gateway.Calls("UpdateHealthCheck"));
    }

    [Fact]
    public async Task Deploy_WhenARecordUpsertSwitchWritesARecordTypeTheLocalAwsCannotAnswer_ShouldRefuseNamingThePart()
    {
        var packaged = PlanDocument.Parse(await File.ReadAllTextAsync(LocalEnvironment.PlanPath, Timeout));
        var path = await WritePlanAsync(packaged with
        {
            Switches =
            [
                .. packaged.Switches,
                new TrafficSwitchTarget
                {
                    Kind = SwitchKinds.RecordUpsert,
                    Id = "orders-mail",
                    HostedZoneId = "Z0123456789ABCDEFGHIJ",
                    Record = new RecordSet { Name = "orders.example.org.", Type = "MX", Values = ["10 mail.us-west-2.example.org"] },
                },
            ],
        });

        var error = await Assert.ThrowsAsync<LocalAwsException>(() => LocalEnvironment.DeployAsync(fixture.Aws, path, new LocalEnvironmentOptions(), TimeProvider.System, Timeout));

        Assert.StartsWith($"$.switches[{packaged.Switches.Count}].record.type (orders-mail): the local AWS writes the record's primary-region answer only for A, AAAA, CNAME, TXT records, not MX", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WhenPrimaryRegionFails_ShouldRecoverEveryPhaseAndReport()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout);

        var report = await Simulate(environment);

        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        Assert.All(report.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        var steps = report.Steps.Select(s => s.Name).ToList();
        foreach (var step in new[] { "Prepare", "Notify start", "Promote databases", "Check databases", "Start recovery", "Check recovery", "Notify recovery", "Switch traffic", "Notify traffic switched", "Notify run succeeded", "Report" })
        {
            Assert.Contains(step, steps);
        }

        Assert.All(report.Steps, s => Assert.Equal("succeeded", s.Outcome));
        var switchStart = report.Steps.Single(s => s.Name == "Switch traffic").StartSeconds;
        var checkDatabases = report.Steps.Single(s => s.Name == "Check databases");
        Assert.True(switchStart >= checkDatabases.StartSeconds + checkDatabases.DurationSeconds, "traffic switched before the databases were checked writable");
        Assert.Equal(2.5, report.RpoSeconds);
        Assert.NotNull(report.RtoSeconds);
        Assert.Contains(report.Resources, r => r is { Kind: "database", Id: "orders-replica", Outcome: "writable" });
        Assert.Contains(report.Resources, r => r is { Kind: "servers", Outcome: "launched" });
        Assert.Equal(4, report.Resources.Count(r => r is { Kind: "server", Outcome: "launched" }));
        Assert.Contains(report.Resources, r => r is { Kind: "traffic-switch", Id: "orders-web", Outcome: "switched" });
        Assert.Equal(1, fixture.Aws.Gateway.Calls("PromoteReadReplica"));
        Assert.Equal(2, fixture.Aws.Gateway.Calls("StartRecovery")); // 4 servers in batches of 2
        var phases = (await new Simulation(fixture.Aws, environment, TimeProvider.System).ReadNotificationsAsync(Timeout)).Count;
        Assert.Equal(0, phases); // the simulation's checks already read start, recovery, traffic and end
    }

    // The simulation follows the run by reading its whole history, which moto builds and encodes anew on each read (at
    // scale 40-180 ms of the one process every call of the run also needs): it reads as a person would watch, once a
    // second, not as fast as it can.
    [Fact]
    public async Task Simulate_WhenFollowingTheRun_ShouldReadItsHistoryAboutOnceASecond()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout);

        var (report, reads, seconds) = await SimulateCountingAsync(environment, "GetExecutionHistory");

        // The Report step reads the history too, and the follower reads it once more when the run has ended.
        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        Assert.InRange(reads, 1, seconds + 3);
    }

    // Until the trigger has started the run (at once, or after its sustain period), the simulation looks for it as often as
    // it follows it, about once a second: each look is a call to the one process the trigger's and Prepare's calls need,
    // in the seconds that decide when recovery begins.
    [Fact]
    public async Task Simulate_WhenTheTriggerWaitsOutASustainPeriod_ShouldLookForTheRunAboutOnceASecond()
    {
        var packaged = PlanDocument.Parse(await File.ReadAllTextAsync(LocalEnvironment.PlanPath, Timeout));
        var path = await WritePlanAsync(packaged with { Trigger = packaged.Trigger with { SustainSeconds = 4 } });
        await fixture.Aws.ResetAsync(Timeout);
        var environment = await LocalEnvironment.DeployAsync(fixture.Aws, path, new LocalEnvironmentOptions(), TimeProvider.System, Timeout);

        var (report, looks, seconds) = await SimulateCountingAsync(environment, "ListExecutions");

        // The trigger lists the state machine's executions too (a run in progress, the cooldown), once or twice.
        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        Assert.InRange(looks, 1, seconds + 3);
    }

    // A database step fails inside the parallel recovery: the execution fails at that step (a redrive reruns only
    // the failed branch), and the failure notification names it.
    [Fact]
    public async Task Simulate_WhenPromoteIsRejected_ShouldFailAtPromoteDatabasesNotifyItAndNotSwitchTraffic()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout);
        var inbox = await NotificationInbox.SubscribeAsync(fixture.Aws, environment, Timeout);
        fixture.Aws.Gateway.AddFault(new FaultRule("PromoteReadReplica", "InvalidDBInstanceState", HttpStatusCode.BadRequest, 1));

        var report = await Simulate(environment);

        Assert.Equal(ReportOutcomes.Failed, report.Outcome);
        await WorkflowAssert.EndedFailedAtAsync(fixture.Aws, environment, report, "Promote databases", Timeout);
        Assert.DoesNotContain(report.Steps, s => s.Name == "Switch traffic");
        Assert.Contains(report.Checks, c => c is { Name: "traffic switch orders-web set", Passed: false });
        Assert.Contains(report.Checks, c => c.Name == "execution succeeded" && !c.Passed && c.Detail.Contains("AwsConflictException", StringComparison.Ordinal));
        var failure = await inbox.WaitForPhaseAsync("failure", Timeout);
        Assert.Equal("[Failover] orders failover failed at Promote databases", failure.Subject);
        Assert.Contains("Error: AwsConflictException: rds PromoteReadReplica failed: InvalidDBInstanceState", failure.Message, StringComparison.Ordinal);
    }

    // The recovery notice is on the way from the recovered resources to the traffic switch: a notice SNS refuses must not
    // hold the switch. The notices after the traffic moved still end the run where they fail (they cost no RTO).
    [Fact]
    public async Task Simulate_WhenSnsRefusesEveryNotice_ShouldStillSwitchTraffic()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout);
        fixture.Aws.Gateway.AddFault(new FaultRule("Publish", "AuthorizationError", HttpStatusCode.Forbidden, 50));

        var report = await Simulate(environment);

        Assert.Contains(report.Steps, s => s is { Name: "Switch traffic", Outcome: "succeeded" });
        Assert.Contains(report.Checks, c => c is { Name: "traffic switch orders-web set", Passed: true });
        await WorkflowAssert.EndedFailedAtAsync(fixture.Aws, environment, report, "Notify traffic switched", Timeout);
    }

    [Fact]
    public async Task Simulate_WhenPromoteIsThrottledTwice_ShouldRetryAndPromoteOnce()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout);
        fixture.Aws.Gateway.AddFault(new FaultRule("PromoteReadReplica", "Throttling", HttpStatusCode.BadRequest, 2));

        var report = await Simulate(environment);

        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        // Two throttled attempts answered by the gateway, one that reached RDS.
        Assert.Equal(3, fixture.Aws.Gateway.Calls("PromoteReadReplica"));
    }

    [Fact]
    public async Task Simulate_WhenPromoteAnswerIsLostToATimeout_ShouldRetryTheStepAndPromoteOnce()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout, new LocalEnvironmentOptions { AttemptTimeout = TimeSpan.FromSeconds(1) });
        // RDS carries the promotion out, but its answer comes after the client gave up: the task fails with
        // AwsTransientException, Step Functions retries it, and the retry must see the promotion underway.
        fixture.Aws.Gateway.AddFault(new FaultRule("PromoteReadReplica", "", HttpStatusCode.OK, 1) { ResponseDelay = TimeSpan.FromSeconds(2) });

        var report = await Simulate(environment);

        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        Assert.Equal(1, fixture.Aws.Gateway.Calls("PromoteReadReplica"));
        Assert.Contains(report.Resources, r => r is { Kind: "database", Id: "orders-replica", Outcome: "writable" });
    }

    [Fact]
    public async Task Start_WhenReplicaLagExceedsTheRpoOfAManualRun_ShouldBlockBeforeAnyChange()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout, new LocalEnvironmentOptions { ReplicaLagSeconds = 120 });
        var simulation = new Simulation(fixture.Aws, environment, TimeProvider.System);

        var report = await simulation.StartAsync(new StartRequest { Mode = RunModes.Failover, Reason = "primary degraded" }, null, Timeout);

        Assert.Equal(ReportOutcomes.Blocked, report.Outcome);
        Assert.Contains(report.Checks, c => c.Name == "execution succeeded" && c.Detail.Contains("RpoGateBlockedException", StringComparison.Ordinal) && c.Detail.Contains("120", StringComparison.Ordinal));
        Assert.Equal(0, fixture.Aws.Gateway.Calls("PromoteReadReplica"));
        Assert.Equal(0, fixture.Aws.Gateway.Calls("StartRecovery"));
        Assert.Equal(0, fixture.Aws.Gateway.Calls("PutMetricData")); // RDS's ReplicaLag is published by the day, not through the gateway
        Assert.Contains(report.Checks, c => c is { Name: "database orders-replica is standalone and writable", Passed: false });
    }

    [Fact]
    public async Task Simulate_WhenSomeServersFailToLaunch_ShouldReportPartialNameThemAndStillSwitchTraffic()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout);
        var failing = fixture.Aws.Gateway.Drs.SourceServerIds[0];
        fixture.Aws.Gateway.Drs.FailLaunchOf(failing);
        var simulation = new Simulation(fixture.Aws, environment, TimeProvider.System);

        var report = await simulation.RunAsync(null, Timeout);

        Assert.Equal(ReportOutcomes.Partial, report.Outcome);
        Assert.Contains(report.Resources, r => r.Kind == "servers" && r.Outcome == "partial" && r.Detail.Contains(failing, StringComparison.Ordinal));
        Assert.Contains(report.Resources, r => r is { Kind: "server", Outcome: "not launched" } && r.Id == failing);
        Assert.Contains(report.Resources, r => r is { Kind: "traffic-switch", Outcome: "switched" });
        Assert.All(report.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
    }

    [Fact]
    public async Task Simulate_WhenEveryCriticalServerFails_ShouldFailTheRunAndNotify()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout);
        var inbox = await NotificationInbox.SubscribeAsync(fixture.Aws, environment, Timeout);
        foreach (var id in fixture.Aws.Gateway.Drs.SourceServerIds)
        {
            fixture.Aws.Gateway.Drs.FailLaunchOf(id);
        }

        var report = await Simulate(environment);

        Assert.Equal(ReportOutcomes.Failed, report.Outcome);
        Assert.Contains(report.Checks, c => c.Name == "execution succeeded" && c.Detail.Contains("ServerRecoveryFailedException", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Steps, s => s.Name == "Switch traffic");
        var failure = await inbox.WaitForPhaseAsync("failure", Timeout);
        Assert.Contains("Error: ServerRecoveryFailedException: ", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WhenThePackagedPlanIsInvalid_ShouldFailBeforeAnyChange()
    {
        var invalidPlan = Path.Combine(Directory.CreateTempSubdirectory("failover-invalid-plan-").FullName, "plan.json");
        await File.WriteAllTextAsync(invalidPlan, (await File.ReadAllTextAsync(LocalEnvironment.PlanPath)).Replace("\"rds-instance-replica\"", "\"rds-instance-replca\"", StringComparison.Ordinal));
        var environment = await fixture.FreshEnvironmentAsync(Timeout, new LocalEnvironmentOptions { FunctionPlanPath = invalidPlan });

        // The trigger cannot start anything with an invalid plan either; an operator starts the run.
        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System)
            .StartAsync(new StartRequest { Mode = "failover", Reason = "invalid plan test" }, null, Timeout);

        Assert.Equal(ReportOutcomes.Blocked, report.Outcome);
        Assert.Contains(report.Checks, c => c.Name == "execution succeeded" && c.Detail.Contains("PlanInvalidException", StringComparison.Ordinal) && c.Detail.Contains("$.databases[0].kind", StringComparison.Ordinal));
        Assert.Equal(0, fixture.Aws.Gateway.Calls("PromoteReadReplica"));
        Assert.Equal(0, fixture.Aws.Gateway.Calls("StartRecovery"));
        Assert.Contains(report.Checks, c => c is { Name: "database orders-replica is standalone and writable", Passed: false });
    }

    [Fact]
    public async Task Simulate_WhenThePlanHasControlPlaneSwitches_ShouldInvertTheHealthCheckAndUpsertTheRecordUntilInSync()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout, new LocalEnvironmentOptions { ControlPlaneSwitches = true });

        var report = await Simulate(environment);

        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        Assert.All(report.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Contains(report.Checks, c => c.Name == "traffic switch orders-web-health-check set" && c.Detail.Contains("disabled True, inverted True", StringComparison.Ordinal));
        Assert.Contains(report.Checks, c => c.Name == "traffic switch orders-api-record set");
        // moto reports a record change INSYNC at once: Switch traffic's own look confirms it.
        Assert.Contains(report.Resources, r => r is { Kind: "traffic-switch", Id: "orders-api-record", Outcome: "switched" } && r.Detail.EndsWith("(INSYNC)", StringComparison.Ordinal));
        Assert.Equal(1, fixture.Aws.Gateway.Calls("UpdateHealthCheck"));
        Assert.Equal(1, fixture.Aws.Gateway.Calls("ChangeResourceRecordSets") - 2); // the deployment wrote the failover records and the api record
    }

    private static async Task<string> WritePlanAsync(RecoveryPlan plan)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("failover-plan-").FullName, "plan.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(plan, FailoverJson.Indented.RecoveryPlan), Timeout);
        return path;
    }

    private Task<RunReport> Simulate(DeployedEnvironment environment) =>
        new Simulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

    // The simulation's report, how many calls of the operation reached the local AWS meanwhile, and the whole seconds it took.
    private async Task<(RunReport Report, int Calls, int Seconds)> SimulateCountingAsync(DeployedEnvironment environment, string operation)
    {
        var before = fixture.Aws.Gateway.Calls(operation);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var report = await Simulate(environment);
        return (report, fixture.Aws.Gateway.Calls(operation) - before, (int)watch.Elapsed.TotalSeconds);
    }
}
