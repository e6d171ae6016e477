namespace Failover.Aws.Transport;

/// <summary>How to reach and sign for one AWS service.</summary>
/// <param name="Name">Short name used in errors and logs.</param>
/// <param name="SigningName">SigV4 service name.</param>
/// <param name="EndpointPrefix">Host prefix: {prefix}.{region}.amazonaws.com.</param>
/// <param name="EnvironmentKey">Suffix of the AWS_ENDPOINT_URL_* override variable.</param>
/// <param name="GlobalSigningRegion">Set for global services (Route 53): the region to sign for and the global host.</param>
public sealed record AwsService(string Name, string SigningName, string EndpointPrefix, string EnvironmentKey, string? GlobalSigningRegion = null)
{
    public static readonly AwsService Rds = new("rds", "rds", "rds", "RDS");
    public static readonly AwsService CloudWatch = new("cloudwatch", "monitoring", "monitoring", "CLOUDWATCH");
    public static readonly AwsService Sns = new("sns", "sns", "sns", "SNS");
    public static readonly AwsService Sqs = new("sqs", "sqs", "sqs", "SQS");
    public static readonly AwsService StepFunctions = new("stepfunctions", "states", "states", "SFN");
    public static readonly AwsService Lambda = new("lambda", "lambda", "lambda", "LAMBDA");
    public static readonly AwsService Drs = new("drs", "drs", "drs", "DRS");
    public static readonly AwsService Route53 = new("route53", "route53", "route53", "ROUTE_53", "us-east-1");
    public static readonly AwsService Iam = new("iam", "iam", "iam", "IAM", "us-east-1");
    public static readonly AwsService Ssm = new("ssm", "ssm", "ssm", "SSM");
    public static readonly AwsService CloudFormation = new("cloudformation", "cloudformation", "cloudformation", "CLOUDFORMATION");
    public static readonly AwsService AutoScaling = new("autoscaling", "autoscaling", "autoscaling", "AUTO_SCALING");
    public static readonly AwsService Ecs = new("ecs", "ecs", "ecs", "ECS");
    public static readonly AwsService Ec2 = new("ec2", "ec2", "ec2", "EC2");
}
