using Failover.Moto;

namespace Failover.Local;

/// <summary>A moto_server process on loopback, whose Lambda calls go to the gateway (MOTO_PORT).</summary>
public sealed class MotoServer : IAsyncDisposable
{
    private readonly MotoProcess _process;

    private MotoServer(MotoProcess process) => _process = process;

    /// <summary>Where moto answers.</summary>
    public Uri Endpoint => _process.Endpoint;

    /// <summary>The moto_server process id: <c>failover local down</c> stops it even when its parent was killed.</summary>
    public int ProcessId => _process.ProcessId;

    /// <summary>Starts moto and waits until it answers; throws with what is missing or what moto printed.</summary>
    public static async Task<MotoServer> StartAsync(int lambdaPort, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var motoEnvironment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            // moto sends Lambda Invoke (from its Step Functions engine) to localhost:MOTO_PORT: the gateway.
            ["MOTO_PORT"] = lambdaPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        // moto/sitecustomize.py fixes moto 5.2.1 as it starts: a state machine could run only once, and its Step Functions
        // engine and GetMetricData spent time a real service does not (see the file).
        var fixes = Path.Combine(AppContext.BaseDirectory, "moto");
        var inherited = environment?.GetValueOrDefault("PYTHONPATH") ?? Environment.GetEnvironmentVariable("PYTHONPATH");
        motoEnvironment["PYTHONPATH"] = string.IsNullOrEmpty(inherited) ? fixes : fixes + Path.PathSeparator + inherited;
        try
        {
            return new MotoServer(await MotoProcess.StartAsync(motoEnvironment, cancellationToken));
        }
        catch (MotoStartException e)
        {
            throw new LocalAwsException(e.Message);
        }
    }

    /// <summary>A port that was free on loopback a moment ago.</summary>
    public static int FreeLoopbackPort() => MotoProcess.FreeLoopbackPort();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}

/// <summary>The local AWS could not be started or used.</summary>
public sealed class LocalAwsException(string message) : Exception(message);
