using Failover.Cli;
using Failover.Core.Reports;
using Spectre.Console;

namespace Failover.Cli.Tests;

public sealed class TerminalTests
{
    private const string LongArn = "arn:aws:states:us-west-2:123456789012:execution:a-state-machine-with-a-long-name-for-the-orders-platform:orders-failover-20261130T1745Z-manual";

    [Fact]
    public void Create_WhenTheWritersAreNotATerminal_ShouldWriteNoAnsiCodeAndNotWrapTables()
    {
        // Arrange: colour wanted, but the writers are pipes (not the process's terminal).
        using var output = new StringWriter();
        using var error = new StringWriter();
        var terminal = Terminal.Create(output, error, colour: true, json: false, debug: false);
        var report = new RunReport
        {
            Outcome = "succeeded",
            Mode = "failover",
            Plan = "orders",
            Resources = [new ResourceReport("database", LongArn, "writable", "promoted in 312 s; the replica's lag before the outage was 2.5 s, within the objective of 60 s")],
        };

        // Act
        ReportConsole.Render(report, terminal.Out);
        terminal.Error.MarkupLine("[bold red]failed[/]");

        // Assert
        Assert.DoesNotContain("\u001b", output.ToString() + error.ToString(), StringComparison.Ordinal);
        Assert.Contains(output.ToString().Split('\n'), line => line.Contains(LongArn, StringComparison.Ordinal) && line.Contains("within the objective of 60 s", StringComparison.Ordinal));
        Assert.Equal("failed" + Environment.NewLine, error.ToString());
    }

    [Theory]
    [InlineData(false, null, true)]
    [InlineData(false, "", true)]
    [InlineData(false, "1", false)]
    [InlineData(true, null, false)]
    public void ColourWanted_WhenNoColorOrTheOptionIsSet_ShouldTurnColourOff(bool option, string? noColor, bool expected)
    {
        // Act
        var wanted = Terminal.ColourWanted(option, name => name == "NO_COLOR" ? noColor : null);

        // Assert
        Assert.Equal(expected, wanted);
    }

    [Fact]
    public void Progress_WhenOutputIsJson_ShouldGoToStderr()
    {
        // Arrange
        using var captured = new CapturedTerminal(json: true);

        // Act
        captured.Terminal.Progress.MarkupLine("Starting");
        captured.Terminal.WriteJson("{}");

        // Assert
        Assert.Equal("{}", captured.Out.Trim());
        Assert.Equal("Starting", captured.Error.Trim());
    }
}
