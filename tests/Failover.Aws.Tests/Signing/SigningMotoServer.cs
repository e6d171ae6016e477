using Amazon.Runtime;
using Failover.Aws.Transport;

namespace Failover.Aws.Tests.Signing;

/// <summary>
/// A second moto_server that verifies SigV4 signatures and enforces IAM policies
/// (INITIAL_NO_AUTH_ACTION_COUNT): the first <see cref="SetupCalls"/> AWS calls are let through
/// unchecked and create the IAM users and keys the tests sign with.
/// </summary>
public sealed class SigningMotoServer : MotoServer
{
    /// <summary>CreateUser, PutUserPolicy and CreateAccessKey for each of the two users.</summary>
    public const int SetupCalls = 6;

    private const string IamVersion = "2010-05-08";

    public SigningMotoServer()
        : base(new Dictionary<string, string> { ["INITIAL_NO_AUTH_ACTION_COUNT"] = SetupCalls.ToString(System.Globalization.CultureInfo.InvariantCulture) })
    {
    }

    /// <summary>Keys of a user allowed every action.</summary>
    public BasicAWSCredentials Admin { get; private set; } = null!;

    /// <summary>Keys of a user allowed only rds:DescribeDBInstances.</summary>
    public BasicAWSCredentials DescribeOnly { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        try
        {
            using var cts = TestTimeout.Create();
            var transport = new AwsTransport(Http, Options("us-east-1", new BasicAWSCredentials("setup", "setup")), TimeProvider.System);
            Admin = await CreateUserAsync(transport, "failover-admin", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""", cts.Token);
            DescribeOnly = await CreateUserAsync(transport, "failover-reader", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"rds:DescribeDBInstances","Resource":"*"}]}""", cts.Token);
        }
        catch
        {
            // Stops moto as soon as the setup fails, without relying on the runner to dispose a half-made fixture.
            await DisposeAsync();
            throw;
        }
    }

    private static async Task<BasicAWSCredentials> CreateUserAsync(AwsTransport transport, string userName, string policy, CancellationToken cancellationToken)
    {
        await Iam(transport, "CreateUser", new QueryParameters().Add("UserName", userName), cancellationToken);
        await Iam(transport, "PutUserPolicy", new QueryParameters().Add("UserName", userName).Add("PolicyName", "test").Add("PolicyDocument", policy), cancellationToken);
        var key = (await Iam(transport, "CreateAccessKey", new QueryParameters().Add("UserName", userName), cancellationToken)).Child("AccessKey")
            ?? throw new InvalidOperationException("CreateAccessKey returned no AccessKey");
        return new BasicAWSCredentials(key.Required("AccessKeyId"), key.Required("SecretAccessKey"));
    }

    private static Task<System.Xml.Linq.XElement> Iam(AwsTransport transport, string action, QueryParameters parameters, CancellationToken cancellationToken) =>
        QueryProtocol.CallAsync(transport, AwsService.Iam, IamVersion, action, parameters, retrySafe: false, cancellationToken);
}
