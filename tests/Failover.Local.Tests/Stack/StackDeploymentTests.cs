using Failover.Local.Iam;
using YamlDotNet.RepresentationModel;

namespace Failover.Local.Tests.Stack;

/// <summary>
/// template.yaml deployed as `sam package` + `sam deploy` would, into moto's CloudFormation (a moto_server started
/// and stopped by each test), once per parameter combination the README's Deploy section documents. Every role
/// policy CloudFormation resolved is checked as IAM would check it. moto's own gaps are worked around in
/// Stack/deploy_stack.py, each in a function named moto_gap_* that says what moto does and where: KMS key tags,
/// parameter defaults not typed, role policies stored as Python text, AWS::NoValue left in lists, managed policy
/// ARNs not attached; the resource types moto cannot deploy at all are listed below.
/// </summary>
public sealed class StackDeploymentTests
{
    private const string Account = "123456789012";
    private const string Region = "us-west-2";

    /// <summary>
    /// Resource types moto 5.2.1's CloudFormation has no model for: it reports them CREATE_COMPLETE with an empty
    /// type and creates nothing, so their properties are not checked by this test (cfn-lint checks their schema).
    /// </summary>
    private static readonly HashSet<string> TypesMotoCannotDeploy = new(StringComparer.Ordinal)
    {
        "AWS::CloudWatch::Alarm",
        "AWS::Lambda::EventInvokeConfig",
        "AWS::SNS::Subscription",
        "AWS::SNS::TopicPolicy",
        "AWS::SQS::QueuePolicy",
    };

    private static readonly Dictionary<string, string> Required = new(StringComparer.Ordinal)
    {
        ["OutageAlarmArns"] = $"arn:aws:cloudwatch:{Region}:{Account}:alarm:orders-primary-outage",
        ["ReplicaInstanceArns"] = $"arn:aws:rds:{Region}:{Account}:db:orders-replica",
    };

    /// <summary>The README's combinations: the required parameters alone, then each optional group the plan may need.</summary>
    public static TheoryData<string, Dictionary<string, string>> Combinations() => new()
    {
        { "required only", Required },
        { "Aurora replica clusters", With(("ReplicaClusterArns", $"arn:aws:rds:{Region}:{Account}:cluster:orders-aurora")) },
        { "Aurora global databases with their secondary clusters", With(
            ("ReplicaClusterArns", $"arn:aws:rds:{Region}:{Account}:cluster:orders-secondary"),
            ("GlobalClusterArns", $"arn:aws:rds::{Account}:global-cluster:orders-global")) },
        // CloudFormation refuses this one (the template's rule GlobalDatabasesNameTheirSecondaryClusters); moto 5.2.1
        // evaluates no Rules, so it deploys here and proves that no role is left with a "none" resource anyway.
        { "Aurora global databases without replica clusters", With(("GlobalClusterArns", $"arn:aws:rds::{Account}:global-cluster:orders-global")) },
        { "Aurora only: a global database, no RDS instance replica", With(
            ("ReplicaInstanceArns", "none"),
            ("ReplicaClusterArns", $"arn:aws:rds:{Region}:{Account}:cluster:orders-secondary"),
            ("GlobalClusterArns", $"arn:aws:rds::{Account}:global-cluster:orders-global")) },
        { "health-check and record switches", With(
            ("HealthCheckArns", "arn:aws:route53:::healthcheck/0a1b2c3d-4e5f-6789-abcd-ef0123456789"),
            ("HostedZoneArns", "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ")) },
        { "Auto Scaling groups and ECS services", With(
            ("AutoScalingGroupArns", $"arn:aws:autoscaling:{Region}:{Account}:autoScalingGroup:*:autoScalingGroupName/orders-web"),
            ("EcsServiceArns", $"arn:aws:ecs:{Region}:{Account}:service/orders/orders-api")) },
        { "every optional parameter, two alarms and two replicas", With(
            ("OutageAlarmArns", $"arn:aws:cloudwatch:{Region}:{Account}:alarm:orders-primary-outage,arn:aws:cloudwatch:{Region}:{Account}:alarm:orders-composite"),
            ("ReplicaInstanceArns", $"arn:aws:rds:{Region}:{Account}:db:orders-replica,arn:aws:rds:{Region}:{Account}:db:billing-replica"),
            ("ReplicaClusterArns", $"arn:aws:rds:{Region}:{Account}:cluster:orders-secondary"),
            ("GlobalClusterArns", $"arn:aws:rds::{Account}:global-cluster:orders-global"),
            ("HealthCheckArns", "arn:aws:route53:::healthcheck/0a1b2c3d-4e5f-6789-abcd-ef0123456789"),
            ("HostedZoneArns", "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"),
            ("AutoScalingGroupArns", $"arn:aws:autoscaling:{Region}:{Account}:autoScalingGroup:*:autoScalingGroupName/orders-web"),
            ("EcsServiceArns", $"arn:aws:ecs:{Region}:{Account}:service/orders/orders-api")) },
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task CreateStack_WhenTheSamTransformedTemplateIsDeployed_ShouldCompleteWithEveryOutputAndValidRolePolicies(string combination, Dictionary<string, string> parameters)
    {
        // Arrange
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await using var moto = await MotoServer.StartAsync(MotoServer.FreeLoopbackPort(), null, timeout.Token);

        // Act
        var stack = await StackDeployment.DeployAsync(moto.Endpoint, "failover", parameters, timeout.Token);

        // Assert
        Assert.True(stack.Status == "CREATE_COMPLETE", $"{combination}: {stack.Status} {stack.Reason}");
        var missingOutputs = TemplateOutputs().Where(o => !stack.Outputs.TryGetValue(o, out var value) || value.Length == 0).ToList();
        Assert.True(missingOutputs.Count == 0, $"{combination}: outputs missing: {string.Join(", ", missingOutputs)}");
        var notDeployed = stack.Declared.Where(r => !stack.Deployed.Contains(r.Key) && !TypesMotoCannotDeploy.Contains(r.Value)).Select(r => $"{r.Key} ({r.Value})").ToList();
        Assert.True(notDeployed.Count == 0, $"{combination}: not created: {string.Join(", ", notDeployed)}");
        var problems = stack.Roles.SelectMany(r => r.Inline.SelectMany(p => IamPolicyRules.Problems($"{combination}: {r.Role}", p))
                .Concat(r.Managed.Where(arn => !arn.StartsWith("arn:aws:iam::aws:policy/", StringComparison.Ordinal)).Select(arn => $"{combination}: {r.Role}: managed policy '{arn}' is not an AWS managed policy ARN")))
            .ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.NotEmpty(stack.Roles);
    }

    [Fact]
    public void ActionProblem_WhenTheActionNamesNoOperation_ShouldSaySo()
    {
        // Arrange
        var misspelt = "rds:PromoteReadReplicas";

        // Act
        var problem = IamPolicyRules.ActionProblem(misspelt);

        // Assert
        Assert.Contains("names no operation of rds", problem, StringComparison.Ordinal);
        Assert.Null(IamPolicyRules.ActionProblem("kms:GenerateDataKey*"));
    }

    [Fact]
    public void Problems_WhenAResourceIsNotAnArn_ShouldNameTheStatement()
    {
        // Arrange: what `!Ref GlobalClusterArns` joined with `none` used to resolve to.
        var document = System.Text.Json.Nodes.JsonNode.Parse("""
            {"Version":"2012-10-17","Statement":[{"Sid":"FailOverGlobalDatabases","Effect":"Allow","Action":"rds:FailoverGlobalCluster","Resource":["arn:aws:rds::123456789012:global-cluster:g","none"]}]}
            """)!.AsObject();

        // Act
        var problems = IamPolicyRules.Problems("PromoteDatabasesFunctionRole", document).ToList();

        // Assert
        Assert.Equal(["PromoteDatabasesFunctionRole FailOverGlobalDatabases: Resource 'none' is not in ARN format"], problems);
    }

    private static Dictionary<string, string> With(params (string Name, string Value)[] values)
    {
        var parameters = new Dictionary<string, string>(Required, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            parameters[name] = value;
        }

        return parameters;
    }

    private static IReadOnlyList<string> TemplateOutputs()
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(TemplatePolicies.PackagedPath)))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        return [.. ((YamlMappingNode)root.Children[new YamlScalarNode("Outputs")]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!)];
    }
}
