using Failover.Aws.Transport;

namespace Failover.Aws.Clients;

/// <summary>An IAM user's access key.</summary>
public sealed record AccessKey(string UserName, string AccessKeyId, string SecretAccessKey);

/// <summary>
/// AWS IAM over the query protocol (Version 2010-05-08; global, signed for us-east-1): the few user operations the
/// local AWS needs to give each function the permissions of its role. The product itself never calls IAM.
/// </summary>
public sealed class IamClient
{
    private const string Version = "2010-05-08";
    private readonly AwsTransport _transport;

    /// <summary>Creates a client with its own transport (IAM is not among <see cref="AwsClients"/>: no function calls it).</summary>
    public IamClient(AwsOptions options, TimeProvider clock, HttpClient? http = null) =>
        _transport = new AwsTransport(http ?? AwsTransport.Shared, options, clock);

    /// <summary>Creates a user; returns its ARN.</summary>
    [IamAction("iam:CreateUser")]
    public async Task<string> CreateUserAsync(string userName, CancellationToken cancellationToken)
    {
        var result = await CallAsync("CreateUser", new QueryParameters().Add("UserName", userName), cancellationToken);
        return result.Child("User")?.Text("Arn") ?? throw QueryProtocol.Malformed(AwsService.Iam, "CreateUser", "no User/Arn");
    }

    /// <summary>Sets (creates or replaces) an inline policy of a user.</summary>
    [IamAction("iam:PutUserPolicy")]
    public async Task PutUserPolicyAsync(string userName, string policyName, string policyDocument, CancellationToken cancellationToken) =>
        await CallAsync("PutUserPolicy", new QueryParameters().Add("UserName", userName).Add("PolicyName", policyName).Add("PolicyDocument", policyDocument), cancellationToken);

    /// <summary>Creates an access key for a user.</summary>
    [IamAction("iam:CreateAccessKey")]
    public async Task<AccessKey> CreateAccessKeyAsync(string userName, CancellationToken cancellationToken)
    {
        var key = (await CallAsync("CreateAccessKey", new QueryParameters().Add("UserName", userName), cancellationToken)).Child("AccessKey")
            ?? throw QueryProtocol.Malformed(AwsService.Iam, "CreateAccessKey", "no AccessKey");
        return new AccessKey(userName, key.Required("AccessKeyId"), key.Required("SecretAccessKey"));
    }

    // None of these is retried on 5xx: a repeated CreateUser or CreateAccessKey that went through fails or doubles.
    private Task<System.Xml.Linq.XElement> CallAsync(string action, QueryParameters parameters, CancellationToken cancellationToken) =>
        QueryProtocol.CallAsync(_transport, AwsService.Iam, Version, action, parameters, retrySafe: false, cancellationToken);
}
