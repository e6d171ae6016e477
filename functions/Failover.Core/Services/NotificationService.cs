using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Reports;
using Failover.Core.Runs;

namespace Failover.Core.Services;

/// <summary>Writes and sends the team's notifications: each phase of a run, and the end of a run that did not succeed.</summary>
public sealed class NotificationService(RecoveryPlan plan, INotificationPublisher publisher)
{
    /// <summary>SNS rejects subjects of 100 characters or more.</summary>
    public const int MaxSubjectLength = 99;

    /// <summary>Value of the "phase" attribute of the notification of a run that ended without succeeding.</summary>
    public const string FailurePhase = "failure";

    // The approval request's line that carries the task token; TaskTokenOf reads it back.
    private const string ApproveCommandPrefix = "approve: failover approve --token ";

    /// <summary>The task token an approval request's message carries (<see cref="NotificationEvents.ApprovalRequested"/>); null in any other message.</summary>
    public static string? TaskTokenOf(string message) =>
        message.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.StartsWith(ApproveCommandPrefix, StringComparison.Ordinal)) is { } line
            ? line[ApproveCommandPrefix.Length..].Split(' ')[0]
            : null;

    /// <summary>Publishes the notification for <paramref name="request"/> and returns its message id.</summary>
    public async Task<string> NotifyAsync(NotifyRequest request, CancellationToken cancellationToken) =>
        await publisher.PublishAsync(Compose(plan, request), cancellationToken);

    /// <summary>Publishes the failure notification of an execution that ended unsuccessfully and returns its message id.</summary>
    public async Task<string> NotifyEndedAsync(ExecutionDetails execution, string? failedStep, DrillCleanup? cleanup, CancellationToken cancellationToken) =>
        await publisher.PublishAsync(ComposeEnded(plan, execution, failedStep, cleanup), cancellationToken);

    /// <summary>Builds subject, body and attributes for a phase of a run; an event that names no phase is refused.</summary>
    public static Notification Compose(RecoveryPlan plan, NotifyRequest request)
    {
        var phase = Phase(request.Event);
        var state = request.State;
        var mode = state.Run?.Mode ?? state.Request?.Mode ?? RunModes.Failover;
        var run = state.Run ?? new RunState { Plan = plan.Name, Mode = mode, Reason = state.Request?.Reason ?? "", Trigger = state.Request?.Trigger };
        var outcome = Outcome(request.Event, run);
        var subject = Clean($"[Failover] {plan.Name} {mode} {request.Event}{(outcome == request.Event || outcome == "succeeded" ? "" : $" ({outcome})")}");
        var body = new StringBuilder();
        body.AppendLine(CultureInfo.InvariantCulture, $"Plan {plan.Name}: {mode} {request.Event}, outcome {outcome}.");
        DescribeRun(body, run);
        if (request.Event == NotificationEvents.ApprovalRequested)
        {
            var token = request.TaskToken ?? throw new InvalidRunInputException("an approval request needs the task token ($$.Task.Token)");
            body.AppendLine("Nothing has changed yet. The run waits for your decision:");
            foreach (var loss in run.DataLossToApprove)
            {
                body.AppendLine(CultureInfo.InvariantCulture, $"  approving accepts losing data: {loss}");
            }

            body.AppendLine(CultureInfo.InvariantCulture, $"  {ApproveCommandPrefix}{token} --by YOUR-NAME");
            body.AppendLine(CultureInfo.InvariantCulture, $"  reject:  failover approve --reject --token {token} --by YOUR-NAME --reason WHY");
            body.AppendLine(CultureInfo.InvariantCulture, $"  (or aws stepfunctions send-task-success --task-token {token} --task-output '{{\"approvedBy\":\"YOUR-NAME\"}}')");
        }

        return new Notification(subject, body.ToString(), Attributes(plan, mode, phase, outcome));
    }

    /// <summary>
    /// Builds the failure notification of an execution that ended FAILED, TIMED_OUT or ABORTED: the step it ended in,
    /// the error, what had already changed, a drill's cleanup, and how to go on. Its outcome is the run report's
    /// (<see cref="ReportBuilder.Outcome"/>): "blocked" when the run was refused before any change, else "failed".
    /// </summary>
    public static Notification ComposeEnded(RecoveryPlan plan, ExecutionDetails execution, string? failedStep, DrillCleanup? cleanup)
    {
        var mode = execution.Run?.Mode ?? execution.Mode ?? RunModes.Failover;
        var run = execution.Run ?? new RunState { Plan = plan.Name, Mode = mode, Reason = execution.Reason ?? "" };
        var outcome = ReportBuilder.Outcome(execution.Status, execution.Error, run, []);
        var ended = outcome == ReportOutcomes.Blocked ? "blocked" : execution.Status switch
        {
            ExecutionStatuses.TimedOut => "timed out",
            ExecutionStatuses.Aborted => "stopped",
            _ => "failed",
        };
        var where = failedStep is null ? "" : $" at {failedStep}";
        var subject = Clean($"[Failover] {plan.Name} {mode} {ended}{where}");
        var body = new StringBuilder();
        body.AppendLine(CultureInfo.InvariantCulture, $"Plan {plan.Name}: {mode} {ended}{where}, outcome {outcome}. Execution {execution.Name} is {execution.Status}.");
        if (execution.Error is { } error)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"Error: {error}: {Message(execution.Cause)}");
        }

        var changes = Changes(run);
        body.AppendLine(changes.Count == 0 ? "Already changed: nothing." : $"Already changed: {string.Join("; ", changes)}.");
        DescribeRun(body, run);
        if (cleanup is not null)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"Drill cleanup: removed {(cleanup.Removed.Count == 0 ? "nothing" : string.Join(", ", cleanup.Removed))}.");
            if (cleanup.Problems.Count > 0)
            {
                body.AppendLine(CultureInfo.InvariantCulture, $"Drill cleanup left: {string.Join("; ", cleanup.Problems)}. Remove it with 'failover drill cleanup'.");
            }
        }

        body.AppendLine(NextStep(execution, failedStep, outcome, mode));
        return new Notification(subject, body.ToString(), Attributes(plan, mode, FailurePhase, outcome));
    }

    // What an operator does next. A redrive continues from the step that failed with the same input and does not
    // run the steps that succeeded again (redrive-executions.html); a drill's resources are gone once it ended.
    private static string NextStep(ExecutionDetails execution, string? failedStep, string outcome, string mode)
    {
        var redrive = $"aws stepfunctions redrive-execution --execution-arn {execution.ExecutionArn}";
        if (mode == RunModes.Drill)
        {
            return "Next: the drill's resources were removed; once the cause is fixed, start a new drill.";
        }

        return outcome == ReportOutcomes.Blocked
            ? $"Next: nothing was changed. Once what blocked the run is fixed, redrive it ({redrive}) to check again with the same input, or start a new run."
            : $"Next: fix the cause, then redrive from {failedStep ?? "the step that failed"} ({redrive}); the steps that succeeded are not run again.";
    }

    // Changes to resources the run made before it ended (a drill changes only what it created).
    private static List<string> Changes(RunState run)
    {
        var changes = new List<string>();
        foreach (var db in run.Databases)
        {
            if (db.DrillCopyId is { } copy)
            {
                changes.Add($"drill copy {copy} of database {db.Id} created");
            }
            else if (db.Status == DatabaseStatuses.Writable && db.PromotionStartedAt is not null)
            {
                changes.Add($"database {db.Id} promoted ({db.Action})");
            }
            else if (db.PromotionStartedAt is not null)
            {
                changes.Add($"database {db.Id} promotion requested ({db.Action}; now {db.Status}: {db.Detail})");
            }
        }

        if (run.Servers is { } servers && servers.Jobs.Count > 0)
        {
            var kind = run.IsDrill ? "drill instances of " : "";
            changes.Add(servers.Launched > 0
                ? $"{kind}{servers.Launched} DRS source servers launched in {JobsOrWaves(servers)}"
                : $"{servers.Jobs.Count} DRS recovery job(s) started");
        }

        foreach (var capacity in run.Capacity.Where(c => c.StartedAt is not null))
        {
            changes.Add($"capacity {capacity.Id} scaled up to {capacity.Target} ({capacity.Reached} in service, {capacity.Status})");
        }

        foreach (var sw in run.Switches.Where(s => s.Status is SwitchStatuses.Switched or SwitchStatuses.Propagating))
        {
            changes.Add($"traffic switch {sw.Id} {sw.Status}");
        }

        return changes;
    }

    // The Lambda runtime reports a task's failure as its error document; its errorMessage is what a person reads.
    private static string Message(string? cause)
    {
        if (cause is null)
        {
            return "(no cause given)";
        }

        try
        {
            return JsonNode.Parse(cause) is JsonObject document && document["errorMessage"] is JsonValue message && message.TryGetValue<string>(out var text) ? text : cause;
        }
        catch (JsonException)
        {
            return cause;
        }
    }

    private static void DescribeRun(StringBuilder body, RunState run)
    {
        var figures = RecoveryFigures.From(run);
        if (run.Reason.Length > 0)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"Reason: {run.Reason}");
        }

        if (run.Trigger is { } trigger)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"Triggered by alarm {trigger.AlarmName} at {trigger.AlarmTime:O}");
        }

        foreach (var db in run.Databases)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"Database {db.Id}: {db.Status} ({db.Detail}); data at risk {(db.Rpo is null ? "not read" : $"{(db.Rpo.Seconds is null ? "unknown" : Seconds(db.Rpo.Seconds))} ({db.Rpo.Evidence})")}");
        }

        if (run.Servers is { } servers)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"Servers: {servers.Outcome}; {servers.Launched} launched, {servers.Failed} failed of {servers.Total} in {(servers.Waves.Count > 1 ? JobsOrWaves(servers) : $"{servers.Jobs.Count} DRS job(s)")}; replication lag at start {(servers.LagSeconds is null ? "unknown" : Seconds(servers.LagSeconds))}");
            if (servers.FailedServerIds.Count > 0)
            {
                body.AppendLine(CultureInfo.InvariantCulture, $"Failed servers: {string.Join(", ", servers.FailedServerIds)}{(servers.Failed > servers.FailedServerIds.Count ? ", …" : "")}");
            }

            foreach (var wave in servers.Waves)
            {
                var took = wave is { StartedAt: { } start, CompletedAt: { } end } ? $", launched in {Seconds((end - start).TotalSeconds)}" : ", still launching";
                var failedIds = wave.FailedServerIds.Count > 0 ? $" (failed: {string.Join(", ", wave.FailedServerIds)}{(wave.Failed > wave.FailedServerIds.Count ? ", …" : "")})" : "";
                body.AppendLine(CultureInfo.InvariantCulture, $"Wave {wave.Name}: {wave.Outcome}; {wave.Launched} launched, {wave.Failed} failed of {wave.Total}; started {wave.StartedAt:O}{took}{failedIds}");
            }
        }

        foreach (var capacity in run.Capacity)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"Capacity {capacity.Id}: {capacity.Status}; {capacity.Reached} of {capacity.Target} in service ({capacity.Detail})");
        }

        foreach (var sw in run.Switches)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"Traffic switch {sw.Id}: {sw.Status} ({sw.Detail})");
        }

        var promotedUnknown = figures.RpoSeconds is null && run.Databases.Any(d => d.PromotionStartedAt is not null);
        body.AppendLine(CultureInfo.InvariantCulture, $"RTO: {Seconds(figures.RtoSeconds)}; RPO: {(promotedUnknown ? "unknown" : Seconds(figures.RpoSeconds))}");
    }

    private static Dictionary<string, string> Attributes(RecoveryPlan plan, string mode, string phase, string outcome) => new()
    {
        ["plan"] = plan.Name,
        ["mode"] = mode,
        ["phase"] = phase,
        ["outcome"] = outcome,
    };

    // A failure is no phase the state machine announces: it comes from the execution status rule (ComposeEnded).
    private static string Phase(string notificationEvent) => notificationEvent switch
    {
        NotificationEvents.Started => "start",
        NotificationEvents.ApprovalRequested => "approval",
        NotificationEvents.Recovered => "recovery",
        NotificationEvents.TrafficSwitched => "traffic",
        NotificationEvents.Succeeded => "end",
        _ => throw new InvalidRunInputException(
            $"event '{notificationEvent}' is not a phase of a run; expected {NotificationEvents.Started}, {NotificationEvents.ApprovalRequested}, {NotificationEvents.Recovered}, {NotificationEvents.TrafficSwitched} or {NotificationEvents.Succeeded}"),
    };

    // Partial when the run went on past something that did not work.
    private static string Outcome(string notificationEvent, RunState run) => notificationEvent switch
    {
        NotificationEvents.Started => NotificationEvents.Started,
        NotificationEvents.ApprovalRequested => "waiting",
        _ when run.HasFindings => ReportOutcomes.Partial,
        _ => NotificationEvents.Succeeded,
    };

    // The run keeps the jobs of its current wave only: across several waves, count waves.
    private static string JobsOrWaves(ServersRun servers) => servers.Waves.Count > 1 ? $"{servers.Waves.Count} waves" : $"{servers.Jobs.Count} job(s)";

    private static string Seconds(double? value) => value switch
    {
        null => "n/a",
        _ => value.Value.ToString("0.###", CultureInfo.InvariantCulture) + " s",
    };

    private static string Clean(string subject)
    {
        var printable = new string([.. subject.Where(c => !char.IsControl(c))]);
        return printable.Length > MaxSubjectLength ? printable[..(MaxSubjectLength - 1)] + "…" : printable;
    }
}
