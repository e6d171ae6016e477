using Failover.Local;

namespace Failover.Workflow.Tests;

/// <summary>One local AWS (moto + gateway) for the whole collection; each test resets and redeploys it.</summary>
public sealed class LocalAwsFixture : IAsyncLifetime
{
    private LocalAws? _aws;

    public LocalAws Aws => _aws ?? throw new InvalidOperationException("local AWS not started");

    public async Task InitializeAsync() => _aws = await LocalAws.StartAsync(null, CancellationToken.None);

    public async Task DisposeAsync()
    {
        if (_aws is not null)
        {
            await _aws.DisposeAsync();
        }
    }

    /// <summary>Empties the local AWS and deploys the packaged plan's environment.</summary>
    public async Task<DeployedEnvironment> FreshEnvironmentAsync(CancellationToken cancellationToken, LocalEnvironmentOptions? options = null)
    {
        await Aws.ResetAsync(cancellationToken);
        return await LocalEnvironment.DeployAsync(Aws, LocalEnvironment.PlanPath, options ?? new LocalEnvironmentOptions(), TimeProvider.System, cancellationToken);
    }
}

[CollectionDefinition(Name)]
public sealed class LocalAwsCollection : ICollectionFixture<LocalAwsFixture>
{
    public const string Name = "local AWS";
}
