using System.Reflection;
using Failover.Aws;
using Failover.Aws.Adapters;
using Failover.Core.Ports;
using YamlDotNet.RepresentationModel;

namespace Failover.Functions.Tests.Iam;

/// <summary>
/// Least privilege, derived from the code: each function's role in template.yaml must grant exactly the IAM actions
/// of the client operations its handler can reach (<see cref="CallGraph"/>), none missing and none extra; and
/// every client operation must declare its action (<see cref="IamActionAttribute"/>).
/// </summary>
public sealed class IamActionsTests
{
    private const string FunctionsNamespace = "Failover.Functions";

    // IAM action names that differ from the client method's name (the operation it sends).
    private static readonly Dictionary<string, string> RenamedOperations = new(StringComparer.Ordinal)
    {
        ["LambdaClient.InvokeAsync"] = "lambda:InvokeFunction",
        ["CloudFormationClient.DescribeStackAsync"] = "cloudformation:DescribeStacks",
        ["RdsClient.DescribeDBInstancesByIdAsync"] = "rds:DescribeDBInstances",
        ["Route53Client.UpsertFailoverRecordsAsync"] = "route53:ChangeResourceRecordSets",
        ["Route53Client.CreateAlarmHealthCheckAsync"] = "route53:CreateHealthCheck",
        ["Route53Client.ListRecordSetsNamedAsync"] = "route53:ListResourceRecordSets",
        ["Route53Client.ListZoneInOnePageAsync"] = "route53:ListResourceRecordSets",
    };

    private static readonly Dictionary<string, string> ServicePrefixes = new(StringComparer.Ordinal)
    {
        ["RdsClient"] = "rds", ["CloudWatchClient"] = "cloudwatch", ["SnsClient"] = "sns", ["SqsClient"] = "sqs",
        ["StepFunctionsClient"] = "states", ["LambdaClient"] = "lambda", ["Route53Client"] = "route53", ["DrsClient"] = "drs",
        ["CloudFormationClient"] = "cloudformation", ["IamClient"] = "iam", ["SsmClient"] = "ssm",
        ["AutoScalingClient"] = "autoscaling", ["EcsClient"] = "ecs", ["Ec2Client"] = "ec2",
    };

    public static TheoryData<string> FunctionIds => [.. TemplateRoles.FunctionStatements(Template.Load()).Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void ClientOperations_WhenListed_ShouldEachDeclareTheIamActionOfTheOperationTheySend()
    {
        // Arrange
        var clients = typeof(AwsClients).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "Failover.Aws.Clients" && t.Name.EndsWith("Client", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(ServicePrefixes.Keys.Order(StringComparer.Ordinal), clients.Select(c => c.Name).Order(StringComparer.Ordinal));

        // Act
        var problems = new List<string>();
        foreach (var client in clients)
        {
            foreach (var method in client.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(m => typeof(Task).IsAssignableFrom(m.ReturnType)))
            {
                var name = $"{client.Name}.{method.Name}";
                var expected = RenamedOperations.GetValueOrDefault(name) ?? $"{ServicePrefixes[client.Name]}:{method.Name[..^"Async".Length]}";
                var declared = method.GetCustomAttribute<IamActionAttribute>();
                if (declared is null)
                {
                    problems.Add($"{name} has no [IamAction]");
                }
                else if (declared.Action != expected)
                {
                    problems.Add($"{name} declares {declared.Action}, but the operation it sends is authorized by {expected}");
                }
                else if (declared.AlsoRequires.Any(a => a.Split(':') is not [{ Length: > 0 }, { Length: > 0 }] || a.Contains('*', StringComparison.Ordinal)))
                {
                    problems.Add($"{name}: every further action must be service:Action without wildcards");
                }
            }
        }

        // Assert
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [MemberData(nameof(FunctionIds))]
    public void FunctionRole_WhenComparedWithTheActionsItsHandlerReaches_ShouldGrantExactlyThose(string functionId)
    {
        // Arrange
        var template = Template.Load();
        var granted = TemplateRoles.FunctionStatements(template)[functionId];
        var entry = HandlerEntry(template, functionId);
        Assert.All(granted, s => Assert.Equal("Allow", s.Effect));
        Assert.All(granted.SelectMany(s => s.Actions), a => Assert.DoesNotContain("*", a, StringComparison.Ordinal));

        // Act
        var needed = NeededActions(entry);
        var grantedActions = granted.SelectMany(s => s.Actions).ToHashSet(StringComparer.Ordinal);
        var missing = needed.Keys.Except(grantedActions).Order(StringComparer.Ordinal).Select(a => $"  missing {a}: {needed[a]}").ToList();
        var extra = grantedActions.Except(needed.Keys).Order(StringComparer.Ordinal).Select(a => $"  extra {a}: no code path of {entry.ReflectedType!.Name} needs it").ToList();

        // Assert
        Assert.True(missing.Count + extra.Count == 0, $"{functionId}'s role differs from what its code calls:{Environment.NewLine}{string.Join(Environment.NewLine, missing.Concat(extra))}");
    }

    [Fact]
    public void Handlers_WhenListedInTheFunctionsAssembly_ShouldEachBeDeployedAsAFunction()
    {
        // Arrange
        var deployed = TemplateRoles.Resources(Template.Load(), "AWS::Serverless::Function")
            .Select(f => (TemplateRoles.Child(TemplateRoles.Mapping(f.Resource, "Properties"), "Handler") as YamlScalarNode)?.Value?.Split("::")[1])
            .ToHashSet(StringComparer.Ordinal);

        // Act
        var handlers = typeof(FunctionHost).Assembly.GetExportedTypes()
            .Where(t => t is { IsAbstract: false, Namespace: FunctionsNamespace } && t.GetMethod("HandleAsync", [typeof(Stream)]) is not null)
            .Select(t => t.FullName!)
            .ToList();

        // Assert
        Assert.NotEmpty(handlers);
        Assert.All(handlers, h => Assert.True(deployed.Contains(h), $"{h} has no AWS::Serverless::Function (and so no role) in template.yaml"));
    }

    [Fact]
    public void OperationsReachedFrom_WhenAProbeCallsAPortMethod_ShouldReachTheAdaptersOperations()
    {
        // Arrange
        var graph = new CallGraph([typeof(FunctionHost).Assembly, typeof(AwsClients).Assembly, typeof(IDatabaseInstances).Assembly, typeof(PortProbe).Assembly]);
        var entry = typeof(PortProbe).GetMethod(nameof(PortProbe.PromoteAsync))!;

        // Act
        var actions = graph.OperationsReachedFrom(entry, typeof(PortProbe)).Keys
            .Select(m => m.GetCustomAttribute<IamActionAttribute>()!.Action).Order(StringComparer.Ordinal).ToList();

        // Assert: PromoteAsync promotes, and on a conflict reads the instance to see whether an earlier attempt got there.
        Assert.Equal(["rds:DescribeDBInstances", "rds:PromoteReadReplica"], actions);
    }

    [Fact]
    public void OperationsReachedFrom_WhenAProbeCallsNoPort_ShouldReachNothing()
    {
        // Arrange
        var graph = new CallGraph([typeof(FunctionHost).Assembly, typeof(AwsClients).Assembly, typeof(IDatabaseInstances).Assembly, typeof(PortProbe).Assembly]);

        // Act
        var reached = graph.OperationsReachedFrom(typeof(PortProbe).GetMethod(nameof(PortProbe.NothingAsync))!, typeof(PortProbe));

        // Assert
        Assert.Empty(reached);
    }

    [Fact]
    public void OperationsReachedFrom_WhenTheDrillHandlerRemovesCopies_ShouldFollowLambdasAndStateMachines()
    {
        // Arrange: CleanupDrill reaches DeleteDBInstance only inside an async method of the adapter, called from a loop.
        var template = Template.Load();
        var entry = HandlerEntry(template, "CleanupDrillFunction");

        // Act
        var actions = CallGraph.ForDeployment().OperationsReachedFrom(entry, entry.ReflectedType!).Keys
            .Select(m => m.GetCustomAttribute<IamActionAttribute>()!.Action).ToHashSet(StringComparer.Ordinal);

        // Assert
        Assert.Contains("rds:DeleteDBInstance", actions);
        Assert.Contains("drs:TerminateRecoveryInstances", actions);
        Assert.DoesNotContain("rds:PromoteReadReplica", actions);
    }

    [Fact]
    public void InlinePolicies_WhenTwoFunctionsNeedTheSameDocument_ShouldShareOnePolicyInstead()
    {
        // Arrange
        var functions = TemplateRoles.Resources(Template.Load(), "AWS::Serverless::Function").ToList();

        // Act
        var repeated = functions
            .SelectMany(f => TemplateRoles.InlinePolicies(f.Resource).Select(p => (Function: f.Id, Document: Canonical(p))))
            .GroupBy(p => p.Document, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => string.Join(" and ", g.Select(p => p.Function)))
            .ToList();

        // Assert
        Assert.NotEmpty(functions);
        Assert.True(repeated.Count == 0, "The same inline policy document is written out for " + string.Join("; ", repeated) + ": declare it once (AWS::IAM::Policy attached to their roles).");
    }

    [Fact]
    public void SharedPolicies_WhenAttachedToFunctionRoles_ShouldBeNeededInFullByEveryFunctionTheyAreAttachedTo()
    {
        // Arrange
        var template = Template.Load();
        var shared = TemplateRoles.SharedPolicies(template);

        // Act
        var problems = shared.SelectMany(policy =>
            {
                var actions = policy.Statements.SelectMany(s => s.Actions).ToHashSet(StringComparer.Ordinal);
                return policy.Functions
                    .SelectMany(function => actions.Except(NeededActions(HandlerEntry(template, function)).Keys).Order(StringComparer.Ordinal).Select(a => $"{policy.Id}: {function} never needs {a}"))
                    .Concat(policy.Functions.Count < 2 ? [$"{policy.Id}: attached to {policy.Functions.Count} function(s); one function's policy belongs in its own Policies"] : [])
                    .Concat(policy.Version == "2012-10-17" ? [] : [$"{policy.Id}: Version is '{policy.Version}', not 2012-10-17"]);
            })
            .ToList();

        // Assert
        Assert.NotEmpty(shared);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>The IAM actions of the client operations <paramref name="entry"/> can reach, each with one call path that reaches it.</summary>
    private static Dictionary<string, string> NeededActions(MethodInfo entry) =>
        CallGraph.ForDeployment().OperationsReachedFrom(entry, entry.ReflectedType!)
            .SelectMany(r => r.Key.GetCustomAttribute<IamActionAttribute>()!.All.Select(a => (Action: a, Path: r.Value)))
            .GroupBy(x => x.Action, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Path, StringComparer.Ordinal);

    /// <summary>A YAML node as text that two equal nodes share (tags such as !Sub included).</summary>
    private static string Canonical(YamlNode node)
    {
        var tag = node.Tag.IsEmpty ? "" : node.Tag.Value + " ";
        return node switch
        {
            YamlScalarNode scalar => tag + scalar.Value,
            YamlSequenceNode sequence => tag + "[" + string.Join(", ", sequence.Children.Select(Canonical)) + "]",
            YamlMappingNode mapping => tag + "{" + string.Join(", ", mapping.Children.Select(c => Canonical(c.Key) + ": " + Canonical(c.Value))) + "}",
            _ => tag + node,
        };
    }

    private static MethodInfo HandlerEntry(YamlMappingNode template, string functionId)
    {
        var function = TemplateRoles.Resources(template, "AWS::Serverless::Function").Single(f => f.Id == functionId).Resource;
        var handler = (TemplateRoles.Child(TemplateRoles.Mapping(function, "Properties"), "Handler") as YamlScalarNode)?.Value
            ?? throw new InvalidDataException($"{functionId} has no Handler");
        var parts = handler.Split("::");
        var type = typeof(FunctionHost).Assembly.GetType(parts[1], throwOnError: true)!;
        return type.GetMethod(parts[2], [typeof(Stream)]) ?? throw new InvalidDataException($"{handler}: no {parts[2]}(Stream)");
    }

    /// <summary>A stand-in handler for the walker's own tests.</summary>
    public sealed class PortProbe(IDatabaseInstances databases)
    {
        public Task PromoteAsync() => databases.PromoteAsync("orders-replica", CancellationToken.None);

        public Task NothingAsync() => Task.Delay(1);

        // Keeps the adapter type referenced, so the probe's assembly set is the deployed one plus this probe.
        public static Type Adapter => typeof(RdsDatabaseInstances);
    }
}

/// <summary>template.yaml as a YAML tree (short tags such as !Ref stay on the nodes).</summary>
public static class Template
{
    public static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(RepositoryRoot.Combine("template.yaml"))))
        {
            stream.Load(reader);
        }

        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
