namespace Failover.Testing;

/// <summary>What a fake port throws when it is told to fail, or when the real service would refuse the call.</summary>
/// <param name="code">The AWS error code the real service would return, e.g. InvalidDBInstanceState.</param>
public sealed class SimulatedAwsException(string code, string message) : Exception($"{code}: {message}")
{
    public string Code { get; } = code;
}
