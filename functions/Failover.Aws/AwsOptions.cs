using Amazon.Runtime;

namespace Failover.Aws;

/// <summary>Where and how the clients reach AWS. Bound once per container from the environment.</summary>
public sealed record AwsOptions
{
    /// <summary>Region the clients call (Route 53 is always signed for us-east-1).</summary>
    public string Region { get; init; } = "";

    /// <summary>Explicit credentials; null uses AWSSDK.Core's default chain (environment, profiles, SSO, container, instance).</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>Endpoint for every service (AWS_ENDPOINT_URL), e.g. the local gateway.</summary>
    public Uri? EndpointUrl { get; init; }

    /// <summary>Per-service endpoints keyed by environment suffix (AWS_ENDPOINT_URL_RDS → "RDS").</summary>
    public IReadOnlyDictionary<string, Uri> ServiceEndpoints { get; init; } = new Dictionary<string, Uri>();

    /// <summary>Time allowed for one HTTP attempt.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per call, the first included.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>No retry starts after this much time has passed since the first attempt.</summary>
    public TimeSpan RetryDeadline { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Base of the exponential backoff (full jitter).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Reads AWS_REGION (or AWS_DEFAULT_REGION), AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_&lt;SERVICE&gt;.</summary>
    public static AwsOptions FromEnvironment(Func<string, string?> getVariable, IEnumerable<string> variableNames)
    {
        var region = getVariable("AWS_REGION") ?? getVariable("AWS_DEFAULT_REGION");
        if (string.IsNullOrWhiteSpace(region))
        {
            throw new InvalidOperationException("AWS_REGION is not set: the functions must know their (recovery) region.");
        }

        // Route 53 (and IAM) are signed for us-east-1, the aws partition's global region; aws-cn and aws-us-gov
        // sign them for their own regions (general/latest/gr/r53.html), and the template refuses them anyway.
        var partition = Failover.Core.Plans.PlanValidator.PartitionOfRegion(region);
        if (partition != Failover.Core.Plans.PlanValidator.SupportedPartition)
        {
            throw new InvalidOperationException($"AWS_REGION '{region}' is in the {partition} partition; Failover supports the aws partition only.");
        }

        const string prefix = "AWS_ENDPOINT_URL_";
        var services = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var name in variableNames.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            services[name[prefix.Length..]] = ParseEndpoint(name, getVariable(name));
        }

        var global = getVariable("AWS_ENDPOINT_URL");
        return new AwsOptions
        {
            Region = region,
            EndpointUrl = string.IsNullOrEmpty(global) ? null : ParseEndpoint("AWS_ENDPOINT_URL", global),
            ServiceEndpoints = services,
        };
    }

    private static Uri ParseEndpoint(string name, string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new InvalidOperationException($"{name}='{value}' is not an absolute http(s) URL.");
}
