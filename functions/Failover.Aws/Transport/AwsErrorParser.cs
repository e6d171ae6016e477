using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;

namespace Failover.Aws.Transport;

/// <summary>Turns an AWS error response of any protocol (query/rest-xml XML, json __type, rest-json header) into a typed exception.</summary>
internal static class AwsErrorParser
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "Throttled", "RequestThrottled", "RequestThrottledException",
        "TooManyRequestsException", "PriorRequestNotComplete", "RequestLimitExceeded", "SlowDown", "ProvisionedThroughputExceededException",
    };

    private static readonly HashSet<string> ConflictCodes = new(StringComparer.Ordinal)
    {
        "InvalidDBInstanceState", "InvalidDBInstanceStateFault", "InvalidDBClusterStateFault", "InvalidGlobalClusterStateFault",
        "ConflictException", "HealthCheckVersionMismatch", "ExecutionAlreadyExists", "DBInstanceAlreadyExists", "ResourceConflictException",
    };

    public static AwsServiceException Parse(AwsService service, string operation, HttpStatusCode status, IReadOnlyDictionary<string, string> headers, string body)
    {
        var (code, message, requestId, quotaCode) = ReadBody(body);
        // Query-compatible services (SQS) name the classic code here; it is the one the error tables use.
        if (headers.TryGetValue("x-amzn-query-error", out var queryError))
        {
            code = queryError.Split(';')[0];
        }
        else if (headers.TryGetValue("x-amzn-errortype", out var typeHeader))
        {
            code = CleanCode(typeHeader);
        }

        requestId ??= headers.GetValueOrDefault("x-amzn-requestid") ?? headers.GetValueOrDefault("x-amz-request-id");
        code ??= $"Http{(int)status}";
        message ??= body.Length > 300 ? body[..300] : body;
        TimeSpan? retryAfter = headers.TryGetValue("retry-after", out var ra) && double.TryParse(ra, NumberStyles.Float, CultureInfo.InvariantCulture, out var secs)
            ? TimeSpan.FromSeconds(secs) : null;

        return Classify(service.Name, operation, code, status, requestId, message, retryAfter, quotaCode);
    }

    public static AwsServiceException Classify(string service, string operation, string code, HttpStatusCode status, string? requestId, string message, TimeSpan? retryAfter = null, string? quotaCode = null)
    {
        // 402 is how the rest-json models (DRS) answer a quota; checked before throttling, whose codes never use it.
        if (code == "ServiceQuotaExceededException" || status == HttpStatusCode.PaymentRequired)
        {
            return new AwsServiceQuotaExceededException(service, operation, code, status, requestId, message, quotaCode);
        }

        if (ThrottlingCodes.Contains(code) || status == HttpStatusCode.TooManyRequests)
        {
            return new AwsThrottlingException(service, operation, code, status, requestId, message, retryAfter);
        }

        if ((int)status >= 500)
        {
            return new AwsTransientException(service, operation, code, status, requestId, message);
        }

        if (status == HttpStatusCode.NotFound || code.Contains("NotFound", StringComparison.Ordinal) || code.StartsWith("NoSuch", StringComparison.Ordinal)
            || code is "ExecutionDoesNotExist" or "StateMachineDoesNotExist" or "AWS.SimpleQueueService.NonExistentQueue")
        {
            return new AwsNotFoundException(service, operation, code, status, requestId, message);
        }

        if (status == HttpStatusCode.Forbidden || code is "AccessDenied" or "AccessDeniedException" or "AuthorizationError" or "UnrecognizedClientException"
            or "InvalidClientTokenId" or "SignatureDoesNotMatch" or "ExpiredToken" or "ExpiredTokenException")
        {
            return new AwsAccessDeniedException(service, operation, code, status, requestId, message);
        }

        return status == HttpStatusCode.Conflict || ConflictCodes.Contains(code)
            ? new AwsConflictException(service, operation, code, status, requestId, message)
            : new AwsServiceException(service, operation, code, status, requestId, message);
    }

    private static (string? Code, string? Message, string? RequestId, string? QuotaCode) ReadBody(string body)
    {
        var trimmed = body.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(trimmed);
                var root = doc.RootElement;
                var code = Str(root, "__type") ?? Str(root, "code") ?? Str(root, "Code");
                return (code is null ? null : CleanCode(code), Str(root, "message") ?? Str(root, "Message"), null, Str(root, "quotaCode"));
            }
            catch (JsonException)
            {
                return (null, null, null, null);
            }
        }

        if (trimmed.StartsWith('<'))
        {
            try
            {
                var doc = XDocument.Parse(trimmed);
                string? Find(string name) => doc.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
                return (Find("Code"), Find("Message"), Find("RequestId") ?? Find("RequestID"), null);
            }
            catch (System.Xml.XmlException)
            {
                return (null, null, null, null);
            }
        }

        return (null, null, null, null);
    }

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    // "aws.protocoltests#FooError:http://..." → "FooError"
    private static string CleanCode(string code)
    {
        var colon = code.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            code = code[..colon];
        }

        var hash = code.LastIndexOf('#');
        return hash >= 0 ? code[(hash + 1)..] : code;
    }
}
