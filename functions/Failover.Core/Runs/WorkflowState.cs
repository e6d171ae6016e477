namespace Failover.Core.Runs;

/// <summary>
/// The state machine's document: the execution input, the substituted timings and the run once Prepare has made
/// it. No state catches a failure, so the document never carries an error: a failed run ends at its step.
/// </summary>
public sealed record WorkflowState
{
    /// <summary>The execution input; null when the document carries none.</summary>
    public StartRequest? Request { get; set; }

    /// <summary>The substituted timings (kept as they are).</summary>
    public System.Text.Json.Nodes.JsonObject? Settings { get; init; }

    /// <summary>The run Prepare made; null before Prepare (or when it refused the run).</summary>
    public RunState? Run { get; set; }
}
