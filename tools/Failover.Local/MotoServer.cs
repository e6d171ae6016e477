using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Failover.Local;

/// <summary>A moto_server process on loopback, whose Lambda calls go to the gateway (MOTO_PORT).</summary>
public sealed class MotoServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private MotoServer(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    /// <summary>Where moto answers.</summary>
    public Uri Endpoint { get; }

    /// <summary>The moto_server process id: <c>failover local down</c> stops it even when its parent was killed.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts moto and waits until it answers; throws with what is missing or what moto printed.</summary>
    public static async Task<MotoServer> StartAsync(int lambdaPort, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var executable = FindOnPath("moto_server")
            ?? throw new LocalAwsException("moto_server was not found on PATH. Install it with: pip install \"moto[server]==5.2.1\"");
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // moto sends Lambda Invoke (from its Step Functions engine) to localhost:MOTO_PORT: the gateway.
        start.Environment["MOTO_PORT"] = lambdaPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        // moto/sitecustomize.py fixes moto 5.2.1 as it starts (a state machine could run only once).
        var fixes = Path.Combine(AppContext.BaseDirectory, "moto");
        start.Environment["PYTHONPATH"] = start.Environment.TryGetValue("PYTHONPATH", out var inherited) && !string.IsNullOrEmpty(inherited)
            ? fixes + Path.PathSeparator + inherited
            : fixes;

        var process = Process.Start(start) ?? throw new LocalAwsException($"could not start {executable}");
        var server = new MotoServer(process, new Uri($"http://127.0.0.1:{port}/"));
        process.ErrorDataReceived += (_, e) => { lock (server._stderr) { server._stderr.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await server.WaitUntilReadyAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                throw new LocalAwsException($"moto_server exited with code {_process.ExitCode}: {Stderr()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Endpoint, "moto-api/data.json"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new LocalAwsException($"moto_server did not answer on {Endpoint} within 30 s: {Stderr()}");
    }

    private string Stderr()
    {
        lock (_stderr)
        {
            var text = _stderr.ToString().Trim();
            return text.Length > 2000 ? text[^2000..] : text;
        }
    }

    /// <summary>A port that was free on loopback a moment ago.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

/// <summary>The local AWS could not be started or used.</summary>
public sealed class LocalAwsException(string message) : Exception(message);
