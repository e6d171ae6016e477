using Amazon.Runtime;

namespace Failover.Aws.Tests.Transport;

/// <summary>Clients pointed at a <see cref="ScriptedHttpServer"/>, and canned AWS replies.</summary>
internal static class ScriptedAws
{
    public const string AccessKey = "AKIDSCRIPTED";
    public const string SecretKey = "scripted/secret+key";

    public static AwsOptions Options(ScriptedHttpServer server) => new()
    {
        Region = "us-west-2",
        Credentials = new BasicAWSCredentials(AccessKey, SecretKey),
        EndpointUrl = server.Endpoint,
        MaxAttempts = 3,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        AttemptTimeout = TimeSpan.FromSeconds(10),
    };

    public static AwsClients Clients(ScriptedHttpServer server, HttpClient http, TimeProvider? clock = null, Func<AwsOptions, AwsOptions>? configure = null) =>
        new((configure ?? (o => o))(Options(server)), clock ?? TimeProvider.System, http);

    public static ScriptedResponse DescribeDBInstances(string marker = "", params string[] ids) => ScriptedResponse.Xml(200,
        "<DescribeDBInstancesResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><DescribeDBInstancesResult>"
        + (marker.Length > 0 ? $"<Marker>{marker}</Marker>" : "")
        + "<DBInstances>" + string.Concat(ids.Select(Instance)) + "</DBInstances></DescribeDBInstancesResult>"
        + "<ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata></DescribeDBInstancesResponse>");

    public static ScriptedResponse PromoteReadReplica(string id) => ScriptedResponse.Xml(200,
        "<PromoteReadReplicaResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><PromoteReadReplicaResult>"
        + Instance(id) + "</PromoteReadReplicaResult><ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata></PromoteReadReplicaResponse>");

    public static ScriptedResponse DescribeExecution(string name) => ScriptedResponse.Json(200,
        $$"""{"executionArn":"arn:aws:states:us-west-2:123456789012:execution:failover:{{name}}","name":"{{name}}","status":"RUNNING","startDate":1785585600.123,"input":"{}"}""");

    public static ScriptedResponse Throttling() => ScriptedResponse.QueryError(400, "Throttling", "Rate exceeded", "req-throttled");

    private static string Instance(string id) =>
        $"<DBInstance><DBInstanceIdentifier>{id}</DBInstanceIdentifier><DBInstanceStatus>available</DBInstanceStatus><Engine>postgres</Engine><ReadReplicaDBInstanceIdentifiers/></DBInstance>";
}
