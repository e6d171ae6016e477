using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Failover.Moto;

/// <summary>
/// A moto_server process on a free loopback port: started, waited for until it answers, and killed (with its
/// children) on dispose. A start that fails stops the process it started before it throws.
/// </summary>
public sealed class MotoProcess : IAsyncDisposable
{
    /// <summary>The pip requirement of the moto this code base is tested with.</summary>
    public const string InstallCommand = "pip install \"moto[server]==5.2.1\"";

    /// <summary>How long moto may take to answer after it started; generous, since a loaded machine starts Python slowly.</summary>
    public static readonly TimeSpan DefaultReadyWithin = TimeSpan.FromSeconds(60);

    private const int PortAttempts = 3;

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private MotoProcess(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    /// <summary>Where moto answers, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Endpoint { get; }

    /// <summary>The moto_server process id (for a stop from another process).</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// Starts moto_server with <paramref name="environment"/> added to its environment and waits until it answers
    /// GET /moto-api/data.json, at most <paramref name="readyWithin"/> (default <see cref="DefaultReadyWithin"/>).
    /// A port taken between choosing and binding it is retried on another port.
    /// </summary>
    /// <exception cref="MotoStartException">moto_server is not installed, exited, or did not answer in time.</exception>
    public static async Task<MotoProcess> StartAsync(IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken, TimeSpan? readyWithin = null)
    {
        var executable = FindOnPath("moto_server")
            ?? throw new MotoStartException($"moto_server was not found on PATH. Install it with: {InstallCommand}");
        for (var attempt = 1; ; attempt++)
        {
            var moto = Start(executable, FreeLoopbackPort(), environment ?? new Dictionary<string, string>());
            try
            {
                await moto.WaitUntilReadyAsync(readyWithin ?? DefaultReadyWithin, cancellationToken);
                return moto;
            }
            catch (MotoStartException) when (attempt < PortAttempts && moto.Stderr().Contains("already in use", StringComparison.OrdinalIgnoreCase))
            {
                await moto.DisposeAsync();
            }
            catch
            {
                await moto.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>A port that was free on loopback a moment ago.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The tail of what moto printed on stderr.</summary>
    public string Stderr()
    {
        lock (_stderr)
        {
            var text = _stderr.ToString().Trim();
            return text.Length > 3000 ? text[^3000..] : text;
        }
    }

    /// <summary>Kills moto_server and its children and waits until they are gone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static MotoProcess Start(string executable, int port, IReadOnlyDictionary<string, string> environment)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "-H", "127.0.0.1", "-p", portText },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new MotoStartException($"could not start {executable}");
        var moto = new MotoProcess(process, new Uri($"http://127.0.0.1:{portText}/"));
        process.ErrorDataReceived += (_, e) =>
        {
            lock (moto._stderr)
            {
                moto._stderr.AppendLine(e.Data);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return moto;
    }

    private async Task WaitUntilReadyAsync(TimeSpan readyWithin, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(readyWithin);
        try
        {
            while (!_process.HasExited)
            {
                try
                {
                    using var response = await http.GetAsync(new Uri(Endpoint, "moto-api/data.json"), deadline.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MotoStartException($"moto_server did not answer on {Endpoint} within {readyWithin.TotalSeconds:0} s: {Stderr()}");
        }

        // Let the redirected stderr drain so the message shows why moto stopped.
        await _process.WaitForExitAsync(cancellationToken);
        throw new MotoStartException($"moto_server exited with code {_process.ExitCode}: {Stderr()}");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}

/// <summary>moto_server could not be started: the message says what is missing or what moto printed.</summary>
public sealed class MotoStartException(string message) : Exception(message);
