using Failover.Aws.Clients;
using Failover.Core.Ports;
using Failover.Core.Reports;

namespace Failover.Aws.Adapters;

/// <summary>Reads an execution's history from Step Functions for the report.</summary>
public sealed class StepFunctionsExecutionTimeline(StepFunctionsClient stepFunctions) : IExecutionTimeline
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<ExecutionHistoryEvent>> ReadAsync(string executionArn, CancellationToken cancellationToken) =>
        ExecutionHistory.ToTimeline(await stepFunctions.GetExecutionHistoryAsync(executionArn, cancellationToken));
}
