namespace Failover.Aws.Transport;

/// <summary>How to reach and sign for one AWS service.</summary>
/// <param name="Name">Short name used in errors and logs.</param>
/// <param name="SigningName">SigV4 service name.</param>
/// <param name="EndpointPrefix">Host prefix: {prefix}.{region}.amazonaws.com.</param>
/// <param name="EnvironmentKey">Suffix of the AWS_ENDPOINT_URL_* override variable.</param>
/// <param name="GlobalSigningRegion">Set for global services (Route 53): the region to sign for and the global host.</param>
public sealed record AwsService(string Name, string SigningName, string EndpointPrefix, string EnvironmentKey, string? GlobalSigningRegion = null)
{
    /// <summary>Amazon RDS, signed as rds; endpoint override AWS_ENDPOINT_URL_RDS.</summary>
    public static readonly AwsService Rds = new("rds", "rds", "rds", "RDS");

    /// <summary>Amazon CloudWatch: signing name and host prefix are monitoring (monitoring.{region}.amazonaws.com); override AWS_ENDPOINT_URL_CLOUDWATCH.</summary>
    public static readonly AwsService CloudWatch = new("cloudwatch", "monitoring", "monitoring", "CLOUDWATCH");

    /// <summary>Amazon SNS, signed as sns; override AWS_ENDPOINT_URL_SNS.</summary>
    public static readonly AwsService Sns = new("sns", "sns", "sns", "SNS");

    /// <summary>Amazon SQS, signed as sqs; override AWS_ENDPOINT_URL_SQS.</summary>
    public static readonly AwsService Sqs = new("sqs", "sqs", "sqs", "SQS");

    /// <summary>AWS Step Functions: signing name and host prefix are states; override AWS_ENDPOINT_URL_SFN.</summary>
    public static readonly AwsService StepFunctions = new("stepfunctions", "states", "states", "SFN");

    /// <summary>AWS Lambda, signed as lambda; override AWS_ENDPOINT_URL_LAMBDA.</summary>
    public static readonly AwsService Lambda = new("lambda", "lambda", "lambda", "LAMBDA");

    /// <summary>AWS Elastic Disaster Recovery, signed as drs; override AWS_ENDPOINT_URL_DRS (locally: the gateway's DRS simulator).</summary>
    public static readonly AwsService Drs = new("drs", "drs", "drs", "DRS");

    /// <summary>Amazon Route 53: global, one host (route53.amazonaws.com) signed for us-east-1; override AWS_ENDPOINT_URL_ROUTE_53.</summary>
    public static readonly AwsService Route53 = new("route53", "route53", "route53", "ROUTE_53", "us-east-1");

    /// <summary>AWS IAM: global, one host (iam.amazonaws.com) signed for us-east-1; override AWS_ENDPOINT_URL_IAM.</summary>
    public static readonly AwsService Iam = new("iam", "iam", "iam", "IAM", "us-east-1");

    /// <summary>AWS Systems Manager, signed as ssm; override AWS_ENDPOINT_URL_SSM.</summary>
    public static readonly AwsService Ssm = new("ssm", "ssm", "ssm", "SSM");

    /// <summary>AWS CloudFormation, signed as cloudformation; override AWS_ENDPOINT_URL_CLOUDFORMATION.</summary>
    public static readonly AwsService CloudFormation = new("cloudformation", "cloudformation", "cloudformation", "CLOUDFORMATION");

    /// <summary>Amazon EC2 Auto Scaling, signed as autoscaling; override AWS_ENDPOINT_URL_AUTO_SCALING.</summary>
    public static readonly AwsService AutoScaling = new("autoscaling", "autoscaling", "autoscaling", "AUTO_SCALING");

    /// <summary>Amazon ECS, signed as ecs; override AWS_ENDPOINT_URL_ECS.</summary>
    public static readonly AwsService Ecs = new("ecs", "ecs", "ecs", "ECS");

    /// <summary>Amazon EC2, signed as ec2; override AWS_ENDPOINT_URL_EC2.</summary>
    public static readonly AwsService Ec2 = new("ec2", "ec2", "ec2", "EC2");
}
