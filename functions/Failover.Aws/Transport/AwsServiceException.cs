using System.Net;

namespace Failover.Aws.Transport;

// The type names below are error names the state machine matches in Retry/Catch, so renaming one is a
// breaking change to statemachines/failover.asl.json.

/// <summary>An AWS call that failed: which service and operation, the error code, HTTP status and request id.</summary>
public class AwsServiceException(string service, string operation, string errorCode, HttpStatusCode? statusCode, string? requestId, string message, Exception? inner = null)
    : Exception($"{service} {operation} failed: {errorCode} (HTTP {(statusCode is null ? "none" : ((int)statusCode).ToString(System.Globalization.CultureInfo.InvariantCulture))}, request {requestId ?? "unknown"}): {message}", inner)
{
    /// <summary>Short name of the service called (<see cref="AwsService.Name"/>, e.g. drs, rds).</summary>
    public string Service { get; } = service;

    /// <summary>The API action that failed, as named in the service's API reference (e.g. StartRecovery, FailoverGlobalCluster).</summary>
    public string Operation { get; } = operation;

    /// <summary>The service's error code (e.g. ThrottlingException, DBClusterNotFoundFault), from the x-amzn-query-error or x-amzn-ErrorType header or the body; Http&lt;status&gt; when the service sent none, RequestTimeout or ConnectionFailure when no response came.</summary>
    public string ErrorCode { get; } = errorCode;

    /// <summary>HTTP status of the response; null when no response came (timeout, broken connection).</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;

    /// <summary>AWS request id from the body or the x-amzn-RequestId / x-amz-request-id header, to quote to AWS Support; null when the service sent none.</summary>
    public string? RequestId { get; } = requestId;

    /// <summary>The service's own message, without the prefix this exception adds.</summary>
    public string ServiceMessage { get; } = message;
}

/// <summary>The service refused the call for its rate; safe to retry after a pause.</summary>
public sealed class AwsThrottlingException(string service, string operation, string errorCode, HttpStatusCode? statusCode, string? requestId, string message, TimeSpan? retryAfter)
    : AwsServiceException(service, operation, errorCode, statusCode, requestId, message)
{
    /// <summary>The service's Retry-After, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>A 5xx, a timeout or a broken connection: the outcome of the call is unknown.</summary>
public sealed class AwsTransientException(string service, string operation, string errorCode, HttpStatusCode? statusCode, string? requestId, string message, Exception? inner = null)
    : AwsServiceException(service, operation, errorCode, statusCode, requestId, message, inner);

/// <summary>The named resource does not exist.</summary>
public sealed class AwsNotFoundException(string service, string operation, string errorCode, HttpStatusCode? statusCode, string? requestId, string message)
    : AwsServiceException(service, operation, errorCode, statusCode, requestId, message);

/// <summary>The resource is in a state that does not allow the call, or a concurrent change conflicts.</summary>
public sealed class AwsConflictException(string service, string operation, string errorCode, HttpStatusCode? statusCode, string? requestId, string message)
    : AwsServiceException(service, operation, errorCode, statusCode, requestId, message);

/// <summary>The caller's credentials or policy do not allow the call.</summary>
public sealed class AwsAccessDeniedException(string service, string operation, string errorCode, HttpStatusCode? statusCode, string? requestId, string message)
    : AwsServiceException(service, operation, errorCode, statusCode, requestId, message);

/// <summary>
/// A service quota refused the call (HTTP 402 ServiceQuotaExceededException in the DRS model, botocore drs 2020-02-26;
/// quotas: AWS General Reference "AWS Elastic Disaster Recovery endpoints and quotas", docs.aws.amazon.com/general/latest/gr/drs.html).
/// Nothing was done; the same call can succeed once the quota has room again (a job finished), so it is for the caller
/// to wait, not for the transport to repeat at once.
/// </summary>
public sealed class AwsServiceQuotaExceededException(string service, string operation, string errorCode, HttpStatusCode? statusCode, string? requestId, string message, string? quotaCode)
    : AwsServiceException(service, operation, errorCode, statusCode, requestId, message)
{
    /// <summary>The Service Quotas code of the quota that refused the call (e.g. L-D88FAC3A), when the service named it.</summary>
    public string? QuotaCode { get; } = quotaCode;
}
