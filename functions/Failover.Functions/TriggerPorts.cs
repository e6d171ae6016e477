using Failover.Aws;
using Failover.Aws.Adapters;
using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Triggers;

namespace Failover.Functions;

/// <summary>The ports the Trigger's decision uses: AWS adapters in Lambda, in-memory fakes in tests.</summary>
/// <param name="Executions">Starts the failover state machine.</param>
/// <param name="Alarms">Reads the listed alarms' states at decision time (quorum, sustain, flapping).</param>
/// <param name="History">Lists in-flight and recent executions (no second start, cooldown).</param>
public sealed record TriggerPorts(IExecutionStarter Executions, IAlarmStates Alarms, IExecutionHistory History)
{
    /// <summary>The longest the trigger may wait for a sustain period within one invocation.</summary>
    public TimeSpan MaxSustainWait { get; init; } = TimeSpan.FromSeconds(TriggerPolicy.MaxSustainSeconds);

    /// <summary>The AWS adapters, or null when the function has no state machine (only Trigger needs one).</summary>
    public static TriggerPorts? ForAws(FunctionSettings settings, AwsClients clients) =>
        settings.StateMachineArn is { Length: > 0 } stateMachine
            ? new TriggerPorts(
                new StepFunctionsExecutionStarter(clients.StepFunctions, stateMachine),
                new CloudWatchAlarmStates(clients.CloudWatch, clients.Options.Region),
                new StepFunctionsExecutionHistory(clients.StepFunctions, stateMachine))
            {
                MaxSustainWait = settings.WaitBudget,
            }
            : null;

    /// <summary>The trigger's decision service over these ports; throws when the plan's trigger cannot work with them.</summary>
    public TriggerService CreateService(RecoveryPlan plan, TimeProvider clock) => new(plan, Executions, Alarms, History, clock, MaxSustainWait);
}
