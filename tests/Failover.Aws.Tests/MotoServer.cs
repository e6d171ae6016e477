using System.Text;
using Amazon.Runtime;
using Failover.Moto;

namespace Failover.Aws.Tests;

/// <summary>
/// A moto_server process (<see cref="MotoProcess"/>) for wire tests over real HTTP. Started once per collection
/// (see <see cref="MotoCollection"/>), killed on dispose, and also when a derived fixture's setup fails. Never skips:
/// a missing moto is a failure with the install command.
/// </summary>
public class MotoServer : IAsyncLifetime
{
    /// <summary>
    /// Time one HTTP attempt against moto may take: generous, because moto answers slowly on a loaded machine; each
    /// test's own ceiling (<see cref="TestTimeout"/>) bounds a call that really hangs.
    /// </summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromMinutes(2);

    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private MotoProcess? _process;

    public MotoServer()
        : this(new Dictionary<string, string>())
    {
    }

    /// <summary>For derived fixtures that start moto with extra environment (e.g. INITIAL_NO_AUTH_ACTION_COUNT).</summary>
    protected MotoServer(IReadOnlyDictionary<string, string> environment) => _environment = environment;

    /// <summary>Where moto answers, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Endpoint => _process?.Endpoint ?? throw new InvalidOperationException("moto_server is not started");

    /// <summary>The HTTP client shared by the clients this fixture creates.</summary>
    public HttpClient Http => _http;

    public virtual async Task InitializeAsync() => _process = await MotoProcess.StartAsync(_environment, CancellationToken.None);

    /// <summary>POST /moto-api/reset: forgets every resource in every region.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        using var empty = new StringContent("");
        using var response = await _http.PostAsync(new Uri(Endpoint, "moto-api/reset"), empty, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>POST /moto-api/config with a JSON body, e.g. {"stepfunctions":{"execute_state_machine":true}}.</summary>
    public async Task ConfigureAsync(string json, CancellationToken cancellationToken)
    {
        using var body = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri(Endpoint, "moto-api/config"), body, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Clients for <paramref name="region"/> that call moto with dummy credentials.</summary>
    public AwsClients Clients(string region = "us-west-2") => Clients(region, new BasicAWSCredentials("test", "test"));

    /// <summary>Clients for <paramref name="region"/> that call moto with the given credentials.</summary>
    public AwsClients Clients(string region, AWSCredentials credentials) =>
        new(Options(region, credentials), TimeProvider.System, _http);

    /// <summary>Options pointing every service at moto.</summary>
    public AwsOptions Options(string region, AWSCredentials credentials) => new()
    {
        Region = region,
        Credentials = credentials,
        EndpointUrl = Endpoint,
        AttemptTimeout = AttemptTimeout,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
    };

    /// <summary>What moto printed on stderr (the tail).</summary>
    public string Stderr() => _process?.Stderr() ?? "";

    public virtual async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }

        _http.Dispose();
    }
}
