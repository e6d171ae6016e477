using Failover.Local.Models;

namespace Failover.Local.Tests.Models;

/// <summary><see cref="CompositeAlarmRule"/> against the AlarmRule syntax of the PutCompositeAlarm API reference (API_PutCompositeAlarm.html).</summary>
public sealed class CompositeAlarmRuleTests
{
    private const string PrimaryDownArn = "arn:aws:cloudwatch:us-west-2:123456789012:alarm:primary-down";

    private static readonly Dictionary<string, string> States = new(StringComparer.Ordinal)
    {
        ["CPUUtilizationTooHigh"] = "ALARM",
        ["DiskReadOpsTooHigh"] = "OK",
        ["DeploymentInProgress"] = "OK",
        ["NetworkOutTooHigh"] = "OK",
        ["canary starting"] = "INSUFFICIENT_DATA",
        [PrimaryDownArn] = "ALARM",
    };

    [Theory]
    [InlineData("ALARM(CPUUtilizationTooHigh) AND ALARM(DiskReadOpsTooHigh)", false)]
    [InlineData("ALARM(CPUUtilizationTooHigh) AND NOT ALARM(DeploymentInProgress)", true)]
    [InlineData("(ALARM(CPUUtilizationTooHigh) OR ALARM(DiskReadOpsTooHigh)) AND OK(NetworkOutTooHigh)", true)]
    [InlineData("ALARM(\"CPUUtilizationTooHigh\")", true)]
    [InlineData("OK( \"DiskReadOpsTooHigh\" )", true)]
    [InlineData("INSUFFICIENT_DATA(\"canary starting\")", true)]
    [InlineData("INSUFFICIENT_DATA(canary starting)", true)]
    [InlineData("ALARM(" + PrimaryDownArn + ")", true)]
    [InlineData("OK(\"" + PrimaryDownArn + "\")", false)]
    [InlineData("TRUE", true)]
    [InlineData("FALSE", false)]
    [InlineData("NOT NOT TRUE", true)]
    [InlineData("(((FALSE)))", false)]
    public void Evaluate_WhenTheRuleIsValid_ShouldEvaluateItAgainstTheChildStates(string rule, bool expected)
    {
        var result = CompositeAlarmRule.Evaluate(rule, name => States.GetValueOrDefault(name));

        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("TRUE OR TRUE AND FALSE", true)]
    [InlineData("FALSE AND TRUE OR TRUE", true)]
    [InlineData("NOT FALSE AND FALSE", false)]
    [InlineData("(TRUE OR TRUE) AND FALSE", false)]
    public void Evaluate_WhenOperatorsAreNotParenthesised_ShouldBindNotBeforeAndBeforeOr(string rule, bool expected)
    {
        var result = CompositeAlarmRule.Evaluate(rule, _ => null);

        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("ALARM(a) AND", 12)]
    [InlineData("ALARM(a) XOR ALARM(b)", 9)]
    [InlineData("ALARM(a", 7)]
    [InlineData("ALARM(\"a) OR TRUE", 6)]
    [InlineData("ALARM()", 6)]
    [InlineData("(ALARM(a)", 9)]
    [InlineData("alarm(a)", 0)]
    [InlineData("TRUE OR ALARM(", 14)]
    [InlineData("TRUE TRUE", 5)]
    public void Evaluate_WhenTheSyntaxIsBad_ShouldThrowAFormatExceptionNamingThePosition(string rule, int position)
    {
        var error = Assert.Throws<FormatException>(() => CompositeAlarmRule.Evaluate(rule, _ => "OK"));

        Assert.Contains($"at position {position},", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_WhenTheRuleNamesAnAlarmThatDoesNotExist_ShouldNameIt()
    {
        var error = Assert.Throws<ArgumentException>(() => CompositeAlarmRule.Evaluate("TRUE OR ALARM(gone)", _ => null));

        Assert.Contains("ALARM(gone) at position 8 names an alarm that does not exist", error.Message, StringComparison.Ordinal);
    }
}
