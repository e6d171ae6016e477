using Failover.Core;
using Failover.Core.Triggers;

namespace Failover.Functions;

/// <summary>Trigger: decides on a CloudWatch alarm state change delivered by EventBridge, and starts the failover at most once.</summary>
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

    /// <summary>Handles one event. Ignored and rejected events return normally; failures to start throw so the event is retried.</summary>
    public async Task<Stream> InvokeAsync(Stream input, CancellationToken cancellationToken)
    {
        var trigger = _host.Trigger ?? throw new InvalidOperationException("STATE_MACHINE_ARN is not set for the Trigger function.");
        using var reader = new StreamReader(input);
        var decision = await trigger.DecideAsync(await reader.ReadToEndAsync(cancellationToken), cancellationToken);
        _host.Log.Write("INFO", "trigger decision",
        [
            new("alarm", decision.Alarm), new("state", decision.State), new("decision", decision.Decision),
            new("reason", decision.Reason), new("executionName", decision.ExecutionName),
        ]);
        var output = new MemoryStream();
        await System.Text.Json.JsonSerializer.SerializeAsync(output, decision, FailoverJson.Default.TriggerDecision, cancellationToken);
        output.Position = 0;
        return output;
    }
}
