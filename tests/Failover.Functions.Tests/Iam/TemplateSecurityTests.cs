using YamlDotNet.RepresentationModel;

namespace Failover.Functions.Tests.Iam;

/// <summary>template.yaml's security properties: no write on "*", PassRole only for DRS, the key, encryption, dead letters.</summary>
public sealed class TemplateSecurityTests
{
    /// <summary>
    /// Actions that support no resource-level permissions (Service Authorization Reference: no resource type), so
    /// "*" is the only possible Resource. Anything else on "*" is a finding.
    /// </summary>
    private static readonly HashSet<string> WithoutResourceLevelPermissions = new(StringComparer.Ordinal)
    {
        "autoscaling:DescribeAutoScalingGroups",
        "cloudwatch:GetMetricData", "cloudwatch:PutMetricData",
        "drs:DescribeJobs", "drs:DescribeSourceServers", "drs:DescribeRecoveryInstances",
        "ec2:DescribeAccountAttributes", "ec2:DescribeAvailabilityZones", "ec2:DescribeImages", "ec2:DescribeInstanceAttribute",
        "ec2:DescribeInstanceStatus", "ec2:DescribeInstanceTypes", "ec2:DescribeInstances", "ec2:DescribeLaunchTemplateVersions",
        "ec2:DescribeLaunchTemplates", "ec2:DescribeSecurityGroups", "ec2:DescribeSnapshots", "ec2:DescribeSubnets", "ec2:DescribeVolumes",
        "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries",
        "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
        "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets",
    };

    /// <summary>
    /// Actions that support resource-level permissions but must still be granted on "*": DescribeAlarms returns no
    /// composite alarm to a caller whose cloudwatch:DescribeAlarms is scoped narrower (API_DescribeAlarms.html).
    /// </summary>
    private static readonly HashSet<string> OnAnyResourceByDesign = new(StringComparer.Ordinal) { "cloudwatch:DescribeAlarms" };

    [Fact]
    public void Statements_WhenOnAnyResource_ShouldGrantOnlyActionsWithoutResourceLevelPermissions()
    {
        // Arrange
        var template = Template.Load();
        var statements = AllRoleStatements(template);
        Assert.NotEmpty(statements);

        // Act
        var findings = statements
            .Where(s => s.Statement.OnAnyResource)
            .SelectMany(s => s.Statement.Actions.Where(a => !WithoutResourceLevelPermissions.Contains(a) && !OnAnyResourceByDesign.Contains(a)).Select(a => $"{s.Owner}/{s.Statement.Sid}: {a} on \"*\""))
            .ToList();

        // Assert
        Assert.True(findings.Count == 0, "Actions that support resource-level permissions must name their resources:" + Environment.NewLine + string.Join(Environment.NewLine, findings));
    }

    [Fact]
    public void DescribeAlarms_WhenGrantedToTheTrigger_ShouldBeOnAnyResourceSoCompositeAlarmsAreReturned()
    {
        // Arrange
        var statements = TemplateRoles.FunctionStatements(Template.Load())["TriggerFunction"];

        // Act
        var describeAlarms = statements.Where(s => s.Actions.Contains("cloudwatch:DescribeAlarms")).ToList();

        // Assert
        Assert.NotEmpty(describeAlarms);
        Assert.All(describeAlarms, s => Assert.True(s.OnAnyResource, $"TriggerFunction/{s.Sid}: cloudwatch:DescribeAlarms is scoped to {s.Resource}; composite outage alarms would never be read."));
    }

    [Fact]
    public void InlinePolicies_WhenDeclaredOnFunctions_ShouldEachCarryVersion20121017()
    {
        // Arrange
        var functions = TemplateRoles.Resources(Template.Load(), "AWS::Serverless::Function").ToList();

        // Act
        var withoutVersion = functions
            .SelectMany(f => TemplateRoles.InlinePolicies(f.Resource)
                .Where(p => (TemplateRoles.Child(p, "Version") as YamlScalarNode)?.Value != "2012-10-17")
                .Select(_ => f.Id))
            .ToList();

        // Assert
        Assert.NotEmpty(functions);
        Assert.True(withoutVersion.Count == 0, "Inline policies without Version 2012-10-17: " + string.Join(", ", withoutVersion));
    }

    [Theory]
    [InlineData("AWS::KMS::Key")]
    [InlineData("AWS::SQS::Queue")]
    [InlineData("AWS::Logs::LogGroup")]
    public void StatefulResources_WhenTheStackIsDeletedOrTheyAreReplaced_ShouldBeRetained(string type)
    {
        // Arrange
        var resources = TemplateRoles.Resources(Template.Load(), type).ToList();

        // Act
        var notRetained = resources
            .Where(r => (TemplateRoles.Child(r.Resource, "DeletionPolicy") as YamlScalarNode)?.Value != "Retain"
                || (TemplateRoles.Child(r.Resource, "UpdateReplacePolicy") as YamlScalarNode)?.Value != "Retain")
            .Select(r => r.Id)
            .ToList();

        // Assert
        Assert.NotEmpty(resources);
        Assert.True(notRetained.Count == 0, $"{type} without DeletionPolicy and UpdateReplacePolicy Retain: {string.Join(", ", notRetained)}");
    }

    [Fact]
    public void KeyPolicy_WhenAServicePublishesToTheEncryptedTopics_ShouldUseSourceConditionsOnlyWhereSnsSupportsThem()
    {
        // Arrange: sns-key-management.html: aws:SourceAccount/aws:SourceArn in the key policy are documented for
        // services such as CloudWatch, and not supported for EventBridge publishing to an encrypted topic.
        var key = Properties(Template.Load(), "FailoverKey", "AWS::KMS::Key");
        var statements = ((TemplateRoles.Child(TemplateRoles.Mapping(key, "KeyPolicy"), "Statement") as YamlSequenceNode)?.Children ?? []).OfType<YamlMappingNode>().ToList();

        // Act
        string? Service(YamlMappingNode s) => (TemplateRoles.Child(TemplateRoles.Mapping(s, "Principal"), "Service") as YamlScalarNode)?.Value;
        var cloudWatch = statements.Where(s => Service(s) == "cloudwatch.amazonaws.com").ToList();
        var events = statements.Where(s => Service(s) == "events.amazonaws.com").ToList();

        // Assert
        var alarms = Assert.Single(cloudWatch);
        Assert.NotNull(TemplateRoles.Child(TemplateRoles.Mapping(TemplateRoles.Mapping(alarms, "Condition"), "StringEquals"), "aws:SourceAccount"));
        Assert.NotNull(TemplateRoles.Child(TemplateRoles.Mapping(TemplateRoles.Mapping(alarms, "Condition"), "ArnLike"), "aws:SourceArn"));
        Assert.All(events, s => Assert.Null(TemplateRoles.Child(s, "Condition")));
    }

    [Fact]
    public void PutMetricData_WhenGranted_ShouldBeLimitedToTheSwitchNamespace()
    {
        // Arrange
        var statements = AllRoleStatements(Template.Load()).Where(s => s.Statement.Actions.Contains("cloudwatch:PutMetricData")).ToList();

        // Act
        var unscoped = statements.Where(s => TemplateRoles.Child(TemplateRoles.Mapping(s.Statement.Condition, "StringEquals"), "cloudwatch:namespace") is null).ToList();

        // Assert
        Assert.NotEmpty(statements);
        Assert.True(unscoped.Count == 0, string.Join(", ", unscoped.Select(s => $"{s.Owner}/{s.Statement.Sid}")) + " put metrics in any namespace");
    }

    [Fact]
    public void PassRole_WhenGranted_ShouldBeOnlyForDrsLaunchesAndOnlyToEc2()
    {
        // Arrange
        var template = Template.Load();
        var passRole = AllRoleStatements(template).Where(s => s.Statement.Actions.Any(a => a.StartsWith("iam:", StringComparison.Ordinal))).ToList();

        // Act
        var owners = passRole.Select(s => s.Owner).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        // Assert
        Assert.Equal(["CheckRecoveryFunction", "StartRecoveryFunction"], owners);
        Assert.All(passRole, s =>
        {
            Assert.Equal(["iam:PassRole"], s.Statement.Actions);
            Assert.False(s.Statement.OnAnyResource);
            Assert.Equal("ec2.amazonaws.com", (TemplateRoles.Child(TemplateRoles.Mapping(s.Statement.Condition, "StringEquals"), "iam:PassedToService") as YamlScalarNode)?.Value);
            Assert.All(((YamlSequenceNode)s.Statement.Resource!).Children, r => Assert.Contains(":role/service-role/AWSElasticDisasterRecovery", ((YamlScalarNode)r).Value, StringComparison.Ordinal));
        });
    }

    [Fact]
    public void Key_WhenDeployed_ShouldRotateAndLetServicesUseItOnlyForThisAccount()
    {
        // Arrange
        var key = Properties(Template.Load(), "FailoverKey", "AWS::KMS::Key");

        // Act
        var statements = ((YamlSequenceNode)TemplateRoles.Child(TemplateRoles.Mapping(key, "KeyPolicy"), "Statement")!).Children.Cast<YamlMappingNode>().ToList();
        var services = statements.Where(s => TemplateRoles.Child(TemplateRoles.Mapping(s, "Principal"), "Service") is not null).ToList();

        // Assert
        Assert.Equal("true", (TemplateRoles.Child(key, "EnableKeyRotation") as YamlScalarNode)?.Value);
        // EventBridge needs no use of the key: the execution status rule targets a function, not the encrypted topic.
        Assert.Equal(
            ["cloudwatch.amazonaws.com", "delivery.logs.amazonaws.com"],
            services.Select(s => ((YamlScalarNode)TemplateRoles.Child(TemplateRoles.Mapping(s, "Principal"), "Service")!).Value).Order(StringComparer.Ordinal));
        Assert.All(services, s => Assert.NotNull(TemplateRoles.Child(TemplateRoles.Mapping(TemplateRoles.Mapping(s, "Condition"), "StringEquals"), "aws:SourceAccount")));
        Assert.All(services, s => Assert.DoesNotContain("kms:*", Actions(s)));
    }

    [Theory]
    [InlineData("NotificationTopic")]
    [InlineData("AlarmTopic")]
    public void Topic_WhenDeployed_ShouldBeEncryptedWithTheStacksKey(string topic)
    {
        // Arrange
        var properties = Properties(Template.Load(), topic, "AWS::SNS::Topic");

        // Act
        var key = TemplateRoles.Child(properties, "KmsMasterKeyId") as YamlScalarNode;

        // Assert
        Assert.True(key is { Value: "FailoverKey" } && key.Tag.Value == "!Ref", $"{topic} must set KmsMasterKeyId: !Ref FailoverKey");
    }

    [Fact]
    public void StateMachine_WhenDeployed_ShouldBeEncryptedLoggedAndTraced()
    {
        // Arrange
        var machine = Properties(Template.Load(), "FailoverStateMachine", "AWS::StepFunctions::StateMachine");

        // Act
        var encryption = TemplateRoles.Mapping(machine, "EncryptionConfiguration");
        var logging = TemplateRoles.Mapping(machine, "LoggingConfiguration");

        // Assert
        Assert.Equal("CUSTOMER_MANAGED_KMS_KEY", (TemplateRoles.Child(encryption, "Type") as YamlScalarNode)?.Value);
        Assert.Equal("FailoverKey.Arn", (TemplateRoles.Child(encryption, "KmsKeyId") as YamlScalarNode)?.Value);
        Assert.Equal("ALL", (TemplateRoles.Child(logging, "Level") as YamlScalarNode)?.Value);
        Assert.NotNull(TemplateRoles.Child(logging, "Destinations"));
        Assert.Equal("true", (TemplateRoles.Child(TemplateRoles.Mapping(machine, "TracingConfiguration"), "Enabled") as YamlScalarNode)?.Value);
    }

    [Fact]
    public void DeadLetterQueues_WhenDeployed_ShouldEachHaveADepthAlarmThatNotifies()
    {
        // Arrange
        var template = Template.Load();
        var queues = TemplateRoles.Resources(template, "AWS::SQS::Queue").Select(q => q.Id).ToList();
        var alarms = TemplateRoles.Resources(template, "AWS::CloudWatch::Alarm").Select(a => TemplateRoles.Mapping(a.Resource, "Properties")!).ToList();

        // Act
        var unwatched = queues.Where(q => !alarms.Any(a =>
            (TemplateRoles.Child(a, "MetricName") as YamlScalarNode)?.Value == "ApproximateNumberOfMessagesVisible"
            && ((YamlSequenceNode)TemplateRoles.Child(a, "Dimensions")!).Children.Cast<YamlMappingNode>().Any(d => (TemplateRoles.Child(d, "Value") as YamlScalarNode)?.Value == $"{q}.QueueName")
            && (TemplateRoles.Child(a, "AlarmActions") as YamlSequenceNode)?.Children.Count > 0)).ToList();

        // Assert: both trigger paths, the execution status rule and the asynchronous start notice.
        Assert.Equal(4, queues.Count);
        Assert.True(unwatched.Count == 0, $"dead-letter queues without a depth alarm: {string.Join(", ", unwatched)}");
    }

    [Theory]
    [InlineData("StateMachineArn")]
    [InlineData("TopicArn")]
    public void Outputs_WhenReadByTheCli_ShouldBeDeclared(string output)
    {
        // Arrange
        var outputs = TemplateRoles.Mapping(Template.Load(), "Outputs");

        // Act
        var value = TemplateRoles.Child(TemplateRoles.Mapping(outputs, output), "Value");

        // Assert
        Assert.NotNull(value);
    }

    private static List<(string Owner, TemplateStatement Statement)> AllRoleStatements(YamlMappingNode template) =>
    [
        .. TemplateRoles.FunctionStatements(template).SelectMany(f => f.Value.Select(s => (f.Key, s))),
        .. TemplateRoles.RoleStatements(template).SelectMany(r => r.Value.Select(s => (r.Key, s))),
    ];

    private static YamlMappingNode Properties(YamlMappingNode template, string id, string type) =>
        TemplateRoles.Mapping(TemplateRoles.Resources(template, type).Single(r => r.Id == id).Resource, "Properties")!;

    private static List<string> Actions(YamlMappingNode statement) => TemplateRoles.Child(statement, "Action") switch
    {
        YamlScalarNode s => [s.Value!],
        YamlSequenceNode q => [.. q.Children.Select(c => ((YamlScalarNode)c).Value!)],
        _ => [],
    };
}
