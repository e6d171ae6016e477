using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Failover.Testing;

namespace Failover.Local.Tests.Stack;

/// <summary>What deploy_stack.py reported: the stack's end state, its outputs, what moto deployed and each role's policies.</summary>
internal sealed record StackDeploymentResult(JsonObject Report)
{
    public string Status => (string?)Report["status"] ?? "";

    public string Reason => $"{Report["reason"]} {Report["failedResources"]?.ToJsonString()}";

    public IReadOnlyDictionary<string, string> Outputs => Report["outputs"]!.AsObject().ToDictionary(kv => kv.Key, kv => (string?)kv.Value ?? "", StringComparer.Ordinal);

    /// <summary>Logical id → type, as declared in the transformed template.</summary>
    public IReadOnlyDictionary<string, string> Declared => Report["declared"]!.AsObject().ToDictionary(kv => kv.Key, kv => (string?)kv.Value ?? "", StringComparer.Ordinal);

    /// <summary>Logical ids CloudFormation (moto) reports as created with their type.</summary>
    public IReadOnlySet<string> Deployed => Report["deployed"]!.AsArray().Select(n => (string?)n ?? "").ToHashSet(StringComparer.Ordinal);

    /// <summary>Role logical id → its inline policy documents (as IAM stores them) and managed policy ARNs.</summary>
    public IEnumerable<(string Role, IReadOnlyList<JsonObject> Inline, IReadOnlyList<string> Managed)> Roles =>
        Report["roles"]!.AsObject().Select(kv => (
            kv.Key,
            (IReadOnlyList<JsonObject>)[.. kv.Value!["inline"]!.AsArray().OfType<JsonObject>()],
            (IReadOnlyList<string>)[.. kv.Value!["managed"]!.AsArray().Select(n => (string?)n ?? "")]));
}

/// <summary>
/// Packages and deploys template.yaml into moto's CloudFormation the way `sam package` and `sam deploy` would
/// (Stack/deploy_stack.py: the functions zip and the ASL uploaded to S3, the SAM transform by the installed
/// samtranslator, CreateStack with the parameters).
/// </summary>
internal static class StackDeployment
{
    private static readonly TimeSpan DeployTimeout = TimeSpan.FromMinutes(4);

    /// <summary>The deployment package: what `dotnet lambda package` puts in the zip (the functions and their dependencies, the plan).</summary>
    public static string Package(string directory)
    {
        var zip = Path.Combine(directory, "functions.zip");
        using var archive = ZipFile.Open(zip, ZipArchiveMode.Create);
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory)
            .Where(f => Path.GetFileName(f) is var name && ((name.StartsWith("Failover.", StringComparison.Ordinal) && name.EndsWith(".dll", StringComparison.Ordinal))
                || name.StartsWith("AWSSDK.", StringComparison.Ordinal) || name is "plan.json" or "plan.schema.json")))
        {
            archive.CreateEntryFromFile(file, Path.GetFileName(file));
        }

        return zip;
    }

    public static async Task<StackDeploymentResult> DeployAsync(Uri endpoint, string stackName, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("failover-stack-");
        try
        {
            var request = new JsonObject
            {
                ["endpoint"] = endpoint.ToString().TrimEnd('/'),
                ["region"] = "us-west-2",
                ["template"] = Iam.TemplatePolicies.PackagedPath,
                ["asl"] = LocalEnvironment.AslPath,
                ["package"] = Package(work.FullName),
                ["stackName"] = stackName,
                ["parameters"] = new JsonObject(parameters.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            };
            var result = await ToolProcess.RunAsync(
                "python3", [Path.Combine(AppContext.BaseDirectory, "Stack", "deploy_stack.py")], work.FullName, DeployTimeout, cancellationToken, request.ToJsonString());
            Assert.True(result.ExitCode == 0, $"deploy_stack.py failed (needs python3 with boto3 and samtranslator: pip install cfn-lint boto3):{Environment.NewLine}{result.Output}");
            return new StackDeploymentResult(JsonNode.Parse(result.StandardOutput)!.AsObject());
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
