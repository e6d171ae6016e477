using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Failover.Aws;
using Failover.Aws.Adapters;
using Failover.Aws.Clients;
using Failover.Aws.Transport;
using Failover.Core;
using Failover.Core.Plans;
using Failover.Core.Reports;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Core.Triggers;
using Failover.Local.Models;

namespace Failover.Local;

/// <summary>Something that happened during a simulation, for live progress.</summary>
/// <param name="Offset">Time since the alarm was raised.</param>
/// <param name="Message">What happened.</param>
public sealed record SimulationProgress(TimeSpan Offset, string Message);

/// <summary>A notification as the subscribed queue received it.</summary>
public sealed record ReceivedNotification(string Subject, string Message, IReadOnlyDictionary<string, string> Attributes);

/// <summary>A whole local failover: raise the outage alarm, deliver its event as EventBridge would, follow the execution, check the end state.</summary>
public sealed class Simulation(LocalAws aws, DeployedEnvironment environment, TimeProvider clock)
{
    // How often the running execution is read to show its progress, and looked for before the trigger started it. Each
    // read is its whole history, which moto builds and encodes anew (40-180 ms at scale), and each look a listing, in the
    // one process the run's own calls need: read faster, the observer slows what it measures. A person follows phases
    // that last seconds.
    private static readonly TimeSpan FollowInterval = TimeSpan.FromSeconds(1);

    private readonly AwsClients _recovery = aws.Clients(environment.Plan.RecoveryRegion, clock);

    /// <summary>How long the execution may run before the simulation gives up.</summary>
    public TimeSpan ExecutionTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How the simulation answers a run that waits for approval: as an operator would with <c>failover approve</c>, in the
    /// open. Null: the simulation does not answer (the caller does, e.g. through <c>failover approve</c>).
    /// </summary>
    public SimulatedApproval? Approval { get; init; } = SimulatedApproval.Approve;

    // What the canary's real probe of the primary region met, for the end-state checks.
    private string? _probe;

    /// <summary>Runs the failover from the outage alarm and returns its report; the report's outcome says whether it held.</summary>
    public async Task<RunReport> RunAsync(IProgress<SimulationProgress>? progress, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        void Say(string message) => progress?.Report(new SimulationProgress(clock.GetElapsedTime(started), message));

        var day = environment.Day;
        _probe = await day.BeginOutageAsync(environment.Plan.Name, environment.Outage, cancellationToken);
        Say($"the primary region {environment.Plan.PrimaryRegion} went dark {OutageDay.OutageAge.TotalMinutes:0} minutes ago ({environment.Outage}); {_probe}");

        // CloudWatch evaluates the outage alarm on the canary's data; EventBridge delivers its change to ALARM to the Trigger
        // as it happens, while the day's other alarms are still being evaluated.
        var raised = 0;
        async Task DeliverAsync(ModelledAlarm alarm, AlarmEvaluation evaluation, CancellationToken ct)
        {
            if (evaluation.State != AlarmEvaluator.Alarm || !environment.Plan.Trigger.AlarmArns.Contains(alarm.AlarmArn))
            {
                return;
            }

            raised++;
            var alarmArn = Arn.Parse(alarm.AlarmArn);
            var described = (await aws.Clients(alarm.Region, clock).CloudWatch.DescribeAlarmsAsync([alarm.Alarm.AlarmName], ct)).Single();
            var alarmEvent = AlarmEvent(described, alarm.AlarmArn, alarmArn.Region, alarmArn.Account, described.StateUpdatedTimestamp ?? clock.GetUtcNow());
            var invoke = await _recovery.Lambda.InvokeAsync(environment.TriggerFunctionName, alarmEvent, "Event", ct);
            Say($"CloudWatch evaluated alarm {described.AlarmName} to {described.StateValue}: {evaluation.Reason}");
            Say($"EventBridge delivered the alarm event to {environment.TriggerFunctionName} (HTTP {invoke.StatusCode})");
        }

        var changes = await day.EvaluateAlarmsAsync(DeliverAsync, cancellationToken);
        if (raised == 0)
        {
            var outage = changes.Count == 0 ? "no alarm changed state" : string.Join("; ", changes.Select(c => $"{c.Alarm.Alarm.AlarmName} {c.Evaluation.State}: {c.Evaluation.Reason}"));
            throw new LocalAwsException($"the outage alarm did not evaluate to ALARM: {outage}");
        }

        var execution = await WaitForExecutionAsync(Say, cancellationToken);
        return await FollowAndReportAsync(execution.ExecutionArn, execution.Name, Say, cancellationToken);
    }

    /// <summary>Starts the state machine as an operator does (console, CLI) and returns the run's report.</summary>
    /// <param name="whileRunning">Called once with the execution ARN after it started (e.g. to stop it), while the simulation follows it.</param>
    public async Task<RunReport> StartAsync(StartRequest request, IProgress<SimulationProgress>? progress, CancellationToken cancellationToken, Func<string, CancellationToken, Task>? whileRunning = null)
    {
        var started = clock.GetTimestamp();
        void Say(string message) => progress?.Report(new SimulationProgress(clock.GetElapsedTime(started), message));
        var name = StartRequestRules.ManualExecutionName(environment.Plan, request.Mode, clock.GetUtcNow());
        var execution = await _recovery.StepFunctions.StartExecutionAsync(environment.StateMachineArn, name, JsonSerializer.Serialize(request, FailoverJson.Default.StartRequest), cancellationToken);
        var following = FollowAndReportAsync(execution.ExecutionArn, name, Say, cancellationToken);
        if (whileRunning is not null)
        {
            await whileRunning(execution.ExecutionArn, cancellationToken);
        }

        return await following;
    }

    private async Task<RunReport> FollowAndReportAsync(string executionArn, string executionName, Action<string> say, CancellationToken cancellationToken)
    {
        say($"execution {executionName} started");
        var (final, history) = await FollowAsync(executionArn, say, cancellationToken);
        say($"execution {final.Status}{(final.Error is null ? "" : $": {final.Error}")}");

        var snapshot = new ExecutionSnapshot(final, history);
        // One listing of the recovery region's DB instances serves the end-state checks and the critical-path bound: a
        // plan of hundreds is read in a few calls.
        var instances = (await _recovery.Rds.DescribeDBInstancesAsync(null, cancellationToken)).ToDictionary(i => i.DBInstanceIdentifier, StringComparer.Ordinal);
        var checks = (await CheckEndStateAsync(final, snapshot.Run, instances, cancellationToken)).Append(PayloadCheck(history)).ToList();
        // A drill scales nothing: DrillSimulation compares the groups' and services' sizes before and after.
        if (environment.Plan.Capacity.Count > 0 && snapshot.Run?.IsDrill != true)
        {
            checks.Add(await CapacityCheckAsync(snapshot.Run, history, cancellationToken));
        }

        var report = ExecutionReports.Build(snapshot, checks, await ServerResourcesAsync(cancellationToken));
        var bound = CriticalPath(report, instances.Values);
        return report with
        {
            Plan = environment.Plan.Name,
            Execution = report.Execution with { Drs = aws.Gateway.Drs.Observed },
            Simulation = new SimulationReport(bound.Seconds, bound.Path,
                report.RtoSeconds is { } rto && bound.Seconds > 0 ? Math.Round(rto / bound.Seconds, 3) : null),
        };
    }

    // The shortest RTO the models allow for this plan, with the servers each wave selected.
    private CriticalPathEstimate CriticalPath(RunReport report, Dictionary<string, DBInstance>.ValueCollection instances)
    {
        var withoutBackups = instances.Where(i => i.BackupRetentionPeriod is 0 or null).Select(i => i.DBInstanceIdentifier).ToHashSet(StringComparer.Ordinal);
        return CriticalPathBound.Compute(environment.Plan, [.. report.Waves.Select(w => w.Servers)], new LocalModels(aws.Gateway.RdsPromotions, aws.Gateway.AuroraGlobal.Settings, aws.Gateway.Drs, aws.Gateway.Capacity, aws.Gateway.AuroraReplicaClusters), withoutBackups, environment.Outage == OutageKind.Unreachable);
    }

    // Every capacity entry in service in the local AWS now (or, not critical, not in service as the run reports), and
    // traffic moved only after the capacity branch's last look: the first Switch traffic comes after the last Scale
    // compute.
    private async Task<CheckReport> CapacityCheckAsync(RunState? run, IReadOnlyList<HistoryEvent> history, CancellationToken cancellationToken)
    {
        var seen = new List<string>();
        var inService = true;
        foreach (var target in environment.Plan.Capacity)
        {
            var entry = run?.Capacity.FirstOrDefault(c => c.Id == target.Id);
            var goal = entry?.Target ?? target.PlannedSize;
            // A non-critical entry the run reports not in service must be so in the local AWS too (the run went on, partial).
            var notInService = entry is { Critical: false, Status: CapacityStatuses.NotInService };
            var (desired, reached) = target.Kind == CapacityKinds.EcsService
                ? (await _recovery.Ecs.DescribeServicesAsync(target.Cluster!, [target.Service!], cancellationToken)) is [var service, ..] ? (service.DesiredCount, service.RunningCount) : (0, 0)
                : (await _recovery.AutoScaling.DescribeAutoScalingGroupsAsync([target.Name!], cancellationToken)) is [var group, ..]
                    ? (group.DesiredCapacity, group.Instances.Count(i => i is { LifecycleState: "InService", HealthStatus: "Healthy" }))
                    : (0, 0);
            inService &= notInService ? reached < goal : reached >= goal;
            seen.Add($"{target.Id}: {reached} of {goal} in service (desired {desired}){(notInService ? ", reported not in service (not critical)" : "")}");
        }

        static string? NameOf(HistoryEvent e) => e.Details?["name"]?.GetValue<string>();
        var lastCapacityLook = history.LastOrDefault(e => e.Type == "TaskStateExited" && NameOf(e) == "Scale compute")?.Timestamp;
        var firstSwitch = history.FirstOrDefault(e => e.Type == "TaskStateEntered" && NameOf(e) == "Switch traffic")?.Timestamp;
        // Capacity Prepare found already in service needs no Scale compute step at all.
        var scaled = run?.Capacity.Any(c => c.StartedAt is not null) != false;
        var ordered = firstSwitch is { } moved && (lastCapacityLook is { } look ? moved >= look : !scaled);
        var order = firstSwitch is null ? "traffic was not switched"
            : lastCapacityLook is null ? scaled ? "no Scale compute step ran before traffic moved" : "the capacity was in service at Prepare: nothing to scale"
            : $"traffic switched {(firstSwitch.Value - lastCapacityLook.Value).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s after the last Scale compute";
        return new CheckReport("capacity in service before traffic moved", inService && ordered, $"{string.Join("; ", seen)}; {order}", "capacity-in-service");
    }

    // moto carries any payload: the model says whether Step Functions would have (States.DataLimitExceeded).
    private static CheckReport PayloadCheck(IReadOnlyList<HistoryEvent> history)
    {
        var measured = PayloadLimit.Measure(history);
        var over = measured.Where(p => p.OverLimit).ToList();
        return new CheckReport($"every payload within Step Functions' {PayloadLimit.MaxBytes / 1024} KiB", over.Count == 0,
            over.Count > 0 ? $"over the limit: {string.Join("; ", over.Take(5))}" : measured.Count == 0 ? "no payload" : $"largest {measured[0]}",
            "payload-within-limit");
    }

    // Per-server outcomes come from DRS itself: the execution keeps only a summary.
    private async Task<IReadOnlyList<ResourceReport>> ServerResourcesAsync(CancellationToken cancellationToken)
    {
        if (environment.Plan.Servers is null)
        {
            return [];
        }

        var servers = await _recovery.Drs.DescribeSourceServersAsync(null, cancellationToken);
        return [.. servers.Select(s => new ResourceReport("server", s.SourceServerID, s.RecoveryInstanceId is null ? "not launched" : "launched",
            s.RecoveryInstanceId is null ? $"last launch {s.LastLaunchResult ?? "none"}" : $"recovery instance {s.RecoveryInstanceId}"))];
    }

    /// <summary>Reads what the notification queue holds now (SNS envelopes unwrapped).</summary>
    public async Task<IReadOnlyList<ReceivedNotification>> ReadNotificationsAsync(CancellationToken cancellationToken)
    {
        var received = new List<ReceivedNotification>();
        while (true)
        {
            var batch = await _recovery.Sqs.ReceiveMessageAsync(environment.NotificationQueueUrl, 10, 1, cancellationToken);
            if (batch.Count == 0)
            {
                return received;
            }

            foreach (var message in batch)
            {
                var envelope = JsonNode.Parse(message.Body) as JsonObject ?? [];
                var attributes = (envelope["MessageAttributes"] as JsonObject ?? [])
                    .ToDictionary(kv => kv.Key, kv => kv.Value?["Value"]?.GetValue<string>() ?? "", StringComparer.Ordinal);
                received.Add(new ReceivedNotification(envelope["Subject"]?.GetValue<string>() ?? "", envelope["Message"]?.GetValue<string>() ?? "", attributes));
            }
        }
    }

    // The Trigger starts the execution once the alarm has stayed in ALARM for the plan's sustain period: that wait is
    // shown as a countdown, and the start is awaited for it plus 30 s.
    private async Task<DescribeExecutionResult> WaitForExecutionAsync(Action<string> say, CancellationToken cancellationToken)
    {
        var sustain = TimeSpan.FromSeconds(environment.Plan.Trigger.SustainSeconds);
        var allowed = sustain + TimeSpan.FromSeconds(30);
        var since = clock.GetUtcNow();
        var nextCountdown = sustain > TimeSpan.Zero ? since : DateTimeOffset.MaxValue;
        while (clock.GetUtcNow() - since < allowed)
        {
            // The trigger is deciding now, and its run's first steps follow at once: they have the local AWS to themselves.
            await Task.Delay(FollowInterval, clock, cancellationToken);
            var executions = await _recovery.StepFunctions.ListExecutionsAsync(environment.StateMachineArn, null, cancellationToken);
            if (executions.Count > 0)
            {
                return executions[0];
            }

            if (clock.GetUtcNow() >= nextCountdown && sustain - (clock.GetUtcNow() - since) is { } left && left > TimeSpan.Zero)
            {
                say($"the trigger waits until the alarm has stayed in ALARM for {sustain.TotalSeconds:0} s (sustainSeconds): {Math.Ceiling(left.TotalSeconds):0} s left");
                nextCountdown += TimeSpan.FromSeconds(5);
            }
        }

        throw new LocalAwsException($"no execution of {environment.StateMachineArn} started within {allowed.TotalSeconds:0} s of the alarm event (sustain {sustain.TotalSeconds:0} s + 30 s); see {environment.FunctionLogPath}");
    }

    // A run waiting at "Wait for approval" is answered as the team would: from the approval notification's token.
    private async Task AnswerApprovalAsync(SimulatedApproval approval, Action<string> say, CancellationToken cancellationToken)
    {
        while (true)
        {
            foreach (var notification in await ReadNotificationsAsync(cancellationToken))
            {
                if (notification.Attributes.GetValueOrDefault("phase") == "approval" && NotificationService.TaskTokenOf(notification.Message) is { } token)
                {
                    foreach (var loss in notification.Message.Split('\n').Where(l => l.TrimStart().StartsWith("approving accepts", StringComparison.Ordinal)))
                    {
                        say($"the approval request says: {loss.Trim()}");
                    }

                    var (verb, command) = approval.Reject
                        ? ("rejects", $"failover approve --reject --token … --by \"{approval.By}\" --reason \"{approval.Reason}\"")
                        : ("approves", $"failover approve --token … --by \"{approval.By}\"");
                    say($"the approval request reached the team ({notification.Subject}); {approval.By} {verb}: {command}");
                    await ApprovalDecisions.SendAsync(_recovery.StepFunctions, token, approval.Reject, approval.By, approval.Reason, clock, cancellationToken);
                    return;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), clock, cancellationToken);
        }
    }

    private async Task<(DescribeExecutionResult Final, IReadOnlyList<HistoryEvent> History)> FollowAsync(string executionArn, Action<string> say, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + ExecutionTimeout;
        var shown = new Dictionary<string, PhaseLine>(StringComparer.Ordinal);
        var answered = false;
        while (true)
        {
            DescribeExecutionResult describe;
            IReadOnlyList<HistoryEvent> history;
            try
            {
                describe = await _recovery.StepFunctions.DescribeExecutionAsync(executionArn, cancellationToken);
                history = await _recovery.StepFunctions.GetExecutionHistoryAsync(executionArn, cancellationToken);
            }
            catch (AwsTransientException) when (clock.GetUtcNow() < deadline)
            {
                // moto answers 500 now and then while its engine thread writes the history being read;
                // a poller just reads again.
                await Task.Delay(TimeSpan.FromMilliseconds(200), clock, cancellationToken);
                continue;
            }

            // The phases an operator follows (as failover status --watch shows them), one line per change.
            var phases = ExecutionPhases.From(new ExecutionSnapshot(describe, history));
            foreach (var line in phases.Where(l => l.Status != PhaseStatuses.Pending && (!shown.TryGetValue(l.Phase, out var before) || before != l)))
            {
                shown[line.Phase] = line;
                say($"{line.Phase,-9} {line.Status,-8} {line.Detail}".TrimEnd());
            }

            if (!answered && Approval is { } approval && describe.Status == "RUNNING" && history.Any(e => e.Type == "TaskStateEntered" && e.Details?["name"]?.GetValue<string>() == "Wait for approval"))
            {
                await AnswerApprovalAsync(approval, say, cancellationToken);
                answered = true;
            }

            if (describe.Status != "RUNNING")
            {
                return (describe, history);
            }

            if (clock.GetUtcNow() > deadline)
            {
                throw new LocalAwsException($"execution {describe.Name} still RUNNING after {ExecutionTimeout.TotalSeconds:0} s");
            }

            await Task.Delay(FollowInterval, clock, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<CheckReport>> CheckEndStateAsync(
        DescribeExecutionResult final, RunState? run, Dictionary<string, DBInstance> instances, CancellationToken cancellationToken)
    {
        var checks = new List<CheckReport> { new("execution succeeded", final.Status == "SUCCEEDED", $"status {final.Status}{(final.Error is null ? "" : $" ({final.Error}: {final.Cause})")}", "execution-succeeded") };
        checks.AddRange(await DayChecksAsync(final, run, cancellationToken));
        foreach (var db in environment.Plan.Databases)
        {
            if (db.Kind == DatabaseKinds.AuroraGlobal)
            {
                checks.Add(await AuroraDeployment.CheckWriterAsync(_recovery, db, cancellationToken));
                continue;
            }

            if (db.Kind == DatabaseKinds.AuroraClusterReplica)
            {
                checks.Add(await AuroraDeployment.CheckStandaloneAsync(_recovery, db, cancellationToken));
                continue;
            }

            if (!instances.TryGetValue(db.Id, out var instance))
            {
                checks.Add(new($"database {db.Id} is standalone and writable", false, "no such DB instance in the recovery region", $"database-writable:{db.Id}"));
                continue;
            }

            var standalone = instance.ReadReplicaSourceDBInstanceIdentifier is null && instance.DBInstanceStatus == "available";
            checks.Add(new($"database {db.Id} is standalone and writable", standalone,
                $"status {instance.DBInstanceStatus}, replica source {instance.ReadReplicaSourceDBInstanceIdentifier ?? "none"}", $"database-writable:{db.Id}"));
        }

        var now = clock.GetUtcNow();
        var primary = aws.Clients(environment.Plan.PrimaryRegion, clock);
        foreach (var sw in environment.Plan.Switches)
        {
            if (sw.Kind == SwitchKinds.HealthCheckInvert)
            {
                var check = await primary.Route53.GetHealthCheckAsync(sw.HealthCheckId!, cancellationToken);
                checks.Add(new($"traffic switch {sw.Id} set", check is { Disabled: true, Inverted: true }, $"health check {check.Id}: disabled {check.Disabled}, inverted {check.Inverted}", $"traffic-switch-set:{sw.Id}"));
                continue;
            }

            if (sw.Kind == SwitchKinds.RecordUpsert)
            {
                var record = sw.Record!;
                var sets = await primary.Route53.ListResourceRecordSetsAsync(sw.HostedZoneId!, record.Name, record.Type, 1, cancellationToken);
                var answers = sets.Where(r => r.Name == record.Name && r.Type == record.Type).SelectMany(r => r.ResourceRecords.Select(v => v.Value)).ToList();
                checks.Add(new($"traffic switch {sw.Id} set", answers.SequenceEqual(record.Values), $"{record.Name} {record.Type} = {string.Join(",", answers)}", $"traffic-switch-set:{sw.Id}"));
                continue;
            }

            var series = await _recovery.CloudWatch.GetMetricDataAsync(
                [new MetricDataQuery("switch", sw.Namespace, sw.MetricName, sw.Dimensions, 60, "Maximum")], now.AddMinutes(-10), now.AddMinutes(1), cancellationToken);
            var values = series.SelectMany(s => s.Values).ToList();
            var set = values.Count > 0 && values.Max() >= sw.FailoverValue;
            checks.Add(new($"traffic switch {sw.Id} set", set,
                values.Count == 0 ? "no datapoint on the switch metric" : $"{sw.Namespace}/{sw.MetricName} max {values.Max().ToString(CultureInfo.InvariantCulture)}", $"traffic-switch-set:{sw.Id}"));
        }

        if (environment.Plan.Servers is not null)
        {
            var servers = await _recovery.Drs.DescribeSourceServersAsync(null, cancellationToken);
            var launched = servers.Count(s => s.RecoveryInstanceId is not null);
            // The run may report some servers failed (partial): DRS must show exactly what the run reports.
            var reported = run?.Servers is { Outcome: not ServerOutcomes.Pending } summary ? summary.Launched : servers.Count;
            checks.Add(new("DRS source servers launched as reported", launched == reported && reported > 0,
                $"{launched} of {servers.Count} source servers have a recovery instance; the run reports {reported} launched", "drs-launched-as-reported"));
        }

        // A failure notification comes from the execution status rule after the execution ended: wait for it a while.
        var expected = final.Status == "SUCCEEDED" ? "end" : "failure";
        var notifications = new List<ReceivedNotification>();
        var waitUntil = clock.GetUtcNow() + TimeSpan.FromSeconds(30);
        bool Delivered() => notifications.Any(n => n.Attributes.GetValueOrDefault("phase") == expected && n.Attributes.GetValueOrDefault("plan") == environment.Plan.Name);
        do
        {
            notifications.AddRange(await ReadNotificationsAsync(cancellationToken));
        }
        while (!Delivered() && expected == "failure" && clock.GetUtcNow() < waitUntil);

        var delivered = Delivered();
        checks.Add(new($"{expected} notification delivered", delivered,
            notifications.Count == 0 ? "the subscribed queue received nothing" : string.Join("; ", notifications.Select(n => n.Subject)), $"{expected}-notification-delivered"));
        return checks;
    }

    // What only the day can tell: that the run met a dark primary region, and what Route 53 answers now and a day later
    // with nobody publishing anything.
    private async Task<IReadOnlyList<CheckReport>> DayChecksAsync(DescribeExecutionResult final, RunState? run, CancellationToken cancellationToken)
    {
        var checks = new List<CheckReport>();
        var plan = environment.Plan;
        if (_probe is { } probe)
        {
            var refused = aws.Gateway.RefusedCalls(plan.PrimaryRegion);
            checks.Add(environment.Outage == OutageKind.DatabaseImpaired
                ? new($"the primary region's databases were impaired", aws.Gateway.Outage is { Kind: OutageKind.DatabaseImpaired },
                    $"{plan.PrimaryRegion}'s API answered while its databases were impaired; {probe}", "primary-database-impaired")
                : new($"the run met an unreachable primary region", refused > 0 && aws.Gateway.Outage?.Region == plan.PrimaryRegion,
                    $"{refused} call(s) to {plan.PrimaryRegion} went unanswered ({environment.Outage}); {probe}", "primary-region-unreachable"));
        }

        var drill = run?.IsDrill == true;
        if (final.Status != "SUCCEEDED" || !environment.SwitchRecordNames.Any())
        {
            return checks;
        }

        var now = clock.GetUtcNow();
        foreach (var (label, at, id) in drill
            ? [("now", now, "dns-answers-primary")]
            : new[] { ("now", now, "dns-answers-recovery"), ("24 hours later, with nobody publishing", now.AddHours(24), "dns-still-recovery-after-24h") })
        {
            var expected = drill ? plan.PrimaryRegion : plan.RecoveryRegion;
            var answers = new List<string>();
            var held = true;
            foreach (var (switchId, name) in environment.SwitchRecordNames)
            {
                var answer = await environment.Day.ResolveAsync(environment.HostedZoneId, name, "CNAME", at, cancellationToken);
                held &= answer is not null && answer.Values.All(v => v.Contains($".{expected}.", StringComparison.Ordinal));
                answers.Add(answer is null ? $"{name}: no answer" : $"{name} → {string.Join(",", answer.Values)} (TTL {answer.Ttl} s: resolvers may keep the old answer that long; {answer.Why})");
            }

            checks.Add(new($"DNS answers with the {(drill ? "primary" : "recovery")} region {label}", held, string.Join("; ", answers), id));
        }

        return checks;
    }

    /// <summary>The EventBridge "CloudWatch Alarm State Change" event for an alarm that just entered ALARM.</summary>
    private static string AlarmEvent(MetricAlarm alarm, string alarmArn, string region, string account, DateTimeOffset stateTime)
    {
        static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);
        var evt = new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = "CloudWatch Alarm State Change",
            ["source"] = "aws.cloudwatch",
            ["account"] = account,
            ["time"] = stateTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["region"] = region,
            ["resources"] = new JsonArray(alarmArn),
            ["detail"] = new JsonObject
            {
                ["alarmName"] = alarm.AlarmName,
                ["state"] = new JsonObject { ["value"] = "ALARM", ["reason"] = alarm.StateReason ?? "", ["timestamp"] = Stamp(stateTime) },
                ["previousState"] = new JsonObject { ["value"] = "OK", ["reason"] = "", ["timestamp"] = Stamp(stateTime.AddMinutes(-5)) },
                ["configuration"] = new JsonObject { ["description"] = "primary region outage" },
            },
        };
        return evt.ToJsonString();
    }
}

/// <summary>How a simulation answers an approval request.</summary>
/// <param name="Reject">Reject: the run fails at "Wait for approval" before anything changed.</param>
/// <param name="By">Who decides, as recorded in the run.</param>
/// <param name="Reason">Why.</param>
public sealed record SimulatedApproval(bool Reject, string By, string Reason)
{
    /// <summary>The default: approve, as the simulation.</summary>
    public static SimulatedApproval Approve { get; } = new(false, "failover simulate", "approved in the simulation");
}
