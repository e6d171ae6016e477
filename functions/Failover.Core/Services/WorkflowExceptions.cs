namespace Failover.Core.Services;

// Exception type names are the error names the state machine sees (States "ErrorEquals"), so they
// are part of the contract with statemachines/failover.asl.json.

/// <summary>The recovery region is not ready; nothing was changed.</summary>
public sealed class ReadinessFailedException(IReadOnlyList<string> problems)
    : Exception("Recovery region is not ready: " + string.Join("; ", problems))
{
    /// <summary>What is not ready, one entry per problem, as the message lists them.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>The execution input is not acceptable; nothing was changed.</summary>
public sealed class InvalidRunInputException(string message) : Exception(message);

/// <summary>A critical database could not be made writable.</summary>
public sealed class DatabasePromotionFailedException(string message) : Exception(message);

/// <summary>Databases did not become writable within the allowed time.</summary>
public sealed class DatabasePromotionTimeoutException(string message) : Exception(message);

/// <summary>Traffic was asked to switch before the critical databases were writable.</summary>
public sealed class TrafficSwitchRefusedException(string message) : Exception(message);

/// <summary>The RPO gate stopped the run: a replica's lag exceeds the objective or is unknown, and data loss was not allowed.</summary>
public sealed class RpoGateBlockedException(IReadOnlyList<string> violations)
    : Exception("RPO gate: " + string.Join("; ", violations) + ". Nothing was changed; start again with \"allowDataLoss\": true to accept the loss.")
{
    /// <summary>Each database that blocked the run and why (data at risk beyond the objective, unknown, or not approved).</summary>
    public IReadOnlyList<string> Violations { get; } = violations;
}

/// <summary>Every critical DRS source server failed to launch.</summary>
public sealed class ServerRecoveryFailedException(string message) : Exception(message);

/// <summary>Servers did not finish launching within the allowed time.</summary>
public sealed class ServerRecoveryTimeoutException(string message) : Exception(message);

/// <summary>A critical capacity entry (Auto Scaling group, ECS service) was not in service within its plan's
/// readyWithinSeconds: the run fails before traffic moves.</summary>
public sealed class CapacityNotReadyException(string message) : Exception(message);
