using System.Globalization;
using System.Text;
using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Runs;

namespace Failover.Core.Services;

/// <summary>Writes and sends the team's notifications.</summary>
public sealed class NotificationService(RecoveryPlan plan, INotificationPublisher publisher)
{
    /// <summary>SNS rejects subjects of 100 characters or more.</summary>
    public const int MaxSubjectLength = 99;

    /// <summary>Publishes the notification for <paramref name="request"/> and returns its message id.</summary>
    public async Task<string> NotifyAsync(NotifyRequest request, CancellationToken cancellationToken) =>
        await publisher.PublishAsync(Compose(plan, request), cancellationToken);

    /// <summary>Builds subject, body and attributes for an event of a run.</summary>
    public static Notification Compose(RecoveryPlan plan, NotifyRequest request)
    {
        var state = request.State;
        var mode = state.Run?.Mode ?? state.Request?.Mode ?? RunModes.Failover;
        var run = state.Run ?? new RunState { Plan = plan.Name, Mode = mode, Reason = state.Request?.Reason ?? "", Trigger = state.Request?.Trigger };
        var figures = RecoveryFigures.From(run);
        var outcome = Outcome(request.Event, run, state.Error);
        var subject = Clean($"[Failover] {plan.Name} {mode} {request.Event}{(outcome == request.Event || outcome == "succeeded" ? "" : $" ({outcome})")}");
        var body = new StringBuilder();
        body.AppendLine(CultureInfo.InvariantCulture, $"Plan {plan.Name}: {mode} {request.Event}, outcome {outcome}.");
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
            body.AppendLine(CultureInfo.InvariantCulture, $"Servers: {servers.Outcome}; {servers.Launched} launched, {servers.Failed} failed of {servers.Total} in {servers.Jobs.Count} DRS job(s); replication lag at start {Seconds(servers.LagSeconds)}");
            if (servers.FailedServerIds.Count > 0)
            {
                body.AppendLine(CultureInfo.InvariantCulture, $"Failed servers: {string.Join(", ", servers.FailedServerIds)}{(servers.Failed > servers.FailedServerIds.Count ? ", …" : "")}");
            }
        }

        foreach (var sw in run.Switches)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"Traffic switch {sw.Id}: {sw.Status} ({sw.Detail})");
        }

        var promotedUnknown = figures.RpoSeconds is null && run.Databases.Any(d => d.PromotionStartedAt is not null);
        body.AppendLine(CultureInfo.InvariantCulture, $"RTO: {Seconds(figures.RtoSeconds)}; RPO: {(promotedUnknown ? "unknown" : Seconds(figures.RpoSeconds))}");
        if (request.Event == NotificationEvents.ApprovalRequested)
        {
            var token = request.TaskToken ?? throw new InvalidRunInputException("an approval request needs the task token ($$.Task.Token)");
            body.AppendLine("Nothing has changed yet. The run waits for your decision:");
            foreach (var loss in run.DataLossToApprove)
            {
                body.AppendLine(CultureInfo.InvariantCulture, $"  approving accepts losing data: {loss}");
            }

            body.AppendLine(CultureInfo.InvariantCulture, $"  approve: failover approve --token {token} --by YOUR-NAME");
            body.AppendLine(CultureInfo.InvariantCulture, $"  reject:  failover approve --reject --token {token} --by YOUR-NAME --reason WHY");
            body.AppendLine(CultureInfo.InvariantCulture, $"  (or aws stepfunctions send-task-success --task-token {token} --task-output '{{\"approvedBy\":\"YOUR-NAME\"}}')");
        }

        if (state.Error is { } error)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"Error: {error.Error}: {error.Cause}");
        }

        var attributes = new Dictionary<string, string>
        {
            ["plan"] = plan.Name,
            ["mode"] = mode,
            ["phase"] = Phase(request.Event),
            ["outcome"] = outcome,
        };
        return new Notification(subject, body.ToString(), attributes);
    }

    private static string Phase(string notificationEvent) => notificationEvent switch
    {
        NotificationEvents.Started => "start",
        NotificationEvents.ApprovalRequested => "approval",
        NotificationEvents.Recovered => "recovery",
        NotificationEvents.TrafficSwitched => "traffic",
        NotificationEvents.Failed => "failure",
        _ => "end",
    };

    // Partial when some servers failed; blocked when the run stopped before changing anything.
    private static string Outcome(string notificationEvent, RunState run, StepError? error) => notificationEvent switch
    {
        NotificationEvents.Failed when error?.Error is nameof(ReadinessFailedException) or nameof(RpoGateBlockedException) or nameof(InvalidRunInputException) => "blocked",
        NotificationEvents.Failed => NotificationEvents.Failed,
        NotificationEvents.Started => NotificationEvents.Started,
        NotificationEvents.ApprovalRequested => "waiting",
        _ when run.HasFindings => "partial",
        _ => NotificationEvents.Succeeded,
    };

    private static string Seconds(double? value) => value switch
    {
        null => "n/a",
        < 0 => "unknown",
        _ => value.Value.ToString("0.###", CultureInfo.InvariantCulture) + " s",
    };

    private static string Clean(string subject)
    {
        var printable = new string([.. subject.Where(c => !char.IsControl(c))]);
        return printable.Length > MaxSubjectLength ? printable[..(MaxSubjectLength - 1)] + "…" : printable;
    }
}
