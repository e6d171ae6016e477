using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Failover.Testing;

namespace Failover.Local.Tests.Stack;

/// <summary>
/// What IAM checks when CloudFormation puts a role's inline policy (PutRolePolicy: MalformedPolicyDocument):
/// Version 2012-10-17 (reference_policies_elements_version.html: without it, policy variables are not
/// evaluated), every Resource "*" or an ARN (reference_policies_elements_resource.html: "must be in ARN format"),
/// every Action service:Action naming an action of that service (reference_policies_elements_action.html).
/// Actions are checked against the botocore service models' operations, plus the actions that exist only for
/// authorization (Service Authorization Reference).
/// </summary>
internal static partial class IamPolicyRules
{
    /// <summary>IAM service prefixes the template uses, with their botocore service directory.</summary>
    private static readonly IReadOnlyDictionary<string, string> BotocoreService = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["autoscaling"] = "autoscaling", ["cloudwatch"] = "cloudwatch", ["drs"] = "drs", ["ec2"] = "ec2", ["ecs"] = "ecs",
        ["iam"] = "iam", ["kms"] = "kms", ["lambda"] = "lambda", ["logs"] = "logs", ["rds"] = "rds", ["route53"] = "route53",
        ["sns"] = "sns", ["sqs"] = "sqs", ["ssm"] = "ssm", ["states"] = "stepfunctions", ["xray"] = "xray",
    };

    /// <summary>Actions with no API operation of the same name (Service Authorization Reference, per service; lambda:InvokeFunction authorizes Invoke).</summary>
    private static readonly HashSet<string> AuthorizationOnlyActions = new(StringComparer.Ordinal)
    {
        "drs:CreateRecoveryInstanceForDrs", // list_awselasticdisasterrecoveryservice.html
        "iam:PassRole", // id_roles_use_passrole.html
        "lambda:InvokeFunction", // list_awslambda.html: the action of the Invoke operation
        "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries", // cw-logs-permissions / vended logs
    };

    [GeneratedRegex(@"^arn:aws:[a-z0-9-]+:[a-z0-9-]*:([0-9]{12}|aws)?:\S+$")]
    private static partial Regex ArnFormat();

    [GeneratedRegex(@"^(?<service>[a-z0-9-]+):(?<action>[A-Za-z0-9*]+)$")]
    private static partial Regex ActionFormat();

    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlySet<string>>> Operations = new(LoadOperations);

    /// <summary>Every problem IAM would have with <paramref name="document"/>, each naming where.</summary>
    public static IEnumerable<string> Problems(string where, JsonObject document)
    {
        if ((string?)document["Version"] != "2012-10-17")
        {
            yield return $"{where}: Version is '{document["Version"]}', not 2012-10-17";
        }

        var statements = document["Statement"] switch
        {
            JsonArray array => array.OfType<JsonObject>().ToList(),
            JsonObject single => [single],
            _ => [],
        };
        if (statements.Count == 0)
        {
            yield return $"{where}: no Statement";
        }

        foreach (var statement in statements)
        {
            var sid = (string?)statement["Sid"] ?? "(no Sid)";
            foreach (var resource in Strings(statement["Resource"]))
            {
                if (resource != "*" && !ArnFormat().IsMatch(resource))
                {
                    yield return $"{where} {sid}: Resource '{resource}' is not in ARN format";
                }
            }

            foreach (var action in Strings(statement["Action"]))
            {
                if (ActionProblem(action) is { } problem)
                {
                    yield return $"{where} {sid}: {problem}";
                }
            }
        }
    }

    /// <summary>Null when <paramref name="action"/> names an action of its service; otherwise why not.</summary>
    public static string? ActionProblem(string action)
    {
        var match = ActionFormat().Match(action);
        if (!match.Success)
        {
            return $"Action '{action}' is not service:Action";
        }

        if (AuthorizationOnlyActions.Contains(action))
        {
            return null;
        }

        if (!Operations.Value.TryGetValue(match.Groups["service"].Value, out var operations))
        {
            return $"Action '{action}': service prefix not known to this check";
        }

        var pattern = new Regex("^" + Regex.Escape(match.Groups["action"].Value).Replace(@"\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.None, TimeSpan.FromSeconds(1));
        return operations.Any(pattern.IsMatch) ? null : $"Action '{action}' names no operation of {match.Groups["service"].Value}";
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(n => (string?)n ?? ""),
        JsonValue value => [(string?)value ?? ""],
        _ => [],
    };

    private static Dictionary<string, IReadOnlySet<string>> LoadOperations()
    {
        var data = Path.Combine(BotocoreRoot(), "data");
        return BotocoreService.ToDictionary(
            kv => kv.Key,
            kv =>
            {
                var version = Directory.GetDirectories(Path.Combine(data, kv.Value)).Order(StringComparer.Ordinal).Last();
                // botocore ships its models gzipped (service-2.json.gz); older releases as plain JSON.
                var plain = Path.Combine(version, "service-2.json");
                using var stream = File.Exists(plain) ? File.OpenRead(plain) : (Stream)new GZipStream(File.OpenRead(plain + ".gz"), CompressionMode.Decompress);
                using var model = JsonDocument.Parse(stream);
                return (IReadOnlySet<string>)model.RootElement.GetProperty("operations").EnumerateObject().Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
            },
            StringComparer.Ordinal);
    }

    private static string BotocoreRoot()
    {
        var result = ToolProcess.RunAsync(
            "python3", ["-c", "import botocore,os;print(os.path.dirname(botocore.__file__))"], AppContext.BaseDirectory, TimeSpan.FromMinutes(1), CancellationToken.None)
            .GetAwaiter().GetResult();
        Assert.True(result.ExitCode == 0, $"botocore is needed for the IAM action check (pip install boto3): {result.Output}");
        return result.StandardOutput.Trim();
    }
}
