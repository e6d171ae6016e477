using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;
using Failover.Aws;
using Failover.Aws.Transport;
using Failover.Local.Models;
using Failover.Testing;
using Failover.Local.Tests.Drs;
using Microsoft.AspNetCore.Http;

namespace Failover.Local.Tests.Models;

/// <summary>
/// The Aurora global database model: API_DescribeGlobalClusters.html, API_SwitchoverGlobalCluster.html,
/// API_FailoverGlobalCluster.html, API_FailoverState.html and aurora-global-database-disaster-recovery.html; in process
/// with a manual clock, and over HTTP through the gateway, read by our RdsClient and by the AWS CLI (botocore's rds model).
/// </summary>
public sealed class AuroraGlobalModelTests
{
    private const string GlobalId = "orders-global";
    private const string PrimaryRegion = "us-east-1";
    private const string RecoveryRegion = "us-west-2";
    private const string PrimaryArn = "arn:aws:rds:us-east-1:123456789012:cluster:orders-primary";
    private const string SecondaryArn = "arn:aws:rds:us-west-2:123456789012:cluster:orders-usw2";
    private static readonly XNamespace Ns = "http://rds.amazonaws.com/doc/2014-10-31/";

    private static readonly AuroraGlobalSettings Timings = new()
    {
        PendingDuration = TimeSpan.FromSeconds(10),
        FailoverDuration = TimeSpan.FromSeconds(60),
        SwitchoverDuration = TimeSpan.FromSeconds(30),
        CancellationDuration = TimeSpan.FromSeconds(20),
    };

    private readonly ManualClock _clock = new();
    private readonly AuroraGlobalModel _model;

    public AuroraGlobalModelTests()
    {
        _model = new AuroraGlobalModel(_clock) { Settings = Timings };
        _model.Register(GlobalId, "aurora-postgresql", PrimaryArn, [SecondaryArn]);
    }

    [Fact]
    public void DescribeGlobalClusters_WhenRegistered_ShouldReportTheWriterAndAConnectedSecondaryWithNoFailoverState()
    {
        // Act
        var global = Describe(null);

        // Assert
        Assert.Equal(GlobalId, global.Element(Ns + "GlobalClusterIdentifier")!.Value);
        Assert.Equal("arn:aws:rds::123456789012:global-cluster:orders-global", global.Element(Ns + "GlobalClusterArn")!.Value);
        Assert.Equal([(PrimaryArn, true, "connected"), (SecondaryArn, false, "connected")], Members(global));
        Assert.Equal([SecondaryArn], global.Descendants(Ns + "Readers").First().Elements(Ns + "member").Select(e => e.Value));
        Assert.Null(global.Element(Ns + "FailoverState"));
    }

    [Fact]
    public void FailoverGlobalCluster_WhenDataLossAllowed_ShouldBePendingThenFailingOverThenMakeTheTargetTheWriter()
    {
        // Act
        var accepted = Call("FailoverGlobalCluster", null, ("TargetDbClusterIdentifier", SecondaryArn), ("AllowDataLoss", "true"));
        _clock.Advance(TimeSpan.FromSeconds(9));
        var pending = Describe(null);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var failingOver = Describe(null);
        _clock.Advance(TimeSpan.FromSeconds(59));
        var almost = Describe(null);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var done = Describe(null);

        // Assert
        Assert.Equal(200, accepted.Status);
        var state = XDocument.Parse(accepted.Xml).Descendants(Ns + "FailoverState").Single();
        Assert.Equal(("pending", PrimaryArn, SecondaryArn, "true"),
            (state.Element(Ns + "Status")!.Value, state.Element(Ns + "FromDbClusterArn")!.Value, state.Element(Ns + "ToDbClusterArn")!.Value, state.Element(Ns + "IsDataLossAllowed")!.Value));
        Assert.Equal("pending", FailoverStatus(pending));
        Assert.Equal("failing-over", FailoverStatus(failingOver));
        Assert.Equal("failing-over", FailoverStatus(almost));
        Assert.Equal([(PrimaryArn, true, "connected"), (SecondaryArn, false, "connected")], Members(almost));
        Assert.Null(FailoverStatus(done));
        Assert.Equal([(PrimaryArn, false, "pending-resync"), (SecondaryArn, true, "connected")], Members(done));
    }

    [Theory]
    [InlineData(OutageKind.Unreachable)]
    [InlineData(OutageKind.ServerErrors)]
    public void FailoverGlobalCluster_WhenThePrimaryRegionIsDark_ShouldSucceedAndDetachTheOldPrimary(OutageKind kind)
    {
        // Arrange
        var outage = new RegionOutage(PrimaryRegion, _clock.GetUtcNow(), kind);

        // Act
        var accepted = Call("FailoverGlobalCluster", outage, ("TargetDbClusterIdentifier", SecondaryArn), ("AllowDataLoss", "true"));
        _clock.Advance(TimeSpan.FromSeconds(70));
        var done = Describe(outage);

        // Assert
        Assert.Equal(200, accepted.Status);
        Assert.Equal([(SecondaryArn, true, "connected")], Members(done));
    }

    [Fact]
    public void FailoverGlobalCluster_WhenOnlyThePrimaryDatabaseIsImpaired_ShouldKeepTheOldPrimaryAsASecondaryToResync()
    {
        // Arrange
        var outage = new RegionOutage(PrimaryRegion, _clock.GetUtcNow(), OutageKind.DatabaseImpaired);

        // Act
        Call("FailoverGlobalCluster", outage, ("TargetDbClusterIdentifier", SecondaryArn), ("AllowDataLoss", "true"));
        _clock.Advance(TimeSpan.FromSeconds(70));
        var done = Describe(outage);

        // Assert
        Assert.Equal([(PrimaryArn, false, "pending-resync"), (SecondaryArn, true, "connected")], Members(done));
    }

    [Fact]
    public void SwitchoverGlobalCluster_WhenHealthy_ShouldBePendingThenSwitchingOverThenSwapTheRolesWithoutDataLoss()
    {
        // Act
        var accepted = Call("SwitchoverGlobalCluster", null, ("TargetDbClusterIdentifier", SecondaryArn));
        _clock.Advance(TimeSpan.FromSeconds(10));
        var switching = Describe(null);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var done = Describe(null);

        // Assert
        Assert.Equal(200, accepted.Status);
        Assert.Equal("false", XDocument.Parse(accepted.Xml).Descendants(Ns + "IsDataLossAllowed").Single().Value);
        Assert.Equal("switching-over", FailoverStatus(switching));
        Assert.Null(FailoverStatus(done));
        Assert.Equal([(PrimaryArn, false, "connected"), (SecondaryArn, true, "connected")], Members(done));
    }

    [Fact]
    public void FailoverGlobalCluster_WhenDataLossIsNotAllowed_ShouldSwitchOver()
    {
        // Act
        var accepted = Call("FailoverGlobalCluster", null, ("TargetDbClusterIdentifier", SecondaryArn), ("Switchover", "true"));

        // Assert
        Assert.Equal("false", XDocument.Parse(accepted.Xml).Descendants(Ns + "IsDataLossAllowed").Single().Value);
    }

    [Theory]
    [InlineData(OutageKind.Unreachable)]
    [InlineData(OutageKind.ServerErrors)]
    [InlineData(OutageKind.DatabaseImpaired)]
    public void SwitchoverGlobalCluster_WhenThePrimaryIsInAnOutageAndRefusalIsModelled_ShouldRefuseAndChangeNothing(OutageKind kind)
    {
        // Arrange
        var outage = new RegionOutage(PrimaryRegion, _clock.GetUtcNow(), kind);

        // Act
        var refused = Call("SwitchoverGlobalCluster", outage, ("TargetDbClusterIdentifier", SecondaryArn));

        // Assert
        Assert.Equal((400, "InvalidGlobalClusterStateFault"), (refused.Status, ErrorCode(refused)));
        Assert.Equal("Sender", XDocument.Parse(refused.Xml).Descendants(Ns + "Type").Single().Value);
        Assert.Null(FailoverStatus(Describe(outage)));
    }

    [Fact]
    public void SwitchoverGlobalCluster_WhenThePrimaryIsImpairedAndCancellationIsModelled_ShouldBePendingThenCancellingThenKeepTheOldWriter()
    {
        // Arrange
        _model.Settings = Timings with { ImpairedSwitchover = ImpairedSwitchover.Cancelled };
        var outage = new RegionOutage(PrimaryRegion, _clock.GetUtcNow(), OutageKind.DatabaseImpaired);

        // Act
        var accepted = Call("SwitchoverGlobalCluster", outage, ("TargetDbClusterIdentifier", SecondaryArn));
        _clock.Advance(TimeSpan.FromSeconds(10));
        var cancelling = Describe(outage);
        _clock.Advance(TimeSpan.FromSeconds(20));
        var done = Describe(outage);

        // Assert
        Assert.Equal(200, accepted.Status);
        Assert.Equal("cancelling", FailoverStatus(cancelling));
        Assert.Null(FailoverStatus(done));
        Assert.Equal([(PrimaryArn, true, "connected"), (SecondaryArn, false, "connected")], Members(done));
    }

    [Theory]
    [InlineData(OutageKind.Unreachable, "pending-resync")]
    [InlineData(OutageKind.ServerErrors, "pending-resync")]
    [InlineData(OutageKind.DatabaseImpaired, "connected")]
    public void DescribeGlobalClusters_WhenThePrimaryRegionIsInAnOutage_ShouldShowReplicationCeasedOnlyWhenTheRegionIsDark(OutageKind kind, string secondaryStatus)
    {
        // Arrange
        var outage = new RegionOutage(PrimaryRegion, _clock.GetUtcNow().AddSeconds(5), kind);
        var before = Describe(outage);
        _clock.Advance(TimeSpan.FromSeconds(5));

        // Act
        var during = Describe(outage);

        // Assert
        Assert.Equal((SecondaryArn, false, "connected"), Members(before)[1]);
        Assert.Equal((SecondaryArn, false, secondaryStatus), Members(during)[1]);
    }

    [Fact]
    public void FailoverGlobalCluster_WhenAnOperationIsUnderway_ShouldRefuseAnother()
    {
        // Arrange
        Call("SwitchoverGlobalCluster", null, ("TargetDbClusterIdentifier", SecondaryArn));

        // Act
        var refused = Call("FailoverGlobalCluster", null, ("TargetDbClusterIdentifier", SecondaryArn), ("AllowDataLoss", "true"));

        // Assert
        Assert.Equal((400, "InvalidGlobalClusterStateFault"), (refused.Status, ErrorCode(refused)));
        Assert.Contains("FailoverState pending", XDocument.Parse(refused.Xml).Descendants(Ns + "Message").Single().Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing-global", SecondaryArn, null, 404, "GlobalClusterNotFoundFault")]
    [InlineData(GlobalId, "arn:aws:rds:us-west-2:123456789012:cluster:other", null, 404, "DBClusterNotFoundFault")]
    [InlineData(GlobalId, PrimaryArn, null, 400, "InvalidDBClusterStateFault")]
    [InlineData(GlobalId, "", null, 400, "MissingParameter")]
    [InlineData(GlobalId, SecondaryArn, "true", 400, "InvalidParameterCombination")]
    public void FailoverGlobalCluster_WhenTheRequestCannotBeCarriedOut_ShouldAnswerRdsError(string globalId, string target, string? switchover, int status, string code)
    {
        // Arrange
        var form = new Dictionary<string, string> { ["GlobalClusterIdentifier"] = globalId, ["TargetDbClusterIdentifier"] = target, ["AllowDataLoss"] = "true" };
        if (switchover is not null)
        {
            form["Switchover"] = switchover;
        }

        // Act
        var reply = _model.Handle("FailoverGlobalCluster", form, null);

        // Assert
        Assert.Equal((status, code), (reply.Status, ErrorCode(reply)));
        Assert.Equal("ErrorResponse", XDocument.Parse(reply.Xml).Root!.Name.LocalName);
    }

    [Fact]
    public void SwitchoverGlobalCluster_WhenTheTargetIsNamedByItsIdentifier_ShouldFindTheMember()
    {
        // Act
        var accepted = Call("SwitchoverGlobalCluster", null, ("TargetDbClusterIdentifier", "orders-usw2"));

        // Assert
        Assert.Equal(SecondaryArn, XDocument.Parse(accepted.Xml).Descendants(Ns + "ToDbClusterArn").Single().Value);
    }

    [Fact]
    public void SwitchoverGlobalCluster_WhenTheTargetStillResyncsAfterAFailover_ShouldRefuse()
    {
        // Arrange: fail over to the secondary; the old primary has to resync before it can take the writer role back.
        Call("FailoverGlobalCluster", null, ("TargetDbClusterIdentifier", SecondaryArn), ("AllowDataLoss", "true"));
        _clock.Advance(TimeSpan.FromSeconds(70));

        // Act
        var refused = Call("SwitchoverGlobalCluster", null, ("TargetDbClusterIdentifier", PrimaryArn));

        // Assert
        Assert.Equal((400, "InvalidGlobalClusterStateFault"), (refused.Status, ErrorCode(refused)));
    }

    [Fact]
    public void LagOf_WhenAskedForTheSecondaryAndThenTheWriter_ShouldGiveTheHeldFiguresOnlyForASecondary()
    {
        // Arrange
        _model.Settings = Timings with { ReplicationLagMilliseconds = 750, RpoLagMilliseconds = 900 };

        // Act
        var secondary = _model.LagOf(GlobalId, SecondaryArn, null);
        var writer = _model.LagOf(GlobalId, PrimaryArn, null);
        Call("FailoverGlobalCluster", null, ("TargetDbClusterIdentifier", SecondaryArn), ("AllowDataLoss", "true"));
        _clock.Advance(TimeSpan.FromSeconds(70));
        var promoted = _model.LagOf(GlobalId, SecondaryArn, null);

        // Assert
        Assert.Equal(new AuroraGlobalLag(750, 900), secondary);
        Assert.Null(writer);
        Assert.Null(promoted);
        Assert.Null(_model.LagOf("missing-global", SecondaryArn, null));
    }

    [Fact]
    public void Register_WhenAMemberIsNotAClusterArn_ShouldSayWhichValueIsWrong()
    {
        // Act
        var ex = Assert.Throws<ArgumentException>(() => _model.Register("billing-global", "aurora-postgresql", PrimaryArn, ["billing-usw2"]));

        // Assert
        Assert.Contains("'billing-usw2' is not a DB cluster ARN", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryHandleAsync_WhenTheGlobalDatabaseIsNotModelled_ShouldLeaveTheRequestToMoto()
    {
        // Arrange
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = "AWS4-HMAC-SHA256 Credential=AKID/20260801/us-west-2/rds/aws4_request, SignedHeaders=host, Signature=0";

        // Act
        var handled = await _model.TryHandleAsync(context, "Action=DescribeGlobalClusters&Version=2014-10-31&GlobalClusterIdentifier=billing-global"u8.ToArray(), "DescribeGlobalClusters", null);

        // Assert
        Assert.False(handled);
        Assert.False(context.Response.HasStarted);
    }

    [Fact]
    public async Task Gateway_WhenOurRdsClientAndTheAwsCliReadAFailover_ShouldBothParseWhatTheModelAnswers()
    {
        // Arrange: the gateway without moto; the model is what answers, on a clock that stands still while the aws CLI
        // starts (seconds on a loaded machine), so the failover is still underway when it reads it.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var gateway = await Gateway.StartAsync(new ManualClock(), cts.Token);
        gateway.AuroraGlobal.Register(GlobalId, "aurora-postgresql", PrimaryArn, [SecondaryArn]);
        var rds = new AwsClients(new AwsOptions { Region = RecoveryRegion, Credentials = new BasicAWSCredentials("AKIDLOCALTEST", "local/secret"), EndpointUrl = gateway.Endpoint, MaxAttempts = 1 }, TimeProvider.System).Rds;

        // Act
        var failover = await rds.FailoverGlobalClusterAsync(GlobalId, SecondaryArn, allowDataLoss: true, switchover: null, cts.Token);
        var ours = Assert.Single(await rds.DescribeGlobalClustersAsync(GlobalId, cts.Token));
        var cli = await AwsCli.RunAsync(gateway.Endpoint, cts.Token, "rds", "describe-global-clusters", "--global-cluster-identifier", GlobalId);
        var refusedByCli = await AwsCli.RunAsync(gateway.Endpoint, cts.Token, "rds", "switchover-global-cluster", "--global-cluster-identifier", GlobalId, "--target-db-cluster-identifier", SecondaryArn);
        var refusedByOurs = await Assert.ThrowsAsync<AwsConflictException>(() => rds.SwitchoverGlobalClusterAsync(GlobalId, SecondaryArn, cts.Token));

        // Assert
        Assert.Equal(("pending", true), (failover.FailoverState!.Status, failover.FailoverState.IsDataLossAllowed));
        Assert.Equal([(PrimaryArn, true, "connected"), (SecondaryArn, false, "connected")], ours.GlobalClusterMembers.Select(m => (m.DBClusterArn, m.IsWriter, m.SynchronizationStatus)));
        var global = cli.RequiredOutput["GlobalClusters"]![0]!;
        Assert.Equal(GlobalId, global["GlobalClusterIdentifier"]!.GetValue<string>());
        Assert.Equal(SecondaryArn, global["FailoverState"]!["ToDbClusterArn"]!.GetValue<string>());
        Assert.True(global["FailoverState"]!["IsDataLossAllowed"]!.GetValue<bool>());
        Assert.Equal([PrimaryArn, SecondaryArn], global["GlobalClusterMembers"]!.AsArray().Select(m => m!["DBClusterArn"]!.GetValue<string>()));
        Assert.True(global["GlobalClusterMembers"]![0]!["IsWriter"]!.GetValue<bool>());
        Assert.Equal("connected", global["GlobalClusterMembers"]![1]!["SynchronizationStatus"]!.GetValue<string>());
        Assert.NotEqual(0, refusedByCli.ExitCode);
        Assert.Contains("(InvalidGlobalClusterStateFault)", refusedByCli.Stderr, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidGlobalClusterStateFault"), (refusedByOurs.StatusCode, refusedByOurs.ErrorCode));
    }

    private AuroraGlobalReply Call(string operation, RegionOutage? outage, params (string Name, string Value)[] parameters)
    {
        var form = new Dictionary<string, string> { ["GlobalClusterIdentifier"] = GlobalId };
        foreach (var (name, value) in parameters)
        {
            form[name] = value;
        }

        return _model.Handle(operation, form, outage);
    }

    private XElement Describe(RegionOutage? outage)
    {
        var reply = Call("DescribeGlobalClusters", outage);
        Assert.Equal(200, reply.Status);
        var document = XDocument.Parse(reply.Xml);
        Assert.Equal(Ns + "DescribeGlobalClustersResponse", document.Root!.Name);
        return document.Root.Element(Ns + "DescribeGlobalClustersResult")!.Element(Ns + "GlobalClusters")!.Elements().Single();
    }

    private static IReadOnlyList<(string Arn, bool IsWriter, string SynchronizationStatus)> Members(XElement global) =>
        [.. global.Element(Ns + "GlobalClusterMembers")!.Elements(Ns + "GlobalClusterMember").Select(m => (
            m.Element(Ns + "DBClusterArn")!.Value, m.Element(Ns + "IsWriter")!.Value == "true", m.Element(Ns + "SynchronizationStatus")!.Value))];

    private static string? FailoverStatus(XElement global) => global.Element(Ns + "FailoverState")?.Element(Ns + "Status")?.Value;

    private static string ErrorCode(AuroraGlobalReply reply) => XDocument.Parse(reply.Xml).Descendants(Ns + "Code").Single().Value;
}
