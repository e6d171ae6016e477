using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Failover.Cli;
using Failover.Core;
using Failover.Core.Plans;
using Failover.Core.Reports;
using Failover.Core.Runs;
using Failover.Local;
using Spectre.Console;

namespace Failover.Workflow.Tests;

/// <summary>A run that requires approval waits, changes nothing, and goes on or stops on the operator's word.</summary>
[Collection(LocalAwsCollection.Name)]
public sealed partial class ApprovalWorkflowTests(LocalAwsFixture fixture)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;

    [GeneratedRegex(@"failover approve --token (?<token>\S+) --by")]
    private static partial Regex ApproveLine();

    [Fact]
    public async Task Run_WhenApprovalIsRequiredAndGiven_ShouldWaitThenRecover()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout);
        using var output = new StringWriter();
        var promotesWhileWaiting = -1;

        var report = await RunWithDecisionAsync(environment, async (token, ct) =>
        {
            promotesWhileWaiting = fixture.Aws.Gateway.Calls("PromoteReadReplica") + fixture.Aws.Gateway.Calls("StartRecovery");
            return await ApproveCommand.RunAsync(token, reject: false, "on-call", "primary is down", environment.Plan.RecoveryRegion, fixture.Aws.Gateway.Endpoint,
                new BasicAWSCredentials("test", "test"), Console(output), TimeProvider.System, ct);
        });

        Assert.Equal(0, promotesWhileWaiting);
        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        Assert.Contains(report.Steps, s => s is { Name: "Wait for approval", Outcome: "succeeded" });
        Assert.Contains("Approved by on-call", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WhenApprovalIsRejected_ShouldFailAtTheApprovalWithoutChangingAnything()
    {
        var environment = await fixture.FreshEnvironmentAsync(Timeout);
        var inbox = await NotificationInbox.SubscribeAsync(fixture.Aws, environment, Timeout);
        using var output = new StringWriter();

        var report = await RunWithDecisionAsync(environment, (token, ct) =>
            ApproveCommand.RunAsync(token, reject: true, "on-call", "false alarm: the canary itself broke", environment.Plan.RecoveryRegion, fixture.Aws.Gateway.Endpoint,
                new BasicAWSCredentials("test", "test"), Console(output), TimeProvider.System, ct));

        Assert.Equal("FAILED", report.Execution.Status);
        Assert.Contains(report.Checks, c => c.Name == "execution succeeded" && c.Detail.Contains(Failover.Aws.Adapters.ApprovalDecisions.RejectedError, StringComparison.Ordinal));
        Assert.Equal(0, fixture.Aws.Gateway.Calls("PromoteReadReplica"));
        Assert.Equal(0, fixture.Aws.Gateway.Calls("StartRecovery"));
        Assert.Contains(report.Steps, s => s is { Name: "Wait for approval", Outcome: "failed" });
        var failure = await inbox.WaitForPhaseAsync("failure", Timeout);
        Assert.Equal("[Failover] orders failover failed at Wait for approval", failure.Subject);
        Assert.Contains("Already changed: nothing.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WhenAnUnattendedRunsDataAtRiskExceedsTheBudget_ShouldAskForApprovalStatingTheLossAndChangeNothingWhenRejected()
    {
        // The Trigger's input (no requireApproval: the sample plan runs unattended), with 120 s at risk over the 60 s budget.
        var environment = await fixture.FreshEnvironmentAsync(Timeout, new LocalEnvironmentOptions { ReplicaLagSeconds = 120 });
        var alarm = environment.Plan.Trigger.AlarmArns[0];
        var request = new StartRequest
        {
            Mode = RunModes.Failover,
            Reason = "alarm",
            Trigger = new TriggerInfo { AlarmArn = alarm, AlarmName = alarm.Split(':')[^1], AlarmTime = DateTimeOffset.UtcNow },
        };
        var approvalText = "";

        var report = await RunWithDecisionAsync(environment, (token, ct) =>
            ApproveCommand.RunAsync(token, reject: true, "on-call", "not worth two minutes of orders", environment.Plan.RecoveryRegion, fixture.Aws.Gateway.Endpoint,
                new BasicAWSCredentials("test", "test"), Console(new StringWriter()), TimeProvider.System, ct), request, text => approvalText = text);

        Assert.Contains("approving accepts losing data: orders-replica: 120 s of writes at risk exceeds the unattended data-loss budget of 60 s", approvalText, StringComparison.Ordinal);
        Assert.Equal("FAILED", report.Execution.Status);
        Assert.Equal(0, fixture.Aws.Gateway.Calls("PromoteReadReplica"));
        Assert.Equal(0, fixture.Aws.Gateway.Calls("StartRecovery"));
    }

    [Theory]
    [InlineData(false, "succeeded", "failover simulate approves: failover approve --token … --by \"failover simulate\"")]
    [InlineData(true, "failed", "failover simulate rejects: failover approve --reject --token … --by \"failover simulate\" --reason \"no\"")]
    public async Task RunAsync_WhenThePlanHasTheDocumentedTriggerDefaults_ShouldCountDownTheSustainAndAnswerTheApprovalInTheOpen(bool reject, string outcome, string decision)
    {
        // Arrange: the trigger's defaults as documented (sustain 30 s, approval required), shortened to 6 s of sustain.
        var packaged = PlanDocument.Parse(await File.ReadAllTextAsync(LocalEnvironment.PlanPath, Timeout));
        var plan = packaged with { Trigger = packaged.Trigger with { SustainSeconds = 6, RequireApproval = true } };
        var path = Path.Combine(Directory.CreateTempSubdirectory("failover-defaults-").FullName, "plan.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(plan, FailoverJson.Indented.RecoveryPlan), Timeout);
        await fixture.Aws.ResetAsync(Timeout);
        var environment = await LocalEnvironment.DeployAsync(fixture.Aws, path, new LocalEnvironmentOptions(), TimeProvider.System, Timeout);
        var said = new List<string>();
        var simulation = new Simulation(fixture.Aws, environment, TimeProvider.System)
        {
            Approval = reject ? SimulatedApproval.Approve with { Reject = true, Reason = "no" } : SimulatedApproval.Approve,
        };

        // Act
        var report = await simulation.RunAsync(new Recorder(said), Timeout);

        // Assert
        Assert.Equal(outcome, report.Outcome);
        Assert.Contains(said, m => m.StartsWith("the trigger waits until the alarm has stayed in ALARM for 6 s (sustainSeconds): ", StringComparison.Ordinal));
        Assert.Contains(said, m => m.StartsWith("approval  running  waiting for a person", StringComparison.Ordinal));
        Assert.Contains(said, m => m.Contains("the approval request reached the team ([Failover] orders failover approval-requested (waiting))", StringComparison.Ordinal) && m.EndsWith(decision, StringComparison.Ordinal));
        Assert.Contains(report.Steps, s => s is { Name: "Wait for approval" } && s.Outcome == (reject ? "failed" : "succeeded"));
        Assert.Equal(reject ? 0 : 1, fixture.Aws.Gateway.Calls("PromoteReadReplica"));
        Assert.DoesNotContain(said, m => m.Contains("StateEntered", StringComparison.Ordinal));
    }

    private async Task<RunReport> RunWithDecisionAsync(DeployedEnvironment environment, Func<string, CancellationToken, Task<int>> decide, StartRequest? request = null, Action<string>? approvalRequested = null)
    {
        // The decision is the test's, through failover approve: the simulation does not answer.
        var simulation = new Simulation(fixture.Aws, environment, TimeProvider.System) { Approval = null };
        request ??= new StartRequest { Mode = RunModes.Failover, Reason = "approval test", RequireApproval = true };
        return await simulation.StartAsync(request, null, Timeout, async (_, ct) =>
        {
            var (token, text) = await WaitForApprovalRequestAsync(simulation, ct);
            approvalRequested?.Invoke(text);
            Assert.Equal(0, await decide(token, ct));
        });
    }

    private static async Task<(string Token, string Text)> WaitForApprovalRequestAsync(Simulation simulation, CancellationToken cancellationToken)
    {
        while (true)
        {
            foreach (var notification in await simulation.ReadNotificationsAsync(cancellationToken))
            {
                if (notification.Attributes.GetValueOrDefault("phase") == "approval" && ApproveLine().Match(notification.Message) is { Success: true } match)
                {
                    return (match.Groups["token"].Value, notification.Message);
                }
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    // Records progress as it is reported (Progress<T> would post it to a thread pool later).
    private sealed class Recorder(List<string> said) : IProgress<SimulationProgress>
    {
        public void Report(SimulationProgress value)
        {
            lock (said)
            {
                said.Add(value.Message);
            }
        }
    }

    private static IAnsiConsole Console(StringWriter output) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
}
