using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace Failover.Aws.Tests.Signing;

/// <summary>
/// SigV4 against the public AWS "Signature Version 4 test suite" (credentials AKIDEXAMPLE, us-east-1,
/// service "service", 2015-08-30T12:36:00Z, host example.amazonaws.com). The suite is not on this machine
/// (botocore's wheel ships without tests/); the expected values below are the suite's published
/// get-vanilla and post-x-www-form-urlencoded vectors (.creq/.sts/.authz).
/// </summary>
public sealed class SigV4TestSuiteTests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string AmzDate = "20150830T123600Z";
    private const string Region = "us-east-1";
    private const string Service = "service";
    private static readonly DateTime SignedAt = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);

    private static readonly KeyValuePair<string, string>[] VanillaHeaders =
    [
        new("Host", "example.amazonaws.com"),
        new("X-Amz-Date", AmzDate),
    ];

    private static readonly KeyValuePair<string, string>[] FormHeaders =
    [
        new("Content-Type", "application/x-www-form-urlencoded"),
        new("Host", "example.amazonaws.com"),
        new("X-Amz-Date", AmzDate),
    ];

    [Fact]
    public void Signature_WhenGetVanilla_ShouldReproduceTheSuiteVector()
    {
        var canonical = SigV4Reference.CanonicalRequest("GET", "/", "", VanillaHeaders, ["host", "x-amz-date"], SigV4Reference.EmptyPayloadHash);

        var stringToSign = SigV4Reference.StringToSign(AmzDate, Region, Service, canonical);
        var signature = SigV4Reference.Signature(SecretKey, AmzDate, Region, Service, stringToSign);

        Assert.Equal("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", canonical);
        Assert.Equal("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63", stringToSign);
        Assert.Equal("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", signature);
    }

    [Fact]
    public void Signature_WhenPostXWwwFormUrlencoded_ShouldReproduceTheSuiteVector()
    {
        var body = "Param1=value1";
        var canonical = SigV4Reference.CanonicalRequest("POST", "/", "", FormHeaders, ["content-type", "host", "x-amz-date"], SigV4Reference.Sha256Hex(body));

        var stringToSign = SigV4Reference.StringToSign(AmzDate, Region, Service, canonical);
        var signature = SigV4Reference.Signature(SecretKey, AmzDate, Region, Service, stringToSign);

        Assert.Equal("POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e", canonical);
        Assert.Equal("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281", stringToSign);
        Assert.Equal("ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a", signature);
    }

    [Theory]
    [InlineData("/", "/")]
    [InlineData("/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-west-2%3A1%3Afunction%3Af/invocations", "/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-west-2%253A1%253Afunction%253Af/invocations")]
    [InlineData("/example%20space/", "/example%2520space/")]
    public void CanonicalUri_WhenPathIsAlreadyEncoded_ShouldEncodeEachSegmentOnceMore(string wirePath, string expected) =>
        Assert.Equal(expected, SigV4Reference.CanonicalUri(wirePath));

    [Fact]
    public void CanonicalQuery_WhenParametersAreUnsorted_ShouldSortAndEncodeThem() =>
        Assert.Equal("Param1=value%20one&Param2=value2&Param2=value3", SigV4Reference.CanonicalQuery("Param2=value3&Param1=value%20one&Param2=value2"));

    [Fact]
    public void AwsSigV4SignerSign_WhenGetVanilla_ShouldSignContentSha256AndMatchTheSpec()
    {
        var request = new AWSSigningRequest { HttpMethod = HttpMethod.Get, RequestUri = new Uri("https://example.amazonaws.com/") };

        var result = AWSSigV4Signer.Sign(request, Parameters(new BasicAWSCredentials(AccessKey, SecretKey)));

        var headers = Headers(result);
        var authorization = SigV4Authorization.Parse(headers["Authorization"]);
        Assert.Equal(AmzDate, headers["X-Amz-Date"]);
        Assert.Equal(SigV4Reference.EmptyPayloadHash, headers["X-Amz-Content-SHA256"]);
        Assert.Equal(["host", "x-amz-content-sha256", "x-amz-date"], authorization.SignedHeaders);
        Assert.Equal((AccessKey, "20150830", Region, Service), (authorization.AccessKeyId, authorization.Date, authorization.Region, authorization.Service));
        var wire = VanillaHeaders.Append(new("X-Amz-Content-SHA256", SigV4Reference.EmptyPayloadHash));
        Assert.Equal(ReferenceSignature("GET", wire, authorization.SignedHeaders, SigV4Reference.EmptyPayloadHash), authorization.Signature);
        // Differs from the suite's 5fa00fa3… only because x-amz-content-sha256 is signed too.
        Assert.StartsWith("726c5c48", authorization.Signature, StringComparison.Ordinal);
    }

    [Fact]
    public void AwsSigV4SignerSign_WhenPostXWwwFormUrlencoded_ShouldSignContentTypeAndMatchTheSpec()
    {
        var body = Encoding.UTF8.GetBytes("Param1=value1");
        var request = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = new Uri("https://example.amazonaws.com/"), Content = body };
        request.Headers["Content-Type"] = "application/x-www-form-urlencoded";

        var result = AWSSigV4Signer.Sign(request, Parameters(new BasicAWSCredentials(AccessKey, SecretKey)));

        var headers = Headers(result);
        var authorization = SigV4Authorization.Parse(headers["Authorization"]);
        var payloadHash = SigV4Reference.Sha256Hex(body);
        Assert.Equal(payloadHash, headers["X-Amz-Content-SHA256"]);
        Assert.Equal(["content-type", "host", "x-amz-content-sha256", "x-amz-date"], authorization.SignedHeaders);
        var wire = FormHeaders.Append(new("X-Amz-Content-SHA256", payloadHash));
        Assert.Equal(ReferenceSignature("POST", wire, authorization.SignedHeaders, payloadHash), authorization.Signature);
    }

    [Fact]
    public void AwsSigV4SignerSign_WhenCredentialsHaveASessionToken_ShouldAddAndSignTheToken()
    {
        var request = new AWSSigningRequest { HttpMethod = HttpMethod.Get, RequestUri = new Uri("https://example.amazonaws.com/") };

        var result = AWSSigV4Signer.Sign(request, Parameters(new SessionAWSCredentials(AccessKey, SecretKey, "session-token/with+chars=")));

        var headers = Headers(result);
        var authorization = SigV4Authorization.Parse(headers["Authorization"]);
        Assert.Equal("session-token/with+chars=", headers["x-amz-security-token"]);
        Assert.Equal(["host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"], authorization.SignedHeaders);
        var wire = VanillaHeaders
            .Append(new("X-Amz-Content-SHA256", SigV4Reference.EmptyPayloadHash))
            .Append(new("X-Amz-Security-Token", "session-token/with+chars="));
        Assert.Equal(ReferenceSignature("GET", wire, authorization.SignedHeaders, SigV4Reference.EmptyPayloadHash), authorization.Signature);
    }

    private static AWSSigV4Parameters Parameters(AWSCredentials credentials) =>
        new() { Credentials = credentials, Region = RegionEndpoint.USEast1, Service = Service, SignedAt = SignedAt };

    private static Dictionary<string, string> Headers(AWSSigningResult result) =>
        result.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);

    private static string ReferenceSignature(string method, IEnumerable<KeyValuePair<string, string>> headers, IReadOnlyList<string> signedHeaders, string payloadHash)
    {
        var canonical = SigV4Reference.CanonicalRequest(method, "/", "", headers, signedHeaders, payloadHash);
        return SigV4Reference.Signature(SecretKey, AmzDate, Region, Service, SigV4Reference.StringToSign(AmzDate, Region, Service, canonical));
    }
}
