using System.Diagnostics;
using System.Text.Json.Nodes;
using Failover.Core.Plans;
using Failover.Core.Reports;
using Failover.Core.Runs;
using Failover.Core.Triggers;
using Failover.Local;
using Failover.Local.Iam;
using Xunit.Abstractions;

namespace Failover.Workflow.Tests;

/// <summary>A second local AWS whose moto enforces SigV4 and IAM; each test resets it, re-creates the users and redeploys.</summary>
public sealed class IamLocalAwsFixture : IAsyncLifetime
{
    private LocalAws? _aws;

    public LocalAws Aws => _aws ?? throw new InvalidOperationException("local AWS not started");

    /// <summary>The warm-standby scenario's plan (the packaged plan plus an Auto Scaling group and an ECS service), so the
    /// run exercises every kind of statement the local AWS can: capacity as well as databases, servers and switches.</summary>
    public RecoveryPlan Plan { get; } = WarmStandbyPlan;

    /// <summary><see cref="Plan"/>, for the statements' local values.</summary>
    public static RecoveryPlan WarmStandbyPlan { get; } = Scenarios.WarmStandby(PlanDocument.Parse(File.ReadAllText(LocalEnvironment.PlanPath)));

    public async Task InitializeAsync() => _aws = await LocalAws.StartAsync(LocalIam.MotoEnvironment, CancellationToken.None);

    public async Task DisposeAsync()
    {
        if (_aws is not null)
        {
            await _aws.DisposeAsync();
        }
    }

    /// <summary>Empties the local AWS, gives each function a user with its role's statements that <paramref name="keep"/> keeps, and deploys.</summary>
    public async Task<DeployedEnvironment> FreshEnvironmentAsync(Func<string, RoleStatement, bool>? keep, CancellationToken cancellationToken, string? planPath = null)
    {
        await Aws.ResetAsync(cancellationToken);
        var iam = await LocalIam.EnableAsync(Aws, TemplatePolicies.ForLocal(Plan), keep, cancellationToken);
        return await LocalEnvironment.DeployAsync(Aws, planPath ?? Write(Plan), new LocalEnvironmentOptions { FunctionCredentials = iam.FunctionCredentials }, TimeProvider.System, cancellationToken);
    }

    /// <summary>The packaged plan with one DRS job at a time, so Check recovery starts the second batch itself.</summary>
    public string OneJobAtATimePlan()
    {
        var packaged = PlanDocument.Parse(File.ReadAllText(LocalEnvironment.PlanPath));
        return Write(packaged with { Servers = [.. packaged.Waves.Select(w => w with { MaxConcurrentJobs = 1 })] });
    }

    private static string Write(RecoveryPlan plan)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("failover-iam-plan-").FullName, "plan.json");
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(plan, Failover.Core.FailoverJson.Indented.RecoveryPlan));
        return path;
    }
}

[CollectionDefinition(Name)]
public sealed class IamLocalAwsCollection : ICollectionFixture<IamLocalAwsFixture>
{
    public const string Name = "IAM-enforced local AWS";
}

/// <summary>
/// The run with moto's IAM enforcement on, each function calling with the keys of a user whose policy is its role in
/// template.yaml: the whole run passes, and removing any one statement that the local run exercises makes the step
/// that needs it fail with AwsAccessDeniedException.
/// </summary>
[Collection(IamLocalAwsCollection.Name)]
public sealed class IamEnforcementTests(IamLocalAwsFixture fixture, ITestOutputHelper output)
{
    private const string AccessDenied = "AwsAccessDeniedException";

    /// <summary>
    /// Statements this run cannot exercise, with the reason: its plan has RDS instance replicas and switch-metric switches
    /// only (no Aurora cluster or global database, no Route 53 control-plane switch).
    /// </summary>
    public static readonly IReadOnlyDictionary<(string Function, string Sid), string> NotExercisedLocally = new Dictionary<(string, string), string>
    {
        [("PrepareFunction", "DescribeGlobalDatabases")] = "Aurora global databases are not deployed locally",
        [("PromoteDatabasesFunction", "DescribeGlobalDatabases")] = "Aurora global databases are not deployed locally",
        [("PromoteDatabasesFunction", "PromoteAuroraClusters")] = "Aurora clusters are not deployed locally",
        [("PromoteDatabasesFunction", "FailOverGlobalDatabases")] = "Aurora global databases are not deployed locally",
        [("CheckDatabasesFunction", "FailOverCancelledSwitchovers")] = "only an Aurora global switchover that RDS cancels in failover mode falls back here",
        [("SwitchTrafficFunction", "InvertHealthChecks")] = "control-plane switches are not deployed locally",
        [("SwitchTrafficFunction", "UpsertRecords")] = "control-plane switches are not deployed locally",
        [("SwitchTrafficFunction", "FollowChanges")] = "only record switches return a change to follow; none is deployed locally",
        [("CheckTrafficFunction", "FollowChanges")] = "only record switches return a change to follow; none is deployed locally",
        [("CheckTrafficFunction", "FollowGuardedHealthChecks")] = "the local Route 53 follows a switch datapoint at once, so Switch traffic's own look confirms the switch and Check traffic is not reached",
        [("VerifyTrafficFunction", "ReadSwitches")] = "control-plane switches are not deployed locally",
        [("ReadinessFunction", "DescribeGlobalDatabases")] = "Aurora global databases are not deployed locally",
        [("ReadinessFunction", "DecryptScheduledDrills")] = "the local AWS checks KMS by action, not kms:ViaService: UseTopicKey's kms:Decrypt covers it",
        [("NotifyFailureFunction", "DecryptHistory")] = "the local AWS checks KMS by action, not kms:ViaService: UseTopicKey's kms:Decrypt covers it",
    };

    // Statements only a drill reaches (operator start with mode drill).
    private static readonly HashSet<(string, string)> DrillOnly =
    [
        ("PromoteDatabasesFunction", "CopyReplicasForDrills"),
        ("CheckDatabasesFunction", "PromoteDrillCopies"),
        ("VerifyTrafficFunction", "ReadSwitchAlarms"),
        ("CleanupDrillFunction", "FindDrillCopies"),
        ("CleanupDrillFunction", "RemoveDrillCopies"),
        ("CleanupDrillFunction", "FindDrillInstances"),
        ("CleanupDrillFunction", "TerminateDrillInstances"),
        ("CleanupDrillFunction", "DescribeDrillInstances"),
        ("CleanupDrillFunction", "TerminateDrillEc2Instances"),
    ];

    private static readonly TemplatePolicies Policies = TemplatePolicies.ForLocal(IamLocalAwsFixture.WarmStandbyPlan);

    public static TheoryData<string, string> ExercisedStatements
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (function, sid) in Policies.Functions.SelectMany(f => f.Value.Select(s => (f.Key, s.Sid))).Where(s => !NotExercisedLocally.ContainsKey(s)))
            {
                data.Add(function, sid);
            }

            return data;
        }
    }

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;

    [Fact]
    public async Task Simulate_WhenEveryFunctionHasOnlyItsRole_ShouldSucceedWithEveryCheck()
    {
        var watch = Stopwatch.StartNew();
        var environment = await fixture.FreshEnvironmentAsync(null, Timeout);
        var deployed = watch.Elapsed;

        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        output.WriteLine($"deploy {deployed.TotalSeconds:0.0} s, run {(watch.Elapsed - deployed).TotalSeconds:0.0} s");
        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        Assert.All(report.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Contains(report.Steps, s => s.Name == "Switch traffic");
    }

    [Fact]
    public async Task Drill_WhenEveryFunctionHasOnlyItsRole_ShouldNotBeDeniedAnything()
    {
        var environment = await fixture.FreshEnvironmentAsync(null, Timeout);

        var report = await Start(environment, RunModes.Drill);

        Assert.DoesNotContain(report.Checks, c => c.Detail.Contains(AccessDenied, StringComparison.Ordinal));
        Assert.DoesNotContain(report.Steps, s => s.Outcome == "failed");
    }

    [Fact]
    public async Task Deploy_WhenSignedWithAKeyMotoDoesNotKnow_ShouldBeRefused()
    {
        await fixture.FreshEnvironmentAsync(null, Timeout);
        var stranger = fixture.Aws.Clients("us-west-2", TimeProvider.System).Options with { Credentials = new Amazon.Runtime.BasicAWSCredentials("AKIASTRANGER", "secret") };

        var error = await Assert.ThrowsAsync<Failover.Aws.Transport.AwsAccessDeniedException>(() =>
            new Failover.Aws.AwsClients(stranger, TimeProvider.System).Rds.DescribeDBInstancesAsync(null, Timeout));

        Assert.Equal("InvalidClientTokenId", error.ErrorCode);
    }

    [Fact]
    public void NotExercisedLocally_WhenComparedWithTheTemplate_ShouldNameExistingStatements()
    {
        var statements = Policies.Functions.SelectMany(f => f.Value.Select(s => (f.Key, s.Sid))).ToHashSet();

        Assert.All(NotExercisedLocally.Keys, k => Assert.Contains(k, statements));
        Assert.All(DrillOnly, k => Assert.Contains(k, statements));
    }

    [Theory]
    [MemberData(nameof(ExercisedStatements))]
    public async Task Run_WhenOneStatementIsRemoved_ShouldFailWithAccessDeniedAtTheStepThatNeedsIt(string function, string sid)
    {
        var watch = Stopwatch.StartNew();
        // Check recovery starts batches only when a job limit held some back: give it one job at a time.
        // A statement that is not about capacity is proved on the packaged plan: moto's engine can lose the history of an
        // execution whose Parallel branch fails while another branch's task is in flight, and the capacity branch would
        // add one.
        var capacity = Policies.Functions[function].Single(s => s.Sid == sid).Actions.Any(a => a.StartsWith("autoscaling:", StringComparison.Ordinal) || a.StartsWith("ecs:", StringComparison.Ordinal));
        var planPath = function == "CheckRecoveryFunction" ? fixture.OneJobAtATimePlan() : capacity ? null : LocalEnvironment.PlanPath;
        var environment = await fixture.FreshEnvironmentAsync((f, s) => !(f == function && s.Sid == sid), Timeout, planPath);

        if (function == NotifyFailureFunction)
        {
            var line = await NotifyFailureErrorAsync(environment, drill: Policies.Functions[function].Single(s => s.Sid == sid).Actions.Any(a => !a.StartsWith("states:", StringComparison.Ordinal) && !a.StartsWith("sns:", StringComparison.Ordinal) && !a.StartsWith("kms:", StringComparison.Ordinal)));
            output.WriteLine($"{function}/{sid}: {watch.Elapsed.TotalSeconds:0.0} s; {line}");
            Assert.Contains("AccessDenied", line, StringComparison.Ordinal);
            return;
        }

        if (function == ReadinessFunction)
        {
            // Not a step of the state machine: its schedule invokes it; the first evaluation reads, publishes, stores and notifies.
            if (sid == "ReadScheduledDrills")
            {
                await ScheduledDrillAsync(environment);
            }

            var invoke = await InvokeReadinessAsync(environment);
            output.WriteLine($"{function}/{sid}: {watch.Elapsed.TotalSeconds:0.0} s; {invoke.Payload}");
            Assert.Equal(AccessDenied, invoke.FunctionError is null ? null : System.Text.Json.JsonDocument.Parse(invoke.Payload).RootElement.GetProperty("errorType").GetString());
            return;
        }

        if (function == "TriggerFunction")
        {
            var error = await DeliverOutageAsync(environment);
            output.WriteLine($"{function}/{sid}: {watch.Elapsed.TotalSeconds:0.0} s");
            Assert.Equal(AccessDenied, error);
            return;
        }

        var report = await Start(environment, DrillOnly.Contains((function, sid)) || function is "VerifyTrafficFunction" or "CleanupDrillFunction" ? RunModes.Drill : RunModes.Failover);
        output.WriteLine($"{function}/{sid}: {watch.Elapsed.TotalSeconds:0.0} s; steps {string.Join(", ", report.Steps.Select(s => $"{s.Name}={s.Outcome}"))}");

        var steps = StepsOf(function);
        Assert.Contains(report.Steps, s => steps.Contains(s.Name) && s.Outcome == "failed");
        Assert.Contains(report.Checks, c => c.Name == "execution succeeded" && !c.Passed && c.Detail.Contains(AccessDenied, StringComparison.Ordinal));
    }

    // The execution status rule's function runs after the execution ended; it has no step of its own.
    [Fact]
    public async Task FailedDrill_WhenEveryFunctionHasOnlyItsRole_ShouldBeReportedAndCleanedUpAfterwards()
    {
        var environment = await fixture.FreshEnvironmentAsync(null, Timeout);

        var line = await NotifyFailureLogAsync(environment, drill: true, "INFO");

        Assert.Contains("failure notified: FAILED at Verify switches", line, StringComparison.Ordinal);
        var recovery = fixture.Aws.Clients(environment.Plan.RecoveryRegion, TimeProvider.System);
        Assert.Empty(await new Failover.Aws.Adapters.DrillResources(recovery.Rds, recovery.Drs).FindAsync(null, Timeout));
    }

    private const string NotifyFailureFunction = "NotifyFailureFunction";

    private const string ReadinessFunction = "ReadinessFunction";

    [Fact]
    public async Task Readiness_WhenTheFunctionHasOnlyItsRole_ShouldEvaluatePublishStoreAndNotify()
    {
        var environment = await fixture.FreshEnvironmentAsync(null, Timeout);

        var invoke = await InvokeReadinessAsync(environment);

        Assert.True(invoke.FunctionError is null, invoke.Payload);
        // No drill has run in a fresh environment: one finding, so the notification (sns:Publish with the topic's key) is exercised too.
        Assert.Contains("\"drill-overdue\"", invoke.Payload, StringComparison.Ordinal);
    }

    // A drill as the template's DrillSchedule rule starts it: a name EventBridge chooses, the rule's input.
    private async Task ScheduledDrillAsync(DeployedEnvironment environment)
    {
        var stepFunctions = fixture.Aws.Clients(environment.Plan.RecoveryRegion, TimeProvider.System).StepFunctions;
        var started = await stepFunctions.StartExecutionAsync(environment.StateMachineArn, Guid.NewGuid().ToString(), """{"mode":"drill","reason":"scheduled drill"}""", Timeout);
        while ((await stepFunctions.DescribeExecutionAsync(started.ExecutionArn, Timeout)).Status == "RUNNING")
        {
            await Task.Delay(200, Timeout);
        }
    }

    private Task<Failover.Aws.Clients.InvokeResult> InvokeReadinessAsync(DeployedEnvironment environment) =>
        fixture.Aws.Clients(environment.Plan.RecoveryRegion, TimeProvider.System).Lambda.InvokeAsync(environment.ReadinessFunctionName,
            ReadinessSimulation.ScheduledEvent(TimeProvider.System.GetUtcNow(), environment.Plan.RecoveryRegion), "RequestResponse", Timeout);

    // The first error NotifyFailureFunction logs after a run that failed: a drill at Verify switches (after it created
    // copies and drill instances, so every cleanup statement is exercised), or a failover at Prepare.
    private Task<string> NotifyFailureErrorAsync(DeployedEnvironment environment, bool drill) => NotifyFailureLogAsync(environment, drill, "ERROR");

    private async Task<string> NotifyFailureLogAsync(DeployedEnvironment environment, bool drill, string level)
    {
        var logged = File.Exists(environment.FunctionLogPath) ? new FileInfo(environment.FunctionLogPath).Length : 0;
        fixture.Aws.Gateway.AddFault(drill
            ? new FaultRule("DescribeAlarms", "InternalFailure", System.Net.HttpStatusCode.InternalServerError, 12)
            : new FaultRule("DescribeDBInstances", "InvalidParameterValue", System.Net.HttpStatusCode.BadRequest, 1));
        var report = await Start(environment, drill ? RunModes.Drill : RunModes.Failover);
        Assert.Equal("FAILED", report.Execution.Status);
        // A ceiling, not a budget: the wait ends as soon as the line is logged; a loaded machine logs late.
        var patience = TimeSpan.FromMinutes(2);
        var deadline = TimeProvider.System.GetUtcNow() + patience;
        while (true)
        {
            using (var stream = new FileStream(environment.FunctionLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                stream.Seek(logged, SeekOrigin.Begin);
                using var reader = new StreamReader(stream);
                var lines = (await reader.ReadToEndAsync(Timeout)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
                if (lines.FirstOrDefault(l => l.Contains($"\"function\":\"{NotifyFailureFunction}\"", StringComparison.Ordinal) && l.Contains($"\"level\":\"{level}\"", StringComparison.Ordinal)) is { } line)
                {
                    return line;
                }
            }

            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"{NotifyFailureFunction} logged no {level} line within {patience.TotalSeconds:0} s of the run's end");
            await Task.Delay(200, Timeout);
        }
    }

    private Task<RunReport> Start(DeployedEnvironment environment, string mode) =>
        new Simulation(fixture.Aws, environment, TimeProvider.System).StartAsync(new StartRequest { Mode = mode, Reason = "IAM enforcement test" }, null, Timeout);

    // The outage event through the trigger path, after an ended drill the trigger must read (DescribeExecution).
    private async Task<string?> DeliverOutageAsync(DeployedEnvironment environment)
    {
        var recovery = fixture.Aws.Clients(environment.Plan.RecoveryRegion, TimeProvider.System);
        var drill = await recovery.StepFunctions.StartExecutionAsync(environment.StateMachineArn, "earlier-drill", """{"mode":"drill","reason":"seen by the trigger"}""", Timeout);
        await StopAsync(recovery.StepFunctions, drill.ExecutionArn);
        var delivery = new TriggerDelivery(fixture.Aws, environment, TimeProvider.System);
        var alarm = environment.Plan.Trigger.AlarmArns[0];
        await delivery.SetAlarmStateAsync(alarm, "ALARM", Timeout);
        var result = await delivery.DeliverAsync(await delivery.EventBridgeEventAsync(alarm, "OK", Timeout), Timeout);
        return result.FunctionError ?? result.Decision?.Decision;
    }

    // moto answers 500 to a StopExecution that races its engine starting the execution; stop again until it is closed.
    private static async Task StopAsync(Failover.Aws.Clients.StepFunctionsClient stepFunctions, string executionArn)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await stepFunctions.StopExecutionAsync(executionArn, null, null, Timeout);
                return;
            }
            catch (Failover.Aws.Transport.AwsTransientException) when (attempt < 10)
            {
                if ((await stepFunctions.DescribeExecutionAsync(executionArn, Timeout)).Status != "RUNNING")
                {
                    return;
                }

                await Task.Delay(200, Timeout);
            }
        }
    }

    // The task states that invoke the function (${NameFunctionArn} in the ASL).
    private static HashSet<string> StepsOf(string function)
    {
        var placeholder = "${" + function + "Arn}";
        var steps = new HashSet<string>(StringComparer.Ordinal);
        void Walk(JsonObject? states)
        {
            foreach (var (name, state) in states ?? [])
            {
                if (state?["Resource"]?.GetValue<string>() == placeholder || state?["Parameters"]?["FunctionName"]?.GetValue<string>() == placeholder)
                {
                    steps.Add(name);
                }

                foreach (var branch in state?["Branches"]?.AsArray() ?? [])
                {
                    Walk(branch?["States"]?.AsObject());
                }
            }
        }

        Walk(JsonNode.Parse(File.ReadAllText(LocalEnvironment.AslPath))?["States"]?.AsObject());
        Assert.NotEmpty(steps);
        return steps;
    }
}
