using System.Text.Json;
using Failover.Cli;
using Spectre.Console;

namespace Failover.Cli.Tests;

public sealed class SimulateCommandTests : IDisposable
{
    private readonly StringWriter _output = new();
    private readonly IAnsiConsole _console;
    private readonly string _directory = Directory.CreateTempSubdirectory("failover-cli-").FullName;

    public SimulateCommandTests() =>
        _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });

    public void Dispose()
    {
        _output.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task RunAsync_WhenPlanFileIsMissing_ShouldExitWith2AndSayWhere()
    {
        var missing = new FileInfo(Path.Combine(_directory, "nope.json"));

        var exitCode = await SimulateCommand.RunAsync(missing, null, Terminal.Single(_console), CancellationToken.None);

        Assert.Equal(2, exitCode);
        Assert.Contains("Plan not found", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("nope.json", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenPlanIsInvalid_ShouldExitWith2AndListEveryErrorWithItsPath()
    {
        var plan = new FileInfo(Path.Combine(_directory, "plan.json"));
        await File.WriteAllTextAsync(plan.FullName, """{"name":"bad name!","primaryRegion":"us-east-1","recoveryRegion":"us-east-1","objectives":{"rtoSeconds":0,"rpoSeconds":5},"trigger":{"accountId":"1"}}""");

        var exitCode = await SimulateCommand.RunAsync(plan, null, Terminal.Single(_console), CancellationToken.None);

        Assert.Equal(2, exitCode);
        var text = _output.ToString();
        Assert.Contains("$.name", text, StringComparison.Ordinal);
        Assert.Contains("$.recoveryRegion", text, StringComparison.Ordinal);
        Assert.Contains("$.objectives.rtoSeconds", text, StringComparison.Ordinal);
        Assert.Contains("$.trigger.accountId", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenTheReadinessScenarioRuns_ShouldReportReadyThenExactlyTheFourBreakagesWithOneNotification()
    {
        // Arrange
        var report = new FileInfo(Path.Combine(_directory, "r.json"));
        using var captured = new CapturedTerminal();

        // Act
        var exitCode = await SimulateCommand.RunAsync(null, report, captured.Terminal, CancellationToken.None, scenario: "readiness");

        // Assert
        Assert.True(exitCode == 0, captured.All);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report.FullName));
        var readiness = json.RootElement.GetProperty("readiness");
        var evaluations = readiness.GetProperty("evaluations").EnumerateArray().ToList();
        Assert.True(evaluations[0].GetProperty("ready").GetBoolean());
        Assert.Empty(evaluations[0].GetProperty("findings").EnumerateArray());
        Assert.False(evaluations[^1].GetProperty("ready").GetBoolean());
        var findings = evaluations[^1].GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(["outside-role-scope:orders-reports-replica", "replica-not-replicating:orders-replica", "server-not-replicating", "switch-wiring:orders-web"],
            findings.Select(f => f.GetProperty("id").GetString()!).Select(id => id.StartsWith("server-not-replicating:s-", StringComparison.Ordinal) ? "server-not-replicating" : id));
        Assert.All(findings, f => Assert.False(string.IsNullOrEmpty(f.GetProperty("remedy").GetString())));
        Assert.Equal(1, readiness.GetProperty("notifications").GetInt32());
        Assert.Equal(["readiness-first-ready", "readiness-findings", "readiness-notified-once-per-change"],
            json.RootElement.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Contains("Readiness notifications: 1", captured.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenPackagedPlanIsSimulatedIntoFoldersThatDoNotExist_ShouldExit0AndWriteTheReportContractMarkdownAndHtml()
    {
        var report = new FileInfo(Path.Combine(_directory, "reports", "today", "report.json"));
        var markdown = new FileInfo(Path.Combine(_directory, "records", "failover.md"));
        using var captured = new CapturedTerminal(json: true);

        var exitCode = await SimulateCommand.RunAsync(null, report, captured.Terminal, CancellationToken.None, markdownFile: markdown);

        Assert.True(exitCode == 0, captured.All);
        // --output json: stdout is exactly the report; progress went to stderr.
        Assert.Equal(await File.ReadAllTextAsync(report.FullName), captured.Out.TrimEnd());
        Assert.Contains("Starting the local AWS", captured.Error, StringComparison.Ordinal);
        var md = await File.ReadAllTextAsync(markdown.FullName);
        Assert.StartsWith("# Failover of plan `orders`: succeeded", md, StringComparison.Ordinal);
        Assert.Contains("- RPO: **2.5 s** against an objective of 60 s: **met**", md, StringComparison.Ordinal);
        // The HTML page beside the JSON, with its timeline chart; the Markdown went where --markdown said, not beside.
        var html = await File.ReadAllTextAsync(Path.ChangeExtension(report.FullName, ".html"));
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<svg id=\"timeline\"", html, StringComparison.Ordinal);
        Assert.Contains("data-step=\"Switch traffic\"", html, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.ChangeExtension(report.FullName, ".md")));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report.FullName));
        var root = json.RootElement;
        Assert.Equal("succeeded", root.GetProperty("outcome").GetString());
        Assert.Equal("failover", root.GetProperty("mode").GetString());
        Assert.True(root.GetProperty("rtoSeconds").GetDouble() > 0);
        Assert.Equal(2.5, root.GetProperty("rpoSeconds").GetDouble());
        foreach (var step in root.GetProperty("steps").EnumerateArray())
        {
            Assert.Equal(JsonValueKind.String, step.GetProperty("name").ValueKind);
            Assert.Equal("succeeded", step.GetProperty("outcome").GetString());
            Assert.Equal(JsonValueKind.Number, step.GetProperty("startSeconds").ValueKind);
            Assert.Equal(JsonValueKind.Number, step.GetProperty("durationSeconds").ValueKind);
        }

        Assert.All(root.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("passed").GetBoolean(), c.GetProperty("detail").GetString()));
        var kinds = root.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["database", "servers", "traffic-switch", "server", "server", "server", "server"], kinds);
        var execution = root.GetProperty("execution");
        Assert.True(execution.GetProperty("historyEvents").GetInt32() > 10);
        Assert.True(execution.GetProperty("largestPayloadBytes").GetInt32() > 0);
        Assert.Equal("us-west-2", root.GetProperty("region").GetString());
        Assert.EndsWith(":" + execution.GetProperty("name").GetString(), root.GetProperty("executionArn").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("endedAt").GetDateTimeOffset() >= root.GetProperty("startedAt").GetDateTimeOffset());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("reason").GetString()));
        var simulation = root.GetProperty("simulation");
        Assert.True(simulation.GetProperty("criticalPathBoundSeconds").GetDouble() > 0);
        Assert.True(simulation.GetProperty("rtoToBound").GetDouble() >= 1);
    }
}
