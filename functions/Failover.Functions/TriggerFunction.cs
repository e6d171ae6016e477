using Failover.Core;
using Failover.Core.Triggers;

namespace Failover.Functions;

/// <summary>
/// Trigger: decides on a CloudWatch alarm state change delivered by EventBridge or by SNS, and starts the
/// failover at most once per decision window.
/// </summary>
public sealed class TriggerFunction
{
    private readonly FunctionHost _host;

    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public TriggerFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <summary>Used by the local gateway and tests.</summary>
    public TriggerFunction(FunctionHost host) => _host = host;

    /// <summary>Lambda entry point (Stream in, Stream out).</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        using var deadline = _host.InvocationDeadline();
        return await InvokeAsync(input, deadline.Token);
    }

    /// <summary>
    /// Handles one event and writes one JSON log line with the decision. Ignored and rejected events return
    /// normally; failures to read or start (throttling, 5xx) are logged and thrown so the event is retried
    /// (and, once retries are spent, kept by the dead-letter queue).
    /// </summary>
    public async Task<Stream> InvokeAsync(Stream input, CancellationToken cancellationToken)
    {
        var trigger = _host.Trigger ?? throw new InvalidOperationException("STATE_MACHINE_ARN is not set for the Trigger function.");
        using var reader = new StreamReader(input);
        TriggerDecision decision;
        try
        {
            decision = await trigger.DecideAsync(await reader.ReadToEndAsync(cancellationToken), cancellationToken);
        }
        catch (Exception ex)
        {
            _host.Log.Write("ERROR", "trigger decision failed; the event will be delivered again", [new("function", nameof(TriggerFunction)), new("error", ex.GetType().Name), new("detail", ex.Message)]);
            throw;
        }

        _host.Log.Write("INFO", "trigger decision",
        [
            new("alarm", decision.Alarm), new("state", decision.State), new("decision", decision.Decision),
            new("reason", decision.Reason), new("executionName", decision.ExecutionName), new("delivery", decision.Delivery),
        ]);
        var output = new MemoryStream();
        await System.Text.Json.JsonSerializer.SerializeAsync(output, decision, FailoverJson.Default.TriggerDecision, cancellationToken);
        output.Position = 0;
        return output;
    }
}
