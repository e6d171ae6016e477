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

    [Fact]
    public void Substitute_WhenPlaceholderIsUnknown_ShouldThrowNamingIt()
    {
        var error = Assert.Throws<LocalAwsException>(() => LocalEnvironment.Substitute("{\"x\":\"${Missing}\"}", new Dictionary<string, string>()));

        Assert.Contains("${Missing}", error.Message, StringComparison.Ordinal);
    }
}
