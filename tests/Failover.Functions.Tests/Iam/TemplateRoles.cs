using YamlDotNet.RepresentationModel;

namespace Failover.Functions.Tests.Iam;

/// <summary>One statement of a role in template.yaml, as written (intrinsics kept as YAML nodes).</summary>
/// <param name="Sid">The statement's Sid, or "#N" when it has none.</param>
/// <param name="Conditional">True when the statement sits in an !If (granted only when the condition holds).</param>
public sealed record TemplateStatement(string Sid, string Effect, IReadOnlyList<string> Actions, YamlNode? Resource, YamlMappingNode? Condition, bool Conditional)
{
    /// <summary>True when the statement's Resource is "*" (alone or in a list).</summary>
    public bool OnAnyResource => Resource switch
    {
        YamlScalarNode { Value: "*" } s => s.Tag.IsEmpty,
        YamlSequenceNode q => q.Children.OfType<YamlScalarNode>().Any(s => s.Value == "*" && s.Tag.IsEmpty),
        _ => false,
    };
}

/// <summary>
/// One AWS::IAM::Policy of template.yaml: a single policy document attached to the roles SAM generates for
/// <paramref name="Functions"/> (Roles: !Ref &lt;function&gt;Role), so functions that need the same statements share one
/// definition.
/// </summary>
/// <param name="Version">The policy language version of its PolicyDocument.</param>
public sealed record SharedPolicy(string Id, IReadOnlyList<string> Functions, string? Version, IReadOnlyList<TemplateStatement> Statements);

/// <summary>
/// Reads the roles of template.yaml: each function's Policies (inline statements and SAM policy templates) and the
/// shared policies (AWS::IAM::Policy) attached to its role.
/// </summary>
public static class TemplateRoles
{
    /// <summary>The actions of the SAM policy templates the product may use (aws-facts §11).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> PolicyTemplates = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["SNSPublishMessagePolicy"] = ["sns:Publish"],
        ["StepFunctionsExecutionPolicy"] = ["states:StartExecution"],
        ["LambdaInvokePolicy"] = ["lambda:InvokeFunction"],
        ["CloudWatchPutMetricPolicy"] = ["cloudwatch:PutMetricData"],
    };

    /// <summary>Every AWS::Serverless::Function with its statements; throws on a policy entry it cannot read.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<TemplateStatement>> FunctionStatements(YamlMappingNode template)
    {
        var result = new Dictionary<string, List<TemplateStatement>>(StringComparer.Ordinal);
        foreach (var (id, resource) in Resources(template, "AWS::Serverless::Function"))
        {
            var statements = new List<TemplateStatement>();
            var policies = Child(Mapping(resource, "Properties"), "Policies");
            foreach (var policy in (policies as YamlSequenceNode)?.Children ?? [])
            {
                statements.AddRange(PolicyEntry(id, policy));
            }

            result[id] = statements;
        }

        foreach (var shared in SharedPolicies(template))
        {
            foreach (var function in shared.Functions)
            {
                var statements = result.TryGetValue(function, out var found)
                    ? found
                    : throw new InvalidDataException($"{shared.Id}: Roles names {function}Role, but template.yaml has no AWS::Serverless::Function {function}.");
                statements.AddRange(shared.Statements);
            }
        }

        return result.ToDictionary(f => f.Key, f => (IReadOnlyList<TemplateStatement>)f.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// Every AWS::IAM::Policy with the functions whose roles it is attached to; throws on a role it cannot tie to a
    /// function (only the roles SAM generates, by !Ref &lt;function&gt;Role, are read).
    /// </summary>
    public static IReadOnlyList<SharedPolicy> SharedPolicies(YamlMappingNode template) =>
        [.. Resources(template, "AWS::IAM::Policy").Select(p =>
        {
            var properties = Mapping(p.Resource, "Properties");
            var functions = ((Child(properties, "Roles") as YamlSequenceNode)?.Children ?? []).Select(role =>
                role is YamlScalarNode { Value: { } name } && !role.Tag.IsEmpty && role.Tag.Value == "!Ref" && name.EndsWith("Role", StringComparison.Ordinal)
                    ? name[..^"Role".Length]
                    : throw new InvalidDataException($"{p.Id}: role at {role.Start} is not a !Ref to a function's generated role (<function>Role); the IAM tests cannot read it."));
            var document = Mapping(properties, "PolicyDocument");
            return new SharedPolicy(p.Id, [.. functions], (Child(document, "Version") as YamlScalarNode)?.Value, [.. Statements(p.Id, Child(document, "Statement"))]);
        })];

    /// <summary>A function's inline policy documents: the entries of its Policies that have a Statement.</summary>
    public static IEnumerable<YamlMappingNode> InlinePolicies(YamlMappingNode function) =>
        ((Child(Mapping(function, "Properties"), "Policies") as YamlSequenceNode)?.Children ?? [])
            .OfType<YamlMappingNode>()
            .Where(p => Child(p, "Statement") is not null);

    /// <summary>The statements of every AWS::IAM::Role's inline policies, by role id.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<TemplateStatement>> RoleStatements(YamlMappingNode template) =>
        Resources(template, "AWS::IAM::Role").ToDictionary(
            r => r.Id,
            r => (IReadOnlyList<TemplateStatement>)[.. ((Child(Mapping(r.Resource, "Properties"), "Policies") as YamlSequenceNode)?.Children ?? [])
                .OfType<YamlMappingNode>()
                .SelectMany(p => Statements(r.Id, Child(Mapping(p, "PolicyDocument"), "Statement")))],
            StringComparer.Ordinal);

    /// <summary>The resources of one type, by logical id.</summary>
    public static IEnumerable<(string Id, YamlMappingNode Resource)> Resources(YamlMappingNode template, string type)
    {
        var resources = Mapping(template, "Resources") ?? throw new InvalidDataException("template.yaml has no Resources");
        foreach (var (key, node) in resources.Children)
        {
            if (node is YamlMappingNode resource && (Child(resource, "Type") as YamlScalarNode)?.Value == type)
            {
                yield return (((YamlScalarNode)key).Value!, resource);
            }
        }
    }

    private static IEnumerable<TemplateStatement> PolicyEntry(string function, YamlNode policy)
    {
        // An inline policy document: Version and Statement.
        if (policy is YamlMappingNode document && Child(document, "Statement") is { } inline)
        {
            return Statements(function, inline);
        }

        if (policy is YamlMappingNode { Children.Count: 1 } mapping)
        {
            var (keyNode, value) = mapping.Children.Single();
            var key = ((YamlScalarNode)keyNode).Value!;
            if (PolicyTemplates.TryGetValue(key, out var actions))
            {
                return [new TemplateStatement(key, "Allow", actions, null, null, Conditional: false)];
            }
        }

        throw new InvalidDataException($"{function}: policy entry at {policy.Start} is neither an inline policy document (Version, Statement) nor a known SAM policy template ({string.Join(", ", PolicyTemplates.Keys)}); the IAM tests cannot read it.");
    }

    private static IEnumerable<TemplateStatement> Statements(string owner, YamlNode? statements)
    {
        var index = 0;
        foreach (var node in (statements as YamlSequenceNode)?.Children ?? [])
        {
            index++;
            var conditional = false;
            var statement = node as YamlMappingNode;
            // - !If [Condition, {statement}, !Ref AWS::NoValue]
            if (node is YamlSequenceNode { Children.Count: 3 } ifNode && !node.Tag.IsEmpty && node.Tag.Value == "!If")
            {
                conditional = true;
                statement = ifNode.Children[1] as YamlMappingNode;
            }

            if (statement is null)
            {
                throw new InvalidDataException($"{owner}: statement {index} at {node.Start} is not a mapping (or an !If of one).");
            }

            var actions = Child(statement, "Action") switch
            {
                YamlScalarNode s => [s.Value!],
                YamlSequenceNode q => q.Children.Select(c => ((YamlScalarNode)c).Value!).ToList(),
                _ => throw new InvalidDataException($"{owner}: statement {index} has no Action list the tests can read (NotAction is not allowed)."),
            };
            yield return new TemplateStatement(
                (Child(statement, "Sid") as YamlScalarNode)?.Value ?? $"#{index}",
                (Child(statement, "Effect") as YamlScalarNode)?.Value ?? "",
                actions,
                Child(statement, "Resource"),
                Mapping(statement, "Condition"),
                conditional);
        }
    }

    public static YamlNode? Child(YamlMappingNode? mapping, string key) =>
        mapping is not null && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlMappingNode? Mapping(YamlMappingNode? mapping, string key) => Child(mapping, key) as YamlMappingNode;
}
