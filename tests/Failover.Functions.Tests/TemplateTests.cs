using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Failover.Testing;
using YamlDotNet.RepresentationModel;

namespace Failover.Functions.Tests;

/// <summary>
/// Checks template.yaml against cfn-lint, the state machine definition and the compiled handlers.
/// YAML is read with YamlDotNet's representation model, so CloudFormation short tags (!Ref, !GetAtt,
/// !Sub) stay on the nodes instead of breaking the parse.
/// </summary>
public sealed partial class TemplateTests
{
    private const string TemplatePath = "template.yaml";
    private const string AslPath = "statemachines/failover.asl.json";
    private const string ServerlessFunction = "AWS::Serverless::Function";
    private const string StateMachineType = "AWS::StepFunctions::StateMachine";
    private const string ExpectedRuntime = "dotnet10";
    private const string FunctionsAssemblyName = "Failover.Functions";
    private static readonly TimeSpan CfnLintTimeout = TimeSpan.FromMinutes(3);

    [GeneratedRegex(@"\$\{([A-Za-z0-9_]+)\}")]
    private static partial Regex AslPlaceholder();

    [Fact]
    public async Task CfnLint_WhenRunOnTemplateWithInformationalChecks_ShouldReportNothing()
    {
        // Arrange: -c I adds the informational checks (for example I3011, DeletionPolicy on stateful resources).
        string[] arguments = ["-c", "I", "--", TemplatePath];

        // Act
        var result = await ToolProcess.RunAsync("cfn-lint", arguments, RepositoryRoot.Path, CfnLintTimeout, CancellationToken.None);

        // Assert
        Assert.True(
            result.ExitCode == 0 && result.Output.Length == 0,
            $"cfn-lint -c I {TemplatePath} exited with {result.ExitCode}:{Environment.NewLine}{result.Output}");
    }

    [Fact]
    public void DefinitionSubstitutions_WhenComparedWithAslPlaceholders_ShouldMatchExactly()
    {
        // Arrange
        var asl = File.ReadAllText(RepositoryRoot.Combine(AslPath));
        var placeholders = AslPlaceholder().Matches(asl).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var substitutions = Mapping(StateMachineProperties(LoadTemplate()), "DefinitionSubstitutions");
        Assert.NotEmpty(placeholders);
        Assert.NotNull(substitutions);

        // Act
        var defined = substitutions.Children.Keys.Select(Text).ToHashSet(StringComparer.Ordinal);
        var missing = placeholders.Except(defined).Order(StringComparer.Ordinal).ToList();
        var unused = defined.Except(placeholders).Order(StringComparer.Ordinal).ToList();

        // Assert
        Assert.True(missing.Count == 0, $"Placeholders in {AslPath} without a DefinitionSubstitution: {string.Join(", ", missing)}");
        Assert.True(unused.Count == 0, $"DefinitionSubstitutions not used by {AslPath}: {string.Join(", ", unused)}");
    }

    [Fact]
    public void FunctionArnSubstitutions_WhenResolved_ShouldNameInvokableFunctions()
    {
        // Arrange
        var template = LoadTemplate();
        var functions = Functions(template).Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        var properties = StateMachineProperties(template);
        var substitutions = Mapping(properties, "DefinitionSubstitutions");
        Assert.NotNull(substitutions);
        var invokable = LambdaInvokePolicyTargets(template, properties);
        var problems = new List<string>();

        // Act
        foreach (var (keyNode, value) in substitutions.Children)
        {
            var key = Text(keyNode);
            if (!key.EndsWith("FunctionArn", StringComparison.Ordinal))
            {
                continue;
            }

            var target = GetAttArnTarget(value);
            if (target is null || !functions.Contains(target))
            {
                problems.Add($"{key} must be !GetAtt <{ServerlessFunction}>.Arn, found '{value}'");
            }
            else if (!invokable.Contains(target))
            {
                problems.Add($"{key}: the state machine's role may not invoke {target} (lambda:InvokeFunction on !GetAtt {target}.Arn)");
            }
        }

        // Assert
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Handlers_WhenResolvedInFunctionsAssembly_ShouldMatchStreamHandlerContract()
    {
        // Arrange
        var template = LoadTemplate();
        var handlers = new List<(string Where, string Handler)>();
        if (Scalar(GlobalFunction(template), "Handler") is { } globalHandler)
        {
            handlers.Add(("Globals.Function", globalHandler));
        }

        foreach (var (id, properties) in Functions(template))
        {
            var handler = Scalar(properties, "Handler") ?? Scalar(GlobalFunction(template), "Handler");
            Assert.True(handler is not null, $"{id} has no Handler (neither its own nor in Globals).");
            handlers.Add((id, handler));
        }

        Assert.NotEmpty(handlers);

        // Act
        var problems = handlers.SelectMany(h => CheckHandler(h.Handler).Select(p => $"{h.Where}: '{h.Handler}': {p}")).ToList();

        // Assert
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void CodeUri_WhenResolvedForEachFunction_ShouldBeTheFunctionsProject()
    {
        // Arrange
        var template = LoadTemplate();
        var functions = Functions(template).ToList();
        Assert.NotEmpty(functions);

        // Act
        var problems = new List<string>();
        foreach (var (id, properties) in functions)
        {
            var codeUri = Scalar(properties, "CodeUri") ?? Scalar(GlobalFunction(template), "CodeUri");
            var project = codeUri is null ? null : Path.Combine(RepositoryRoot.Combine(codeUri), FunctionsAssemblyName + ".csproj");
            if (project is null || !File.Exists(project))
            {
                problems.Add($"{id}: CodeUri '{codeUri}' does not contain {FunctionsAssemblyName}.csproj");
            }
        }

        // Assert
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Runtime_WhenResolvedForEachFunction_ShouldBeDotnet10()
    {
        // Arrange
        var template = LoadTemplate();
        var functions = Functions(template).ToList();
        Assert.NotEmpty(functions);

        // Act
        var runtimes = functions
            .Select(f => (f.Id, Runtime: Scalar(f.Properties, "Runtime") ?? Scalar(GlobalFunction(template), "Runtime")))
            .ToList();

        // Assert
        Assert.All(runtimes, r => Assert.True(r.Runtime == ExpectedRuntime, $"{r.Id} runs on '{r.Runtime}', expected {ExpectedRuntime}."));
    }

    [Fact]
    public void FunctionTimeoutVariable_WhenResolvedForEachFunction_ShouldEqualTimeout()
    {
        // Arrange
        var template = LoadTemplate();
        var functions = Functions(template).ToList();
        Assert.NotEmpty(functions);

        // Act
        var problems = new List<string>();
        foreach (var (id, properties) in functions)
        {
            var timeout = Scalar(properties, "Timeout") ?? Scalar(GlobalFunction(template), "Timeout");
            var variable = EnvironmentVariable(template, properties, "FUNCTION_TIMEOUT_SECONDS");
            if (timeout is null || variable != timeout)
            {
                problems.Add($"{id}: Timeout is '{timeout}' but FUNCTION_TIMEOUT_SECONDS is '{variable}'");
            }
        }

        // Assert
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static IEnumerable<string> CheckHandler(string handler)
    {
        var parts = handler.Split("::");
        if (parts.Length != 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            yield return "expected Assembly::Namespace.Type::Method";
            yield break;
        }

        var (assemblyName, typeName, methodName) = (parts[0], parts[1], parts[2]);
        if (assemblyName != FunctionsAssemblyName)
        {
            yield return $"assembly must be {FunctionsAssemblyName}";
            yield break;
        }

        var type = Assembly.Load(new AssemblyName(assemblyName)).GetType(typeName, throwOnError: false);
        if (type is null)
        {
            yield return $"type {typeName} does not exist in {assemblyName}";
            yield break;
        }

        if (!type.IsPublic)
        {
            yield return "type is not public";
        }

        if (type.IsAbstract)
        {
            yield return "type is abstract (or static)";
        }

        if (type.ContainsGenericParameters)
        {
            yield return "type is generic";
        }

        if (type.GetConstructor(BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is null)
        {
            yield return "type has no public parameterless constructor";
        }

        var methods = type
            .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.Name == methodName)
            .ToList();
        if (methods.Count != 1)
        {
            yield return $"expected exactly one public method {methodName}, found {methods.Count}";
            yield break;
        }

        var method = methods[0];
        if (method.ContainsGenericParameters)
        {
            yield return "method is generic";
        }

        var parameters = method.GetParameters();
        if (parameters.Length != 1 || parameters[0].ParameterType != typeof(Stream))
        {
            yield return $"method must take exactly one System.IO.Stream, takes ({string.Join(", ", parameters.Select(p => p.ParameterType.Name))})";
        }

        if (!typeof(Stream).IsAssignableFrom(method.ReturnType) && method.ReturnType != typeof(Task<Stream>))
        {
            yield return $"method must return Stream or Task<Stream>, returns {method.ReturnType}";
        }
    }

    [Fact]
    public void DrillSchedule_WhenDeployed_ShouldBeDisabledAndStartOnlyDrills()
    {
        var template = LoadTemplate();

        var rules = Resources(template, "AWS::Events::Rule").Where(r => Scalar(r.Properties, "ScheduleExpression") is not null).ToList();

        var schedule = Assert.Single(rules);
        Assert.Equal("DISABLED", Scalar(schedule.Properties, "State"));
        var targets = Assert.IsType<YamlSequenceNode>(schedule.Properties.Children[new YamlScalarNode("Targets")]);
        var target = Assert.IsType<YamlMappingNode>(Assert.Single(targets.Children));
        using var input = System.Text.Json.JsonDocument.Parse(Scalar(target, "Input")!);
        Assert.Equal("drill", input.RootElement.GetProperty("mode").GetString());
        Assert.False(string.IsNullOrWhiteSpace(input.RootElement.GetProperty("reason").GetString()));
    }

    // eventbridge-integration.html: Step Functions sends "Step Functions Execution Status Change" for standard
    // workflow executions; the detail carries executionArn, stateMachineArn, name, status, error, cause, redriveCount...
    [Fact]
    public void ExecutionStatusRule_WhenResolved_ShouldSendEveryUnsuccessfulEndOfTheStateMachineToNotifyFailure()
    {
        // Arrange
        var template = LoadTemplate();
        var rules = Functions(template)
            .SelectMany(f => (Mapping(f.Properties, "Events")?.Children.Values ?? []).Select(e => (Function: f, Event: (YamlMappingNode)e)))
            .Where(e => Scalar(e.Event, "Type") == "EventBridgeRule"
                && Sequence(Mapping(Mapping(e.Event, "Properties"), "Pattern"), "detail-type").Contains("Step Functions Execution Status Change"))
            .ToList();

        // Act
        var (function, rule) = Assert.Single(rules);
        var properties = Mapping(rule, "Properties")!;
        var detail = Mapping(Mapping(properties, "Pattern"), "detail");
        var transformer = Mapping(properties, "InputTransformer")!;
        var sample = System.Text.Json.Nodes.JsonNode.Parse("""
            {"version":"0","id":"315c1398-40ff-a850-213b-158f73e60175","detail-type":"Step Functions Execution Status Change","source":"aws.states",
             "account":"123456789012","time":"2026-08-01T12:10:00Z","region":"us-west-2","resources":["arn:aws:states:us-west-2:123456789012:execution:failover:run-1"],
             "detail":{"executionArn":"arn:aws:states:us-west-2:123456789012:execution:failover:run-1","stateMachineArn":"arn:aws:states:us-west-2:123456789012:stateMachine:failover",
                       "name":"run-1","status":"FAILED","startDate":1785585600000,"stopDate":1785586200000,"input":"{}","output":null,"error":"AwsServiceException","cause":"refused","redriveCount":0}}
            """)!;
        var input = System.Text.RegularExpressions.Regex.Replace(Scalar(transformer, "InputTemplate")!, "<(?<name>[A-Za-z0-9_]+)>", m =>
        {
            var path = Scalar(Mapping(transformer, "InputPathsMap"), m.Groups["name"].Value)!;
            var value = path.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries).Aggregate((System.Text.Json.Nodes.JsonNode?)sample, (node, key) => node?[key]);
            return value!.ToJsonString();
        });
        var delivered = System.Text.Json.JsonSerializer.Deserialize(input, Failover.Core.FailoverJson.Default.ExecutionEndedEvent)!;

        // Assert
        Assert.Equal("Failover.Functions::Failover.Functions.NotifyFailureFunction::HandleAsync", Scalar(function.Properties, "Handler"));
        Assert.Equal(["aws.states"], Sequence(Mapping(properties, "Pattern"), "source"));
        Assert.Equal(["ABORTED", "FAILED", "TIMED_OUT"], Sequence(detail, "status").Order(StringComparer.Ordinal));
        var machine = Assert.IsType<YamlScalarNode>(Assert.Single(((YamlSequenceNode)Child(detail, "stateMachineArn")!).Children));
        Assert.Equal("FailoverStateMachine", RefTarget(machine));
        Assert.Equal(("arn:aws:states:us-west-2:123456789012:execution:failover:run-1", "FAILED"), (delivered.ExecutionArn, delivered.Status));
        Assert.NotNull(Mapping(properties, "DeadLetterConfig"));
    }

    private static YamlMappingNode LoadTemplate()
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(RepositoryRoot.Combine(TemplatePath))))
        {
            stream.Load(reader);
        }

        Assert.Single(stream.Documents);
        return Assert.IsType<YamlMappingNode>(stream.Documents[0].RootNode);
    }

    private static IEnumerable<(string Id, YamlMappingNode Properties)> Resources(YamlMappingNode template, string type)
    {
        var resources = Mapping(template, "Resources");
        Assert.NotNull(resources);
        foreach (var (id, node) in resources.Children)
        {
            if (node is YamlMappingNode resource && Scalar(resource, "Type") == type)
            {
                yield return (Text(id), Mapping(resource, "Properties") ?? new YamlMappingNode());
            }
        }
    }

    private static IEnumerable<(string Id, YamlMappingNode Properties)> Functions(YamlMappingNode template) =>
        Resources(template, ServerlessFunction);

    private static YamlMappingNode StateMachineProperties(YamlMappingNode template)
    {
        var machines = Resources(template, StateMachineType)
            .Where(m => Scalar(m.Properties, "DefinitionS3Location") == AslPath)
            .ToList();
        Assert.True(machines.Count == 1, $"expected one {StateMachineType} with DefinitionS3Location {AslPath}, found {machines.Count}");
        return machines[0].Properties;
    }

    private static YamlMappingNode? GlobalFunction(YamlMappingNode template) =>
        Mapping(Mapping(template, "Globals"), "Function");

    private static string? EnvironmentVariable(YamlMappingNode template, YamlMappingNode properties, string name) =>
        Scalar(Mapping(Mapping(properties, "Environment"), "Variables"), name)
        ?? Scalar(Mapping(Mapping(GlobalFunction(template), "Environment"), "Variables"), name);

    /// <summary>Functions the state machine's role may invoke: <c>!GetAtt X.Arn</c> resources of its lambda:InvokeFunction statements.</summary>
    private static HashSet<string> LambdaInvokePolicyTargets(YamlMappingNode template, YamlMappingNode properties)
    {
        var targets = new HashSet<string>(StringComparer.Ordinal);
        var roleId = GetAttArnTarget(Child(properties, "RoleArn") ?? new YamlScalarNode());
        Assert.True(roleId is not null, "the state machine's RoleArn must be !GetAtt <role>.Arn");
        var role = Mapping(Mapping(Mapping(template, "Resources"), roleId), "Properties");
        foreach (var policy in (Child(role, "Policies") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [])
        {
            foreach (var statement in (Child(Mapping(policy, "PolicyDocument"), "Statement") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [])
            {
                var actions = Child(statement, "Action") switch
                {
                    YamlScalarNode s => [s.Value ?? ""],
                    YamlSequenceNode q => q.Children.Select(Text).ToList(),
                    _ => [],
                };
                if (!actions.Contains("lambda:InvokeFunction") || Child(statement, "Resource") is not YamlSequenceNode resources)
                {
                    continue;
                }

                foreach (var resource in resources.Children)
                {
                    if (GetAttArnTarget(resource) is { } target)
                    {
                        targets.Add(target);
                    }
                }
            }
        }

        return targets;
    }

    /// <summary>X for <c>!GetAtt X.Arn</c> or <c>Fn::GetAtt: [X, Arn]</c>; otherwise null.</summary>
    private static string? GetAttArnTarget(YamlNode node)
    {
        if (node is YamlScalarNode { Value: { } value } scalar && TagIs(scalar, "!GetAtt") && value.EndsWith(".Arn", StringComparison.Ordinal))
        {
            return value[..^".Arn".Length];
        }

        if (Child(node as YamlMappingNode, "Fn::GetAtt") is YamlSequenceNode { Children: [YamlScalarNode { Value: { } id }, YamlScalarNode { Value: "Arn" }] })
        {
            return id;
        }

        return null;
    }

    /// <summary>X for <c>!Ref X</c> or <c>Ref: X</c>; otherwise null.</summary>
    private static string? RefTarget(YamlNode? node) => node switch
    {
        YamlScalarNode scalar when TagIs(scalar, "!Ref") => scalar.Value,
        YamlMappingNode mapping => Scalar(mapping, "Ref"),
        _ => null,
    };

    private static bool TagIs(YamlNode node, string tag) => !node.Tag.IsEmpty && node.Tag.Value == tag;

    private static YamlNode? Child(YamlMappingNode? mapping, string key) =>
        mapping is not null && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static YamlMappingNode? Mapping(YamlMappingNode? mapping, string key) => Child(mapping, key) as YamlMappingNode;

    private static List<string> Sequence(YamlMappingNode? mapping, string key) =>
        [.. (Child(mapping, key) as YamlSequenceNode)?.Children.Select(Text) ?? []];

    /// <summary>The scalar's text, tagged or not (a tagged scalar such as <c>!Ref X</c> yields "X").</summary>
    private static string? Scalar(YamlMappingNode? mapping, string key) => (Child(mapping, key) as YamlScalarNode)?.Value;

    private static string Text(YamlNode node) =>
        (node as YamlScalarNode)?.Value ?? throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"expected a scalar at {node.Start}"));
}
