using System.Net;

namespace Failover.Local;

/// <summary>
/// An error the gateway answers instead of the real service, for the next <see cref="Times"/> matching calls.
/// </summary>
/// <param name="Operation">API operation to fail, e.g. PromoteReadReplica.</param>
/// <param name="ErrorCode">The AWS error code to answer with, e.g. Throttling or InvalidDBInstanceState.</param>
/// <param name="Status">HTTP status of the error.</param>
/// <param name="Times">How many matching calls fail; afterwards calls pass through.</param>
public sealed record FaultRule(string Operation, string ErrorCode, HttpStatusCode Status, int Times)
{
    /// <summary>Delay before answering (a slow or unreachable endpoint); the call then passes through or fails as above.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Delay after the service has carried the call out and before its answer is sent: an answer
    /// lost to the caller's timeout while the change itself happened.</summary>
    public TimeSpan ResponseDelay { get; init; }
}
