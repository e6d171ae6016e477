using System.Text.Json.Nodes;
using Failover.Core.Plans;

namespace Failover.Functions.Tests.Plans;

/// <summary>
/// plan.schema.json (packaged beside plan.json) against the product's own rules: the packaged plan and other valid
/// plans pass both the schema and PlanDocument; each invalid plan is refused by both.
/// </summary>
public sealed class PlanSchemaTests
{
    private static readonly string SchemaPath = Path.Combine(AppContext.BaseDirectory, "plan.schema.json");
    private static readonly string PackagedPlanPath = Path.Combine(AppContext.BaseDirectory, "plan.json");

    // Every document is validated by one python3 run, shared by the tests of this class.
    private static readonly Lazy<Task<IReadOnlyDictionary<string, IReadOnlyList<string>>>> SchemaErrors = new(() =>
        JsonSchemaValidator.ValidateAsync(SchemaPath, new Dictionary<string, string>(
            [.. ValidPlans().Select(p => KeyValuePair.Create("valid:" + p.Key, p.Value)), .. InvalidPlans().Select(p => KeyValuePair.Create("invalid:" + p.Key, p.Value))])));

    public static TheoryData<string> ValidCases => [.. ValidPlans().Keys];

    public static TheoryData<string> InvalidCases => [.. InvalidPlans().Keys];

    [Fact]
    public void Schema_WhenPackaged_ShouldSitBesideThePlan()
    {
        // Act
        var exists = File.Exists(SchemaPath);

        // Assert
        Assert.True(exists, $"plan.schema.json is not packaged beside plan.json in {AppContext.BaseDirectory}");
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)JsonNode.Parse(File.ReadAllText(SchemaPath))!["$schema"]);
    }

    [Fact]
    public async Task PackagedPlan_WhenValidatedAgainstTheSchema_ShouldHaveNoErrors()
    {
        // Act
        var errors = (await SchemaErrors.Value)["valid:packaged plan.json"];

        // Assert
        Assert.Empty(errors);
        Assert.Empty(PlanValidator.Validate(PlanDocument.Parse(File.ReadAllText(PackagedPlanPath))));
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public async Task ValidPlan_WhenCheckedByTheSchemaAndThePlanValidator_ShouldPassBoth(string name)
    {
        // Arrange
        var json = ValidPlans()[name];

        // Act
        var schemaErrors = (await SchemaErrors.Value)["valid:" + name];
        var validatorError = Record.Exception(() => PlanDocument.Parse(json));

        // Assert
        Assert.Empty(schemaErrors);
        Assert.Null(validatorError);
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public async Task InvalidPlan_WhenCheckedByTheSchemaAndThePlanValidator_ShouldBeRefusedByBoth(string name)
    {
        // Arrange
        var json = InvalidPlans()[name];

        // Act
        var schemaErrors = (await SchemaErrors.Value)["invalid:" + name];
        var validatorError = Record.Exception(() => PlanDocument.Parse(json));

        // Assert
        Assert.NotEmpty(schemaErrors);
        var invalid = Assert.IsType<PlanInvalidException>(validatorError);
        Assert.NotEmpty(invalid.Errors);
    }

    [Fact]
    public void Schema_WhenItNamesRegions_ShouldListExactlyTheKnownRegionsOfCore()
    {
        // Arrange
        var schema = JsonNode.Parse(File.ReadAllText(SchemaPath))!;
        var alternatives = $"({string.Join('|', AwsRegions.All)})";

        // Act
        var regions = schema["$defs"]!["region"]!["enum"]!.AsArray().Select(r => (string)r!).ToList();
        var alarmArnPattern = (string)schema["$defs"]!["trigger"]!["properties"]!["alarmArns"]!["items"]!["pattern"]!;
        var clusterArnPattern = (string)schema["$defs"]!["database"]!["allOf"]![2]!["then"]!["properties"]!["targetClusterArn"]!["pattern"]!;

        // Assert
        Assert.Equal(AwsRegions.All, regions);
        Assert.Contains(alternatives, alarmArnPattern, StringComparison.Ordinal);
        Assert.Contains(alternatives, clusterArnPattern, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidCases_WhenCounted_ShouldBeAtLeastTen()
    {
        // Act
        var count = InvalidPlans().Count;

        // Assert
        Assert.True(count >= 10, $"only {count} invalid plans");
    }

    private static Dictionary<string, string> ValidPlans() => new(StringComparer.Ordinal)
    {
        ["packaged plan.json"] = File.ReadAllText(PackagedPlanPath),
        ["every kind of resource"] = EveryKind().ToJsonString(),
        ["switches only, minimal members"] = """
            { "name": "web", "primaryRegion": "eu-west-1", "recoveryRegion": "eu-central-1", "objectives": { "rtoSeconds": 60 },
              "switches": [ { "kind": "health-check-invert", "id": "web", "healthCheckId": "abcdef11-2222-3333-4444-555555fedcba", "hostedZoneId": "Z0123456789ABCDEFGHIJ", "recordName": "orders-check.example.com." } ],
              "trigger": { "accountId": "123456789012" } }
            """,
        ["servers by tags only, nulls where allowed"] = Mutate(EveryKind(), p =>
        {
            p["databases"] = new JsonArray();
            p["switches"] = new JsonArray();
            p["servers"] = new JsonObject { ["tags"] = new JsonObject { ["app"] = "orders" } };
            p["trigger"]!["quorum"] = null;
        }),
        ["rds replica of 63 characters rehearsed by verify"] = Mutate(EveryKind(), p =>
        {
            p["databases"]![0]!["id"] = "a" + new string('1', 62);
            p["databases"]![0]!["drill"] = "verify";
        }),
        ["rds replica of 48 characters rehearsed by copy"] = Mutate(EveryKind(), p =>
        {
            p["databases"]![0]!["id"] = "a" + new string('1', 47);
            p["databases"]![0]!["drill"] = "copy";
        }),
        ["quotas of the older table, batches of 200"] = Mutate(EveryKind(), p =>
        {
            p["drsQuotas"] = new JsonObject { ["serversPerJob"] = 200, ["serversInActiveJobs"] = 200, ["concurrentJobs"] = 20, ["sourceServers"] = 3000 };
            p["servers"]!["batchSize"] = 200;
        }),
        ["servers in three waves"] = Mutate(EveryKind(), p => p["servers"] = new JsonArray(
            new JsonObject { ["name"] = "db", ["tags"] = new JsonObject { ["tier"] = "db" }, ["waitAfterSeconds"] = 60 },
            new JsonObject { ["name"] = "app", ["sourceServerIds"] = new JsonArray("s-00000000000000001"), ["criticalServerIds"] = new JsonArray("s-00000000000000001") },
            new JsonObject { ["tags"] = new JsonObject { ["tier"] = "web" }, ["batchSize"] = 50, ["maxConcurrentJobs"] = 5 })),
        ["capacity matching the primary, accepting half"] = Mutate(EveryKind(), p =>
        {
            p["capacity"]![0]!["matchPrimary"] = true;
            p["capacity"]![0]!["minReadyFraction"] = 0.5;
            p["capacity"]![1]!["readyWithinSeconds"] = 7200;
        }),
        ["simple record without failover"] = Mutate(EveryKind(), p =>
        {
            var record = p["switches"]![2]!["record"]!.AsObject();
            record["failover"] = null;
            record["setIdentifier"] = null;
        }),
    };

    private static Dictionary<string, string> InvalidPlans() => new(StringComparer.Ordinal)
    {
        ["name with a space"] = Mutate(EveryKind(), p => p["name"] = "orders plan"),
        ["unknown top-level member"] = Mutate(EveryKind(), p => p["owner"] = "team"),
        ["region is not a code"] = Mutate(EveryKind(), p => p["primaryRegion"] = "US East (N. Virginia)"),
        ["rto of zero"] = Mutate(EveryKind(), p => p["objectives"]!["rtoSeconds"] = 0),
        ["negative rpo"] = Mutate(EveryKind(), p => p["objectives"]!["rpoSeconds"] = -1),
        ["database concurrency of zero"] = Mutate(EveryKind(), p => p["databaseConcurrency"] = 0),
        ["unknown database kind"] = Mutate(EveryKind(), p => p["databases"]![0]!["kind"] = "dynamodb"),
        ["unknown database member"] = Mutate(EveryKind(), p => p["databases"]![0]!["region"] = "us-west-2"),
        ["rds replica id with an underscore"] = Mutate(EveryKind(), p => p["databases"]![0]!["id"] = "orders_replica"),
        ["rds replica with a target cluster"] = Mutate(EveryKind(), p => p["databases"]![0]!["targetClusterArn"] = "arn:aws:rds:us-west-2:123456789012:cluster:orders-secondary"),
        ["aurora global without target cluster"] = Mutate(EveryKind(), p => p["databases"]![1]!.AsObject().Remove("targetClusterArn")),
        ["aurora global target is not a cluster arn"] = Mutate(EveryKind(), p => p["databases"]![1]!["targetClusterArn"] = "orders-secondary"),
        ["rds replica of 49 characters rehearsed by copy (the default)"] = Mutate(EveryKind(), p => p["databases"]![0]!["id"] = "a" + new string('1', 48)),
        ["aurora global rehearsed by copy"] = Mutate(EveryKind(), p => p["databases"]![1]!["drill"] = "copy"),
        ["unknown drill method"] = Mutate(EveryKind(), p => p["databases"]![0]!["drill"] = "snapshot"),
        ["null database entry"] = Mutate(EveryKind(), p => p["databases"]!.AsArray().Add(null)),
        ["critical is a string"] = Mutate(EveryKind(), p => p["databases"]![2]!["critical"] = "yes"),
        ["servers select nothing"] = Mutate(EveryKind(), p => p["servers"] = new JsonObject { ["batchSize"] = 10 }),
        ["batch size above 200"] = Mutate(EveryKind(), p => p["servers"]!["batchSize"] = 201),
        ["servers per job quota above the API's 200"] = Mutate(EveryKind(), p => p["drsQuotas"] = new JsonObject { ["serversPerJob"] = 201 }),
        ["unknown quota"] = Mutate(EveryKind(), p => p["drsQuotas"] = new JsonObject { ["replicatingServers"] = 300 }),
        ["no servers in active jobs"] = Mutate(EveryKind(), p => p["drsQuotas"] = new JsonObject { ["serversInActiveJobs"] = 0 }),
        ["empty array of waves"] = Mutate(EveryKind(), p => p["servers"] = new JsonArray()),
        ["wave with an unknown member"] = Mutate(EveryKind(), p => p["servers"] = new JsonArray(new JsonObject { ["tags"] = new JsonObject { ["a"] = "b" }, ["gate"] = "running" })),
        ["wave name with a space"] = Mutate(EveryKind(), p => p["servers"] = new JsonArray(new JsonObject { ["name"] = "web tier", ["tags"] = new JsonObject { ["a"] = "b" } })),
        ["negative wait after a wave"] = Mutate(EveryKind(), p => p["servers"]!["waitAfterSeconds"] = -1),
        ["servers is a number"] = Mutate(EveryKind(), p => p["servers"] = 5),
        ["no concurrent jobs"] = Mutate(EveryKind(), p => p["servers"]!["maxConcurrentJobs"] = 0),
        ["more than 20 concurrent jobs"] = Mutate(EveryKind(), p => p["servers"]!["maxConcurrentJobs"] = 21),
        ["ec2 instance id as a source server"] = Mutate(EveryKind(), p => p["servers"]!["sourceServerIds"]![0] = "i-0123456789abcdef0"),
        ["source server listed twice"] = Mutate(EveryKind(), p => p["servers"]!["sourceServerIds"]!.AsArray().Add("s-00000000000000001")),
        ["malformed critical server"] = Mutate(EveryKind(), p => p["servers"]!["criticalServerIds"]![0] = "web-1"),
        ["unknown servers member"] = Mutate(EveryKind(), p => p["servers"]!["waves"] = 2),
        ["unknown switch kind"] = Mutate(EveryKind(), p => p["switches"]![0]!["kind"] = "dns"),
        ["switch id with a space"] = Mutate(EveryKind(), p => p["switches"]![0]!["id"] = "orders web"),
        ["reserved switch namespace"] = Mutate(EveryKind(), p => p["switches"]![0]!["namespace"] = "AWS/Route53"),
        ["switch metric without metric name"] = Mutate(EveryKind(), p => p["switches"]![0]!.AsObject().Remove("metricName")),
        ["more than 30 dimensions"] = Mutate(EveryKind(), p =>
            p["switches"]![0]!["dimensions"] = new JsonObject(Enumerable.Range(0, 31).Select(i => KeyValuePair.Create<string, JsonNode?>($"D{i}", $"v{i}")))),
        ["health check switch without health check"] = Mutate(EveryKind(), p => p["switches"]![1]!.AsObject().Remove("healthCheckId")),
        ["record switch without record"] = Mutate(EveryKind(), p => p["switches"]![2]!.AsObject().Remove("record")),
        ["record switch without hosted zone"] = Mutate(EveryKind(), p => p["switches"]![2]!["hostedZoneId"] = null),
        ["record of unknown type"] = Mutate(EveryKind(), p => p["switches"]![2]!["record"]!["type"] = "ALIAS"),
        ["record without values"] = Mutate(EveryKind(), p => p["switches"]![2]!["record"]!["values"] = new JsonArray()),
        ["failover record without set identifier"] = Mutate(EveryKind(), p => p["switches"]![2]!["record"]!.AsObject().Remove("setIdentifier")),
        ["record failover TERTIARY"] = Mutate(EveryKind(), p => p["switches"]![2]!["record"]!["failover"] = "TERTIARY"),
        ["negative record ttl"] = Mutate(EveryKind(), p => p["switches"]![2]!["record"]!["ttl"] = -1),
        ["unknown record member"] = Mutate(EveryKind(), p => p["switches"]![2]!["record"]!["alias"] = true),
        ["unknown capacity kind"] = Mutate(EveryKind(), p => p["capacity"]![0]!["kind"] = "eks-deployment"),
        ["auto scaling group without desired capacity"] = Mutate(EveryKind(), p => p["capacity"]![0]!.AsObject().Remove("desiredCapacity")),
        ["auto scaling group name with a space"] = Mutate(EveryKind(), p => p["capacity"]![0]!["name"] = "orders web"),
        ["auto scaling group with a cluster"] = Mutate(EveryKind(), p => p["capacity"]![0]!["cluster"] = "orders"),
        ["ecs service without cluster"] = Mutate(EveryKind(), p => p["capacity"]![1]!.AsObject().Remove("cluster")),
        ["ecs service matching the primary"] = Mutate(EveryKind(), p => p["capacity"]![1]!["matchPrimary"] = true),
        ["ready fraction of zero"] = Mutate(EveryKind(), p => p["capacity"]![1]!["minReadyFraction"] = 0),
        ["ready fraction above one"] = Mutate(EveryKind(), p => p["capacity"]![1]!["minReadyFraction"] = 1.5),
        ["ready within half a minute"] = Mutate(EveryKind(), p => p["capacity"]![0]!["readyWithinSeconds"] = 30),
        ["unknown capacity member"] = Mutate(EveryKind(), p => p["capacity"]![0]!["warmPool"] = true),
        ["nothing to fail over"] = Mutate(EveryKind(), p =>
        {
            p["databases"] = new JsonArray();
            p["switches"] = new JsonArray();
            p.Remove("servers");
        }),
        ["no trigger"] = Mutate(EveryKind(), p => p.Remove("trigger")),
        ["account id of three digits"] = Mutate(EveryKind(), p => p["trigger"]!["accountId"] = "123"),
        ["alarm arn is not an alarm"] = Mutate(EveryKind(), p => p["trigger"]!["alarmArns"]![0] = "arn:aws:sns:us-west-2:123456789012:orders"),
        ["alarm listed twice"] = Mutate(EveryKind(), p => p["trigger"]!["alarmArns"]!.AsArray().Add("arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-primary-outage")),
        ["decision window above a day"] = Mutate(EveryKind(), p => p["trigger"]!["decisionWindowMinutes"] = 1441),
        ["quorum of zero"] = Mutate(EveryKind(), p => p["trigger"]!["quorum"] = 0),
        ["sustain above the limit"] = Mutate(EveryKind(), p => p["trigger"]!["sustainSeconds"] = 601),
        ["cooldown of zero"] = Mutate(EveryKind(), p => p["trigger"]!["cooldownMinutes"] = 0),
        ["event clock skew above an hour"] = Mutate(EveryKind(), p => p["trigger"]!["eventClockSkewSeconds"] = 3601),
        ["unknown trigger member"] = Mutate(EveryKind(), p => p["trigger"]!["windowHours"] = 1),

        // Planted in plans written from AWS's documented samples; each used to pass PlanDocument.
        ["name ends with a newline"] = Mutate(EveryKind(), p => p["name"] = "orders\n"),
        ["recovery region ends with a newline"] = Mutate(EveryKind(), p => p["recoveryRegion"] = "us-west-2\n"),
        ["database id ends with a newline"] = Mutate(EveryKind(), p => p["databases"]![0]!["id"] = "orders-replica\n"),
        ["alarm arn ends with a newline"] = Mutate(EveryKind(), p => p["trigger"]!["alarmArns"]![0] = "arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-primary-outage\n"),
        ["tag value is null"] = Mutate(EveryKind(), p => p["servers"]!["tags"]!["app"] = null),
        ["tag name holds a tab"] = Mutate(EveryKind(), p => p["servers"]!["tags"] = new JsonObject { ["app\t"] = "orders" }),
        ["dimension value is null"] = Mutate(EveryKind(), p => p["switches"]![0]!["dimensions"]!["Plan"] = null),
        ["record value is null"] = Mutate(EveryKind(), p => p["switches"]![2]!["record"]!["values"] = new JsonArray((JsonNode?)null)),
        ["databases given twice"] = EveryKind().ToJsonString().Replace("\"databaseConcurrency\":", "\"databases\":[],\"databaseConcurrency\":", StringComparison.Ordinal),
        ["made-up region"] = Mutate(EveryKind(), p => p["primaryRegion"] = "xx-fake-1"),
        ["region of the aws-iso partition"] = Mutate(EveryKind(), p => p["primaryRegion"] = "us-iso-east-1"),
        ["alarm arn in a made-up partition"] = Mutate(EveryKind(), p => p["trigger"]!["alarmArns"]![0] = "arn:aws-fake:cloudwatch:us-west-2:123456789012:alarm:orders-primary-outage"),
        ["alarm arn in a made-up region"] = Mutate(EveryKind(), p => p["trigger"]!["alarmArns"]![0] = "arn:aws:cloudwatch:xx-fake-1:123456789012:alarm:orders-primary-outage"),
        ["target cluster in a made-up region"] = Mutate(EveryKind(), p => p["databases"]![1]!["targetClusterArn"] = "arn:aws:rds:xx-fake-1:123456789012:cluster:orders-secondary"),
        ["replacement character in the name"] = Mutate(EveryKind(), p => p["name"] = "orders\uFFFD"),
        ["rto is a string"] = Mutate(EveryKind(), p => p["objectives"]!["rtoSeconds"] = "15m"),
        ["switch metric without its alarm name"] = Mutate(EveryKind(), p => p["switches"]![0]!.AsObject().Remove("alarmName")),
        ["switch metric without the record its health check guards"] = Mutate(EveryKind(), p => p["switches"]![0]!.AsObject().Remove("recordName")),
        ["health check invert without the zone of the record it guards"] = Mutate(EveryKind(), p => p["switches"]![1]!.AsObject().Remove("hostedZoneId")),
        ["health check invert with an empty record name"] = Mutate(EveryKind(), p => p["switches"]![1]!["recordName"] = ""),
    };

    // A valid plan using every member: each invalid case changes one thing in it.
    private static JsonObject EveryKind() => JsonNode.Parse("""
        {
          "name": "orders",
          "primaryRegion": "us-east-1",
          "recoveryRegion": "us-west-2",
          "objectives": { "rtoSeconds": 900, "rpoSeconds": 60 },
          "databaseConcurrency": 4,
          "databases": [
            { "kind": "rds-instance-replica", "id": "orders-replica", "critical": true },
            { "kind": "aurora-global", "id": "orders-global", "targetClusterArn": "arn:aws:rds:us-west-2:123456789012:cluster:orders-secondary", "critical": false },
            { "kind": "aurora-cluster-replica", "id": "orders-replica-cluster", "drill": "verify" }
          ],
          "servers": {
            "sourceServerIds": [ "s-00000000000000001", "s-00000000000000002" ],
            "tags": { "app": "orders" },
            "criticalServerIds": [ "s-00000000000000001" ],
            "batchSize": 100,
            "maxConcurrentJobs": 20
          },
          "switches": [
            { "kind": "switch-metric", "id": "orders-web", "namespace": "Failover", "metricName": "TrafficSwitch",
              "dimensions": { "Plan": "orders" }, "failoverValue": 1, "alarmName": "orders-orders-web-switch", "hostedZoneId": "Z0123456789ABCDEFGHIJ", "recordName": "orders-web.example.com.",
              "healthCheckId": "01234567-89ab-cdef-0123-456789abcdef" },
            { "kind": "health-check-invert", "id": "orders-check", "healthCheckId": "abcdef11-2222-3333-4444-555555fedcba", "hostedZoneId": "Z0123456789ABCDEFGHIJ", "recordName": "orders-check.example.com." },
            { "kind": "record-upsert", "id": "www", "hostedZoneId": "Z0123456789ABCDEFGHIJ",
              "record": { "name": "www.example.com.", "type": "CNAME", "setIdentifier": "recovery", "failover": "SECONDARY",
                          "ttl": 60, "values": [ "orders.us-west-2.example.com" ] } }
          ],
          "capacity": [
            { "kind": "auto-scaling-group", "id": "web", "name": "orders-web", "desiredCapacity": 6, "critical": true, "readyWithinSeconds": 600 },
            { "kind": "ecs-service", "id": "api", "cluster": "orders", "service": "orders-api", "desiredCount": 3, "critical": false, "minReadyFraction": 0.67 }
          ],
          "trigger": {
            "accountId": "123456789012",
            "alarmArns": [ "arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-primary-outage" ],
            "decisionWindowMinutes": 15,
            "quorum": 1,
            "sustainSeconds": 30,
            "cooldownMinutes": 1440,
            "eventClockSkewSeconds": 300,
            "requireApproval": true
          }
        }
        """)!.AsObject();

    private static string Mutate(JsonObject plan, Action<JsonObject> change)
    {
        change(plan);
        return plan.ToJsonString();
    }
}
