using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;

namespace Failover.Aws.Tests;

/// <summary>
/// A moto_server process on a free loopback port, for wire tests over real HTTP. Started once per
/// collection (see <see cref="MotoCollection"/>), killed on dispose. Never skips: a missing moto is a
/// failure with the install command. Self-contained so other test projects can copy it.
/// </summary>
public class MotoServer : IAsyncLifetime
{
    /// <summary>How long moto may take to answer GET /moto-api/ after starting.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly StringBuilder _stderr = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private Process? _process;
    private Uri? _endpoint;

    public MotoServer()
        : this(new Dictionary<string, string>())
    {
    }

    /// <summary>For derived fixtures that start moto with extra environment (e.g. INITIAL_NO_AUTH_ACTION_COUNT).</summary>
    protected MotoServer(IReadOnlyDictionary<string, string> environment) => _environment = environment;

    /// <summary>Where moto answers, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Endpoint => _endpoint ?? throw new InvalidOperationException("moto_server is not started");

    /// <summary>The HTTP client shared by the clients this fixture creates.</summary>
    public HttpClient Http => _http;

    public virtual async Task InitializeAsync()
    {
        var executable = FindOnPath("moto_server")
            ?? throw new InvalidOperationException("moto_server not found: pip install 'moto[server]==5.2.1'");
        using var cts = new CancellationTokenSource(StartTimeout);

        // The port is free when chosen but another process may take it first: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            _endpoint = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
            _process = Start(executable, port);
            var ready = await WaitUntilReadyAsync(cts.Token);
            if (ready)
            {
                return;
            }

            var exited = _process.HasExited;
            if (exited)
            {
                // Let the redirected stderr drain so the message below shows why moto stopped.
                using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _process.WaitForExitAsync(drain.Token);
            }

            await StopAsync();
            if (!exited || attempt >= 3 || !Stderr().Contains("already in use", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    (exited ? $"moto_server ({executable}) exited before answering GET {_endpoint}moto-api/" : $"moto_server did not answer GET {_endpoint}moto-api/ within {StartTimeout.TotalSeconds:0} s")
                    + $". stderr: {Stderr()}");
            }
        }
    }

    /// <summary>POST /moto-api/reset: forgets every resource in every region.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync(new Uri(Endpoint, "moto-api/reset"), new StringContent(""), cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>POST /moto-api/config with a JSON body, e.g. {"stepfunctions":{"execute_state_machine":true}}.</summary>
    public async Task ConfigureAsync(string json, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync(new Uri(Endpoint, "moto-api/config"), new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);
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
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
    };

    /// <summary>What moto printed on stderr (the tail).</summary>
    public string Stderr()
    {
        lock (_stderr)
        {
            var text = _stderr.ToString().Trim();
            return text.Length > 3000 ? text[^3000..] : text;
        }
    }

    public virtual async Task DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
    }

    private Process Start(string executable, int port)
    {
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    private async Task<bool> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && _process is { HasExited: false })
        {
            try
            {
                using var response = await _http.GetAsync(new Uri(Endpoint, "moto-api/"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return false;
    }

    private async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }

        _process.Dispose();
        _process = null;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
