using Failover.Aws.Clients;
using Failover.Aws.Transport;
using Failover.Core.Ports;

namespace Failover.Aws.Adapters;

/// <summary>Starts executions of the failover state machine; a name already used counts as started.</summary>
public sealed class StepFunctionsExecutionStarter(StepFunctionsClient stepFunctions, string stateMachineArn) : IExecutionStarter
{
    /// <inheritdoc />
    public async Task<StartOutcome> StartAsync(string name, string input, CancellationToken cancellationToken)
    {
        try
        {
            await stepFunctions.StartExecutionAsync(stateMachineArn, name, input, cancellationToken);
            return StartOutcome.Started;
        }
        catch (AwsConflictException ex) when (ex.ErrorCode == "ExecutionAlreadyExists")
        {
            return StartOutcome.AlreadyExists;
        }
    }
}
