using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Failover.Aws.Clients;
using Failover.Aws.Transport;
using Failover.Core;
using YamlDotNet.RepresentationModel;

namespace Failover.Local;

/// <summary>
/// EventBridge's "Step Functions Execution Status Change" events on the local AWS, delivered to the function the
/// execution status rule of template.yaml targets, as EventBridge would deliver them.
/// </summary>
/// <remarks>
/// <para>What it follows. Step Functions sends an event to EventBridge whenever a standard workflow execution changes
/// status; the detail carries what DescribeExecution returns (eventbridge-integration.html, "Automating Step Functions
/// event delivery with EventBridge"), and the rule's target receives the event transformed by the rule's input
/// transformer (eb-transform-target-input.html). moto emits no events, so this model follows every execution started
/// through the gateway (a successful StartExecution it passed on), reads each one's status from moto every
/// <see cref="PollInterval"/>, and, once it ended with a status the rule matches, builds the event from
/// DescribeExecution (version, id, detail-type, source aws.states, account, time, region, resources; detail
/// executionArn, stateMachineArn, name, status, startDate and stopDate in epoch milliseconds, input, output, error,
/// cause, redriveCount), applies the rule's InputPathsMap and InputTemplate, and invokes the target function through
/// the gateway asynchronously (InvocationType Event), as EventBridge invokes Lambda.</para>
/// <para>What it leaves out. Only the terminal statuses the rule names are delivered (no RUNNING event). Matching covers
/// what the rule uses, source, detail-type, detail.status and detail.stateMachineArn; any other pattern key is refused
/// rather than ignored. The input paths are dot-notation paths to values the event carries (no wildcards, array
/// indexes or predefined variables); a path the event lacks is an error. Delivery happens once, with no retry policy,
/// dead-letter queue or latency beyond the polling interval; EventBridge itself promises best-effort delivery only
/// (events-ref-states.html). redriveCount is always 0 (moto 5.2.1 has no RedriveExecution); inputDetails,
/// outputDetails, redriveDate, redriveStatus and the version and alias ARNs are not in the detail; stateMachineArn
/// is derived from the execution ARN (no versions or aliases locally). Executions started by other means than the
/// gateway's StartExecution are not followed.</para>
/// </remarks>
public sealed class ExecutionStatusEvents : IAsyncDisposable
{
    /// <summary>How often a followed execution's status is read.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, byte> _followed = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ExecutionStatusDelivery> _delivered = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private volatile ExecutionStatusRoute? _route;

    /// <summary>Starts following (nothing is delivered until <see cref="Route"/> says where to).</summary>
    public ExecutionStatusEvents(TimeProvider clock)
    {
        _clock = clock;
        _loop = Task.Run(() => FollowAsync(_stopping.Token));
    }

    /// <summary>Every event delivered so far, oldest first.</summary>
    public IReadOnlyList<ExecutionStatusDelivery> Delivered => [.. _delivered];

    /// <summary>Where events of the deployed state machine go from now on (set by the deployment).</summary>
    public void Route(ExecutionStatusRoute route) => _route = route;

    /// <summary>Follows an execution the gateway started, until it ends.</summary>
    public void Follow(string executionArn) => _followed.TryAdd(executionArn, 0);

    /// <summary>Forgets the route, every execution followed and every delivery: the local AWS was emptied.</summary>
    public void Clear()
    {
        _route = null;
        _followed.Clear();
        _delivered.Clear();
    }

    /// <summary>The event Step Functions sends for <paramref name="execution"/> (its ARN names region, account and state machine).</summary>
    public static JsonObject Event(DescribeExecutionResult execution, DateTimeOffset now)
    {
        // arn:aws:states:REGION:ACCOUNT:execution:STATE-MACHINE:NAME
        var executionArn = Arn.Parse(execution.ExecutionArn);
        var stateMachineArn = (executionArn with { Resource = $"stateMachine:{executionArn.ResourceNameHead}" }).ToString();
        static JsonNode? Millis(DateTimeOffset? time) => time is { } t ? JsonValue.Create(t.ToUnixTimeMilliseconds()) : null;
        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = ExecutionStatusRule.DetailType,
            ["source"] = ExecutionStatusRule.Source,
            ["account"] = executionArn.Account,
            ["time"] = (execution.StopDate ?? now).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["region"] = executionArn.Region,
            ["resources"] = new JsonArray(execution.ExecutionArn),
            ["detail"] = new JsonObject
            {
                ["executionArn"] = execution.ExecutionArn,
                ["stateMachineArn"] = stateMachineArn,
                ["name"] = execution.Name,
                ["status"] = execution.Status,
                ["startDate"] = Millis(execution.StartDate),
                ["stopDate"] = Millis(execution.StopDate ?? now),
                ["input"] = execution.Input,
                ["output"] = execution.Output,
                ["error"] = execution.Error,
                ["cause"] = execution.Cause,
                ["redriveCount"] = 0,
            },
        };
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting: nothing was in flight.
        }

        _stopping.Dispose();
    }

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(PollInterval, _clock, cancellationToken);
            if (_route is not { } route)
            {
                continue;
            }

            foreach (var executionArn in _followed.Keys)
            {
                await CheckAsync(route, executionArn, cancellationToken);
            }
        }
    }

    private async Task CheckAsync(ExecutionStatusRoute route, string executionArn, CancellationToken cancellationToken)
    {
        DescribeExecutionResult execution;
        try
        {
            execution = await route.DescribeAsync(executionArn, cancellationToken);
        }
        catch (AwsNotFoundException)
        {
            // The local AWS was emptied under it.
            _followed.TryRemove(executionArn, out _);
            return;
        }
        catch (Exception ex) when (ex is AwsServiceException or HttpRequestException)
        {
            // moto answers 500 now and then while its engine writes the execution; read it again next time.
            return;
        }

        if (execution.Status == "RUNNING" || !_followed.TryRemove(executionArn, out _))
        {
            return;
        }

        var evt = Event(execution, _clock.GetUtcNow());
        if (!route.Rule.Matches(evt, route.StateMachineArn))
        {
            return;
        }

        var input = "";
        string? error = null;
        try
        {
            input = route.Rule.Transform(evt);
            await route.InvokeAsync(route.FunctionName, input, cancellationToken);
        }
        catch (Exception ex) when (ex is LocalAwsException or AwsServiceException or HttpRequestException)
        {
            // Recorded, not thrown: one event that cannot be delivered must not stop the others.
            error = $"{ex.GetType().Name}: {ex.Message}";
        }

        _delivered.Enqueue(new ExecutionStatusDelivery(executionArn, execution.Status, route.FunctionName, input, error));
    }
}

/// <summary>Where the events of one deployed state machine go, and how the model reads and invokes.</summary>
/// <param name="Rule">The execution status rule of template.yaml.</param>
/// <param name="StateMachineArn">The deployed state machine (the rule's <c>!Ref FailoverStateMachine</c>).</param>
/// <param name="FunctionName">The local name of the rule's target function.</param>
/// <param name="DescribeAsync">Reads an execution from moto (DescribeExecution).</param>
/// <param name="InvokeAsync">Invokes a function asynchronously through the gateway (function name, payload).</param>
public sealed record ExecutionStatusRoute(
    ExecutionStatusRule Rule,
    string StateMachineArn,
    string FunctionName,
    Func<string, CancellationToken, Task<DescribeExecutionResult>> DescribeAsync,
    Func<string, string, CancellationToken, Task> InvokeAsync);

/// <summary>One event delivered to the rule's target.</summary>
/// <param name="Input">What the function received (the event after the input transformer).</param>
/// <param name="Error">Why the invocation could not be made; null when the function accepted it.</param>
public sealed record ExecutionStatusDelivery(string ExecutionArn, string Status, string FunctionName, string Input, string? Error);

/// <summary>
/// The rule of template.yaml that sends "Step Functions Execution Status Change" events to a function: the
/// <c>EventBridgeRule</c> event of an <c>AWS::Serverless::Function</c> whose pattern names that detail-type.
/// </summary>
/// <param name="FunctionId">The target function's logical id, e.g. NotifyFailureFunction.</param>
/// <param name="Statuses">The pattern's detail.status values.</param>
/// <param name="InputPathsMap">The input transformer's variables and their paths.</param>
/// <param name="InputTemplate">The input transformer's template.</param>
public sealed partial record ExecutionStatusRule(string FunctionId, IReadOnlyList<string> Statuses, IReadOnlyDictionary<string, string> InputPathsMap, string InputTemplate)
{
    /// <summary>The event's source.</summary>
    public const string Source = "aws.states";

    /// <summary>The event's detail-type.</summary>
    public const string DetailType = "Step Functions Execution Status Change";

    private static readonly HashSet<string> ModelledPatternKeys = ["source", "detail-type", "detail"];
    private static readonly HashSet<string> ModelledDetailKeys = ["status", "stateMachineArn"];

    /// <summary>Reads the rule from <paramref name="templatePath"/>; exactly one function must have one.</summary>
    public static ExecutionStatusRule FromTemplate(string templatePath)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(templatePath)))
        {
            stream.Load(reader);
        }

        var resources = Mapping((YamlMappingNode)stream.Documents[0].RootNode, "Resources") ?? throw new LocalAwsException($"{templatePath} has no Resources");
        var rules = new List<(string Function, YamlMappingNode Properties)>();
        foreach (var (key, node) in resources.Children)
        {
            if (node is YamlMappingNode function && Scalar(function, "Type") == "AWS::Serverless::Function")
            {
                foreach (var evt in Mapping(Mapping(function, "Properties"), "Events")?.Children.Values.OfType<YamlMappingNode>() ?? [])
                {
                    if (Scalar(evt, "Type") == "EventBridgeRule" && Mapping(evt, "Properties") is { } properties
                        && Strings(Mapping(properties, "Pattern"), "detail-type").Contains(DetailType))
                    {
                        rules.Add((((YamlScalarNode)key).Value!, properties));
                    }
                }
            }
        }

        if (rules is not [var (id, rule)])
        {
            throw new LocalAwsException($"{templatePath}: expected one function with an EventBridgeRule for \"{DetailType}\", found {rules.Count}");
        }

        var pattern = Mapping(rule, "Pattern")!;
        var detail = Mapping(pattern, "detail");
        var unmodelled = pattern.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Where(k => !ModelledPatternKeys.Contains(k))
            .Concat(detail?.Children.Keys.Select(k => "detail." + ((YamlScalarNode)k).Value!).Where(k => !ModelledDetailKeys.Contains(k["detail.".Length..])) ?? [])
            .ToList();
        if (unmodelled.Count > 0 || !Strings(pattern, "source").SequenceEqual([Source]))
        {
            throw new LocalAwsException($"{templatePath}: {id}'s execution status rule matches on {string.Join(", ", unmodelled.DefaultIfEmpty("another source"))}, which the local AWS does not model");
        }

        var transformer = Mapping(rule, "InputTransformer") ?? throw new LocalAwsException($"{templatePath}: {id}'s execution status rule has no InputTransformer");
        var paths = Mapping(transformer, "InputPathsMap")?.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!, StringComparer.Ordinal)
            ?? throw new LocalAwsException($"{templatePath}: {id}'s InputTransformer has no InputPathsMap");
        return new ExecutionStatusRule(id, Strings(detail, "status"), paths, Scalar(transformer, "InputTemplate") ?? throw new LocalAwsException($"{templatePath}: {id}'s InputTransformer has no InputTemplate"));
    }

    /// <summary>True when the rule's pattern matches <paramref name="evt"/> from the deployed <paramref name="stateMachineArn"/>.</summary>
    public bool Matches(JsonObject evt, string stateMachineArn) =>
        evt["source"]?.GetValue<string>() == Source
        && evt["detail-type"]?.GetValue<string>() == DetailType
        && Statuses.Contains(evt["detail"]?["status"]?.GetValue<string>() ?? "", StringComparer.Ordinal)
        && evt["detail"]?["stateMachineArn"]?.GetValue<string>() == stateMachineArn;

    /// <summary>
    /// The target's input: each <c>&lt;variable&gt;</c> of the template replaced by the value its path selects. Inside a
    /// JSON string the value's text is inserted (escaped); elsewhere the value as JSON (a string gets its quotes), as
    /// the InputTransformer reference shows (API_InputTransformer.html).
    /// </summary>
    public string Transform(JsonObject evt)
    {
        var values = InputPathsMap.ToDictionary(kv => kv.Key, kv => Select(evt, kv.Value), StringComparer.Ordinal);
        var result = new StringBuilder();
        var inString = false;
        var at = 0;
        foreach (Match placeholder in Placeholder().Matches(InputTemplate))
        {
            inString ^= QuotesBetween(at, placeholder.Index) % 2 == 1;
            result.Append(InputTemplate, at, placeholder.Index - at);
            var name = placeholder.Groups["name"].Value;
            var value = values.TryGetValue(name, out var v) ? v : throw new LocalAwsException($"InputTemplate uses <{name}>, which InputPathsMap does not define");
            var json = value?.ToJsonString() ?? "null";
            result.Append(inString ? (value is JsonValue text && text.TryGetValue<string>(out var raw) ? JsonEncodedText.Encode(raw).Value : json) : json);
            at = placeholder.Index + placeholder.Length;
        }

        return result.Append(InputTemplate, at, InputTemplate.Length - at).ToString();
    }

    // Unescaped double quotes in the template between two positions.
    private int QuotesBetween(int from, int to)
    {
        var count = 0;
        for (var i = from; i < to; i++)
        {
            if (InputTemplate[i] == '"' && (i == 0 || InputTemplate[i - 1] != '\\'))
            {
                count++;
            }
        }

        return count;
    }

    private static JsonNode? Select(JsonObject evt, string path)
    {
        if (!path.StartsWith("$.", StringComparison.Ordinal))
        {
            throw new LocalAwsException($"input path '{path}' is not a dot-notation path from $ (the local AWS models only those)");
        }

        JsonNode? node = evt;
        foreach (var key in path[2..].Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(key, out var child) ? child : throw new LocalAwsException($"input path '{path}': the event has no '{key}'");
        }

        return node;
    }

    [GeneratedRegex("<(?<name>[A-Za-z0-9_.-]+)>")]
    private static partial Regex Placeholder();

    private static YamlMappingNode? Mapping(YamlMappingNode? mapping, string key) =>
        mapping is not null && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlMappingNode : null;

    private static string? Scalar(YamlMappingNode? mapping, string key) =>
        mapping is not null && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    private static List<string> Strings(YamlMappingNode? mapping, string key) =>
        mapping is not null && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode list
            ? [.. list.Children.OfType<YamlScalarNode>().Select(s => s.Value!)]
            : [];
}
