using System.CommandLine;
using Failover.Cli;

namespace Failover.Cli.Tests;

public sealed class PlanCommandTests : IDisposable
{
    private const string ValidPlan = """
        {
          "name": "orders",
          "primaryRegion": "us-east-1",
          "recoveryRegion": "us-west-2",
          "objectives": { "rtoSeconds": 900, "rpoSeconds": 60 },
          "databases": [ { "kind": "rds-instance-replica", "id": "orders-replica" } ],
          "servers": { "sourceServerIds": [ "s-00000000000000001" ], "tags": { "app": "orders" } },
          "switches": [ { "kind": "switch-metric", "id": "orders-web", "namespace": "Failover", "metricName": "TrafficSwitch", "alarmName": "orders-orders-web-switch", "hostedZoneId": "Z0123456789ABCDEFGHIJ", "recordName": "orders-web.example.com." } ],
          "trigger": { "accountId": "123456789012", "alarmArns": [ "arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-primary-outage" ] }
        }
        """;

    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("failover-plan-").FullName;

    public void Dispose()
    {
        _output.Dispose();
        _error.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task ValidateAsync_WhenPlanIsValid_ShouldExit0AndSummariseIt()
    {
        // Arrange
        var file = await WriteAsync("plan.json", ValidPlan);

        // Act
        var exitCode = await PlanCommand.ValidateAsync(file, _output, _error, CancellationToken.None);

        // Assert
        Assert.Equal(PlanCommand.Valid, exitCode);
        Assert.Equal(
            "plan.json: plan 'orders' is valid: us-east-1 -> us-west-2, 1 database(s), 1 DRS server(s) by id and those tagged app=orders, 1 switch(es)." + Environment.NewLine,
            _output.ToString());
        Assert.Empty(_error.ToString());
    }

    [Fact]
    public async Task ParamsAsync_WhenPlanIsValid_ShouldPrintTheSamDeployParameterOverridesItNeeds()
    {
        // Arrange
        var file = await WriteAsync("plan.json", ValidPlan);

        // Act
        var exitCode = await PlanCommand.ParamsAsync(file, _output, _error, CancellationToken.None);

        // Assert
        Assert.Equal(PlanCommand.Valid, exitCode);
        Assert.Equal(
            "sam deploy --parameter-overrides 'PlanName=\"orders\" OutageAlarmArns=\"arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-primary-outage\" "
            + "ReplicaInstanceArns=\"arn:aws:rds:us-west-2:123456789012:db:orders-replica\" ReplicaClusterArns=\"none\" GlobalClusterArns=\"none\" "
            + "HealthCheckArns=\"none\" HostedZoneArns=\"none\" SwitchNamespace=\"Failover\"'" + Environment.NewLine,
            _output.ToString());
        Assert.Empty(_error.ToString());
    }

    [Fact]
    public async Task ParamsAsync_WhenPlanIsInvalid_ShouldExit1AndPrintTheErrorsInstead()
    {
        // Arrange
        var file = await WriteAsync("plan.json", ValidPlan.Replace("\"rtoSeconds\": 900", "\"rtoSeconds\": -1", StringComparison.Ordinal));

        // Act
        var exitCode = await PlanCommand.ParamsAsync(file, _output, _error, CancellationToken.None);

        // Assert
        Assert.Equal(PlanCommand.Invalid, exitCode);
        Assert.DoesNotContain("sam deploy", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("$.objectives.rtoSeconds", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_WhenPlanBreaksSeveralRules_ShouldExit1AndPrintEveryErrorWithPathLineAndColumn()
    {
        // Arrange
        var file = await WriteAsync("plan.json", ValidPlan
            .Replace("\"name\": \"orders\"", "\"name\": \"orders plan\"", StringComparison.Ordinal)
            .Replace("\"recoveryRegion\": \"us-west-2\"", "\"recoveryRegion\": \"us-east-1\"", StringComparison.Ordinal)
            .Replace("\"s-00000000000000001\"", "\"i-0123456789abcdef0\"", StringComparison.Ordinal)
            .Replace("\"metricName\": \"TrafficSwitch\"", "\"metricName\": \"\"", StringComparison.Ordinal));

        // Act
        var exitCode = await PlanCommand.ValidateAsync(file, _output, _error, CancellationToken.None);

        // Assert
        Assert.Equal(PlanCommand.Invalid, exitCode);
        Assert.Equal(
            [
                "$.name (line 2, column 11): must be 1-40 letters, digits or hyphens",
                "$.recoveryRegion (line 4, column 21): must differ from primaryRegion",
                "$.servers.sourceServerIds[0] (line 7, column 37): 'i-0123456789abcdef0' is not a source server id (s- and 17 characters)",
                "$.switches[0].metricName (line 8, column 103): must be 1-255 characters",
                "$.trigger.alarmArns[0] (line 9, column 60): alarm is in us-west-2; trigger alarms must live in the recovery region us-east-1",
            ],
            Lines(_output));
        Assert.Contains("5 error(s)", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_WhenFourErrorsArePlanted_ShouldListAllFour()
    {
        // Arrange: a wrong type, a made-up region, a trailing newline and a null tag; the wrong type used to hide the rest.
        var file = await WriteAsync("plan.json", ValidPlan
            .Replace("\"rtoSeconds\": 900", "\"rtoSeconds\": \"15m\"", StringComparison.Ordinal)
            .Replace("\"recoveryRegion\": \"us-west-2\"", "\"recoveryRegion\": \"xx-fake-1\"", StringComparison.Ordinal)
            .Replace("\"name\": \"orders\"", "\"name\": \"orders\\n\"", StringComparison.Ordinal)
            .Replace("\"app\": \"orders\"", "\"app\": null", StringComparison.Ordinal));

        // Act
        var exitCode = await PlanCommand.ValidateAsync(file, _output, _error, CancellationToken.None);

        // Assert
        Assert.Equal(PlanCommand.Invalid, exitCode);
        Assert.Equal(
            ["$.name (line 2", "$.recoveryRegion (line 4", "$.objectives.rtoSeconds (line 5", "$.servers.tags.app (line 7"],
            Lines(_output).Select(l => l[..l.IndexOf(',', StringComparison.Ordinal)]));
        Assert.Contains("4 error(s)", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_WhenTheFileIsNotUtf8_ShouldExit1NamingTheByteOffset()
    {
        // Arrange: Latin-1 "é" (0xE9) in the plan's name.
        var path = Path.Combine(_directory, "latin1.json");
        var bytes = System.Text.Encoding.UTF8.GetBytes(ValidPlan.Replace("\"orders\",", "\"ordersX\",", StringComparison.Ordinal));
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xE9;
        await File.WriteAllBytesAsync(path, bytes);

        // Act
        var exitCode = await PlanCommand.ValidateAsync(new FileInfo(path), _output, _error, CancellationToken.None);

        // Assert
        Assert.Equal(PlanCommand.Invalid, exitCode);
        Assert.StartsWith("$ (line 2, column 18): the text is not UTF-8: byte 0xE9 at byte offset ", Assert.Single(Lines(_output)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_WhenAWaveExceedsTheDrsQuotas_ShouldExit1NamingThePathAndTheLimit()
    {
        // Arrange
        var file = await WriteAsync("plan.json", ValidPlan.Replace(
            "\"servers\": { \"sourceServerIds\": [ \"s-00000000000000001\" ], \"tags\": { \"app\": \"orders\" } }",
            "\"servers\": [ { \"name\": \"db\", \"tags\": { \"tier\": \"db\" } }, { \"name\": \"app\", \"tags\": { \"tier\": \"app\" }, \"batchSize\": 150 } ]",
            StringComparison.Ordinal));

        // Act
        var exitCode = await PlanCommand.ValidateAsync(file, _output, _error, CancellationToken.None);

        // Assert
        Assert.Equal(PlanCommand.Invalid, exitCode);
        Assert.Equal(["$.servers[1].batchSize (line 7, column 117): 150 exceeds the DRS quota of 100 source servers in a single job (L-B827C881, $.drsQuotas.serversPerJob)"], Lines(_output));
    }

    [Fact]
    public async Task ValidateAsync_WhenThePlanHasWaves_ShouldSummariseThemInOrder()
    {
        // Arrange
        var file = await WriteAsync("plan.json", ValidPlan.Replace(
            "\"servers\": { \"sourceServerIds\": [ \"s-00000000000000001\" ], \"tags\": { \"app\": \"orders\" } }",
            "\"servers\": [ { \"name\": \"db\", \"tags\": { \"tier\": \"db\" } }, { \"tags\": { \"tier\": \"app\" } } ]",
            StringComparison.Ordinal));

        // Act
        var exitCode = await PlanCommand.ValidateAsync(file, _output, _error, CancellationToken.None);

        // Assert
        Assert.Equal(PlanCommand.Valid, exitCode);
        Assert.Contains("wave 1 (db): 0 DRS server(s) by id and those tagged tier=db; then wave 2: 0 DRS server(s) by id and those tagged tier=app", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_WhenAMemberIsUnknown_ShouldExit1NamingItWithItsPath()
    {
        // Arrange
        var file = await WriteAsync("plan.json", ValidPlan.Replace("\"id\": \"orders-replica\"", "\"id\": \"orders-replica\", \"critcal\": false", StringComparison.Ordinal));

        // Act
        var exitCode = await PlanCommand.ValidateAsync(file, _output, _error, CancellationToken.None);

        // Assert
        Assert.Equal(PlanCommand.Invalid, exitCode);
        var line = Assert.Single(Lines(_output));
        Assert.StartsWith("$.databases[0]", line, StringComparison.Ordinal);
        Assert.Contains("critcal", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("null")]
    public async Task ValidateAsync_WhenTheFileIsNotAPlanObject_ShouldExit1WithAnErrorAtTheRoot(string text)
    {
        // Arrange
        var file = await WriteAsync("plan.json", text);

        // Act
        var exitCode = await PlanCommand.ValidateAsync(file, _output, _error, CancellationToken.None);

        // Assert
        Assert.Equal(PlanCommand.Invalid, exitCode);
        Assert.All(Lines(_output), l => Assert.StartsWith("$", l, StringComparison.Ordinal));
        Assert.NotEmpty(Lines(_output));
    }

    [Fact]
    public async Task ValidateAsync_WhenATriggerAlarmIsOutsideTheRecoveryRegion_ShouldReportItAsTheTriggerWould()
    {
        // Arrange
        var file = await WriteAsync("plan.json", ValidPlan.Replace("cloudwatch:us-west-2", "cloudwatch:us-east-1", StringComparison.Ordinal));

        // Act
        var exitCode = await PlanCommand.ValidateAsync(file, _output, _error, CancellationToken.None);

        // Assert
        Assert.Equal(PlanCommand.Invalid, exitCode);
        Assert.Equal(["$.trigger.alarmArns[0] (line 9, column 60): alarm is in us-east-1; trigger alarms must live in the recovery region us-west-2"], Lines(_output));
    }

    [Fact]
    public async Task ValidateAsync_WhenTheFileDoesNotExist_ShouldExit2NamingIt()
    {
        // Arrange
        var file = new FileInfo(Path.Combine(_directory, "missing-plan.json"));

        // Act
        var exitCode = await PlanCommand.ValidateAsync(file, _output, _error, CancellationToken.None);

        // Assert
        Assert.Equal(PlanCommand.Unreadable, exitCode);
        Assert.Contains("missing-plan.json", _error.ToString(), StringComparison.Ordinal);
        Assert.Empty(_output.ToString());
    }

    [Fact]
    public async Task ValidateAsync_WhenThePathIsADirectory_ShouldExit2()
    {
        // Arrange
        var file = new FileInfo(Directory.CreateDirectory(Path.Combine(_directory, "plans")).FullName);

        // Act
        var exitCode = await PlanCommand.ValidateAsync(file, _output, _error, CancellationToken.None);

        // Assert
        Assert.Equal(PlanCommand.Unreadable, exitCode);
        Assert.Contains("Cannot read the plan", _error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("valid", 0)]
    [InlineData("invalid", 1)]
    [InlineData("missing", 2)]
    public async Task FailoverCommand_WhenPlanValidateIsInvoked_ShouldReturnTheExitCodeAndWriteToTheConfiguredOutput(string kind, int expected)
    {
        // Arrange
        var path = kind switch
        {
            "valid" => (await WriteAsync("plan.json", ValidPlan)).FullName,
            "invalid" => (await WriteAsync("plan.json", ValidPlan.Replace("\"rtoSeconds\": 900", "\"rtoSeconds\": 0", StringComparison.Ordinal))).FullName,
            _ => Path.Combine(_directory, "nope.json"),
        };
        var configuration = new InvocationConfiguration { Output = _output, Error = _error };

        // Act
        var exitCode = await FailoverCommand.Build().Parse(["plan", "validate", path]).InvokeAsync(configuration, CancellationToken.None);

        // Assert
        Assert.Equal(expected, exitCode);
        Assert.Equal(kind == "invalid", _output.ToString().Contains("$.objectives.rtoSeconds (line 5, column 33): must be greater than 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailoverCommand_WhenPlanValidateHasNoFile_ShouldFailAndSayTheArgumentIsMissing()
    {
        // Arrange
        var configuration = new InvocationConfiguration { Output = _output, Error = _error };

        // Act
        var exitCode = await FailoverCommand.Build().Parse(["plan", "validate"]).InvokeAsync(configuration, CancellationToken.None);

        // Assert
        Assert.NotEqual(0, exitCode);
        Assert.Contains("FILE", _error.ToString() + _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FailoverCommand_WhenBuilt_ShouldOfferPlanInitValidateAndParams()
    {
        // Act
        var plan = FailoverCommand.Build().Subcommands.Single(c => c.Name == "plan");

        // Assert: init reads the account (options only); validate and params read a FILE.
        Assert.Equal(["init", "validate", "params"], plan.Subcommands.Select(c => c.Name));
        Assert.Empty(plan.Subcommands[0].Arguments);
        Assert.All(plan.Subcommands.Skip(1), c => Assert.Equal("FILE", Assert.Single(c.Arguments).Name));
    }

    private static string[] Lines(StringWriter writer) =>
        writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    private async Task<FileInfo> WriteAsync(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        await File.WriteAllTextAsync(path, text);
        return new FileInfo(path);
    }
}
