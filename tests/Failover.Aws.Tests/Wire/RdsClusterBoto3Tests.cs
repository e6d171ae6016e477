using System.Net;
using System.Text.Json.Nodes;
using Failover.Aws.Clients;
using Failover.Aws.Tests.Transport;
using Failover.Aws.Transport;

namespace Failover.Aws.Tests.Wire;

/// <summary>
/// RDS operations moto 5.2.1 lacks (FailoverGlobalCluster, SwitchoverGlobalCluster), paging it does not do
/// (DescribeDBClusters, DescribeGlobalClusters) and AWS error documents it does not send: our request is
/// compared with boto3's for the same call, and boto3's parse of the same AWS-shaped reply with ours.
/// </summary>
public sealed class RdsClusterBoto3Tests : Boto3ComparisonTests
{
    private const string Ns = "http://rds.amazonaws.com/doc/2014-10-31/";
    private const string PrimaryArn = "arn:aws:rds:us-east-1:123456789012:cluster:orders";
    private const string SecondaryArn = "arn:aws:rds:us-west-2:123456789012:cluster:orders-usw2";

    private RdsClient Rds() => ScriptedAws.Clients(Server, Http, new AutoAdvancingTimeProvider()).Rds;

    private static string GlobalClusterXml(string status, string? failoverStatus, bool? dataLoss) => $"<GlobalCluster>{GlobalClusterFields(status, failoverStatus, dataLoss)}</GlobalCluster>";

    private static string GlobalClusterFields(string status, string? failoverStatus, bool? dataLoss) => $"""
          <GlobalClusterIdentifier>orders-global</GlobalClusterIdentifier>
          <GlobalClusterResourceId>cluster-0123456789abcdef</GlobalClusterResourceId>
          <GlobalClusterArn>arn:aws:rds::123456789012:global-cluster:orders-global</GlobalClusterArn>
          <Status>{status}</Status>
          <Engine>aurora-postgresql</Engine>
          <EngineVersion>15.4</EngineVersion>
          <StorageEncrypted>true</StorageEncrypted>
          <DeletionProtection>false</DeletionProtection>
          <GlobalClusterMembers>
            <GlobalClusterMember>
              <DBClusterArn>{PrimaryArn}</DBClusterArn>
              <Readers><member>{SecondaryArn}</member></Readers>
              <IsWriter>true</IsWriter>
              <GlobalWriteForwardingStatus>disabled</GlobalWriteForwardingStatus>
              <SynchronizationStatus>connected</SynchronizationStatus>
            </GlobalClusterMember>
            <GlobalClusterMember>
              <DBClusterArn>{SecondaryArn}</DBClusterArn>
              <Readers/>
              <IsWriter>false</IsWriter>
              <GlobalWriteForwardingStatus>disabled</GlobalWriteForwardingStatus>
              <SynchronizationStatus>connected</SynchronizationStatus>
            </GlobalClusterMember>
          </GlobalClusterMembers>
          <Endpoint>orders-global.global-0123abcd.global.rds.amazonaws.com</Endpoint>
          {(failoverStatus is null ? "<FailoverState/>" : $"<FailoverState><Status>{failoverStatus}</Status><FromDbClusterArn>{PrimaryArn}</FromDbClusterArn><ToDbClusterArn>{SecondaryArn}</ToDbClusterArn><IsDataLossAllowed>{(dataLoss == true ? "true" : "false")}</IsDataLossAllowed></FailoverState>")}
        """;

    private static ScriptedResponse Reply(string action, string inner) => ScriptedResponse.Xml(200,
        $"<{action}Response xmlns=\"{Ns}\"><{action}Result>{inner}</{action}Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></{action}Response>");

    private Task<(RecordedRequest Ours, RecordedRequest Boto3, T Parsed, Boto3Reply Reply)> BothAsync<T>(
        ScriptedResponse reply, Func<RdsClient, CancellationToken, Task<T>> call, string operation, JsonObject boto3Parameters, CancellationToken cancellationToken) =>
        CompareAsync(reply, ct => call(Rds(), ct), "rds", operation, boto3Parameters, cancellationToken);

    private static void AssertSameGlobalCluster(JsonNode expected, GlobalCluster actual)
    {
        Assert.Equal(expected["GlobalClusterIdentifier"]!.GetValue<string>(), actual.GlobalClusterIdentifier);
        Assert.Equal(expected["GlobalClusterArn"]!.GetValue<string>(), actual.GlobalClusterArn);
        Assert.Equal(expected["Status"]!.GetValue<string>(), actual.Status);
        Assert.Equal(expected["Engine"]!.GetValue<string>(), actual.Engine);
        Assert.Equal(expected["EngineVersion"]!.GetValue<string>(), actual.EngineVersion);
        Assert.Equal(expected["Endpoint"]!.GetValue<string>(), actual.Endpoint);
        var members = expected["GlobalClusterMembers"]!.AsArray();
        Assert.Equal(members.Count, actual.GlobalClusterMembers.Count);
        for (var i = 0; i < members.Count; i++)
        {
            var m = members[i]!;
            var a = actual.GlobalClusterMembers[i];
            Assert.Equal(
                (m["DBClusterArn"]!.GetValue<string>(), m["IsWriter"]!.GetValue<bool>(), m["GlobalWriteForwardingStatus"]!.GetValue<string>(), m["SynchronizationStatus"]!.GetValue<string>()),
                (a.DBClusterArn, a.IsWriter, a.GlobalWriteForwardingStatus, a.SynchronizationStatus));
            Assert.Equal(m["Readers"]!.AsArray().Select(r => r!.GetValue<string>()), a.Readers);
        }

        if (expected["FailoverState"] is JsonObject state && state.Count > 0)
        {
            Assert.Equal(
                new FailoverState(state["Status"]!.GetValue<string>(), state["FromDbClusterArn"]!.GetValue<string>(), state["ToDbClusterArn"]!.GetValue<string>(), state["IsDataLossAllowed"]!.GetValue<bool>()),
                actual.FailoverState);
        }
        else
        {
            Assert.Null(actual.FailoverState);
        }
    }

    [Fact]
    public async Task FailoverGlobalClusterAsync_WhenDataLossAllowed_ShouldSendWhatBoto3SendsAndParseTheFailoverState()
    {
        using var cts = TestTimeout.Create();

        var (ours, boto3, global, reply) = await BothAsync(Reply("FailoverGlobalCluster", GlobalClusterXml("failing-over", "failing-over", dataLoss: true)),
            (rds, ct) => rds.FailoverGlobalClusterAsync("orders-global", SecondaryArn, allowDataLoss: true, switchover: null, ct),
            "FailoverGlobalCluster", Json($$"""{"GlobalClusterIdentifier":"orders-global","TargetDbClusterIdentifier":"{{SecondaryArn}}","AllowDataLoss":true}"""), cts.Token);

        WireComparison.AssertSameRequest(ours, boto3);
        Assert.Contains("AllowDataLoss=true", ours.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("Switchover", ours.BodyText, StringComparison.Ordinal);
        AssertSameGlobalCluster(reply.RequiredResult["GlobalCluster"]!, global);
        Assert.Equal(new FailoverState("failing-over", PrimaryArn, SecondaryArn, true), global.FailoverState);
    }

    [Fact]
    public async Task FailoverGlobalClusterAsync_WhenSwitchover_ShouldSendSwitchoverTrueAsBoto3Does()
    {
        using var cts = TestTimeout.Create();

        var (ours, boto3, global, reply) = await BothAsync(Reply("FailoverGlobalCluster", GlobalClusterXml("switching-over", "switching-over", dataLoss: false)),
            (rds, ct) => rds.FailoverGlobalClusterAsync("orders-global", SecondaryArn, allowDataLoss: null, switchover: true, ct),
            "FailoverGlobalCluster", Json($$"""{"GlobalClusterIdentifier":"orders-global","TargetDbClusterIdentifier":"{{SecondaryArn}}","Switchover":true}"""), cts.Token);

        WireComparison.AssertSameRequest(ours, boto3);
        Assert.DoesNotContain("AllowDataLoss", ours.BodyText, StringComparison.Ordinal);
        AssertSameGlobalCluster(reply.RequiredResult["GlobalCluster"]!, global);
        Assert.False(global.FailoverState!.IsDataLossAllowed);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task FailoverGlobalClusterAsync_WhenAllowDataLossAndSwitchoverBothGiven_ShouldThrowArgumentExceptionWithoutCalling(bool allowDataLoss, bool switchover)
    {
        using var cts = TestTimeout.Create();

        await Assert.ThrowsAsync<ArgumentException>(() => Rds().FailoverGlobalClusterAsync("orders-global", SecondaryArn, allowDataLoss, switchover, cts.Token));

        Assert.Equal(0, Server.RequestCount);
    }

    [Fact]
    public async Task FailoverGlobalClusterAsync_WhenGlobalClusterIsBusy_ShouldThrowConflictWithoutRetrying()
    {
        using var cts = TestTimeout.Create();
        var error = ScriptedResponse.QueryError(400, "InvalidGlobalClusterStateFault", "Global cluster orders-global is failing over.");
        Server.Enqueue(error, error);

        var ex = await Assert.ThrowsAsync<AwsConflictException>(() => Rds().FailoverGlobalClusterAsync("orders-global", SecondaryArn, true, null, cts.Token));
        var boto3 = await Boto3.CallAsync(Server.Endpoint, "rds", "FailoverGlobalCluster",
            Json($$"""{"GlobalClusterIdentifier":"orders-global","TargetDbClusterIdentifier":"{{SecondaryArn}}","AllowDataLoss":true}"""), cts.Token);

        Assert.Equal(boto3.ErrorCode, ex.ErrorCode);
        Assert.Equal(boto3.ErrorMessage, ex.ServiceMessage);
        Assert.Equal(2, Server.RequestCount);
    }

    [Fact]
    public async Task SwitchoverGlobalClusterAsync_WhenSent_ShouldSendWhatBoto3SendsAndParseTheGlobalCluster()
    {
        using var cts = TestTimeout.Create();

        var (ours, boto3, global, reply) = await BothAsync(Reply("SwitchoverGlobalCluster", GlobalClusterXml("switching-over", "switching-over", dataLoss: false)),
            (rds, ct) => rds.SwitchoverGlobalClusterAsync("orders-global", SecondaryArn, ct),
            "SwitchoverGlobalCluster", Json($$"""{"GlobalClusterIdentifier":"orders-global","TargetDbClusterIdentifier":"{{SecondaryArn}}"}"""), cts.Token);

        WireComparison.AssertSameRequest(ours, boto3);
        Assert.Equal($"Action=SwitchoverGlobalCluster&Version=2014-10-31&GlobalClusterIdentifier=orders-global&TargetDbClusterIdentifier={Uri.EscapeDataString(SecondaryArn)}", ours.BodyText);
        AssertSameGlobalCluster(reply.RequiredResult["GlobalCluster"]!, global);
    }

    [Fact]
    public async Task DescribeGlobalClustersAsync_WhenMarkerReturned_ShouldReadItemsByPositionAndAskForTheNextPageAsBoto3Does()
    {
        // The model names the items of GlobalClusters <GlobalClusterMember>, the same name as the inner member list.
        using var cts = TestTimeout.Create();
        var first = Reply("DescribeGlobalClusters", $"<Marker>page+2</Marker><GlobalClusters><GlobalClusterMember>{GlobalClusterFields("available", null, null)}</GlobalClusterMember></GlobalClusters>");
        var second = Reply("DescribeGlobalClusters", "<GlobalClusters/>");
        Server.Enqueue(first, second);

        var globals = await Rds().DescribeGlobalClustersAsync(null, cts.Token);
        Server.Enqueue(first);
        var boto3First = await Boto3.CallAsync(Server.Endpoint, "rds", "DescribeGlobalClusters", [], cts.Token);
        Server.Enqueue(second);
        await Boto3.CallAsync(Server.Endpoint, "rds", "DescribeGlobalClusters", Json("""{"Marker":"page+2"}"""), cts.Token);

        var requests = Server.Requests;
        WireComparison.AssertSameRequest(requests[0], requests[2]);
        WireComparison.AssertSameRequest(requests[1], requests[3]);
        Assert.Equal("page+2", boto3First.RequiredResult["Marker"]!.GetValue<string>());
        AssertSameGlobalCluster(boto3First.RequiredResult["GlobalClusters"]![0]!, Assert.Single(globals));
    }

    [Fact]
    public async Task DescribeGlobalClustersAsync_WhenGlobalClusterMissing_ShouldThrowNotFoundAsBoto3NamesIt()
    {
        using var cts = TestTimeout.Create();
        var error = ScriptedResponse.QueryError(404, "GlobalClusterNotFoundFault", "Global cluster missing-global not found.");
        Server.Enqueue(error, error);

        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() => Rds().DescribeGlobalClustersAsync("missing-global", cts.Token));
        var boto3 = await Boto3.CallAsync(Server.Endpoint, "rds", "DescribeGlobalClusters", Json("""{"GlobalClusterIdentifier":"missing-global"}"""), cts.Token);

        Assert.Equal((boto3.ErrorCode, boto3.ErrorMessage), (ex.ErrorCode, ex.ServiceMessage));
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task DescribeDBClustersAsync_WhenMarkerReturned_ShouldFollowItAsBoto3DoesAndParseTheCluster()
    {
        using var cts = TestTimeout.Create();
        var cluster = $"""
            <DBCluster><DBClusterIdentifier>orders-usw2</DBClusterIdentifier><Status>available</Status><Engine>aurora-postgresql</Engine>
              <Endpoint>orders-usw2.cluster-abc.us-west-2.rds.amazonaws.com</Endpoint><ReaderEndpoint>orders-usw2.cluster-ro-abc.us-west-2.rds.amazonaws.com</ReaderEndpoint>
              <ReplicationSourceIdentifier>{PrimaryArn}</ReplicationSourceIdentifier><ReadReplicaIdentifiers/>
              <DBClusterMembers><DBClusterMember><DBInstanceIdentifier>orders-usw2-1</DBInstanceIdentifier><IsClusterWriter>true</IsClusterWriter></DBClusterMember></DBClusterMembers>
              <DBClusterArn>{SecondaryArn}</DBClusterArn><GlobalClusterIdentifier>orders-global</GlobalClusterIdentifier><ClusterCreateTime>2026-07-01T08:00:00.000Z</ClusterCreateTime>
            </DBCluster>
            """;
        var first = Reply("DescribeDBClusters", $"<Marker>m2</Marker><DBClusters>{cluster}</DBClusters>");
        var second = Reply("DescribeDBClusters", "<DBClusters/>");
        Server.Enqueue(first, second);

        var clusters = await Rds().DescribeDBClustersAsync("orders-usw2", cts.Token);
        Server.Enqueue(first);
        var boto3 = await Boto3.CallAsync(Server.Endpoint, "rds", "DescribeDBClusters", Json("""{"DBClusterIdentifier":"orders-usw2"}"""), cts.Token);
        Server.Enqueue(second);
        await Boto3.CallAsync(Server.Endpoint, "rds", "DescribeDBClusters", Json("""{"DBClusterIdentifier":"orders-usw2","Marker":"m2"}"""), cts.Token);

        var requests = Server.Requests;
        WireComparison.AssertSameRequest(requests[0], requests[2]);
        WireComparison.AssertSameRequest(requests[1], requests[3]);
        var expected = boto3.RequiredResult["DBClusters"]![0]!;
        var actual = Assert.Single(clusters);
        Assert.Equal(
            (expected["DBClusterIdentifier"]!.GetValue<string>(), expected["DBClusterArn"]!.GetValue<string>(), expected["Status"]!.GetValue<string>(), expected["ReplicationSourceIdentifier"]!.GetValue<string>(), expected["GlobalClusterIdentifier"]!.GetValue<string>()),
            (actual.DBClusterIdentifier, actual.DBClusterArn, actual.Status, actual.ReplicationSourceIdentifier, actual.GlobalClusterIdentifier));
        Assert.Equal(expected["Endpoint"]!.GetValue<string>(), actual.Endpoint);
        Assert.Equal(expected["ReaderEndpoint"]!.GetValue<string>(), actual.ReaderEndpoint);
        Assert.Equal(new DBClusterMember("orders-usw2-1", true), Assert.Single(actual.DBClusterMembers));
        Assert.True(expected["DBClusterMembers"]![0]!["IsClusterWriter"]!.GetValue<bool>());
    }

    [Fact]
    public async Task PromoteReadReplicaDBClusterAsync_WhenClusterMissing_ShouldThrowNotFoundAsBoto3NamesIt()
    {
        using var cts = TestTimeout.Create();
        var error = ScriptedResponse.QueryError(404, "DBClusterNotFoundFault", "DBCluster missing not found.");
        Server.Enqueue(error, error);

        var ex = await Assert.ThrowsAsync<AwsNotFoundException>(() => Rds().PromoteReadReplicaDBClusterAsync("missing", cts.Token));
        var boto3 = await Boto3.CallAsync(Server.Endpoint, "rds", "PromoteReadReplicaDBCluster", Json("""{"DBClusterIdentifier":"missing"}"""), cts.Token);

        Assert.Equal(boto3.ErrorCode, ex.ErrorCode);
        WireComparison.AssertSameRequest(Server.Requests[0], Server.Requests[1]);
    }

    [Fact]
    public async Task DeleteDBInstanceAsync_WhenSent_ShouldSendWhatBoto3Sends()
    {
        using var cts = TestTimeout.Create();
        var instance = "<DBInstance><DBInstanceIdentifier>drill-copy</DBInstanceIdentifier><DBInstanceStatus>deleting</DBInstanceStatus></DBInstance>";

        var (ours, boto3, deleted, _) = await BothAsync(Reply("DeleteDBInstance", instance),
            (rds, ct) => rds.DeleteDBInstanceAsync("drill-copy", skipFinalSnapshot: true, finalDBSnapshotIdentifier: null, deleteAutomatedBackups: true, ct),
            "DeleteDBInstance", Json("""{"DBInstanceIdentifier":"drill-copy","SkipFinalSnapshot":true,"DeleteAutomatedBackups":true}"""), cts.Token);

        WireComparison.AssertSameRequest(ours, boto3);
        Assert.Equal("deleting", deleted.DBInstanceStatus);
    }
}
