using System.Net;
using Amazon.Runtime;
using Failover.Aws.Transport;

namespace Failover.Aws.Tests.Signing;

/// <summary>Our SigV4 as moto verifies it (moto recomputes the signature with botocore from the signed
/// headers it received, then checks the user's IAM policies).</summary>
public sealed class MotoSignatureTests(SigningMotoServer moto) : IClassFixture<SigningMotoServer>
{
    [Fact]
    public async Task DescribeDBInstancesAsync_WhenSignedWithTheRightSecret_ShouldSucceed()
    {
        using var cts = TestTimeout.Create();

        var instances = await moto.Clients("us-west-2", moto.Admin).Rds.DescribeDBInstancesAsync(null, cts.Token);

        Assert.NotNull(instances);
    }

    [Fact]
    public async Task CreateTopicAsync_WhenSignedWithTheRightSecret_ShouldSucceed()
    {
        using var cts = TestTimeout.Create();

        var arn = await moto.Clients("us-west-2", moto.Admin).Sns.CreateTopicAsync("signed-topic", cts.Token);

        Assert.EndsWith(":signed-topic", arn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateStateMachineAsync_WhenJsonProtocolIsSigned_ShouldSucceed()
    {
        using var cts = TestTimeout.Create();
        var sfn = moto.Clients("us-west-2", moto.Admin).StepFunctions;

        var arn = await sfn.CreateStateMachineAsync("signed-" + Guid.NewGuid().ToString("N"), """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""", "arn:aws:iam::123456789012:role/x", cts.Token);
        var executions = await sfn.ListExecutionsAsync(arn, null, cts.Token);

        Assert.Empty(executions);
    }

    [Fact]
    public async Task CreateHostedZoneAsync_WhenRestXmlIsSignedForUsEast1_ShouldSucceed()
    {
        using var cts = TestTimeout.Create();

        var zoneId = await moto.Clients("eu-west-1", moto.Admin).Route53.CreateHostedZoneAsync("signed.example.com.", "ref-" + Guid.NewGuid(), cts.Token);

        Assert.False(string.IsNullOrEmpty(zoneId));
    }

    [Fact]
    public async Task DescribeDBInstancesAsync_WhenSignedWithAWrongSecret_ShouldThrowAccessDeniedSignatureDoesNotMatch()
    {
        using var cts = TestTimeout.Create();
        var wrong = new BasicAWSCredentials(moto.Admin.GetCredentials().AccessKey, "not-the-secret");

        var ex = await Assert.ThrowsAsync<AwsAccessDeniedException>(() => moto.Clients("us-west-2", wrong).Rds.DescribeDBInstancesAsync(null, cts.Token));

        Assert.Equal("SignatureDoesNotMatch", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
    }

    [Fact]
    public async Task DescribeExecutionAsync_WhenSignedWithAWrongSecret_ShouldThrowAccessDeniedSignatureDoesNotMatch()
    {
        // moto answers a JSON-protocol service's auth failure with an XML ErrorResponse (AWS: JSON,
        // {"__type":"InvalidSignatureException"}); the parser reads either.
        using var cts = TestTimeout.Create();
        var wrong = new BasicAWSCredentials(moto.Admin.GetCredentials().AccessKey, "not-the-secret");

        var ex = await Assert.ThrowsAsync<AwsAccessDeniedException>(() =>
            moto.Clients("us-west-2", wrong).StepFunctions.DescribeExecutionAsync("arn:aws:states:us-west-2:123456789012:execution:m:e", cts.Token));

        Assert.Equal("SignatureDoesNotMatch", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
    }

    [Fact]
    public async Task CreateTopicAsync_WhenAccessKeyIsUnknown_ShouldThrowAccessDeniedInvalidClientTokenId()
    {
        using var cts = TestTimeout.Create();
        var unknown = new BasicAWSCredentials("AKIAUNKNOWN000000000", "whatever");

        var ex = await Assert.ThrowsAsync<AwsAccessDeniedException>(() => moto.Clients("us-west-2", unknown).Sns.CreateTopicAsync("t", cts.Token));

        Assert.Equal("InvalidClientTokenId", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
    }

    [Fact]
    public async Task CreateTopicAsync_WhenThePolicyDoesNotAllowIt_ShouldThrowAccessDenied()
    {
        using var cts = TestTimeout.Create();
        var clients = moto.Clients("us-west-2", moto.DescribeOnly);

        await clients.Rds.DescribeDBInstancesAsync(null, cts.Token);
        var ex = await Assert.ThrowsAsync<AwsAccessDeniedException>(() => clients.Sns.CreateTopicAsync("forbidden", cts.Token));

        Assert.Equal("AccessDenied", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
        Assert.Contains("sns:CreateTopic", ex.ServiceMessage, StringComparison.Ordinal);
    }
}
