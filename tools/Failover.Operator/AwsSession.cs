using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Failover.Aws;
using Failover.Core;
using Spectre.Console;

namespace Failover.Cli;

/// <summary>
/// Where and as whom a command calls AWS, with the AWS CLI's manners (AWS CLI User Guide, "Configuring settings for the
/// AWS CLI", docs.aws.amazon.com/cli/latest/userguide/cli-chap-configure.html, and "Configuring environment variables for
/// the AWS CLI", cli-configure-envvars.html): an option beats the environment, the environment beats the profile, and
/// AWS_REGION beats AWS_DEFAULT_REGION.
/// </summary>
public sealed record AwsSession
{
    /// <summary><c>--profile</c>: credentials and region from this named profile of ~/.aws/config and ~/.aws/credentials.</summary>
    public string? Profile { get; init; }

    /// <summary><c>--region</c>.</summary>
    public string? Region { get; init; }

    /// <summary><c>--endpoint-url</c>: every call goes here (beats AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_&lt;SERVICE&gt;).</summary>
    public Uri? EndpointUrl { get; init; }

    /// <summary>Credentials given by the caller (tests, the local AWS); null resolves them from the profile or the default chain.</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>The environment the variables are read from (the process's by default).</summary>
    public Func<string, string?> GetVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Every variable name of the environment (for AWS_ENDPOINT_URL_&lt;SERVICE&gt;).</summary>
    public Func<IEnumerable<string>> VariableNames { get; init; } = () => Environment.GetEnvironmentVariables().Keys.Cast<object>().Select(k => k.ToString()!);

    /// <summary>Reads a profile's region from the shared config files; null when there is none.</summary>
    public Func<string, string?> ProfileRegion { get; init; } = name =>
        new CredentialProfileStoreChain().TryGetProfile(name, out var profile) ? profile.Region?.SystemName : null;

    /// <summary>
    /// The region to call and where it came from, first found: <c>--region</c>; the region of the resource's own ARN
    /// (an execution lives where its ARN says); AWS_REGION; AWS_DEFAULT_REGION; the profile's <c>region</c>;
    /// <paramref name="fallback"/> (e.g. the plan's recovery region). None: an input error naming every source.
    /// </summary>
    public (string Region, string Source) ResolveRegion(string? resourceArn = null, Func<string?>? fallback = null)
    {
        var profile = Profile ?? Var("AWS_PROFILE") ?? "default";
        var candidates = new (Func<string?> Value, string Source)[]
        {
            (() => Region, "--region"),
            (() => Arn.TryParse(resourceArn, out var arn) ? arn.Region : null, "the ARN"),
            (() => Var("AWS_REGION"), "AWS_REGION"),
            (() => Var("AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION"),
            (() => ProfileRegion(profile), $"profile {profile}"),
            (() => fallback?.Invoke(), "the plan's recovery region"),
        };
        foreach (var (value, source) in candidates)
        {
            if (value() is { Length: > 0 } region)
            {
                return (region, source);
            }
        }

        throw new CliException(ExitCodes.InputError, $"No region: give --region, set AWS_REGION, or set region in profile {profile} (~/.aws/config).");
    }

    /// <summary>
    /// The clients for <paramref name="region"/>: endpoints from <c>--endpoint-url</c> or AWS_ENDPOINT_URL(_&lt;SERVICE&gt;),
    /// credentials as <see cref="ResolveCredentialsAsync"/>. With <c>--debug</c> each request is logged on stderr.
    /// </summary>
    public async Task<AwsClients> ClientsAsync(string region, TimeProvider clock, Terminal terminal, CancellationToken cancellationToken)
    {
        AwsOptions options;
        try
        {
            // The functions' own reading of AWS_ENDPOINT_URL(_<SERVICE>) and of the partition, with the region resolved here.
            options = AwsOptions.FromEnvironment(name => name == "AWS_REGION" ? region : Var(name), VariableNames());
        }
        catch (InvalidOperationException ex)
        {
            throw new CliException(ExitCodes.InputError, ex.Message);
        }

        if (EndpointUrl is { } endpoint)
        {
            options = options with { EndpointUrl = endpoint, ServiceEndpoints = new Dictionary<string, Uri>() };
        }

        var (credentials, source) = await ResolveCredentialsAsync(cancellationToken);
        options = options with { Credentials = credentials };
        if (!terminal.Debug)
        {
            return new AwsClients(options, clock);
        }

        terminal.Error.MarkupLineInterpolated($"debug: region {region}; endpoint {options.EndpointUrl?.ToString() ?? "AWS"}{string.Concat(options.ServiceEndpoints.Select(e => $", {e.Key} {e.Value}"))}; credentials {source}");
        var http = new HttpClient(new RequestLog(terminal.Error, clock) { InnerHandler = new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.GZip } })
        {
            Timeout = Timeout.InfiniteTimeSpan, // each attempt has its own timeout (AwsOptions.AttemptTimeout)
        };
        return new AwsClients(options, clock, http);
    }

    /// <summary>
    /// The caller's credentials; else <c>--profile</c>'s; else AWSSDK.Core's default chain (environment, AWS_PROFILE or
    /// default profile, SSO, web identity, container, instance). None found: exit 3 saying how to provide them.
    /// </summary>
    public async Task<(AWSCredentials Credentials, string Source)> ResolveCredentialsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Credentials is { } given)
        {
            return (given, "given");
        }

        if (Profile is { } profile)
        {
            return new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var fromProfile)
                ? (fromProfile, $"profile {profile}")
                : throw new CliException(ExitCodes.AwsUnavailable, $"AWS profile '{profile}' was not found, or has no credentials (~/.aws/config, ~/.aws/credentials).");
        }

        try
        {
            var credentials = await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null);
            return (credentials, $"default chain ({credentials.GetType().Name})");
        }
        catch (AmazonClientException ex)
        {
            throw new CliException(ExitCodes.AwsUnavailable,
                "No AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, name a profile (--profile or AWS_PROFILE), or sign in with aws sso login.", ex);
        }
    }

    private string? Var(string name) => GetVariable(name) is { Length: > 0 } value ? value : null;

    /// <summary><c>--debug</c>: one line per AWS request (method, URL, operation, status, time); never a header's value.</summary>
    private sealed class RequestLog(IAnsiConsole log, TimeProvider clock) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var operation = request.Headers.TryGetValues("X-Amz-Target", out var target) ? " " + string.Join(",", target) : "";
            var started = clock.GetTimestamp();
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                log.MarkupLineInterpolated($"debug: {request.Method} {request.RequestUri}{operation} -> {(int)response.StatusCode} in {clock.GetElapsedTime(started).TotalMilliseconds:0} ms");
                return response;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                log.MarkupLineInterpolated($"debug: {request.Method} {request.RequestUri}{operation} -> {ex.GetType().Name} after {clock.GetElapsedTime(started).TotalMilliseconds:0} ms");
                throw;
            }
        }
    }
}
