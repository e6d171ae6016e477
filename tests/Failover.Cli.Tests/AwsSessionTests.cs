using Amazon.Runtime;
using Failover.Cli;

namespace Failover.Cli.Tests;

public sealed class AwsSessionTests
{
    private const string ExecutionArn = "arn:aws:states:eu-west-1:123456789012:execution:failover:x";

    [Theory]
    [InlineData("us-east-1", ExecutionArn, "AWS_REGION=ca-central-1", "--region")]
    [InlineData(null, ExecutionArn, "AWS_REGION=ca-central-1", "the ARN")]
    [InlineData(null, null, "AWS_REGION=ca-central-1;AWS_DEFAULT_REGION=sa-east-1", "AWS_REGION")]
    [InlineData(null, null, "AWS_DEFAULT_REGION=sa-east-1", "AWS_DEFAULT_REGION")]
    [InlineData(null, null, "AWS_PROFILE=ops", "profile ops")]
    [InlineData(null, null, "", "the plan's recovery region")]
    public void ResolveRegion_WhenSeveralSourcesSayARegion_ShouldTakeTheFirstAsTheAwsCliDoes(string? option, string? arn, string environment, string expectedSource)
    {
        // Arrange
        var variables = environment.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(v => v.Split('=')).ToDictionary(v => v[0], v => v[1]);
        var session = new AwsSession
        {
            Region = option,
            GetVariable = variables.GetValueOrDefault,
            ProfileRegion = name => name == "ops" ? "ap-south-1" : null,
        };

        // Act
        var (_, source) = session.ResolveRegion(arn, () => "us-west-2");

        // Assert
        Assert.Equal(expectedSource, source);
    }

    [Fact]
    public void ResolveRegion_WhenProfileIsGiven_ShouldReadThatProfilesRegionOverAwsProfile()
    {
        // Arrange
        var session = new AwsSession
        {
            Profile = "dr",
            GetVariable = name => name == "AWS_PROFILE" ? "ops" : null,
            ProfileRegion = name => name == "dr" ? "us-west-2" : "ap-south-1",
        };

        // Act
        var (region, source) = session.ResolveRegion();

        // Assert
        Assert.Equal(("us-west-2", "profile dr"), (region, source));
    }

    [Fact]
    public void ResolveRegion_WhenNothingSaysARegion_ShouldBeAnInputErrorNamingTheSources()
    {
        // Arrange
        var session = new AwsSession { GetVariable = _ => null, ProfileRegion = _ => null };

        // Act
        var error = Assert.Throws<CliException>(() => session.ResolveRegion());

        // Assert
        Assert.Equal(ExitCodes.InputError, error.ExitCode);
        Assert.Equal("No region: give --region, set AWS_REGION, or set region in profile default (~/.aws/config).", error.Message);
    }

    [Fact]
    public async Task ClientsAsync_WhenEndpointUrlIsGiven_ShouldBeatTheEnvironmentsEndpoints()
    {
        // Arrange
        var variables = new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1/", ["AWS_ENDPOINT_URL_SFN"] = "http://127.0.0.1:2/" };
        var session = Session(variables) with { EndpointUrl = new Uri("http://127.0.0.1:3/") };
        using var captured = new CapturedTerminal();

        // Act
        var clients = await session.ClientsAsync("us-west-2", TimeProvider.System, captured.Terminal, CancellationToken.None);

        // Assert
        Assert.Equal(new Uri("http://127.0.0.1:3/"), clients.Options.EndpointUrl);
        Assert.Empty(clients.Options.ServiceEndpoints);
    }

    [Fact]
    public async Task ClientsAsync_WhenOnlyTheEnvironmentNamesEndpoints_ShouldUseThem()
    {
        // Arrange
        var variables = new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1/", ["AWS_ENDPOINT_URL_SFN"] = "http://127.0.0.1:2/" };
        using var captured = new CapturedTerminal();

        // Act
        var clients = await Session(variables).ClientsAsync("us-west-2", TimeProvider.System, captured.Terminal, CancellationToken.None);

        // Assert
        Assert.Equal(new Uri("http://127.0.0.1:1/"), clients.Options.EndpointUrl);
        Assert.Equal(new Uri("http://127.0.0.1:2/"), clients.Options.ServiceEndpoints["SFN"]);
    }

    [Theory]
    [InlineData("AWS_ENDPOINT_URL", "not a url", "us-west-2")]
    [InlineData("AWS_REGION", "us-west-2", "cn-north-1")]
    public async Task ClientsAsync_WhenTheEndpointOrRegionCannotBeUsed_ShouldBeAnInputError(string name, string value, string region)
    {
        // Arrange
        using var captured = new CapturedTerminal();

        // Act
        var error = await Assert.ThrowsAsync<CliException>(() => Session(new() { [name] = value }).ClientsAsync(region, TimeProvider.System, captured.Terminal, CancellationToken.None));

        // Assert
        Assert.Equal(ExitCodes.InputError, error.ExitCode);
    }

    [Fact]
    public async Task ResolveCredentialsAsync_WhenTheProfileDoesNotExist_ShouldExit3NamingIt()
    {
        // Arrange
        var session = new AwsSession { Profile = "no-such-profile-for-failover-tests" };

        // Act
        var error = await Assert.ThrowsAsync<CliException>(() => session.ResolveCredentialsAsync(CancellationToken.None));

        // Assert
        Assert.Equal(ExitCodes.AwsUnavailable, error.ExitCode);
        Assert.Contains("'no-such-profile-for-failover-tests' was not found", error.Message, StringComparison.Ordinal);
    }

    private static AwsSession Session(Dictionary<string, string> variables) => new()
    {
        GetVariable = variables.GetValueOrDefault,
        VariableNames = () => variables.Keys,
        Credentials = new BasicAWSCredentials("test", "test"),
    };
}
