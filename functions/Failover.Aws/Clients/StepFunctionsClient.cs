using System.Text.Json.Nodes;
using Failover.Aws.Transport;

namespace Failover.Aws.Clients;

/// <summary>Reply of StartExecution.</summary>
public sealed record StartExecutionResult(string ExecutionArn, DateTimeOffset? StartDate);

/// <summary>Reply of DescribeExecution (the members the product reads).</summary>
public sealed record DescribeExecutionResult(string ExecutionArn, string Name, string Status, DateTimeOffset? StartDate, DateTimeOffset? StopDate, string? Input, string? Output, string? Error, string? Cause);

/// <summary>Reply of StopExecution.</summary>
public sealed record StopExecutionResult(DateTimeOffset? StopDate);

/// <summary>One raw history event: its type, time, and the detail object of that type.</summary>
/// <param name="PreviousEventId">The event this one follows within its own branch of the execution (0 when none): a
/// Parallel state's branches interleave in the history, and this chain tells which state an event belongs to.</param>
public sealed record HistoryEvent(long Id, string Type, DateTimeOffset Timestamp, JsonObject? Details, long PreviousEventId = 0);

/// <summary>AWS Step Functions over AWS JSON 1.0 (target AWSStepFunctions).</summary>
public sealed class StepFunctionsClient
{
    private readonly AwsTransport _transport;

    internal StepFunctionsClient(AwsTransport transport) => _transport = transport;

    /// <summary>Starts an execution. Standard workflows treat a repeat with the same name and input as the same start.</summary>
    [IamAction("states:StartExecution", IamActions.KmsGenerateDataKey, IamActions.KmsDecrypt)]
    public async Task<StartExecutionResult> StartExecutionAsync(string stateMachineArn, string name, string input, CancellationToken cancellationToken)
    {
        var reply = await CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = stateMachineArn, ["name"] = name, ["input"] = input }, retrySafe: true, cancellationToken);
        return new StartExecutionResult(reply.RequiredStr("executionArn"), reply.EpochSeconds("startDate"));
    }

    /// <summary>Describes an execution.</summary>
    [IamAction("states:DescribeExecution", IamActions.KmsDecrypt)]
    public async Task<DescribeExecutionResult> DescribeExecutionAsync(string executionArn, CancellationToken cancellationToken)
    {
        var r = await CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = executionArn }, retrySafe: true, cancellationToken);
        return new DescribeExecutionResult(r.RequiredStr("executionArn"), r.RequiredStr("name"), r.RequiredStr("status"), r.EpochSeconds("startDate"), r.EpochSeconds("stopDate"),
            r.Str("input"), r.Str("output"), r.Str("error"), r.Str("cause"));
    }

    /// <summary>Every history event of an execution, oldest first.</summary>
    [IamAction("states:GetExecutionHistory", IamActions.KmsDecrypt)]
    public async Task<IReadOnlyList<HistoryEvent>> GetExecutionHistoryAsync(string executionArn, CancellationToken cancellationToken)
    {
        var events = new List<HistoryEvent>();
        string? nextToken = null;
        do
        {
            var body = new JsonObject { ["executionArn"] = executionArn, ["maxResults"] = 1000 };
            if (nextToken is not null)
            {
                body["nextToken"] = nextToken;
            }

            var reply = await CallAsync("GetExecutionHistory", body, retrySafe: true, cancellationToken);
            foreach (var e in (reply["events"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var type = e.RequiredStr("type");
                var details = e.Where(kv => kv.Key.EndsWith("EventDetails", StringComparison.Ordinal)).Select(kv => kv.Value as JsonObject).FirstOrDefault();
                events.Add(new HistoryEvent(e["id"]?.GetValue<long>() ?? 0, type, e.EpochSeconds("timestamp") ?? default, details, e["previousEventId"]?.GetValue<long>() ?? 0));
            }

            nextToken = reply.Str("nextToken");
        }
        while (!string.IsNullOrEmpty(nextToken));

        return events;
    }

    /// <summary>The ARNs of every state machine in the region.</summary>
    [IamAction("states:ListStateMachines")]
    public async Task<IReadOnlyList<string>> ListStateMachinesAsync(CancellationToken cancellationToken)
    {
        var arns = new List<string>();
        string? nextToken = null;
        do
        {
            var body = new JsonObject { ["maxResults"] = 1000 };
            if (nextToken is not null)
            {
                body["nextToken"] = nextToken;
            }

            var reply = await CallAsync("ListStateMachines", body, retrySafe: true, cancellationToken);
            arns.AddRange((reply["stateMachines"] as JsonArray ?? []).OfType<JsonObject>().Select(m => m.RequiredStr("stateMachineArn")));
            nextToken = reply.Str("nextToken");
        }
        while (!string.IsNullOrEmpty(nextToken));

        return arns;
    }

    /// <summary>Lists executions of a state machine, optionally by status, newest first.</summary>
    [IamAction("states:ListExecutions")]
    public async Task<IReadOnlyList<DescribeExecutionResult>> ListExecutionsAsync(string stateMachineArn, string? statusFilter, CancellationToken cancellationToken)
    {
        var executions = new List<DescribeExecutionResult>();
        string? nextToken = null;
        do
        {
            var body = new JsonObject { ["stateMachineArn"] = stateMachineArn, ["maxResults"] = 1000 };
            if (statusFilter is not null)
            {
                body["statusFilter"] = statusFilter;
            }

            if (nextToken is not null)
            {
                body["nextToken"] = nextToken;
            }

            var reply = await CallAsync("ListExecutions", body, retrySafe: true, cancellationToken);
            executions.AddRange((reply["executions"] as JsonArray ?? []).OfType<JsonObject>().Select(x => new DescribeExecutionResult(
                x.RequiredStr("executionArn"), x.RequiredStr("name"), x.RequiredStr("status"), x.EpochSeconds("startDate"), x.EpochSeconds("stopDate"), null, null, null, null)));
            nextToken = reply.Str("nextToken");
        }
        while (!string.IsNullOrEmpty(nextToken));

        return executions;
    }

    /// <summary>Stops (aborts) a running execution. Stopping is idempotent in effect, so 5xx are retried.</summary>
    [IamAction("states:StopExecution")]
    public async Task<StopExecutionResult> StopExecutionAsync(string executionArn, string? error, string? cause, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["executionArn"] = executionArn };
        AddIfSet(body, "error", error);
        AddIfSet(body, "cause", cause);
        var reply = await CallAsync("StopExecution", body, retrySafe: true, cancellationToken);
        return new StopExecutionResult(reply.EpochSeconds("stopDate"));
    }

    /// <summary>Completes a waitForTaskToken task with <paramref name="output"/> (a JSON document). A repeat after success
    /// answers TaskTimedOut/InvalidToken (task closed) and has no second effect, so 5xx are retried.</summary>
    [IamAction("states:SendTaskSuccess", IamActions.KmsGenerateDataKey, IamActions.KmsDecrypt)]
    public async Task SendTaskSuccessAsync(string taskToken, string output, CancellationToken cancellationToken) =>
        await CallAsync("SendTaskSuccess", new JsonObject { ["taskToken"] = taskToken, ["output"] = output }, retrySafe: true, cancellationToken);

    /// <summary>Fails a waitForTaskToken task with an error name and cause (both optional).</summary>
    [IamAction("states:SendTaskFailure", IamActions.KmsGenerateDataKey, IamActions.KmsDecrypt)]
    public async Task SendTaskFailureAsync(string taskToken, string? error, string? cause, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["taskToken"] = taskToken };
        AddIfSet(body, "error", error);
        AddIfSet(body, "cause", cause);
        await CallAsync("SendTaskFailure", body, retrySafe: true, cancellationToken);
    }

    /// <summary>Creates a standard state machine and returns its ARN.</summary>
    [IamAction("states:CreateStateMachine")]
    public async Task<string> CreateStateMachineAsync(string name, string definition, string roleArn, CancellationToken cancellationToken)
    {
        var reply = await CallAsync("CreateStateMachine", new JsonObject { ["name"] = name, ["definition"] = definition, ["roleArn"] = roleArn, ["type"] = "STANDARD" }, retrySafe: false, cancellationToken);
        return reply.RequiredStr("stateMachineArn");
    }

    private static void AddIfSet(JsonObject body, string name, string? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }

    private Task<JsonObject> CallAsync(string operation, JsonObject body, bool retrySafe, CancellationToken cancellationToken) =>
        JsonProtocol.CallAsync(_transport, AwsService.StepFunctions, "AWSStepFunctions", operation, body, retrySafe, cancellationToken);
}
