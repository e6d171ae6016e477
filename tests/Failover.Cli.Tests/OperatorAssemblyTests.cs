namespace Failover.Cli.Tests;

public sealed class OperatorAssemblyTests
{
    // The operator's commands run against a real account on the worst day: they must not carry the emulator with them.
    [Fact]
    public void References_WhenTheOperatorAssemblyIsBuilt_ShouldNotIncludeTheEmulator()
    {
        // Arrange
        var operatorAssembly = typeof(StartCommand).Assembly;

        // Act
        var references = operatorAssembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        // Assert
        Assert.Equal("Failover.Operator", operatorAssembly.GetName().Name);
        Assert.Contains("Failover.Functions", references);
        Assert.DoesNotContain("Failover.Local", references);
        Assert.DoesNotContain("Failover.Moto", references);
    }
}
