using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Failover.Core;
using Failover.Local.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Failover.Local;

/// <summary>A Lambda function served in-process: event in, result out; exceptions are function errors.</summary>
public delegate Task<Stream> LocalFunction(Stream input, CancellationToken cancellationToken);

/// <summary>
/// The local AWS front door on loopback: answers Lambda Invoke by calling handlers in-process, injects
/// faults per operation, and proxies everything else to moto.
/// </summary>
public sealed partial class Gateway : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Content-Length",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly ConcurrentDictionary<string, LocalFunction> _functions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _refused = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly List<FaultRule> _faults = [];
    private readonly ConcurrentDictionary<Task, byte> _invocations = new();
    private CancellationTokenSource _invocationsGeneration = new();
    private Uri? _moto;

    private Gateway(WebApplication app, TimeProvider clock)
    {
        _app = app;
        _clock = clock;
        RdsPromotions = new(clock);
        Drs = new(clock);
        AuroraGlobal = new(clock);
        AuroraReplicaClusters = new(clock);
        Capacity = new(clock);
        ExecutionStatusEvents = new(clock);
    }

    /// <summary>RDS promotion timing, layered over moto.</summary>
    public RdsPromotionModel RdsPromotions { get; }

    /// <summary>The read replication status of RDS replicas (StatusInfos), which moto does not report.</summary>
    public ReadReplicationModel ReadReplication { get; } = new();

    /// <summary>Elastic Disaster Recovery, which moto does not have.</summary>
    public Drs.DrsSimulator Drs { get; }

    /// <summary>
    /// The region outage the gateway plays, on its clock: calls signed for the dark region are held unanswered
    /// (<see cref="OutageKind.Unreachable"/>) or answered with 503 ServiceUnavailable (<see cref="OutageKind.ServerErrors"/>);
    /// <see cref="OutageKind.DatabaseImpaired"/> lets them through. Lambda Invoke and moto's control calls are never refused.
    /// </summary>
    public RegionOutage? Outage { get; set; }

    /// <summary>The day's Route 53 health model: GetHealthCheckStatus of the checks it models is answered from it.</summary>
    public OutageDay? HealthChecks { get; set; }

    /// <summary>Aurora global databases: switchover and failover, which moto does not have.</summary>
    public Models.AuroraGlobalModel AuroraGlobal { get; }

    /// <summary>Promotion of cross-region Aurora replica clusters, layered over moto (which detaches them at once).</summary>
    public Models.AuroraReplicaClusterModel AuroraReplicaClusters { get; }

    /// <summary>How long Auto Scaling instances and ECS tasks take to be in service, layered over moto.</summary>
    public Models.CapacityArrivalModel Capacity { get; }

    /// <summary>EventBridge's execution status events, which moto does not emit: follows the executions started here.</summary>
    public ExecutionStatusEvents ExecutionStatusEvents { get; }

    /// <summary>
    /// Decides what moto cannot check (DRS, served here; the further actions a call needs): given the request and
    /// its operation, a reason to refuse it with AccessDeniedException, or null to let it through. Null: no checks.
    /// </summary>
    public Func<HttpRequest, string, string?>? Authorizer { get; set; }

    /// <summary>Where the gateway answers (http://localhost:PORT/).</summary>
    public Uri Endpoint { get; private set; } = new("http://localhost/");

    /// <summary>The gateway's port, which moto's MOTO_PORT must name.</summary>
    public int Port => Endpoint.Port;

    /// <summary>Starts the gateway on a free loopback port, on the system clock.</summary>
    public static Task<Gateway> StartAsync(CancellationToken cancellationToken) => StartAsync(TimeProvider.System, cancellationToken);

    /// <summary>Starts the gateway on a free loopback port; <paramref name="clock"/> times the outage, RDS promotions and DRS.</summary>
    public static async Task<Gateway> StartAsync(TimeProvider clock, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // localhost: moto's engine calls "localhost:MOTO_PORT", which may resolve to ::1 or 127.0.0.1.
        builder.WebHost.UseUrls($"http://localhost:{MotoServer.FreeLoopbackPort()}");
        var app = builder.Build();
        var gateway = new Gateway(app, clock);
        app.Run(gateway.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        gateway.Endpoint = new Uri($"http://localhost:{address.Port}/");
        return gateway;
    }

    /// <summary>Sets where calls that are not answered here go.</summary>
    public void ProxyTo(Uri moto) => _moto = moto;

    /// <summary>Serves <paramref name="name"/> in-process.</summary>
    public void AddFunction(string name, LocalFunction function) => _functions[name] = function;

    /// <summary>Adds a fault; rules are consumed in the order added.</summary>
    public void AddFault(FaultRule rule)
    {
        lock (_faults)
        {
            _faults.Add(rule);
        }
    }

    /// <summary>How many calls of <paramref name="operation"/> reached the gateway (faulted and refused ones included).</summary>
    public int Calls(string operation) => _calls.GetValueOrDefault(operation);

    /// <summary>How many calls signed for <paramref name="region"/> the <see cref="Outage"/> refused: proof that a run met the dark region.</summary>
    public int RefusedCalls(string region) => _refused.GetValueOrDefault(region);

    /// <summary>Forgets counted and refused calls, pending faults and the outage.</summary>
    public void ResetCounters()
    {
        _calls.Clear();
        _refused.Clear();
        Outage = null;
        HealthChecks = null;
        RdsPromotions.Clear();
        ReadReplication.Clear();
        Drs.Clear();
        AuroraGlobal.Clear();
        AuroraReplicaClusters.Clear();
        Capacity.Clear();
        ExecutionStatusEvents.Clear();
        lock (_faults)
        {
            _faults.Clear();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        request.EnableBuffering();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var operation = OperationOf(request, body);
        _calls.AddOrUpdate(operation, 1, (_, n) => n + 1);

        if (await RefusedByOutageAsync(context, operation))
        {
            return;
        }

        var fault = TakeFault(operation);
        if (fault is not null)
        {
            if (fault.Latency > TimeSpan.Zero)
            {
                // Not cancelled when the caller gives up: like AWS, a request that arrived is carried out,
                // and only its answer is lost.
                await Task.Delay(fault.Latency, CancellationToken.None);
            }

            if (fault.ErrorCode.Length > 0)
            {
                await WriteFaultAsync(context, request, fault);
                return;
            }
        }

        if (operation == "PutMetricData" && FormField(body, "Namespace") is { } ns && ns.StartsWith("AWS/", StringComparison.Ordinal))
        {
            // CloudWatch reserves AWS/ namespaces for AWS services (PutMetricData API reference); the day publishes
            // RDS's metrics straight into moto as RDS would.
            await WriteFaultAsync(context, request, new FaultRule(operation, "InvalidParameterValue", HttpStatusCode.BadRequest, 1));
            return;
        }

        if (Authorizer?.Invoke(request, operation) is not null)
        {
            await WriteFaultAsync(context, request, new FaultRule(operation, "AccessDeniedException", HttpStatusCode.Forbidden, 1));
            return;
        }

        if (await Drs.TryHandleAsync(context, body))
        {
            return;
        }

        if (await AuroraGlobal.TryHandleAsync(context, body, operation, Outage))
        {
            return;
        }

        var invoke = InvokePath().Match(request.Path.Value ?? "");
        if (invoke.Success && request.Method == "POST")
        {
            await InvokeAsync(context, Uri.UnescapeDataString(invoke.Groups["name"].Value), body);
            return;
        }

        await ProxyAsync(context, body, operation, fault?.ResponseDelay ?? TimeSpan.Zero);
    }

    // A dark region answers nothing, so the outage comes before any fault or check. Lambda Invoke runs the handlers
    // in-process (they are not the dark region's endpoints), and moto's control calls are not AWS.
    private async Task<bool> RefusedByOutageAsync(HttpContext context, string operation)
    {
        var request = context.Request;
        var region = CredentialScope.Of(request)?.Region;
        if (Outage is not { Kind: not OutageKind.DatabaseImpaired } outage || region is null || operation == "Invoke"
            || (request.Path.Value ?? "").StartsWith("/moto-api/", StringComparison.Ordinal) || !outage.Affects(region, _clock.GetUtcNow()))
        {
            return false;
        }

        _refused.AddOrUpdate(region, 1, (_, n) => n + 1);
        if (outage.Kind == OutageKind.ServerErrors)
        {
            await WriteFaultAsync(context, request, new FaultRule(operation, "ServiceUnavailable", HttpStatusCode.ServiceUnavailable, 1));
            return true;
        }

        // Unreachable: no answer until the caller gives up or the gateway stops; then the connection just drops.
        using var held = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _app.Lifetime.ApplicationStopping);
        await Task.Delay(Timeout.InfiniteTimeSpan, held.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        context.Abort();
        return true;
    }

    private FaultRule? TakeFault(string operation)
    {
        lock (_faults)
        {
            var index = _faults.FindIndex(f => f.Operation == operation && f.Times > 0);
            if (index < 0)
            {
                return null;
            }

            var rule = _faults[index];
            _faults[index] = rule with { Times = rule.Times - 1 };
            return rule;
        }
    }

    private static async Task WriteFaultAsync(HttpContext context, HttpRequest request, FaultRule fault)
    {
        context.Response.StatusCode = (int)fault.Status;
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        var target = request.Headers["X-Amz-Target"].ToString();
        if (target.Length > 0 || (request.Path.Value ?? "").StartsWith("/2015-03-31/", StringComparison.Ordinal) || Failover.Local.Drs.DrsSimulator.IsDrsRequest(request))
        {
            context.Response.ContentType = "application/x-amz-json-1.0";
            context.Response.Headers["x-amzn-ErrorType"] = fault.ErrorCode;
            await context.Response.WriteAsync($"{{\"__type\":\"{fault.ErrorCode}\",\"message\":\"injected by the local gateway\"}}", context.RequestAborted);
            return;
        }

        context.Response.ContentType = "text/xml";
        var type = (int)fault.Status >= 500 ? "Receiver" : "Sender";
        await context.Response.WriteAsync(
            $"<ErrorResponse><Error><Type>{type}</Type><Code>{fault.ErrorCode}</Code><Message>injected by the local gateway</Message></Error><RequestId>{requestId}</RequestId></ErrorResponse>",
            context.RequestAborted);
    }

    private async Task InvokeAsync(HttpContext context, string functionRef, byte[] payload)
    {
        // Step Functions invokes by ARN (arn:aws:lambda:region:account:function:NAME[:qualifier]).
        var name = Arn.TryParse(functionRef, out var arn) && arn.Names("lambda", "function") ? arn.ResourceNameHead : functionRef;
        if (!_functions.TryGetValue(name, out var function))
        {
            context.Response.StatusCode = 404;
            context.Response.Headers["x-amzn-ErrorType"] = "ResourceNotFoundException";
            await context.Response.WriteAsync($"{{\"Type\":\"User\",\"message\":\"Function not found: {name}\"}}", context.RequestAborted);
            return;
        }

        var asynchronous = context.Request.Headers["X-Amz-Invocation-Type"].ToString() == "Event";
        if (asynchronous)
        {
            // As Lambda does for EventBridge: accept now, run later.
            _ = TrackedAsync(function, payload, _invocationsGeneration.Token);
            context.Response.StatusCode = 202;
            return;
        }

        using var invocation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _invocationsGeneration.Token);
        var (result, error) = await TrackedAsync(function, payload, invocation.Token);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        if (error is not null)
        {
            context.Response.Headers["X-Amz-Function-Error"] = "Unhandled";
        }

        await context.Response.Body.WriteAsync(result, context.RequestAborted);
    }

    /// <summary>
    /// Cancels every function invocation in progress and waits for them to end: an invocation that outlived the test or
    /// run that caused it (a check keeps looking for up to 45 s; a trigger waits out a sustain period) must not act on
    /// the environment deployed after a reset, whose resources have the same names.
    /// </summary>
    public async Task CancelInvocationsAsync()
    {
        var ended = Interlocked.Exchange(ref _invocationsGeneration, new CancellationTokenSource());
        await ended.CancelAsync();
        await Task.WhenAll(_invocations.Keys);
        ended.Dispose();
    }

    // Every invocation is tracked until it ends, so a reset (CancelInvocationsAsync) and disposal can wait for it.
    private async Task<(byte[] Result, string? Error)> TrackedAsync(LocalFunction function, byte[] payload, CancellationToken cancellationToken)
    {
        var run = Task.Run(() => RunFunctionAsync(function, payload, cancellationToken), CancellationToken.None);
        _invocations.TryAdd(run, 0);
        try
        {
            return await run;
        }
        finally
        {
            _invocations.TryRemove(run, out _);
        }
    }

    private static async Task<(byte[] Result, string? Error)> RunFunctionAsync(LocalFunction function, byte[] payload, CancellationToken cancellationToken)
    {
        try
        {
            await using var output = await function(new MemoryStream(payload, writable: false), cancellationToken);
            using var copy = new MemoryStream();
            await output.CopyToAsync(copy, cancellationToken);
            return (copy.ToArray(), null);
        }
        catch (Exception ex)
        {
            // The Lambda runtime's error document: Step Functions uses errorType as the error name.
            var error = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["errorType"] = ex.GetType().Name, ["errorMessage"] = ex.Message }, GatewayJson.Default.DictionaryStringString);
            return (Encoding.UTF8.GetBytes(error), ex.GetType().Name);
        }
    }

    private async Task ProxyAsync(HttpContext context, byte[] body, string operation, TimeSpan responseDelay)
    {
        var moto = _moto ?? throw new InvalidOperationException("the gateway has no upstream yet");
        var request = context.Request;
        var target = new Uri(moto, (request.PathBase + request.Path).ToString() + request.QueryString);
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), target);
        if (body.Length > 0 || request.ContentLength is not null)
        {
            forward.Content = new ByteArrayContent(body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopByHopHeaders.Contains(name))
            {
                continue;
            }

            if (!forward.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        using var response = await _upstream.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, CancellationToken.None);
        var reply = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
        if (response.IsSuccessStatusCode && operation is "PromoteReadReplica" or "DescribeDBInstances")
        {
            var region = CredentialScope.Of(request)?.Region ?? "us-east-1";
            if (operation == "PromoteReadReplica" && FormField(body, "DBInstanceIdentifier") is { } promoted)
            {
                RdsPromotions.Promoted(region, promoted);
            }

            reply = Encoding.UTF8.GetBytes(RdsPromotions.Rewrite(region, Encoding.UTF8.GetString(reply)));
            if (operation == "DescribeDBInstances")
            {
                reply = Encoding.UTF8.GetBytes(ReadReplication.Rewrite(region, Encoding.UTF8.GetString(reply)));
            }
        }

        if (response.IsSuccessStatusCode && operation is "PromoteReadReplicaDBCluster" or "DescribeDBClusters")
        {
            var region = CredentialScope.Of(request)?.Region ?? "us-east-1";
            if (operation == "PromoteReadReplicaDBCluster" && FormField(body, "DBClusterIdentifier") is { } promoted)
            {
                AuroraReplicaClusters.Promoted(region, promoted);
            }

            reply = Encoding.UTF8.GetBytes(AuroraReplicaClusters.Rewrite(region, Encoding.UTF8.GetString(reply)));
        }

        var ecs = request.Headers["X-Amz-Target"].ToString().StartsWith("AmazonEC2ContainerServiceV20141113.", StringComparison.Ordinal);
        if (response.IsSuccessStatusCode && (operation is "DescribeAutoScalingGroups" or "UpdateAutoScalingGroup" || (ecs && operation is "DescribeServices" or "UpdateService")))
        {
            reply = Encoding.UTF8.GetBytes(AnswerCapacity(CredentialScope.Of(request)?.Region ?? "us-east-1", operation, body, Encoding.UTF8.GetString(reply)));
        }

        // moto answers first (and enforces IAM); the day's Route 53 says what the health check's status is.
        if (response.IsSuccessStatusCode && operation == "GetHealthCheckStatus" && HealthChecks is { } day
            && await day.IsHealthyAsync(HealthCheckIdOf(request), _clock.GetUtcNow(), CancellationToken.None) is { } healthy)
        {
            reply = Encoding.UTF8.GetBytes(Route53HealthAnswers.Status(healthy, _clock.GetUtcNow()));
        }

        if (response.IsSuccessStatusCode && operation is "GetHealthCheck" or "UpdateHealthCheck"
            && HealthChecks?.HealthCheck(HealthCheckIdOf(request)) is { } modelled)
        {
            if (operation == "UpdateHealthCheck")
            {
                Route53HealthAnswers.Apply(body, modelled);
            }

            reply = Encoding.UTF8.GetBytes(Route53HealthAnswers.WithInsufficientDataHealthStatus(Encoding.UTF8.GetString(reply), modelled));
        }

        if (response.IsSuccessStatusCode && operation == "StartExecution" && System.Text.Json.Nodes.JsonNode.Parse(reply)?["executionArn"]?.GetValue<string>() is { } executionArn)
        {
            ExecutionStatusEvents.Follow(executionArn);
        }

        // The service has carried the call out; only its answer is held back.
        if (responseDelay > TimeSpan.Zero)
        {
            await Task.Delay(responseDelay, CancellationToken.None);
        }

        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHopHeaders.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        context.Response.ContentLength = reply.Length;
        await context.Response.Body.WriteAsync(reply, context.RequestAborted);
    }

    // Scale-ups are recorded as moto accepted them; describes answer with what the model says is in service.
    private string AnswerCapacity(string region, string operation, byte[] body, string reply)
    {
        switch (operation)
        {
            case "UpdateAutoScalingGroup":
                if (FormField(body, "DesiredCapacity") is { } desired && FormField(body, "AutoScalingGroupName") is { } group)
                {
                    Capacity.Scaled(region, group, int.Parse(desired, System.Globalization.CultureInfo.InvariantCulture));
                }

                return reply;
            case "UpdateService":
                var update = System.Text.Json.Nodes.JsonNode.Parse(body);
                if (update?["desiredCount"]?.GetValue<int>() is { } count && update["service"]?.GetValue<string>() is { } service)
                {
                    var cluster = Models.CapacityArrivalModel.ClusterName(update["cluster"]?.GetValue<string>() ?? "default");
                    Capacity.Scaled(region, $"{cluster}/{service.Split('/')[^1]}", count);
                }

                return reply;
            case "DescribeAutoScalingGroups":
                return Capacity.RewriteAutoScalingGroups(region, reply);
            default:
                return Capacity.RewriteEcsServices(region, System.Text.Json.Nodes.JsonNode.Parse(body)?["cluster"]?.GetValue<string>() ?? "default", reply);
        }
    }

    // /2013-04-01/healthcheck/{HealthCheckId}[/status]
    private static string HealthCheckIdOf(HttpRequest request) => (request.Path.Value ?? "").Trim('/').Split('/').ElementAtOrDefault(2) ?? "";

    private static string? FormField(byte[] body, string name) =>
        Encoding.UTF8.GetString(body).Split('&').Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && Uri.UnescapeDataString(p[0]) == name)
            .Select(p => Uri.UnescapeDataString(p[1].Replace('+', ' '))).FirstOrDefault();

    /// <summary>The operation a request names: form Action, X-Amz-Target suffix, or the REST path.</summary>
    internal static string OperationOf(HttpRequest request, byte[] body)
    {
        var target = request.Headers["X-Amz-Target"].ToString();
        if (target.Length > 0)
        {
            return target[(target.LastIndexOf('.') + 1)..];
        }

        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            var action = ActionField().Match(Encoding.UTF8.GetString(body));
            if (action.Success)
            {
                return Uri.UnescapeDataString(action.Groups["action"].Value);
            }
        }

        var path = request.Path.Value ?? "/";
        if (InvokePath().IsMatch(path))
        {
            return "Invoke";
        }

        if (path.StartsWith("/2013-04-01/", StringComparison.Ordinal))
        {
            return Route53Operation(request.Method, path);
        }

        // rest-json services such as DRS name the operation in the path: POST /StartRecovery.
        var first = path.Trim('/').Split('/')[0];
        return first.Length > 0 ? first : request.Method;
    }

    // Route 53 (rest-xml) names operations by method and path: /2013-04-01/healthcheck/ID, …/hostedzone/ID/rrset, …
    private static string Route53Operation(string method, string path)
    {
        var segments = path.Trim('/').Split('/');
        var resource = segments.Length > 1 ? segments[1] : "";
        return (method, resource, segments.Length) switch
        {
            ("POST", "healthcheck", 2) => "CreateHealthCheck",
            ("GET", "healthcheck", 3) => "GetHealthCheck",
            ("POST", "healthcheck", 3) => "UpdateHealthCheck",
            ("GET", "healthcheck", 4) => "GetHealthCheckStatus",
            ("POST", "hostedzone", 2) => "CreateHostedZone",
            ("POST", "hostedzone", 4) => "ChangeResourceRecordSets",
            ("GET", "hostedzone", 4) => "ListResourceRecordSets",
            ("GET", "change", 3) => "GetChange",
            _ => $"{method} {path}",
        };
    }

    [GeneratedRegex("^/2015-03-31/functions/(?<name>[^/]+)/invocations/?$")]
    private static partial Regex InvokePath();

    [GeneratedRegex("(?:^|&)Action=(?<action>[^&]+)")]
    private static partial Regex ActionField();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await ExecutionStatusEvents.DisposeAsync();
        await Task.WhenAll(_invocations.Keys);
        await _app.StopAsync();
        _invocationsGeneration.Dispose();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class GatewayJson : System.Text.Json.Serialization.JsonSerializerContext;
