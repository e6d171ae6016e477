using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Failover.Local.Iam;

/// <summary>One Allow statement of a function's role, resolved with local values.</summary>
/// <param name="Sid">The statement's Sid in template.yaml (the SAM policy template's name for those).</param>
/// <param name="Actions">Actions as written (no wildcards in this template).</param>
/// <param name="Resources">Resources with !Sub, !Ref, !GetAtt, !Join, !Split resolved to local values.</param>
/// <param name="Condition">The Condition block, resolved likewise; null when none.</param>
public sealed record RoleStatement(string Sid, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources, JsonObject? Condition);

/// <summary>
/// The roles of template.yaml, one per AWS::Serverless::Function: its inline statements and SAM policy templates
/// (expanded as aws-facts §11 says) and the shared policies (AWS::IAM::Policy) attached to its role, with intrinsics resolved for the local deployment (account 123456789012,
/// region us-west-2, partition aws, parameter defaults or the local values given). A statement inside !If counts
/// as granted: the local values name every kind of resource.
/// </summary>
public sealed partial class TemplatePolicies
{
    private readonly IReadOnlyDictionary<string, IReadOnlyList<RoleStatement>> _functions;

    private TemplatePolicies(IReadOnlyDictionary<string, IReadOnlyList<RoleStatement>> functions) => _functions = functions;

    /// <summary>The template packaged beside this assembly.</summary>
    public static string PackagedPath => Path.Combine(AppContext.BaseDirectory, "template.yaml");

    /// <summary>Statements by function logical id (e.g. PrepareFunction), in template order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<RoleStatement>> Functions => _functions;

    /// <summary>
    /// The packaged template with the local deployment's values: the plan's alarms, replicas, Auto Scaling groups and ECS
    /// services, the stack name "failover", and recognisable local ARNs for what the plan or the local AWS does not have.
    /// </summary>
    public static TemplatePolicies ForLocal(Failover.Core.Plans.RecoveryPlan plan) => Load(PackagedPath, plan.RecoveryRegion, LocalValues(plan));

    /// <summary>The Ref/GetAtt values of the local deployment of <paramref name="plan"/> (parameters and resources).</summary>
    public static IReadOnlyDictionary<string, string> LocalValues(Failover.Core.Plans.RecoveryPlan plan)
    {
        var region = plan.RecoveryRegion;
        var account = LocalAws.AccountId;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS::StackName"] = "failover",
            ["OutageAlarmArns"] = string.Join(',', plan.Trigger.AlarmArns),
            ["ReplicaInstanceArns"] = string.Join(',', plan.Databases.Select(d => $"arn:aws:rds:{region}:{account}:db:{d.Id}")),
            ["ReplicaClusterArns"] = string.Join(',', plan.Databases.Where(d => d.Kind == Failover.Core.Plans.DatabaseKinds.AuroraClusterReplica).Select(d => d.Id).DefaultIfEmpty("local-cluster")
                .Select(id => $"arn:aws:rds:{region}:{account}:cluster:{id}")),
            ["GlobalClusterArns"] = $"arn:aws:rds::{account}:global-cluster:local-global",
            // The plan the functions run with names the local Route 53 ids, so its scope holds them.
            ["HealthCheckArns"] = string.Join(',', plan.Switches.Select(s => s.HealthCheckId).OfType<string>().DefaultIfEmpty("local").Select(id => $"arn:aws:route53:::healthcheck/{id}")),
            ["HostedZoneArns"] = string.Join(',', plan.Switches.Where(s => s.Kind == Failover.Core.Plans.SwitchKinds.RecordUpsert).Select(s => s.HostedZoneId).OfType<string>().DefaultIfEmpty("LOCAL")
                .Select(id => $"arn:aws:route53:::hostedzone/{id}")),
            ["AutoScalingGroupArns"] = string.Join(',', plan.Capacity.Where(c => c.Kind == Failover.Core.Plans.CapacityKinds.AutoScalingGroup).Select(c => c.Name).DefaultIfEmpty("local")
                .Select(name => $"arn:aws:autoscaling:{region}:{account}:autoScalingGroup:*:autoScalingGroupName/{name}")),
            ["EcsServiceArns"] = string.Join(',', plan.Capacity.Where(c => c.Kind == Failover.Core.Plans.CapacityKinds.EcsService).Select(c => $"{c.Cluster}/{c.Service}").DefaultIfEmpty("local/local")
                .Select(service => $"arn:aws:ecs:{region}:{account}:service/{service}")),
            ["FailoverStateMachine"] = $"arn:aws:states:{region}:{account}:stateMachine:failover-{plan.Name}",
            ["FailoverStateMachine.Name"] = $"failover-{plan.Name}",
            ["NotificationTopic"] = $"arn:aws:sns:{region}:{account}:failover-{plan.Name}",
            ["FailoverKey.Arn"] = $"arn:aws:kms:{region}:{account}:key/local",
        };
    }

    /// <summary>Reads <paramref name="templatePath"/>; <paramref name="values"/> gives Ref/GetAtt values (parameters, resources) beyond the pseudo parameters.</summary>
    public static TemplatePolicies Load(string templatePath, string region, IReadOnlyDictionary<string, string> values)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(templatePath)))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var resolver = new Resolver(root, region, values);
        var functions = new Dictionary<string, List<RoleStatement>>(StringComparer.Ordinal);
        var resources = Mapping(root, "Resources")?.Children ?? throw new LocalAwsException($"{templatePath} has no Resources");
        foreach (var (key, node) in resources)
        {
            if (node is not YamlMappingNode resource || Scalar(resource, "Type") != "AWS::Serverless::Function")
            {
                continue;
            }

            var id = ((YamlScalarNode)key).Value!;
            var statements = new List<RoleStatement>();
            foreach (var policy in (Child(Mapping(resource, "Properties"), "Policies") as YamlSequenceNode)?.Children ?? [])
            {
                statements.AddRange(PolicyEntry(id, policy, resolver));
            }

            functions[id] = statements;
        }

        foreach (var (key, node) in resources)
        {
            if (node is YamlMappingNode resource && Scalar(resource, "Type") == "AWS::IAM::Policy")
            {
                SharedPolicy(((YamlScalarNode)key).Value!, Mapping(resource, "Properties"), functions, resolver);
            }
        }

        return new TemplatePolicies(functions.ToDictionary(f => f.Key, f => (IReadOnlyList<RoleStatement>)f.Value, StringComparer.Ordinal));
    }

    /// <summary>Adds the statements of one AWS::IAM::Policy to each function whose generated role (!Ref &lt;function&gt;Role) it names.</summary>
    private static void SharedPolicy(string id, YamlMappingNode? properties, Dictionary<string, List<RoleStatement>> functions, Resolver resolver)
    {
        foreach (var role in (Child(properties, "Roles") as YamlSequenceNode)?.Children ?? [])
        {
            var function = role is YamlScalarNode { Value: { } name } && Tag(role) == "!Ref" && name.EndsWith("Role", StringComparison.Ordinal) ? name[..^"Role".Length] : null;
            if (function is null || !functions.TryGetValue(function, out var statements))
            {
                throw new LocalAwsException($"{id}: role at {role.Start} is not a !Ref to the role of a function of the template (<function>Role)");
            }

            statements.AddRange(Statements(function, Child(Mapping(properties, "PolicyDocument"), "Statement") ?? new YamlSequenceNode(), resolver));
        }
    }

    private static IEnumerable<RoleStatement> PolicyEntry(string function, YamlNode policy, Resolver resolver)
    {
        // An inline policy document: Version and Statement.
        if (policy is YamlMappingNode document && Child(document, "Statement") is { } inline)
        {
            return Statements(function, inline, resolver);
        }

        if (policy is not YamlMappingNode { Children.Count: 1 } mapping)
        {
            throw new LocalAwsException($"{function}: policy at {policy.Start} is not an inline policy document or a SAM policy template");
        }

        var (keyNode, value) = mapping.Children.Single();
        var name = ((YamlScalarNode)keyNode).Value!;
        var argument = value as YamlMappingNode;
        string Arg(string key) => resolver.Strings(Child(argument, key)).Single();
        var arn = $"arn:aws:{{0}}:{resolver.Region}:{Resolver.AccountId}:{{1}}";
        return name switch
        {
            // Expansions of samtranslator's policy_templates.json.
            "SNSPublishMessagePolicy" => [new(name, ["sns:Publish"], [string.Format(System.Globalization.CultureInfo.InvariantCulture, arn, "sns", Arg("TopicName"))], null)],
            "StepFunctionsExecutionPolicy" => [new(name, ["states:StartExecution"], [string.Format(System.Globalization.CultureInfo.InvariantCulture, arn, "states", "stateMachine:" + Arg("StateMachineName"))], null)],
            "LambdaInvokePolicy" => [new(name, ["lambda:InvokeFunction"], [string.Format(System.Globalization.CultureInfo.InvariantCulture, arn, "lambda", "function:" + Arg("FunctionName") + "*")], null)],
            "CloudWatchPutMetricPolicy" => [new(name, ["cloudwatch:PutMetricData"], ["*"], null)],
            _ => throw new LocalAwsException($"{function}: unknown policy template {name}"),
        };
    }

    private static IEnumerable<RoleStatement> Statements(string function, YamlNode list, Resolver resolver)
    {
        var index = 0;
        foreach (var node in (list as YamlSequenceNode)?.Children ?? [])
        {
            index++;
            var statement = node is YamlSequenceNode { Children.Count: 3 } ifNode && Tag(node) == "!If" ? ifNode.Children[1] as YamlMappingNode : node as YamlMappingNode;
            if (statement is null || Scalar(statement, "Effect") != "Allow")
            {
                throw new LocalAwsException($"{function}: statement {index} is not an Allow statement the local AWS can use");
            }

            yield return new RoleStatement(
                Scalar(statement, "Sid") ?? $"#{index}",
                resolver.Strings(Child(statement, "Action")),
                resolver.Strings(Child(statement, "Resource")),
                Child(statement, "Condition") is { } condition ? (JsonObject)resolver.Json(condition) : null);
        }
    }

    private static YamlNode? Child(YamlMappingNode? mapping, string key) =>
        mapping is not null && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static YamlMappingNode? Mapping(YamlMappingNode? mapping, string key) => Child(mapping, key) as YamlMappingNode;

    private static string? Scalar(YamlMappingNode? mapping, string key) => (Child(mapping, key) as YamlScalarNode)?.Value;

    private static string Tag(YamlNode node) => node.Tag.IsEmpty ? "" : node.Tag.Value;

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z0-9:.]+)\}")]
    private static partial Regex SubVariable();

    /// <summary>Resolves the intrinsics the template's policies use, with local values.</summary>
    private sealed class Resolver(YamlMappingNode template, string region, IReadOnlyDictionary<string, string> values)
    {
        public const string AccountId = LocalAws.AccountId;

        public string Region { get; } = region;

        /// <summary>A node as a list of strings (a scalar is a list of one).</summary>
        public IReadOnlyList<string> Strings(YamlNode? node) => node switch
        {
            null => [],
            YamlSequenceNode q when Tag(q) is "!Split" => [.. Strings(q.Children[1]).SelectMany(s => s.Split(Strings(q.Children[0]).Single()))],
            YamlSequenceNode q when Tag(q) is "!If" => Strings(q.Children[1]),
            YamlSequenceNode q when Tag(q) is "!Join" => [string.Join(Strings(q.Children[0]).Single(), Strings(q.Children[1]))],
            YamlSequenceNode q when Tag(q) is "!Select" => [Strings(q.Children[1])[int.Parse(Strings(q.Children[0]).Single(), System.Globalization.CultureInfo.InvariantCulture)]],
            YamlSequenceNode q => [.. q.Children.SelectMany(Strings)],
            YamlScalarNode s when Tag(s) == "!Ref" => Ref(s.Value!),
            YamlScalarNode s when Tag(s) == "!GetAtt" => [Value(s.Value!)],
            YamlScalarNode s when Tag(s) == "!Sub" => [Sub(s.Value!)],
            YamlScalarNode s => [s.Value!],
            YamlMappingNode m => throw new LocalAwsException($"unsupported intrinsic at {m.Start}"),
            _ => throw new LocalAwsException($"unsupported node at {node.Start}"),
        };

        /// <summary>A Condition block as JSON, intrinsics resolved.</summary>
        public JsonNode Json(YamlNode node) => node switch
        {
            YamlMappingNode m => new JsonObject(m.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, (JsonNode?)Json(kv.Value)))),
            _ when Strings(node) is [var single] && node is YamlScalarNode => JsonValue.Create(single),
            _ => new JsonArray([.. Strings(node).Select(s => (JsonNode)JsonValue.Create(s))]),
        };

        private string[] Ref(string name) => name switch
        {
            "AWS::NoValue" => [],
            _ when values.TryGetValue(name, out var value) => value.Split(','),
            _ when Mapping(Mapping(template, "Parameters"), name) is { } parameter => (Scalar(parameter, "Default") ?? throw new LocalAwsException($"no local value for parameter {name}")).Split(','),
            _ => [Value(name)],
        };

        private string Sub(string text) => SubVariable().Replace(text, m => Value(m.Groups["name"].Value));

        private string Value(string name) => name switch
        {
            "AWS::Partition" => "aws",
            "AWS::Region" => Region,
            "AWS::AccountId" => AccountId,
            "AWS::StackName" => values.GetValueOrDefault(name, "failover"),
            _ when values.TryGetValue(name, out var value) => value,
            _ when Mapping(Mapping(template, "Parameters"), name) is { } parameter => Scalar(parameter, "Default") ?? throw new LocalAwsException($"no local value for parameter {name}"),
            // A resource without a local value: a recognisable local ARN (moto sees "*" anyway, see LocalIam).
            _ => $"arn:aws:local:{Region}:{AccountId}:{name}",
        };
    }
}
