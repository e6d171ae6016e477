namespace Failover.Aws.Tests;

public sealed class AwsOptionsTests
{
    private static AwsOptions From(Dictionary<string, string> environment) =>
        AwsOptions.FromEnvironment(name => environment.GetValueOrDefault(name), environment.Keys);

    [Fact]
    public void FromEnvironment_WhenRegionIsMissing_ShouldFailWithAClearMessage()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => From([]));

        Assert.Contains("AWS_REGION", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cn-north-1", "aws-cn")]
    [InlineData("us-gov-west-1", "aws-us-gov")]
    public void FromEnvironment_WhenRegionIsInAnotherPartition_ShouldRefuseItNamingThePartition(string region, string partition)
    {
        // Arrange
        var environment = new Dictionary<string, string> { ["AWS_REGION"] = region };

        // Act
        var ex = Assert.Throws<InvalidOperationException>(() => From(environment));

        // Assert
        Assert.Equal($"AWS_REGION '{region}' is in the {partition} partition; Failover supports the aws partition only.", ex.Message);
    }

    [Fact]
    public void FromEnvironment_WhenOnlyDefaultRegionIsSet_ShouldUseIt() =>
        Assert.Equal("eu-west-1", From(new() { ["AWS_DEFAULT_REGION"] = "eu-west-1" }).Region);

    [Fact]
    public void FromEnvironment_WhenEndpointsAreSet_ShouldMapThemBySuffix()
    {
        var options = From(new()
        {
            ["AWS_REGION"] = "us-west-2",
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:4566",
            ["AWS_ENDPOINT_URL_SFN"] = "http://127.0.0.1:5000/",
            ["AWS_ENDPOINT_URL_ROUTE_53"] = "https://route53.example.test/",
        });

        Assert.Equal("us-west-2", options.Region);
        Assert.Equal(new Uri("http://127.0.0.1:4566"), options.EndpointUrl);
        Assert.Equal(new Uri("http://127.0.0.1:5000/"), options.ServiceEndpoints["SFN"]);
        Assert.Equal(new Uri("https://route53.example.test/"), options.ServiceEndpoints["ROUTE_53"]);
        Assert.Equal(2, options.ServiceEndpoints.Count);
    }

    [Theory]
    [InlineData("AWS_ENDPOINT_URL", "not a url")]
    [InlineData("AWS_ENDPOINT_URL_RDS", "ftp://127.0.0.1/")]
    public void FromEnvironment_WhenAnEndpointIsNotHttp_ShouldFailNamingTheVariable(string variable, string value)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => From(new() { ["AWS_REGION"] = "us-west-2", [variable] = value }));

        Assert.Contains(variable, ex.Message, StringComparison.Ordinal);
    }
}
