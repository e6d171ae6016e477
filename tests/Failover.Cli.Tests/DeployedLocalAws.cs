using Failover.Local;

namespace Failover.Cli.Tests;

/// <summary>The local AWS with the packaged plan deployed, for the commands that talk to a deployed stack.</summary>
internal static class DeployedLocalAws
{
    /// <summary>
    /// Starts the local AWS and deploys the packaged plan. A deployment that fails stops the local AWS before it
    /// throws, so no moto_server outlives a failed setup (the test class never got the instance to dispose).
    /// </summary>
    public static async Task<(LocalAws Aws, DeployedEnvironment Environment)> StartAsync(CancellationToken cancellationToken)
    {
        var aws = await LocalAws.StartAsync(null, cancellationToken);
        try
        {
            return (aws, await LocalEnvironment.DeployAsync(aws, LocalEnvironment.PlanPath, new LocalEnvironmentOptions(), TimeProvider.System, cancellationToken));
        }
        catch
        {
            await aws.DisposeAsync();
            throw;
        }
    }
}
