using Failover.Aws.Clients;
using Failover.Aws.Transport;

namespace Failover.Aws;

/// <summary>Every client, sharing one signed, retrying transport. Create once per container and reuse.</summary>
public sealed class AwsClients
{
    /// <summary>Creates the clients for <paramref name="options"/>; <paramref name="http"/> defaults to a pooled client.</summary>
    public AwsClients(AwsOptions options, TimeProvider clock, HttpClient? http = null)
    {
        var transport = new AwsTransport(http ?? AwsTransport.CreateHttpClient(), options, clock);
        Options = options;
        Rds = new RdsClient(transport);
        CloudWatch = new CloudWatchClient(transport);
        Sns = new SnsClient(transport);
        Sqs = new SqsClient(transport);
        StepFunctions = new StepFunctionsClient(transport);
        Lambda = new LambdaClient(transport);
        Route53 = new Route53Client(transport);
        Drs = new DrsClient(transport);
        CloudFormation = new CloudFormationClient(transport);
        Ssm = new SsmClient(transport);
        AutoScaling = new AutoScalingClient(transport);
        Ecs = new EcsClient(transport);
        Ec2 = new Ec2Client(transport);
    }

    public AwsOptions Options { get; }
    public RdsClient Rds { get; }
    public CloudWatchClient CloudWatch { get; }
    public SnsClient Sns { get; }
    public SqsClient Sqs { get; }
    public StepFunctionsClient StepFunctions { get; }
    public LambdaClient Lambda { get; }
    public Route53Client Route53 { get; }
    public DrsClient Drs { get; }
    public CloudFormationClient CloudFormation { get; }
    public SsmClient Ssm { get; }
    public AutoScalingClient AutoScaling { get; }
    public EcsClient Ecs { get; }
    public Ec2Client Ec2 { get; }
}
