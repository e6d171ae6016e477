namespace Failover.Aws.Tests;

/// <summary>Every test class that talks to the shared moto_server; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}

/// <summary>A bound for every async call a test makes.</summary>
internal static class TestTimeout
{
    public static CancellationTokenSource Create(int seconds = 30) => new(TimeSpan.FromSeconds(seconds));
}
