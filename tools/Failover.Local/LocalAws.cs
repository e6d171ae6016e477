using Amazon.Runtime;
using Failover.Aws;

namespace Failover.Local;

/// <summary>The local AWS: the gateway in front of moto, with moto executing state machines.</summary>
public sealed class LocalAws : IAsyncDisposable
{
    /// <summary>moto's default account, used for every ARN the local environment makes.</summary>
    public const string AccountId = "123456789012";

    /// <summary>
    /// Time one call to the local AWS may take: generous, because moto answers slowly on a loaded machine (a real
    /// hang is bounded by the caller's token).
    /// </summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(2);

    private static readonly HttpClient ControlClient = new() { Timeout = CallTimeout };

    private readonly List<IDisposable> _deployed = [];

    private LocalAws(Gateway gateway, MotoServer moto)
    {
        Gateway = gateway;
        Moto = moto;
    }

    public Gateway Gateway { get; }
    public MotoServer Moto { get; }

    /// <summary>What <see cref="Clients"/> sign with: any key while moto enforces nothing, an IAM user's keys once it does (Iam/LocalIam).</summary>
    public AWSCredentials Credentials { get; set; } = new BasicAWSCredentials("test", "test");

    /// <summary>Starts the gateway, then moto pointed at it, and turns on state-machine execution.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The gateway and moto pass to the LocalAws returned; a start that fails disposes both.")]
    public static async Task<LocalAws> StartAsync(IReadOnlyDictionary<string, string>? motoEnvironment, CancellationToken cancellationToken)
    {
        var gateway = await Gateway.StartAsync(cancellationToken);
        MotoServer? moto = null;
        try
        {
            moto = await MotoServer.StartAsync(gateway.Port, motoEnvironment, cancellationToken);
            gateway.ProxyTo(moto.Endpoint);
            var local = new LocalAws(gateway, moto);
            await local.EnableExecutionAsync(cancellationToken);
            return local;
        }
        catch
        {
            // A start that fails half-way leaves no moto_server behind.
            if (moto is not null)
            {
                await moto.DisposeAsync();
            }

            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <summary>Clients for <paramref name="region"/> that reach the local AWS through the gateway.</summary>
    public AwsClients Clients(string region, TimeProvider clock) => new(
        new AwsOptions
        {
            Region = region,
            Credentials = Credentials,
            EndpointUrl = Gateway.Endpoint,
            AttemptTimeout = CallTimeout,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        },
        clock);

    /// <summary>Keeps what a deployment opened for its functions (their log) until the next reset or the end of the local
    /// AWS, when no invocation can use it any more, and disposes it then.</summary>
    public void KeepUntilReset(IDisposable resource)
    {
        lock (_deployed)
        {
            _deployed.Add(resource);
        }
    }

    /// <summary>Ends the function invocations in progress, empties moto (every service, every region) and forgets gateway counters and faults.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        // First end what the previous environment still has running in the functions, so nothing of it reaches the next.
        await Gateway.CancelInvocationsAsync();
        DisposeDeployed();
        using var response = await ControlClient.PostAsync(new Uri(Moto.Endpoint, "moto-api/reset"), null, cancellationToken);
        response.EnsureSuccessStatusCode();
        Gateway.ResetCounters();
        await EnableExecutionAsync(cancellationToken);
    }

    private async Task EnableExecutionAsync(CancellationToken cancellationToken)
    {
        using var content = new StringContent("""{"stepfunctions":{"execute_state_machine":true}}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await ControlClient.PostAsync(new Uri(Moto.Endpoint, "moto-api/config"), content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new LocalAwsException($"moto refused to execute state machines: HTTP {(int)response.StatusCode}");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Moto.DisposeAsync();
        await Gateway.DisposeAsync();
        DisposeDeployed();
    }

    private void DisposeDeployed()
    {
        List<IDisposable> kept;
        lock (_deployed)
        {
            kept = [.. _deployed];
            _deployed.Clear();
        }

        foreach (var resource in kept)
        {
            resource.Dispose();
        }
    }
}
