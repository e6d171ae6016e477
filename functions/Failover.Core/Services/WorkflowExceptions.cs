namespace Failover.Core.Services;

// Exception type names are the error names the state machine sees (States "ErrorEquals"), so they
// are part of the contract with statemachines/failover.asl.json.

/// <summary>The recovery region is not ready; nothing was changed.</summary>
public sealed class ReadinessFailedException(IReadOnlyList<string> problems)
    : Exception("Recovery region is not ready: " + string.Join("; ", problems))
{
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
