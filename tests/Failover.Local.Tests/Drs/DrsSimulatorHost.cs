using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Failover.Aws;
using Failover.Aws.Clients;
using Failover.Testing;
using Failover.Local.Drs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Failover.Local.Tests.Drs;

/// <summary>
/// A minimal Kestrel on 127.0.0.1 that answers every request with <see cref="DrsSimulator.TryHandleAsync"/>
/// (404 "not DRS" otherwise), the way the gateway wires it in, plus a <see cref="DrsClient"/> pointed at it. RDS
/// DescribeDBInstances is answered with no instances, so the drill adapter (which also looks for database copies)
/// can run against DRS alone.
/// </summary>
public sealed class DrsSimulatorHost : IAsyncDisposable
{
    private const string NoDBInstances =
        "<DescribeDBInstancesResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><DescribeDBInstancesResult><DBInstances/></DescribeDBInstancesResult>" +
        "<ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></DescribeDBInstancesResponse>";

    private readonly WebApplication _app;
    private readonly HttpClient _http = new();

    private DrsSimulatorHost(WebApplication app, DrsSimulator simulator, ManualClock clock, Uri endpoint)
    {
        _app = app;
        Simulator = simulator;
        Clock = clock;
        Endpoint = endpoint;
        var clients = new AwsClients(new AwsOptions
        {
            Region = "us-west-2",
            Credentials = new BasicAWSCredentials("AKIDLOCALTEST", "local/secret"),
            ServiceEndpoints = new Dictionary<string, Uri> { ["DRS"] = endpoint, ["RDS"] = endpoint },
            MaxAttempts = 1,
        }, TimeProvider.System, _http);
        Drs = clients.Drs;
        Rds = clients.Rds;
    }

    public DrsSimulator Simulator { get; }

    public ManualClock Clock { get; }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri Endpoint { get; }

    /// <summary>Our DRS client, signing for drs/us-west-2, no retries.</summary>
    public DrsClient Drs { get; }

    /// <summary>Our RDS client on the same host: it finds no DB instances.</summary>
    public RdsClient Rds { get; }

    public static async Task<DrsSimulatorHost> StartAsync(CancellationToken cancellationToken)
    {
        var clock = new ManualClock();
        var simulator = new DrsSimulator(clock) { JobStartDelay = TimeSpan.FromSeconds(2), LaunchDuration = TimeSpan.FromSeconds(30), TerminateDuration = TimeSpan.FromSeconds(10) };
        for (var attempt = 1; ; attempt++)
        {
            var port = MotoServer.FreeLoopbackPort();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
            var app = builder.Build();
            app.Run(async context =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
                if (await simulator.TryHandleAsync(context, buffer.ToArray()))
                {
                    return;
                }

                if (CredentialScope.Of(context.Request)?.Service == "rds" && Encoding.UTF8.GetString(buffer.ToArray()).Contains("Action=DescribeDBInstances", StringComparison.Ordinal))
                {
                    context.Response.ContentType = "text/xml";
                    await context.Response.WriteAsync(NoDBInstances, context.RequestAborted);
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    await context.Response.WriteAsync("not DRS", context.RequestAborted);
                }
            });
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException) when (attempt < 3)
            {
                // the port was taken between choosing and binding it
                await app.DisposeAsync();
                continue;
            }

            return new DrsSimulatorHost(app, simulator, clock, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _http.Dispose();
    }
}
