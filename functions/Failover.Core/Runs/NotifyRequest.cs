namespace Failover.Core.Runs;

/// <summary>Input of the Notify task: which event to announce, and the whole workflow state.</summary>
public sealed record NotifyRequest
{
    /// <summary><see cref="NotificationEvents"/>.</summary>
    public string Event { get; set; } = "";

    /// <summary>The whole workflow document, from which the message is written.</summary>
    public WorkflowState State { get; set; } = new();

    /// <summary>Approval requests: the task token that SendTaskSuccess or SendTaskFailure answers.</summary>
    public string? TaskToken { get; set; }
}
