using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Failover.Aws.Tests.Transport;

namespace Failover.Aws.Tests.Signing;

/// <summary>The parts of an Authorization header: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=….</summary>
internal sealed record SigV4Authorization(string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature)
{
    public static SigV4Authorization Parse(string header)
    {
        const string algorithm = "AWS4-HMAC-SHA256 ";
        Assert.StartsWith(algorithm, header, StringComparison.Ordinal);
        var parts = header[algorithm.Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var scope = parts["Credential"].Split('/');
        Assert.Equal(5, scope.Length);
        Assert.Equal("aws4_request", scope[4]);
        return new SigV4Authorization(scope[0], scope[1], scope[2], scope[3], parts["SignedHeaders"].Split(';'), parts["Signature"]);
    }
}

/// <summary>
/// An independent SigV4 implementation written from the specification (aws-facts.md §1), used to check
/// what AWSSDK.Core's signer produced and what the transport put on the wire.
/// </summary>
internal static class SigV4Reference
{
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>METHOD \n URI \n query \n headers \n\n signed \n payload-hash.</summary>
    /// <param name="wirePath">The path as sent (already percent-encoded once).</param>
    /// <param name="wireQuery">The query as sent, without '?'.</param>
    /// <param name="headers">Headers as sent; only <paramref name="signedHeaders"/> are used.</param>
    public static string CanonicalRequest(string method, string wirePath, string wireQuery, IEnumerable<KeyValuePair<string, string>> headers, IReadOnlyList<string> signedHeaders, string payloadHash)
    {
        var headerList = headers.ToList();
        var canonicalHeaders = new StringBuilder();
        foreach (var name in signedHeaders.Order(StringComparer.Ordinal))
        {
            var values = headerList.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => CollapseSpaces(h.Value.Trim())).ToList();
            Assert.True(values.Count > 0, $"signed header '{name}' was not sent");
            canonicalHeaders.Append(name.ToLowerInvariant()).Append(':').Append(string.Join(",", values)).Append('\n');
        }

        return string.Join("\n",
            method.ToUpperInvariant(),
            CanonicalUri(wirePath),
            CanonicalQuery(wireQuery),
            canonicalHeaders.ToString(),
            string.Join(";", signedHeaders),
            payloadHash);
    }

    /// <summary>Non-S3 services: each segment of the already-encoded path is encoded once more.</summary>
    public static string CanonicalUri(string wirePath) =>
        wirePath.Length == 0 ? "/" : string.Join("/", wirePath.Split('/').Select(Encode));

    public static string CanonicalQuery(string wireQuery) =>
        string.Join("&", wireQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: Encode(Uri.UnescapeDataString(p[0])), Value: Encode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));

    public static string StringToSign(string amzDate, string region, string service, string canonicalRequest) =>
        string.Join("\n", "AWS4-HMAC-SHA256", amzDate, $"{amzDate[..8]}/{region}/{service}/aws4_request", Sha256Hex(canonicalRequest));

    public static string Signature(string secretKey, string amzDate, string region, string service, string stringToSign)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), amzDate[..8]);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        return Convert.ToHexStringLower(Hmac(key, stringToSign));
    }

    /// <summary>Recomputes the signature of a request exactly as it arrived on the wire.</summary>
    public static (string Expected, SigV4Authorization Sent) Verify(RecordedRequest request, string secretKey)
    {
        var sent = SigV4Authorization.Parse(request.Header("Authorization") ?? throw new InvalidOperationException("no Authorization header"));
        var amzDate = request.Header("X-Amz-Date") ?? throw new InvalidOperationException("no X-Amz-Date header");
        var canonical = CanonicalRequest(request.Method, request.Path, request.Query, request.Headers, sent.SignedHeaders, Sha256Hex(request.Body));
        var expected = Signature(secretKey, amzDate, sent.Region, sent.Service, StringToSign(amzDate, sent.Region, sent.Service, canonical));
        return (expected, sent);
    }

    public static string Sha256Hex(string text) => Sha256Hex(Encoding.UTF8.GetBytes(text));

    public static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    // RFC 3986: unreserved characters stay, everything else is %XX (upper-case hex) of its UTF-8 bytes.
    private static string Encode(string value)
    {
        var result = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
            {
                result.Append(c);
            }
            else
            {
                result.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return result.ToString();
    }

    private static string CollapseSpaces(string value)
    {
        var result = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c != ' ' || result.Length == 0 || result[^1] != ' ')
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }
}
