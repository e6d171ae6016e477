using Failover.Aws.Transport;

namespace Failover.Aws.Clients;

/// <summary>Amazon SNS over the query protocol (Version 2010-03-31).</summary>
public sealed class SnsClient
{
    private const string Version = "2010-03-31";
    private readonly AwsTransport _transport;

    internal SnsClient(AwsTransport transport) => _transport = transport;

    /// <summary>Publishes to a topic with String message attributes; returns the MessageId.</summary>
    [IamAction("sns:Publish", IamActions.KmsGenerateDataKey, IamActions.KmsDecrypt)]
    public async Task<string> PublishAsync(string topicArn, string subject, string message, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken)
    {
        var parameters = new QueryParameters().Add("TopicArn", topicArn).Add("Subject", subject).Add("Message", message);
        var n = 0;
        foreach (var (name, value) in attributes)
        {
            n++;
            parameters.Add($"MessageAttributes.entry.{n}.Name", name)
                .Add($"MessageAttributes.entry.{n}.Value.DataType", "String")
                .Add($"MessageAttributes.entry.{n}.Value.StringValue", value);
        }

        // Not retried on 5xx: a second publish would be a duplicate message to the team.
        var result = await QueryProtocol.CallAsync(_transport, AwsService.Sns, Version, "Publish", parameters, retrySafe: false, cancellationToken);
        return result.Required("MessageId");
    }

    /// <summary>Creates a topic (idempotent by name) and returns its ARN.</summary>
    [IamAction("sns:CreateTopic")]
    public async Task<string> CreateTopicAsync(string name, CancellationToken cancellationToken)
    {
        var result = await QueryProtocol.CallAsync(_transport, AwsService.Sns, Version, "CreateTopic", new QueryParameters().Add("Name", name), retrySafe: true, cancellationToken);
        return result.Required("TopicArn");
    }

    /// <summary>Subscribes an endpoint; for SQS, with raw message delivery off so the SNS envelope is kept.</summary>
    [IamAction("sns:Subscribe")]
    public async Task<string> SubscribeAsync(string topicArn, string protocol, string endpoint, CancellationToken cancellationToken)
    {
        var result = await QueryProtocol.CallAsync(_transport, AwsService.Sns, Version, "Subscribe", new QueryParameters()
            .Add("TopicArn", topicArn).Add("Protocol", protocol).Add("Endpoint", endpoint).Add("ReturnSubscriptionArn", true), retrySafe: true, cancellationToken);
        return result.Required("SubscriptionArn");
    }
}
