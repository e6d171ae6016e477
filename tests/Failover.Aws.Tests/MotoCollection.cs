namespace Failover.Aws.Tests;

/// <summary>Every test class that talks to the shared moto_server; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}

/// <summary>
/// A ceiling for every async call a test makes, not a budget: generous, so a slow moto on a loaded machine still
/// passes; only a call that hangs reaches it.
/// </summary>
internal static class TestTimeout
{
    public static readonly TimeSpan Ceiling = TimeSpan.FromMinutes(3);

    public static CancellationTokenSource Create() => new(Ceiling);
}
