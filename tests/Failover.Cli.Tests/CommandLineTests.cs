using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Failover.Cli.Tests;

/// <summary>The real <c>failover</c> program in a process of its own: exit codes, stderr, no stack traces, no ANSI codes when piped.</summary>
public sealed class CommandLineTests : IDisposable
{
    private const string Escape = "\u001b";
    private const string Sgr = @"\u001b\[[0-9;]*m";
    private const string ExecutionArn = "arn:aws:states:us-west-2:123456789012:execution:failover:orders-drill-1";
    private const string StateMachineArn = "arn:aws:states:us-west-2:123456789012:stateMachine:failover";

    private readonly string _directory = Directory.CreateTempSubdirectory("failover-cli-").FullName;

    public static TheoryData<string[]> AwsCommands => new()
    {
        { ["status", "--execution-arn", ExecutionArn] },
        { ["start", "--state-machine-arn", StateMachineArn, "--reason", "quarterly drill", "--drill"] },
        { ["approve", "--token", "made-up", "--by", "on-call"] },
        { ["drill", "cleanup"] },
    };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [MemberData(nameof(AwsCommands))]
    public async Task Command_WhenThereAreNoCredentials_ShouldSayHowToGetThemInOneLineOnStderrAndExit3(string[] args)
    {
        // Act
        var run = await CliProcess.RunAsync(args);

        // Assert
        Assert.Equal(3, run.ExitCode);
        Assert.Equal("", run.Out);
        var line = Assert.Single(Lines(run.Error));
        Assert.StartsWith("failover: No AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", line, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AwsCommands))]
    public async Task Command_WhenTheEndpointDoesNotAnswer_ShouldSayAWSDidNotAnswerAndExit3(string[] args)
    {
        // Arrange
        var environment = Credentials(("AWS_ENDPOINT_URL", ClosedEndpoint().ToString()));

        // Act
        var run = await CliProcess.RunAsync(args, environment);

        // Assert
        Assert.Equal(3, run.ExitCode);
        var line = Assert.Single(Lines(run.Error));
        Assert.StartsWith("failover: AWS did not answer:", line, StringComparison.Ordinal);
        Assert.Contains("ConnectionFailure", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_WhenDebugIsGiven_ShouldAddTheSettingsTheRequestsAndTheStackTrace()
    {
        // Arrange
        var endpoint = ClosedEndpoint();

        // Act
        var run = await CliProcess.RunAsync(["status", "--execution-arn", ExecutionArn, "--endpoint-url", endpoint.ToString(), "--debug"], Credentials());

        // Assert
        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"debug: region us-west-2; endpoint {endpoint}", run.Error, StringComparison.Ordinal);
        Assert.Contains("debug: POST", run.Error, StringComparison.Ordinal);
        Assert.Contains("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_WhenAProfileIsNamed_ShouldTakeItsRegionAndCredentials()
    {
        // Arrange
        var config = Path.Combine(_directory, "config");
        var credentials = Path.Combine(_directory, "credentials");
        await File.WriteAllTextAsync(config, "[profile dr]\nregion = eu-central-1\n");
        await File.WriteAllTextAsync(credentials, "[dr]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n");
        var environment = new Dictionary<string, string> { ["AWS_CONFIG_FILE"] = config, ["AWS_SHARED_CREDENTIALS_FILE"] = credentials };

        // Act: approve names no region of its own; the profile's wins over the packaged plan's.
        var run = await CliProcess.RunAsync(["approve", "--token", "t", "--by", "on-call", "--profile", "dr", "--endpoint-url", ClosedEndpoint().ToString(), "--debug"], environment);

        // Assert
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("debug: region eu-central-1;", run.Error, StringComparison.Ordinal);
        Assert.Contains("credentials profile dr", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_WhenTheProfileDoesNotExist_ShouldSayWhichAndExit3()
    {
        // Act
        var run = await CliProcess.RunAsync(["drill", "cleanup", "--profile", "nope"]);

        // Assert
        Assert.Equal(3, run.ExitCode);
        Assert.Equal("failover: AWS profile 'nope' was not found, or has no credentials (~/.aws/config, ~/.aws/credentials).", Assert.Single(Lines(run.Error)));
    }

    [Theory]
    [InlineData("status")]
    [InlineData("status --execution-arn")]
    [InlineData("approve --by on-call")]
    [InlineData("simulate --scenario nope")]
    [InlineData("--output yaml status --execution-arn " + ExecutionArn)]
    [InlineData("status --endpoint-url not-a-url --execution-arn " + ExecutionArn)]
    [InlineData("start --no-such-option")]
    public async Task Command_WhenTheCommandLineIsWrong_ShouldPrintTheErrorOnStderrAndExit2(string commandLine)
    {
        // Act
        var run = await CliProcess.RunAsync(commandLine.Split(' '));

        // Assert
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.StartsWith("failover: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("--help'.", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status --execution-arn " + StateMachineArn, "is not an execution ARN")]
    [InlineData("start --state-machine-arn arn:aws:states:us-west-2:123456789012:execution:failover:x --reason r", "is not a state machine ARN")]
    [InlineData("start --stack failover --state-machine-arn " + StateMachineArn + " --reason r", "exactly one of --stack")]
    [InlineData("start --state-machine-arn " + StateMachineArn, "Nothing was started")]
    public async Task Command_WhenAnArgumentCannotBeUsed_ShouldSayWhyInOneLineAndExit2BeforeCallingAWS(string commandLine, string expected)
    {
        // Act: no credentials, so reaching AWS would exit 3.
        var run = await CliProcess.RunAsync(commandLine.Split(' '));

        // Assert
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, Assert.Single(Lines(run.Error)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"detail-type\": ", "malformed JSON")]
    [InlineData("{ \"source\": \"aws.ec2\", \"detail-type\": \"EC2 Instance State-change Notification\" }", "not a CloudWatch alarm state change")]
    public async Task Simulate_WhenTheEventIsNotAnAlarmEvent_ShouldExit2NamingTheFileBeforeStartingTheLocalAws(string text, string expected)
    {
        // Arrange
        var file = Path.Combine(_directory, "event.json");
        await File.WriteAllTextAsync(file, text);

        // Act
        var run = await CliProcess.RunAsync(["simulate", "--event", file]);

        // Assert
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(Lines(run.Error));
        Assert.Contains(file, line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("Starting the local AWS", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_WhenAsked_ShouldPrintTheToolsVersion()
    {
        // Arrange
        var version = typeof(FailoverCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        // Act
        var run = await CliProcess.RunAsync(["--version"]);

        // Assert
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(version, run.Out.Trim());
        Assert.StartsWith("0.1.0", version, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(false, "NO_COLOR")]
    [InlineData(true, "NO_COLOR")]
    [InlineData(true, "--no-color")]
    public async Task Output_WhenNotATerminalOrColourIsOff_ShouldHoldNoAnsiCode(bool terminal, string? colourOff)
    {
        // Arrange: an error (red) and the help (bold headings would be styled on a terminal).
        var environment = colourOff == "NO_COLOR" ? new Dictionary<string, string> { ["NO_COLOR"] = "1" } : null;
        string[] extra = colourOff == "--no-color" ? ["--no-color"] : [];

        // Act
        var error = await CliProcess.RunAsync(["start", "--state-machine-arn", StateMachineArn, .. extra], environment, terminal);

        // Assert
        Assert.Equal(2, error.ExitCode);
        Assert.Contains("Nothing was started", error.Out + error.Error, StringComparison.Ordinal);
        // Piped: no ESC byte at all. On a terminal the .NET runtime itself switches the keypad mode (ESC[?1h ESC=) when
        // the console starts; no colour or style (SGR, ESC[...m) may follow.
        Assert.DoesNotMatch(terminal ? Sgr : Escape, error.Out + error.Error);
    }

    [Fact]
    public async Task Output_WhenATerminalWantsColour_ShouldColourTheError()
    {
        // Act: the counterpart of the test above, which would pass vacuously if nothing were ever coloured.
        var run = await CliProcess.RunAsync(["start", "--state-machine-arn", StateMachineArn], pseudoTerminal: true);

        // Assert
        Assert.Equal(2, run.ExitCode);
        Assert.Matches(Sgr, run.Out);
    }

    [Fact]
    public async Task Completion_WhenBashAsksForTheWordsAfterSta_ShouldOfferStartAndStatus()
    {
        // Arrange: the script from `failover completion bash`; `failover` is a shell function running the built program.
        var script = await CliProcess.RunAsync(["completion", "bash"]);
        var completion = Path.Combine(_directory, "failover.bash");
        await File.WriteAllTextAsync(completion, script.Out);
        var bash = new System.Diagnostics.ProcessStartInfo("bash")
        {
            ArgumentList =
            {
                "-c",
                $"failover() {{ dotnet '{CliProcess.Dll}' \"$@\"; }}; source '{completion}'; COMP_LINE='failover sta'; COMP_POINT=12; _failover_complete; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            },
            RedirectStandardOutput = true,
        };

        // Act
        using var process = System.Diagnostics.Process.Start(bash)!;
        var words = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        // Assert
        Assert.Equal(0, script.ExitCode);
        Assert.Equal(["start", "status"], Lines(words));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Dictionary<string, string> Credentials(params (string Name, string Value)[] more)
    {
        var environment = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test" };
        foreach (var (name, value) in more)
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>A loopback endpoint nothing listens on: connections are refused at once.</summary>
    private static Uri ClosedEndpoint()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
