using System.Net;
using Amazon;
using Amazon.Runtime.Signing;

namespace Failover.Aws.Transport;

/// <summary>Signs, sends and, within bounds, retries requests to AWS. One per container, shared by every client.</summary>
internal sealed class AwsTransport(HttpClient http, AwsOptions options, TimeProvider clock)
{
    public AwsOptions Options => options;

    public async Task<AwsResponse> SendAsync(AwsService service, AwsRequest request, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            AwsServiceException failure;
            try
            {
                return await SendOnceAsync(service, request, cancellationToken);
            }
            catch (AwsThrottlingException ex)
            {
                failure = ex;
            }
            catch (AwsTransientException ex) when (request.RetrySafe)
            {
                failure = ex;
            }

            var delay = Backoff(attempt, (failure as AwsThrottlingException)?.RetryAfter);
            if (attempt >= options.MaxAttempts || clock.GetElapsedTime(started) + delay > options.RetryDeadline)
            {
                throw failure;
            }

            await Task.Delay(delay, clock, cancellationToken);
        }
    }

    // Full jitter: uniform in [0, base * 2^attempt], but never sooner than the service asked.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Retry jitter spreads retries; nothing depends on it being unpredictable.")]
    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var ceiling = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt);
        var jittered = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
        return retryAfter is { } floor && floor > jittered ? floor : jittered;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Globalization", "CA1308:Normalize strings to uppercase", Justification = "Header names are case-insensitive; the response's are keyed in lower case, as SigV4 writes them.")]
    private async Task<AwsResponse> SendOnceAsync(AwsService service, AwsRequest request, CancellationToken cancellationToken)
    {
        var endpoint = Endpoint(service);
        var uri = new Uri(endpoint, request.Path + (request.Query.Length > 0 ? "?" + request.Query : ""));
        var signingRegion = service.GlobalSigningRegion ?? options.Region;

        var signingRequest = new AWSSigningRequest { HttpMethod = request.Method, RequestUri = uri };
        foreach (var (name, value) in request.Headers)
        {
            signingRequest.Headers[name] = value;
        }

        if (request.ContentType is not null)
        {
            signingRequest.Headers["Content-Type"] = request.ContentType;
        }

        signingRequest.Content = request.Body;
        var signed = await AWSSigV4Signer.SignAsync(
            signingRequest,
            new AWSSigV4Parameters { Credentials = options.Credentials, Region = RegionEndpoint.GetBySystemName(signingRegion), Service = service.SigningName },
            cancellationToken);

        using var message = new HttpRequestMessage(request.Method, uri);
        foreach (var (name, value) in request.Headers.Concat(signed.Headers))
        {
            if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (request.ContentType is not null || request.Body.Length > 0)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                // Set verbatim: the value sent must be byte-identical to the value signed.
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }

        using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptTimeout.CancelAfter(options.AttemptTimeout);
        HttpResponseMessage response;
        string body;
        try
        {
            response = await http.SendAsync(message, attemptTimeout.Token);
            body = await response.Content.ReadAsStringAsync(attemptTimeout.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AwsTransientException(service.Name, request.Operation, "RequestTimeout", null, null, $"no response within {options.AttemptTimeout.TotalSeconds:0.#} s from {endpoint}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new AwsTransientException(service.Name, request.Operation, "ConnectionFailure", null, null, $"{endpoint}: {ex.Message}", ex);
        }

        using (response)
        {
            var headers = response.Headers.Concat(response.Content.Headers)
                .GroupBy(h => h.Key.ToLowerInvariant())
                .ToDictionary(g => g.Key, g => string.Join(",", g.SelectMany(h => h.Value)), StringComparer.Ordinal);
            return response.IsSuccessStatusCode
                ? new AwsResponse((int)response.StatusCode, body, headers)
                : throw AwsErrorParser.Parse(service, request.Operation, response.StatusCode, headers, body);
        }
    }

    private Uri Endpoint(AwsService service)
    {
        if (options.ServiceEndpoints.TryGetValue(service.EnvironmentKey, out var specific))
        {
            return specific;
        }

        if (options.EndpointUrl is { } global)
        {
            return global;
        }

        var dnsSuffix = options.Region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return service.GlobalSigningRegion is null
            ? new Uri($"https://{service.EndpointPrefix}.{options.Region}.{dnsSuffix}/")
            : new Uri($"https://{service.EndpointPrefix}.{dnsSuffix}/");
    }

    /// <summary>The HttpClient of every transport not given one. HttpClient is meant to be created once and reused: one
    /// per set of clients kept a pool of connections each that nothing disposed (every function host and test made its
    /// own); its connections are renewed every few minutes, so DNS changes are still followed.</summary>
    public static HttpClient Shared { get; } = CreateHttpClient();

    /// <summary>An HttpClient suited to a Lambda container: pooled connections refreshed periodically, no global timeout (per attempt instead).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The HttpClient owns its handler and disposes it with itself.")]
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.GZip,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
