using Failover.Aws.Clients;
using Failover.Aws.Transport;

namespace Failover.Aws;

/// <summary>Every client, sharing one signed, retrying transport. Create once per container and reuse.</summary>
public sealed class AwsClients
{
    /// <summary>Creates the clients for <paramref name="options"/>; <paramref name="http"/> defaults to the process's shared client.</summary>
    public AwsClients(AwsOptions options, TimeProvider clock, HttpClient? http = null)
    {
        var transport = new AwsTransport(http ?? AwsTransport.Shared, options, clock);
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

    /// <summary>The options the clients were made with: region, endpoints, credentials and retry budget. Callers derive a client set for another region from it (<c>Options with { Region = … }</c>).</summary>
    public AwsOptions Options { get; }

    /// <summary>Amazon RDS: Aurora global clusters, DB clusters and read-replica instances to promote.</summary>
    public RdsClient Rds { get; }

    /// <summary>Amazon CloudWatch: alarm states that trigger a failover and the replica-lag metrics the readiness checks read.</summary>
    public CloudWatchClient CloudWatch { get; }

    /// <summary>Amazon SNS: publishes the run's notifications to the plan's topic.</summary>
    public SnsClient Sns { get; }

    /// <summary>Amazon SQS: the queue subscribed to the notification topic, read by the local environment and its tests.</summary>
    public SqsClient Sqs { get; }

    /// <summary>AWS Step Functions: starts, describes and reads the history of failover executions.</summary>
    public StepFunctionsClient StepFunctions { get; }

    /// <summary>AWS Lambda: invokes the product's own functions, e.g. the CLI running the readiness function (Invoke only).</summary>
    public LambdaClient Lambda { get; }

    /// <summary>Amazon Route 53: the record sets and health checks switched to move traffic; always signed for us-east-1.</summary>
    public Route53Client Route53 { get; }

    /// <summary>AWS Elastic Disaster Recovery: source servers, recovery snapshots, recovery and drill jobs, recovery instances.</summary>
    public DrsClient Drs { get; }

    /// <summary>AWS CloudFormation: the CLI reads a deployed stack's outputs to find the state machine and functions it made.</summary>
    public CloudFormationClient CloudFormation { get; }

    /// <summary>AWS Systems Manager Parameter Store: holds the plan's last readiness evaluation.</summary>
    public SsmClient Ssm { get; }

    /// <summary>Amazon EC2 Auto Scaling: the recovery region's groups scaled up by warm standby.</summary>
    public AutoScalingClient AutoScaling { get; }

    /// <summary>Amazon ECS: the recovery region's services scaled up by warm standby.</summary>
    public EcsClient Ecs { get; }

    /// <summary>Amazon EC2: launch templates and the few calls the local environment needs to build its fixtures.</summary>
    public Ec2Client Ec2 { get; }
}
