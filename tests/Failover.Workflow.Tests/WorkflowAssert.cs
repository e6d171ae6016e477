using Failover.Core.Reports;
using Failover.Local;

namespace Failover.Workflow.Tests;

/// <summary>Assertions on how an execution ended, read from its own history.</summary>
public static class WorkflowAssert
{
    /// <summary>
    /// The execution FAILED at <paramref name="step"/>: the report shows that step failed, no Fail state was entered
    /// (a Fail state would be what a redrive restarts), and the execution's error is the error the step failed with.
    /// </summary>
    public static async Task EndedFailedAtAsync(LocalAws aws, DeployedEnvironment environment, RunReport report, string step, CancellationToken cancellationToken)
    {
        Assert.Equal("FAILED", report.Execution.Status);
        Assert.Contains(report.Steps, s => s.Name == step && s.Outcome == "failed");
        var stepFunctions = aws.Clients(environment.Plan.RecoveryRegion, TimeProvider.System).StepFunctions;
        var executionArn = environment.StateMachineArn.Replace(":stateMachine:", ":execution:", StringComparison.Ordinal) + ":" + report.Execution.Name;
        var history = await stepFunctions.GetExecutionHistoryAsync(executionArn, cancellationToken);
        var execution = await stepFunctions.DescribeExecutionAsync(executionArn, cancellationToken);
        var failStates = history.Where(e => e.Type == "FailStateEntered").Select(e => e.Details?["name"]?.GetValue<string>()).ToList();
        Assert.True(failStates.Count == 0, $"the execution entered the Fail state(s) {string.Join(", ", failStates)}: a redrive would restart there, not at {step}");
        var stepFailure = history.Last(e => e.Type is "LambdaFunctionFailed" or "TaskFailed" or "LambdaFunctionTimedOut" or "TaskTimedOut");
        Assert.Equal(stepFailure.Details?["error"]?.GetValue<string>(), execution.Error);
    }
}
