using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Failover.Cli;
using Failover.Core.Triggers;
using Failover.Local;
using Spectre.Console;

namespace Failover.Workflow.Tests;

/// <summary>
/// The trigger cases, each delivered through the local AWS's trigger path (Lambda Invoke of the Trigger
/// function through the gateway, DescribeAlarms and ListExecutions against moto) and checked by counting the
/// state machine's executions with ListExecutions.
///
/// | case                                                   | decision(s)                         | executions |
/// |--------------------------------------------------------|-------------------------------------|------------|
/// | metric alarm OK→ALARM (documented sample, plan's alarm) | started                             | 1          |
/// | composite alarm OK→ALARM (documented sample, plan's)   | started                             | 1          |
/// | alarm notification wrapped in SNS                      | started                             | 1          |
/// | documented samples of alarms not in the plan (3)       | ignored                             | 0          |
/// | alarm ALARM→OK                                         | ignored                             | 0          |
/// | same event delivered twice                             | started, started                    | 1          |
/// | SNS and EventBridge deliver the same transition        | started, started                    | 1          |
/// | flapping ALARM / OK / ALARM within the cooldown        | started, ignored, started|ignored    | 1          |
/// | quorum 2 of 3 not met                                  | ignored                             | 0          |
/// | quorum 2 of 3 met                                      | started                             | 1          |
/// | sustain not met (alarm back to OK during the wait)     | ignored                             | 0          |
/// | sustain met (waited for)                               | started                             | 1          |
/// | an execution is already running                        | ignored                             | 1 (it)     |
/// | a manual failover ended within the cooldown            | ignored                             | 1 (it)     |
/// | foreign account                                        | rejected                            | 0          |
/// | malformed input (12 kinds)                             | rejected                            | 0          |
/// | StartExecution throttled, then delivered again         | error (retried), started            | 1          |
/// | `failover start --stack` (manual failover)             | -                                   | 1          |
/// | `failover start` with an invalid mode                  | -                                   | 0          |
/// </summary>
[Collection(LocalAwsCollection.Name)]
public sealed class TriggerCasesTests(LocalAwsFixture fixture) : IDisposable
{
    private const string OutageAlarm = "arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-primary-outage";
    private const string ErrorsAlarm = "arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-primary-errors";
    private const string LatencyAlarm = "arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-primary-latency";

    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(4));
    private readonly string _directory = Directory.CreateTempSubdirectory("failover-trigger-cases-").FullName;

    public static TheoryData<string, string, int> DocumentedSamples => new()
    {
        { "metric-alarm.orders-primary-outage.ok-to-alarm.json", TriggerDecisions.Started, 1 },
        { "composite-alarm.orders-primary-outage.ok-to-alarm.json", TriggerDecisions.Started, 1 },
        { "sns-alarm.orders-primary-outage.json", TriggerDecisions.Started, 1 },
        { "metric-alarm.orders-primary-outage.alarm-to-ok.json", TriggerDecisions.Ignored, 0 },
        { "metric-alarm.ServerCpuTooHigh.doc.json", TriggerDecisions.Ignored, 0 },
        { "composite-alarm.ServiceAggregatedAlarm.doc.json", TriggerDecisions.Ignored, 0 },
        { "sns-alarm.orders-db-down.doc.json", TriggerDecisions.Ignored, 0 },
    };

    public static TheoryData<string, string> MalformedInputs => new()
    {
        { "not JSON", "alarm!" },
        { "empty object", "{}" },
        { "JSON array", "[1,2,3]" },
        { "truncated event", Sample("metric-alarm.orders-primary-outage.ok-to-alarm.json")[..200] },
        { "detail is a string", Mutate("metric-alarm.orders-primary-outage.ok-to-alarm.json", e => e["detail"] = "{}") },
        { "state value missing", Mutate("metric-alarm.orders-primary-outage.ok-to-alarm.json", e => e["detail"]!["state"]!.AsObject().Remove("value")) },
        { "timestamp not a time", Mutate("metric-alarm.orders-primary-outage.ok-to-alarm.json", e => e["detail"]!["state"]!["timestamp"] = "soon") },
        { "wrong source", Mutate("metric-alarm.orders-primary-outage.ok-to-alarm.json", e => e["source"] = "custom.cloudwatch") },
        { "deeply nested", new string('[', 500) + new string(']', 500) },
        { "SNS message not JSON", Mutate("sns-alarm.orders-primary-outage.json", e => e["Records"]![0]!["Sns"]!["Message"] = "Hello from SNS!") },
        { "SNS with two records", Mutate("sns-alarm.orders-primary-outage.json", e => e["Records"]!.AsArray().Add(e["Records"]![0]!.DeepClone())) },
        { "SNS message without state", Mutate("sns-alarm.orders-primary-outage.json", e => e["Records"]![0]!["Sns"]!["Message"] = "{\"AlarmName\":\"orders-primary-outage\"}") },
    };

    private CancellationToken Token => _timeout.Token;

    public void Dispose()
    {
        _timeout.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [MemberData(nameof(DocumentedSamples))]
    public async Task TriggerCase_WhenADocumentedSampleIsDelivered_ShouldStartAsManyExecutionsAsThePolicySays(string sample, string decision, int executions)
    {
        // Arrange
        var (delivery, _) = await DeployAsync(null);
        var evt = Sample(sample);
        await delivery.ApplyClaimedStateAsync(evt, Token);

        // Act
        var result = await delivery.DeliverAsync(evt, Token);

        // Assert
        Assert.True(decision == result.Decision?.Decision, $"{sample}: {result.Payload}");
        Assert.Equal(executions, await CountAsync(delivery));
        await SettleAsync(delivery);
    }

    [Fact]
    public async Task TriggerCase_WhenTheSameEventIsDeliveredTwice_ShouldStartOneExecution()
    {
        // Arrange
        var (delivery, _) = await DeployAsync(null);
        await delivery.SetAlarmStateAsync(OutageAlarm, "ALARM", Token);
        var evt = await delivery.EventBridgeEventAsync(OutageAlarm, "OK", Token);

        // Act
        var first = await delivery.DeliverAsync(evt, Token);
        var second = await delivery.DeliverAsync(evt, Token);

        // Assert
        Assert.Equal(TriggerDecisions.Started, first.Decision!.Decision);
        Assert.Equal(TriggerDecisions.Started, second.Decision!.Decision);
        Assert.StartsWith("execution for this decision window already exists", second.Decision.Reason, StringComparison.Ordinal);
        Assert.Equal(first.Decision.ExecutionName, second.Decision.ExecutionName);
        Assert.Equal(1, await CountAsync(delivery));
        await SettleAsync(delivery);
    }

    [Fact]
    public async Task TriggerCase_WhenSnsAndEventBridgeBothDeliverTheTransition_ShouldStartOneExecution()
    {
        // Arrange
        var (delivery, _) = await DeployAsync(null);
        await delivery.SetAlarmStateAsync(OutageAlarm, "ALARM", Token);
        var viaEventBridge = await delivery.EventBridgeEventAsync(OutageAlarm, "OK", Token);
        var viaSns = await delivery.SnsEventAsync(OutageAlarm, "OK", Token);

        // Act: both at once, as two Lambda invocations would run.
        var results = await Task.WhenAll(delivery.DeliverAsync(viaSns, Token), delivery.DeliverAsync(viaEventBridge, Token));

        // Assert
        Assert.All(results, r => Assert.True(r.Decision?.Decision == TriggerDecisions.Started, r.Payload));
        Assert.Equal([AlarmDeliveries.Sns, AlarmDeliveries.EventBridge], results.Select(r => r.Decision!.Delivery));
        Assert.Single(results.Select(r => r.Decision!.ExecutionName).Distinct());
        Assert.Equal(1, await CountAsync(delivery));
        await SettleAsync(delivery);
    }

    [Fact]
    public async Task TriggerCase_WhenTheAlarmFlapsWithinTheCooldown_ShouldStartOneExecution()
    {
        // Arrange
        var (delivery, _) = await DeployAsync(null);

        // Act: ALARM, then OK, then ALARM again once the first run has ended.
        await delivery.SetAlarmStateAsync(OutageAlarm, "ALARM", Token);
        var first = await delivery.DeliverAsync(await delivery.EventBridgeEventAsync(OutageAlarm, "OK", Token), Token);
        await delivery.SetAlarmStateAsync(OutageAlarm, "OK", Token);
        var ok = await delivery.DeliverAsync(await delivery.EventBridgeEventAsync(OutageAlarm, "ALARM", Token), Token);
        await SettleAsync(delivery);
        await delivery.SetAlarmStateAsync(OutageAlarm, "ALARM", Token);
        var again = await delivery.DeliverAsync(await delivery.EventBridgeEventAsync(OutageAlarm, "OK", Token), Token);

        // Assert: the third is the same window's execution (already exists) or, past a window boundary, the cooldown.
        Assert.Equal(TriggerDecisions.Started, first.Decision!.Decision);
        Assert.Equal(TriggerDecisions.Ignored, ok.Decision!.Decision);
        Assert.True(
            again.Decision!.Reason.StartsWith("execution for this decision window already exists", StringComparison.Ordinal)
            || again.Decision.Reason.StartsWith("cooldown: failover execution " + first.Decision.ExecutionName, StringComparison.Ordinal),
            again.Payload);
        Assert.Equal(1, await CountAsync(delivery));
    }

    [Fact]
    public async Task TriggerCase_WhenQuorumIsNotMet_ShouldStartNothing()
    {
        // Arrange: 2 of 3 alarms required; only the outage alarm is in ALARM.
        var (delivery, _) = await DeployAsync(t => { t["alarmArns"] = new JsonArray(OutageAlarm, ErrorsAlarm, LatencyAlarm); t["quorum"] = 2; });
        await delivery.SetAlarmStateAsync(OutageAlarm, "ALARM", Token);

        // Act
        var result = await delivery.DeliverAsync(await delivery.EventBridgeEventAsync(OutageAlarm, "OK", Token), Token);

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, result.Decision!.Decision);
        Assert.Equal("quorum not met: 1 of 3 listed alarms in ALARM, 2 required", result.Decision.Reason);
        Assert.Equal(0, await CountAsync(delivery));
    }

    [Fact]
    public async Task TriggerCase_WhenQuorumIsMet_ShouldStartOneExecution()
    {
        // Arrange: the errors alarm is already in ALARM; the outage alarm's transition completes the quorum.
        var (delivery, _) = await DeployAsync(t => { t["alarmArns"] = new JsonArray(OutageAlarm, ErrorsAlarm, LatencyAlarm); t["quorum"] = 2; });
        await delivery.SetAlarmStateAsync(ErrorsAlarm, "ALARM", Token);
        await delivery.SetAlarmStateAsync(OutageAlarm, "ALARM", Token);

        // Act
        var result = await delivery.DeliverAsync(await delivery.EventBridgeEventAsync(OutageAlarm, "OK", Token), Token);

        // Assert
        Assert.True(result.Decision?.Decision == TriggerDecisions.Started, result.Payload);
        Assert.StartsWith("alarm entered ALARM; 2 of 3 listed alarms in ALARM", result.Decision!.Reason, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(delivery));
        await SettleAsync(delivery);
    }

    [Fact]
    public async Task TriggerCase_WhenTheAlarmClearsBeforeTheSustainPeriod_ShouldStartNothing()
    {
        // Arrange
        var (delivery, _) = await DeployAsync(t => t["sustainSeconds"] = 4);
        await delivery.SetAlarmStateAsync(OutageAlarm, "ALARM", Token);
        var evt = await delivery.EventBridgeEventAsync(OutageAlarm, "OK", Token);

        // Act: the trigger waits 4 s; the alarm goes back to OK after 1 s.
        var pending = delivery.DeliverAsync(evt, Token);
        await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, Token);
        await delivery.SetAlarmStateAsync(OutageAlarm, "OK", Token);
        var result = await pending;

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, result.Decision!.Decision);
        Assert.Contains("is OK since", result.Decision.Reason, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(delivery));
    }

    [Fact]
    public async Task TriggerCase_WhenTheAlarmHoldsForTheSustainPeriod_ShouldWaitAndStartOneExecution()
    {
        // Arrange
        var (delivery, _) = await DeployAsync(t => t["sustainSeconds"] = 2);
        await delivery.SetAlarmStateAsync(OutageAlarm, "ALARM", Token);
        var evt = await delivery.EventBridgeEventAsync(OutageAlarm, "OK", Token);
        var before = TimeProvider.System.GetTimestamp();

        // Act
        var result = await delivery.DeliverAsync(evt, Token);

        // Assert
        Assert.True(result.Decision?.Decision == TriggerDecisions.Started, result.Payload);
        Assert.True(TimeProvider.System.GetElapsedTime(before) >= TimeSpan.FromSeconds(1.5), "the trigger did not wait for the sustain period");
        Assert.Equal(1, await CountAsync(delivery));
        await SettleAsync(delivery);
    }

    [Fact]
    public async Task TriggerCase_WhenAnExecutionIsAlreadyRunning_ShouldStartNothingMore()
    {
        // Arrange: an operator's failover whose first task is slow, so it is still RUNNING.
        var (delivery, environment) = await DeployAsync(null);
        fixture.Aws.Gateway.AddFault(new FaultRule("Invoke", "", HttpStatusCode.OK, 1) { Latency = TimeSpan.FromSeconds(8) });
        Assert.Equal(0, await StartManuallyAsync(new StartOptions { StateMachineArn = environment.StateMachineArn, Reason = "operator failover" }));
        await WaitUntilAsync(() => fixture.Aws.Gateway.Calls("Invoke") >= 1);
        await delivery.SetAlarmStateAsync(OutageAlarm, "ALARM", Token);

        // Act
        var result = await delivery.DeliverAsync(await delivery.EventBridgeEventAsync(OutageAlarm, "OK", Token), Token);

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, result.Decision!.Decision);
        Assert.Matches("^execution orders-failover-[0-9T]+Z-manual \\(failover\\) is RUNNING; no second start while one is in flight$", result.Decision.Reason);
        Assert.Equal(1, await CountAsync(delivery));
        await SettleAsync(delivery);
    }

    [Fact]
    public async Task TriggerCase_WhenAManualFailoverEndedWithinTheCooldown_ShouldStartNothingMore()
    {
        // Arrange
        var (delivery, environment) = await DeployAsync(null);
        Assert.Equal(0, await StartManuallyAsync(new StartOptions { StateMachineArn = environment.StateMachineArn, Reason = "operator failover" }));
        await SettleAsync(delivery);
        await delivery.SetAlarmStateAsync(OutageAlarm, "ALARM", Token);

        // Act
        var result = await delivery.DeliverAsync(await delivery.EventBridgeEventAsync(OutageAlarm, "OK", Token), Token);

        // Assert
        Assert.Equal(TriggerDecisions.Ignored, result.Decision!.Decision);
        Assert.StartsWith("cooldown: failover execution orders-failover-", result.Decision.Reason, StringComparison.Ordinal);
        Assert.EndsWith("(cooldownMinutes 60); a failback is never automatic", result.Decision.Reason, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(delivery));
    }

    [Fact]
    public async Task TriggerCase_WhenTheEventComesFromAnotherAccount_ShouldRejectIt()
    {
        // Arrange
        var (delivery, _) = await DeployAsync(null);
        await delivery.SetAlarmStateAsync(OutageAlarm, "ALARM", Token);
        var evt = Mutate("metric-alarm.orders-primary-outage.ok-to-alarm.json", e => e["account"] = "210987654321");

        // Act
        var result = await delivery.DeliverAsync(evt, Token);

        // Assert
        Assert.Equal(TriggerDecisions.Rejected, result.Decision!.Decision);
        Assert.Equal("event from account '210987654321', expected '123456789012'", result.Decision.Reason);
        Assert.Equal(0, await CountAsync(delivery));
    }

    [Fact]
    public async Task TriggerCase_WhenInputIsMalformed_ShouldRejectEveryKindAndStartNothing()
    {
        // Arrange
        var (delivery, _) = await DeployAsync(null);
        await delivery.SetAlarmStateAsync(OutageAlarm, "ALARM", Token);
        var decisions = new List<string>();

        // Act
        foreach (var (kind, evt) in MalformedInputs.Select(row => ((string)row[0], (string)row[1])))
        {
            var result = await delivery.DeliverAsync(evt, Token);
            decisions.Add($"{kind}: {result.Decision?.Decision ?? result.FunctionError} ({result.Decision?.Reason})");
        }

        // Assert
        Assert.Equal(12, decisions.Count);
        Assert.All(decisions, d => Assert.Contains(": rejected (", d, StringComparison.Ordinal));
        Assert.Equal(0, await CountAsync(delivery));
    }

    [Fact]
    public async Task TriggerCase_WhenStartExecutionIsThrottled_ShouldFailForARetryThenStartOnce()
    {
        // Arrange: every attempt of the first delivery is throttled.
        var (delivery, _) = await DeployAsync(null);
        await delivery.SetAlarmStateAsync(OutageAlarm, "ALARM", Token);
        var evt = await delivery.EventBridgeEventAsync(OutageAlarm, "OK", Token);
        fixture.Aws.Gateway.AddFault(new FaultRule("StartExecution", "ThrottlingException", HttpStatusCode.BadRequest, 3));

        // Act
        var throttled = await delivery.DeliverAsync(evt, Token);
        var countAfterThrottling = await CountAsync(delivery);
        var retried = await delivery.DeliverAsync(evt, Token);

        // Assert
        Assert.Equal("AwsThrottlingException", throttled.FunctionError);
        Assert.Equal(0, countAfterThrottling);
        Assert.Equal(TriggerDecisions.Started, retried.Decision!.Decision);
        Assert.Equal(1, await CountAsync(delivery));
        await SettleAsync(delivery);
    }

    [Fact]
    public async Task TriggerCase_WhenAnOperatorStartsAFailoverFromTheStack_ShouldStartOneExecutionWithTheManualInput()
    {
        // Arrange: a stack whose StateMachineArn output names the deployed state machine.
        var (delivery, environment) = await DeployAsync(null);
        await CreateStackAsync("failover-orders", environment.StateMachineArn);

        // Act
        var exitCode = await StartManuallyAsync(new StartOptions { Stack = "failover-orders", Mode = "failover", Reason = "primary region degraded" });

        // Assert
        Assert.Equal(0, exitCode);
        var execution = Assert.Single(await delivery.ExecutionsAsync(Token));
        Assert.Matches("^orders-failover-[0-9]{8}T[0-9]{6}Z-manual$", execution.Name);
        var describe = await fixture.Aws.Clients("us-west-2", TimeProvider.System).StepFunctions.DescribeExecutionAsync(execution.ExecutionArn, Token);
        var input = JsonNode.Parse(describe.Input!)!;
        Assert.Equal("failover", (string?)input["mode"]);
        Assert.Equal("primary region degraded", (string?)input["reason"]);
        Assert.False((bool)input["requireApproval"]!);
        await SettleAsync(delivery);
    }

    [Theory]
    [InlineData("failback", null, 2)]
    [InlineData("failover", "", 2)]
    [InlineData("switchover", "planned move", 0)]
    public async Task TriggerCase_WhenAnOperatorStartsWithTheSameChecksAsTheWorkflow_ShouldStartOnlyValidInput(string mode, string? reason, int expectedExit)
    {
        // Arrange
        var (delivery, environment) = await DeployAsync(null);

        // Act
        var exitCode = await StartManuallyAsync(new StartOptions { StateMachineArn = environment.StateMachineArn, Mode = mode, Reason = reason });

        // Assert
        Assert.Equal(expectedExit, exitCode);
        Assert.Equal(expectedExit == 0 ? 1 : 0, await CountAsync(delivery));
        await SettleAsync(delivery);
    }

    [Fact]
    public async Task TriggerCase_WhenTheStackHasNoSuchName_ShouldExitWith2AndStartNothing()
    {
        // Arrange
        var (delivery, _) = await DeployAsync(null);

        // Act
        var exitCode = await StartManuallyAsync(new StartOptions { Stack = "no-such-stack", Reason = "test" });

        // Assert
        Assert.Equal(2, exitCode);
        Assert.Equal(0, await CountAsync(delivery));
    }

    [Theory]
    [InlineData("metric-alarm.orders-primary-outage.ok-to-alarm.json", "started", true)]
    [InlineData("metric-alarm.orders-primary-outage.alarm-to-ok.json", "ignored", false)]
    public async Task TriggerCase_WhenSimulateDeliversAnEventFile_ShouldExit0AndWriteTheDecision(string sample, string decision, bool hasExecution)
    {
        // Arrange
        var json = new FileInfo(Path.Combine(_directory, "decision.json"));
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });

        // Act
        var exitCode = await SimulateEventCommand.RunAsync(null, new FileInfo(Path.Combine(AppContext.BaseDirectory, "Events", sample)), json, console, Token);

        // Assert
        Assert.True(exitCode == 0, output.ToString());
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json.FullName, Token));
        var root = document.RootElement;
        Assert.Equal(decision, root.GetProperty("decision").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("reason").GetString()));
        Assert.Equal(hasExecution ? JsonValueKind.String : JsonValueKind.Null, root.GetProperty("executionName").ValueKind);
        Assert.Contains(decision, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TriggerCase_WhenSimulateIsGivenAMissingEventFile_ShouldExit2()
    {
        // Arrange
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });

        // Act
        var exitCode = await SimulateEventCommand.RunAsync(null, new FileInfo(Path.Combine(_directory, "nope.json")), null, console, Token);

        // Assert
        Assert.Equal(2, exitCode);
        Assert.Contains("Event file not found", output.ToString(), StringComparison.Ordinal);
    }

    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Events", name));

    private static string Mutate(string sample, Action<JsonNode> change)
    {
        var node = JsonNode.Parse(Sample(sample))!;
        change(node);
        return node.ToJsonString();
    }

    /// <summary>Resets the local AWS and deploys the packaged plan with its trigger section changed (sustain 0, no approval, cooldown 60 unless changed).</summary>
    private async Task<(TriggerDelivery Delivery, DeployedEnvironment Environment)> DeployAsync(Action<JsonObject>? trigger)
    {
        await fixture.Aws.ResetAsync(Token);
        var plan = JsonNode.Parse(await File.ReadAllTextAsync(LocalEnvironment.PlanPath, Token))!.AsObject();
        var section = plan["trigger"]!.AsObject();
        section["sustainSeconds"] = 0;
        section["requireApproval"] = false;
        section["cooldownMinutes"] = 60;
        trigger?.Invoke(section);
        var path = Path.Combine(_directory, $"plan-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, plan.ToJsonString(), Token);
        var environment = await LocalEnvironment.DeployAsync(fixture.Aws, path, new LocalEnvironmentOptions { WorkDirectory = _directory }, TimeProvider.System, Token);
        return (new TriggerDelivery(fixture.Aws, environment, TimeProvider.System), environment);
    }

    private async Task<int> StartManuallyAsync(StartOptions options)
    {
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        // As a script starts it, with --yes: the question a production start asks is StartCommandTests' (Failover.Cli.Tests).
        return await StartCommand.RunAsync(options with { EndpointUrl = fixture.Aws.Gateway.Endpoint, Region = "us-west-2", Yes = true }, console, TimeProvider.System, new BasicAWSCredentials("test", "test"), Token);
    }

    private static async Task<int> CountAsync(TriggerDelivery delivery) => (await delivery.ExecutionsAsync(CancellationToken.None)).Count;

    /// <summary>Waits until no execution is in flight, so nothing of this case reaches the next one's deployment.</summary>
    private async Task SettleAsync(TriggerDelivery delivery)
    {
        await WaitUntilAsync(async () => (await delivery.ExecutionsAsync(Token)).All(e => e.Status != "RUNNING"));
    }

    private Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromMinutes(2);
        while (!await condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "timed out waiting on the local AWS");
            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System, Token);
        }
    }

    /// <summary>CreateStack on the local AWS (signed as CloudFormation), with one output naming the state machine.</summary>
    private async Task CreateStackAsync(string stackName, string stateMachineArn)
    {
        var template = new JsonObject
        {
            ["Resources"] = new JsonObject { ["Marker"] = new JsonObject { ["Type"] = "AWS::SNS::Topic" } },
            ["Outputs"] = new JsonObject { [StartCommand.StateMachineOutput] = new JsonObject { ["Value"] = stateMachineArn } },
        }.ToJsonString();
        var body = $"Action=CreateStack&Version=2010-05-15&StackName={Uri.EscapeDataString(stackName)}&TemplateBody={Uri.EscapeDataString(template)}";
        var uri = fixture.Aws.Gateway.Endpoint;
        var signing = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = uri, Content = Encoding.UTF8.GetBytes(body) };
        signing.Headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8";
        var signed = await AWSSigV4Signer.SignAsync(signing,
            new AWSSigV4Parameters { Credentials = new BasicAWSCredentials("test", "test"), Region = Amazon.RegionEndpoint.USWest2, Service = "cloudformation" }, Token);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(signing.Content) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        foreach (var (name, value) in signed.Headers.Where(h => !h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase) && !h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request, Token);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Token));
    }
}
