using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Failover.Aws;
using Failover.Core;
using Failover.Aws.Clients;
using Microsoft.AspNetCore.Http;

namespace Failover.Local.Iam;

/// <summary>
/// IAM enforcement on the local AWS: moto verifies SigV4 and IAM policies (INITIAL_NO_AUTH_ACTION_COUNT), and each
/// function calls with the keys of an IAM user whose policy is its role in template.yaml.
/// </summary>
/// <remarks>
/// moto evaluates the Action element only: it matches a statement's Resource against "*" (so resource ARNs would
/// deny everything) and ignores condition keys it is not given, and it authorizes CloudWatch as "monitoring:"
/// (the signing name). The policy each user gets therefore keeps the role's actions, adds the monitoring: alias of
/// each cloudwatch: action, and uses Resource "*". The gateway checks what moto cannot: DRS (the simulator) and
/// the further actions of <see cref="IamActionAttribute.AlsoRequires"/> (KMS on the encrypted topic and state
/// machine, StartRecovery's launch permissions), by action too.
/// </remarks>
public sealed class LocalIam
{
    /// <summary>Unauthenticated calls moto lets through after a reset: CreateUser, PutUserPolicy, CreateAccessKey of the admin.</summary>
    public const int SetupCalls = 3;

    private const string AdminUser = "failover-local-admin";
    private static readonly HttpClient ControlClient = new() { Timeout = LocalAws.CallTimeout };
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> FurtherActions = typeof(AwsClients).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        .Select(m => m.GetCustomAttribute<IamActionAttribute>())
        .OfType<IamActionAttribute>()
        .GroupBy(a => a.Action, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.SelectMany(a => a.AlsoRequires).Distinct(StringComparer.Ordinal)], StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, (string Function, IReadOnlyList<RoleStatement> Statements)> _byAccessKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AWSCredentials> _byFunction = new(StringComparer.Ordinal);

    private LocalIam(AWSCredentials admin) => Admin = admin;

    /// <summary>The environment moto starts with: enforcement after <see cref="SetupCalls"/> calls.</summary>
    public static IReadOnlyDictionary<string, string> MotoEnvironment { get; } = new Dictionary<string, string>
    {
        ["INITIAL_NO_AUTH_ACTION_COUNT"] = SetupCalls.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Keys of the user allowed everything: the deployment, the simulation and its checks.</summary>
    public AWSCredentials Admin { get; }

    /// <summary>Which function (logical id) holds each access key, with the statements it was given.</summary>
    public IReadOnlyDictionary<string, string> FunctionByAccessKey => _byAccessKey.ToDictionary(kv => kv.Key, kv => kv.Value.Function, StringComparer.Ordinal);

    /// <summary>The credentials of a function by its local name (Prepare, Trigger…), for <see cref="LocalEnvironmentOptions.FunctionCredentials"/>.</summary>
    public AWSCredentials FunctionCredentials(string name) =>
        _byFunction.TryGetValue(name + "Function", out var credentials) ? credentials : throw new LocalAwsException($"no IAM user for function {name}: template.yaml has no {name}Function");

    /// <summary>
    /// Turns enforcement on (again, after moto was reset: moto forgets users but not that it enforces), creates the
    /// admin, makes it what <paramref name="aws"/> signs with, and creates one user per function of
    /// <paramref name="policies"/> with the statements <paramref name="keep"/> keeps (all by default).
    /// </summary>
    public static async Task<LocalIam> EnableAsync(LocalAws aws, TemplatePolicies policies, Func<string, RoleStatement, bool>? keep, CancellationToken cancellationToken)
    {
        var adminKey = await CreateAdminAsync(aws, cancellationToken);
        var local = new LocalIam(new BasicAWSCredentials(adminKey.AccessKeyId, adminKey.SecretAccessKey));
        aws.Credentials = local.Admin;

        var iam = Client(aws, local.Admin);
        foreach (var (function, statements) in policies.Functions)
        {
            var kept = statements.Where(s => keep?.Invoke(function, s) ?? true).ToList();
            var user = $"failover-{function}";
            await iam.CreateUserAsync(user, cancellationToken);
            if (kept.Count > 0)
            {
                await iam.PutUserPolicyAsync(user, "role", MotoPolicy(kept), cancellationToken);
            }

            var key = await iam.CreateAccessKeyAsync(user, cancellationToken);
            local._byAccessKey[key.AccessKeyId] = (function, kept);
            local._byFunction[function] = new BasicAWSCredentials(key.AccessKeyId, key.SecretAccessKey);
        }

        aws.Gateway.Authorizer = local.Authorize;
        return local;
    }

    // moto lets SetupCalls unauthenticated calls through after reset-auth. A call from an execution that outlived the
    // last reset (its engine thread still invoking functions) can take one of them; then the admin's key is refused,
    // and the setup starts again.
    private static async Task<AccessKey> CreateAdminAsync(LocalAws aws, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using (var count = new StringContent(SetupCalls.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8, "text/plain"))
                using (var response = await ControlClient.PostAsync(new Uri(aws.Moto.Endpoint, "moto-api/reset-auth"), count, cancellationToken))
                {
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new LocalAwsException($"moto refused to reset its IAM enforcement: HTTP {(int)response.StatusCode}");
                    }
                }

                // A fresh name each attempt: an earlier attempt may have created its user before failing.
                var admin = attempt == 1 ? AdminUser : $"{AdminUser}-{attempt}";
                var setup = Client(aws, new BasicAWSCredentials("setup", "setup"));
                await setup.CreateUserAsync(admin, cancellationToken);
                await setup.PutUserPolicyAsync(admin, "admin", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""", cancellationToken);
                var adminKey = await setup.CreateAccessKeyAsync(admin, cancellationToken);
                return adminKey;
            }
            catch (Failover.Aws.Transport.AwsAccessDeniedException) when (attempt < 3)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    /// <summary>The policy document moto can enforce for these statements (see the remarks of <see cref="LocalIam"/>).</summary>
    public static string MotoPolicy(IReadOnlyList<RoleStatement> statements) => new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray([.. statements.Select(s => (JsonNode)new JsonObject
        {
            ["Sid"] = new string([.. s.Sid.Where(char.IsLetterOrDigit)]),
            ["Effect"] = "Allow",
            ["Action"] = new JsonArray([.. s.Actions.Concat(s.Actions.Where(a => a.StartsWith("cloudwatch:", StringComparison.Ordinal)).Select(a => "monitoring:" + a["cloudwatch:".Length..]))
                .Select(a => (JsonNode)JsonValue.Create(a))]),
            ["Resource"] = "*",
        })]),
    }.ToJsonString();

    /// <summary>True when one of <paramref name="statements"/> allows <paramref name="action"/> (wildcards as IAM matches them).</summary>
    /// <remarks>The gateway asks this for every DRS call of every function, so it matches directly: a regular expression
    /// built per pattern and check (more patterns than Regex's cache keeps) took CPU from the run being checked.</remarks>
    public static bool Allows(IEnumerable<RoleStatement> statements, string action) =>
        statements.Any(s => s.Actions.Any(pattern => IamWildcard.Matches(pattern, action, ignoreCase: true)));

    // The gateway's check: calls signed by a function's key, for what moto does not check itself.
    private string? Authorize(HttpRequest request, string operation)
    {
        var scope = CredentialScope.Of(request);
        if (scope is null || !_byAccessKey.TryGetValue(scope.AccessKeyId, out var caller) || operation == "Invoke")
        {
            return null;
        }

        var service = scope.Service == "monitoring" ? "cloudwatch" : scope.Service;
        var action = $"{service}:{operation}";
        // moto has no DRS: the gateway checks the action itself too.
        IEnumerable<string> needed = service == "drs" ? [action, .. FurtherActions.GetValueOrDefault(action, [])] : FurtherActions.GetValueOrDefault(action, []);
        var denied = needed.FirstOrDefault(a => !Allows(caller.Statements, a));
        return denied is null ? null : $"{caller.Function} is not allowed {denied} (needed by {action})";
    }

    private static IamClient Client(LocalAws aws, AWSCredentials credentials) =>
        new(new AwsOptions { Region = "us-east-1", Credentials = credentials, EndpointUrl = aws.Gateway.Endpoint, MaxAttempts = 1 }, TimeProvider.System);
}
