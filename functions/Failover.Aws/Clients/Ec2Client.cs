using Failover.Aws.Transport;

namespace Failover.Aws.Clients;

/// <summary>Amazon EC2 over the EC2 query protocol (Version 2016-11-15): only what the local environment needs.</summary>
public sealed class Ec2Client
{
    private const string Version = "2016-11-15";
    private readonly AwsTransport _transport;

    internal Ec2Client(AwsTransport transport) => _transport = transport;

    /// <summary>Creates a launch template of one image and instance type, for an Auto Scaling group to launch from.</summary>
    [IamAction("ec2:CreateLaunchTemplate")]
    public async Task CreateLaunchTemplateAsync(string name, string imageId, string instanceType, CancellationToken cancellationToken)
    {
        var parameters = new QueryParameters()
            .Add("LaunchTemplateName", name)
            .Add("LaunchTemplateData.ImageId", imageId)
            .Add("LaunchTemplateData.InstanceType", instanceType);
        await QueryProtocol.CallAsync(_transport, AwsService.Ec2, Version, "CreateLaunchTemplate", parameters, retrySafe: false, cancellationToken);
    }
}
