using Failover.Aws.Transport;

namespace Failover.Aws.Tests.Transport;

/// <summary>A test class over a <see cref="ScriptedHttpServer"/>: the server and the HttpClient the clients share,
/// both disposed after each test.</summary>
public abstract class ScriptedAwsTest : IAsyncLifetime
{
    /// <summary>The scripted AWS endpoint: enqueue replies, read the requests it received.</summary>
    protected ScriptedHttpServer Server { get; } = new();

    /// <summary>The transport's HttpClient, as the functions create it.</summary>
    protected HttpClient Http { get; } = AwsTransport.CreateHttpClient();

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
