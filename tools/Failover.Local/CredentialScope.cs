using Microsoft.AspNetCore.Http;

namespace Failover.Local;

/// <summary>The SigV4 credential scope of a signed request: <c>Credential=AKID/20260101/us-west-2/rds/aws4_request</c>.</summary>
/// <param name="AccessKeyId">Who signed.</param>
/// <param name="Region">The region signed for.</param>
/// <param name="Service">The signing name of the service (rds, drs, monitoring…).</param>
public sealed record CredentialScope(string AccessKeyId, string Region, string Service)
{
    /// <summary>The request's scope, or null when it is not SigV4-signed.</summary>
    public static CredentialScope? Of(HttpRequest request) => Parse(request.Headers.Authorization.ToString());

    /// <summary>The scope in an Authorization header value, or null when there is none.</summary>
    public static CredentialScope? Parse(string authorization)
    {
        var start = authorization.IndexOf("Credential=", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var parts = authorization[(start + "Credential=".Length)..].Split(',')[0].Trim().Split('/');
        return parts.Length == 5 ? new CredentialScope(parts[0], parts[2], parts[3]) : null;
    }
}
