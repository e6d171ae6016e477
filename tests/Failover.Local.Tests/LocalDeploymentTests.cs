using System.Text.RegularExpressions;
using Failover.Local;

namespace Failover.Local.Tests;

public sealed partial class LocalDeploymentTests
{
    [GeneratedRegex(@"\$\{(?<name>[A-Za-z0-9]+)\}")]
    private static partial Regex Placeholder();

    [Fact]
    public void Substitutions_WhenComparedWithAslPlaceholders_ShouldDefineEveryOneAndNoMore()
    {
        var asl = File.ReadAllText(LocalEnvironment.AslPath);
        var used = Placeholder().Matches(asl).Select(m => m.Groups["name"].Value).ToHashSet();

        var defined = LocalEnvironment.Substitutions("us-west-2", 1).Keys.ToHashSet();

        Assert.Empty(used.Except(defined));
        Assert.Empty(defined.Except(used));
    }

    [Fact]
    public void Substitute_WhenDefinitionIsFilled_ShouldLeaveValidJsonWithoutPlaceholders()
    {
        var filled = LocalEnvironment.Substitute(File.ReadAllText(LocalEnvironment.AslPath), LocalEnvironment.Substitutions("us-west-2", 7));

        Assert.DoesNotMatch(Placeholder(), filled);
        using var document = System.Text.Json.JsonDocument.Parse(filled);
        Assert.Equal("arn:aws:lambda:us-west-2:123456789012:function:failover-Prepare", document.RootElement.GetProperty("States").GetProperty("Prepare").GetProperty("Resource").GetString());
        Assert.Contains("StringToJson('7')", filled, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("postgresql")]
    public void Prepare_WhenAScenarioIsDrilled_ShouldDeployReplicasADrillCanCopy(string scenario)
    {
        // Arrange: moto's defaults (mysql 5.6.21, postgres 9.3.3) and the replica's backup retention (1, from its primary).
        var defaultVersions = new Dictionary<string, string> { ["mysql"] = "5.6.21", ["postgres"] = "9.3.3" };

        // Act
        var (_, options) = Scenarios.Prepare(scenario, LocalEnvironment.PlanPath, new LocalEnvironmentOptions());
        var replica = new Failover.Core.Ports.DatabaseInstanceState("orders-replica", "available", "orders-replica-primary", options.Engine, options.EngineVersion ?? defaultVersions[options.Engine], 1);

        // Assert
        Assert.Null(Failover.Core.Services.DrillCopyRules.Refusal(replica));
    }

    [Fact]
    public void Substitute_WhenPlaceholderIsUnknown_ShouldThrowNamingIt()
    {
        var error = Assert.Throws<LocalAwsException>(() => LocalEnvironment.Substitute("{\"x\":\"${Missing}\"}", new Dictionary<string, string>()));

        Assert.Contains("${Missing}", error.Message, StringComparison.Ordinal);
    }
}
