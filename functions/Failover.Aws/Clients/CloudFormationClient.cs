using System.Xml.Linq;
using Failover.Aws.Transport;

namespace Failover.Aws.Clients;

/// <summary>One output of a stack.</summary>
public sealed record StackOutput(string OutputKey, string OutputValue)
{
    /// <summary>The output's Description from the template; null when the template gave none.</summary>
    public string? Description { get; init; }

    /// <summary>The name the output is exported under (Export.Name) for Fn::ImportValue in other stacks; null when it is not exported.</summary>
    public string? ExportName { get; init; }
}

/// <summary>A stack as DescribeStacks reports it (the members the product reads).</summary>
public sealed record StackDescription(string StackName, string? StackId, string StackStatus, IReadOnlyList<StackOutput> Outputs);

/// <summary>AWS CloudFormation over the query protocol (Version 2010-05-15): finds what a deployed stack made.</summary>
public sealed class CloudFormationClient
{
    private const string Version = "2010-05-15";
    private readonly AwsTransport _transport;

    internal CloudFormationClient(AwsTransport transport) => _transport = transport;

    /// <summary>Describes one stack by name or id. A stack that does not exist is a ValidationError from CloudFormation.</summary>
    [IamAction("cloudformation:DescribeStacks")]
    public async Task<StackDescription> DescribeStackAsync(string stackName, CancellationToken cancellationToken)
    {
        var result = await QueryProtocol.CallAsync(_transport, AwsService.CloudFormation, Version, "DescribeStacks",
            new QueryParameters().Add("StackName", stackName), retrySafe: true, cancellationToken);
        var stack = result.Items("Stacks").FirstOrDefault()
            ?? throw QueryProtocol.Malformed(AwsService.CloudFormation, "DescribeStacks", $"no stack in the reply for '{stackName}'");
        return new StackDescription(stack.Required("StackName"), stack.Text("StackId"), stack.Text("StackStatus") ?? "", [.. stack.Items("Outputs").Select(Output)]);
    }

    private static StackOutput Output(XElement output) => new(output.Text("OutputKey") ?? "", output.Text("OutputValue") ?? "")
    {
        Description = output.Text("Description"),
        ExportName = output.Text("ExportName"),
    };
}
