using System.Net;

namespace Failover.Aws.Transport;

// The type names below are error names the state machine matches in Retry/Catch, so renaming one is a
// breaking change to statemachines/failover.asl.json.

/// <summary>An AWS call that failed: which service and operation, the error code, HTTP status and request id.</summary>
public class AwsServiceException(string service, string operation, string errorCode, HttpStatusCode? statusCode, string? requestId, string message, Exception? inner = null)
    : Exception($"{service} {operation} failed: {errorCode} (HTTP {(statusCode is null ? "none" : ((int)statusCode).ToString(System.Globalization.CultureInfo.InvariantCulture))}, request {requestId ?? "unknown"}): {message}", inner)
{
    public string Service { get; } = service;
    public string Operation { get; } = operation;
    public string ErrorCode { get; } = errorCode;
    public HttpStatusCode? StatusCode { get; } = statusCode;
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
