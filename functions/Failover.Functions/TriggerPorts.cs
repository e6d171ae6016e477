using Failover.Aws;
using Failover.Aws.Adapters;
using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Triggers;

namespace Failover.Functions;

/// <summary>The ports the Trigger's decision uses: AWS adapters in Lambda, in-memory fakes in tests.</summary>
public sealed record TriggerPorts(IExecutionStarter Executions)
{
    /// <summary>The AWS adapters, or null when the function has no state machine (only Trigger needs one).</summary>
    public static TriggerPorts? ForAws(FunctionSettings settings, AwsClients clients) =>
        settings.StateMachineArn is { Length: > 0 } stateMachine
            ? new TriggerPorts(new StepFunctionsExecutionStarter(clients.StepFunctions, stateMachine))
            : null;

    /// <summary>The trigger's decision service over these ports.</summary>
    public TriggerService CreateService(RecoveryPlan plan, TimeProvider clock) => new(plan, Executions);
}
