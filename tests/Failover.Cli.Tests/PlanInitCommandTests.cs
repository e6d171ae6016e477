using Amazon.Runtime;
using Failover.Aws.Clients;
using Failover.Cli;
using Failover.Core.Plans;
using Failover.Local;

namespace Failover.Cli.Tests;

/// <summary><c>failover plan init</c> against the local AWS with the sample environment deployed, over HTTP.</summary>
public sealed class PlanInitCommandTests : IAsyncLifetime
{
    private const string Primary = "us-east-2";
    private const string Recovery = "us-west-2";
    private readonly string _directory = Directory.CreateTempSubdirectory("failover-plan-init-").FullName;
    private LocalAws _aws = null!;

    private AwsSession Session => new() { EndpointUrl = _aws.Gateway.Endpoint, Credentials = new BasicAWSCredentials("test", "test") };

    public async Task InitializeAsync() => _aws = await LocalAws.StartAsync(null, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _aws.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task RunAsync_WhenTheSampleEnvironmentIsDeployed_ShouldWriteAValidPlanWithThePackagedPlansResources()
    {
        // Arrange: the packaged plan's environment; moto keeps no AlarmIdentifier, so the switch's alarm is named.
        var environment = await DeployAsync();
        var packaged = PlanDocument.Parse(await File.ReadAllTextAsync(LocalEnvironment.PlanPath));
        var healthCheckId = environment.SwitchHealthCheckIds["orders-web"];
        var request = Request(switchAlarms: [$"{healthCheckId}=orders-orders-web-switch"]);
        var file = new FileInfo(Path.Combine(_directory, "new", "plan.json"));
        using var captured = new CapturedTerminal();

        // Act
        var exitCode = await PlanInitCommand.RunAsync(request, file, Session, captured.Terminal, TimeProvider.System, CancellationToken.None);

        // Assert: it validates as `failover plan validate` does, and holds the packaged plan's resources.
        Assert.True(exitCode == 0, captured.All);
        using (var validateOut = new StringWriter())
        using (var validateError = new StringWriter())
        {
            Assert.Equal(PlanCommand.Valid, await PlanCommand.ValidateAsync(file, validateOut, validateError, CancellationToken.None));
        }

        var text = await File.ReadAllTextAsync(file.FullName);
        Assert.DoesNotContain("\"drillMethod\"", text, StringComparison.Ordinal); // computed, not a plan member: plan.schema.json refuses it
        var plan = PlanDocument.Parse(text);
        Assert.Equal(packaged.Databases.Select(d => (d.Kind, d.Id)), plan.Databases.Select(d => (d.Kind, d.Id)));
        var wave = Assert.Single(plan.Waves);
        Assert.Equal(_aws.Gateway.Drs.SourceServerIds.Order(StringComparer.Ordinal), wave.SourceServerIds);
        var expected = Assert.Single(packaged.Switches);
        var actual = Assert.Single(plan.Switches);
        Assert.Equal((expected.Kind, expected.Namespace, expected.MetricName, expected.FailoverValue, expected.AlarmName), (actual.Kind, actual.Namespace, actual.MetricName, actual.FailoverValue, actual.AlarmName));
        Assert.Equal(expected.Dimensions, actual.Dimensions);
        Assert.Equal(healthCheckId, actual.HealthCheckId);
        Assert.Equal(packaged.Trigger.AlarmArns, plan.Trigger.AlarmArns);
        Assert.Equal(packaged.Trigger.AccountId, plan.Trigger.AccountId);
        Assert.Contains("found: trigger: outage alarm orders-primary-outage, the only candidate in us-west-2 (on a canary metric).", captured.Out, StringComparison.Ordinal);
        Assert.Contains("sam deploy --parameter-overrides 'PlanName=\"orders\" OutageAlarmArns=\"arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-primary-outage\"", captured.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("choice: switches", captured.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenThePlanItWroteIsSimulated_ShouldSucceedWithEveryCheckPassed()
    {
        // Arrange: the plan discovered from the sample environment (its servers by id, its switch with the alarm named).
        var environment = await DeployAsync();
        var healthCheckId = environment.SwitchHealthCheckIds["orders-web"];
        var file = new FileInfo(Path.Combine(_directory, "discovered", "plan.json"));
        var report = new FileInfo(Path.Combine(_directory, "discovered", "report.json"));
        using var init = new CapturedTerminal();
        Assert.True(
            await PlanInitCommand.RunAsync(Request(switchAlarms: [$"{healthCheckId}=orders-orders-web-switch"]), file, Session, init.Terminal, TimeProvider.System, CancellationToken.None) == 0,
            init.All);
        using var simulate = new CapturedTerminal();

        // Act: `failover simulate --plan` of what plan init wrote, on a fresh local AWS.
        var exitCode = await SimulateCommand.RunAsync(file, report, simulate.Terminal, CancellationToken.None);

        // Assert
        Assert.True(exitCode == 0, simulate.All);
        using var document = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(report.FullName));
        Assert.Equal("succeeded", document.RootElement.GetProperty("outcome").GetString());
        Assert.All(document.RootElement.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("passed").GetBoolean(), c.ToString()));
        Assert.Contains(document.RootElement.GetProperty("resources").EnumerateArray(), r => r.GetProperty("kind").GetString() == "traffic-switch" && r.GetProperty("outcome").GetString() == "switched");
    }

    [Fact]
    public async Task RunAsync_WhenTheSwitchRecordsAreInAZoneBeyondTheFirstPage_ShouldStillFindTheSwitch()
    {
        // Arrange: 100 zones first (a ListHostedZones page holds 100), so the sample's zone comes on the second page.
        var route53 = _aws.Clients(Recovery, TimeProvider.System).Route53;
        await Parallel.ForAsync(0, 100, async (i, ct) => await route53.CreateHostedZoneAsync($"zone{i}.example.org.", $"page-filler-{i}", ct));
        var environment = await DeployAsync();
        var healthCheckId = environment.SwitchHealthCheckIds["orders-web"];
        using var captured = new CapturedTerminal();

        // Act
        var exitCode = await PlanInitCommand.RunAsync(Request(switchAlarms: [$"{healthCheckId}=orders-orders-web-switch"]), null, Session, captured.Terminal, TimeProvider.System, CancellationToken.None);

        // Assert
        Assert.True(exitCode == 0, captured.All);
        Assert.Equal(healthCheckId, Assert.Single(PlanDocument.Parse(captured.Out).Switches).HealthCheckId);
        Assert.Equal(101, (await route53.ListHostedZonesAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task RunAsync_WhenRoute53DoesNotNameTheAlarmAHealthCheckFollows_ShouldLeaveTheSwitchOutAndListTheChoice()
    {
        // Arrange
        var environment = await DeployAsync();
        using var captured = new CapturedTerminal();

        // Act: the plan to stdout.
        var exitCode = await PlanInitCommand.RunAsync(Request(), null, Session, captured.Terminal, TimeProvider.System, CancellationToken.None);

        // Assert
        Assert.True(exitCode == 0, captured.All);
        var plan = PlanDocument.Parse(captured.Out);
        Assert.Empty(plan.Switches);
        Assert.Contains($"choice: switches: health check {environment.SwitchHealthCheckIds["orders-web"]} guarding orders-web.example.com. (PRIMARY): Route 53 did not name the alarm it follows (AWS always does; moto 5.2.1 keeps no AlarmIdentifier); name it with --switch-alarm", captured.Error, StringComparison.Ordinal);
        Assert.Contains("sam deploy --parameter-overrides", captured.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenServersAreTaggedInTiersAndOneIsStalled_ShouldWriteWavesInTheGivenOrderAndListTheRest()
    {
        // Arrange: two tiers, one stalled server; the sample's own servers carry no tier tag.
        await DeployAsync();
        var drs = _aws.Gateway.Drs;
        var data = drs.AddSourceServer(new Dictionary<string, string> { ["tier"] = "data" });
        var app = drs.AddSourceServer(new Dictionary<string, string> { ["tier"] = "app" });
        var stalled = drs.AddSourceServer(new Dictionary<string, string> { ["tier"] = "app" }, dataReplicationState: "STALLED");
        var web = drs.AddSourceServer(new Dictionary<string, string> { ["tier"] = "web" });
        var file = new FileInfo(Path.Combine(_directory, "plan.json"));
        using var captured = new CapturedTerminal();

        // Act
        var exitCode = await PlanInitCommand.RunAsync(Request(waveTag: "tier", waveOrder: "data,app"), file, Session, captured.Terminal, TimeProvider.System, CancellationToken.None);

        // Assert
        Assert.True(exitCode == 0, captured.All);
        var plan = PlanDocument.Parse(await File.ReadAllTextAsync(file.FullName));
        Assert.Equal([("data", data), ("app", app)], plan.Waves.Select(w => (w.Name, Assert.Single(w.SourceServerIds))));
        Assert.Contains($"finding: servers: {stalled} (tags tier=app) is not in continuous replication (STALLED): left out.", captured.Error, StringComparison.Ordinal);
        Assert.Contains("choice: servers: 1 server(s) tagged tier=web are in no wave; add 'web' to --wave-order.", captured.Error, StringComparison.Ordinal);
        Assert.Contains($"choice: servers: {drs.SourceServerIds[0]} has no tag 'tier' and is in no wave", captured.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(web, string.Concat(plan.Waves.SelectMany(w => w.SourceServerIds)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenTwoAlarmsCouldBeOutageAlarms_ShouldChooseNeitherAndListBoth()
    {
        // Arrange
        await DeployAsync();
        await _aws.Clients(Recovery, TimeProvider.System).CloudWatch.PutMetricAlarmAsync(
            new PutMetricAlarmRequest("orders-api-health", "Orders", "HealthyHosts", new Dictionary<string, string>(), "Minimum", 60, 3, 1, "LessThanThreshold"), CancellationToken.None);
        using var captured = new CapturedTerminal();

        // Act
        var exitCode = await PlanInitCommand.RunAsync(Request(), new FileInfo(Path.Combine(_directory, "plan.json")), Session, captured.Terminal, TimeProvider.System, CancellationToken.None);

        // Assert: still a valid plan (manual starts only), the choice named.
        Assert.True(exitCode == 0, captured.All);
        Assert.Empty(PlanDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "plan.json"))).Trigger.AlarmArns);
        Assert.Contains("choice: trigger: 2 outage alarm candidates in us-west-2: orders-api-health, orders-primary-outage; none is in the plan: choose with --outage-alarm NAME", captured.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenAuroraGlobalAndReplicaClustersAreDeployed_ShouldFindBothKinds()
    {
        // Arrange: the aurora-global scenario's plan, plus a cross-region replica cluster of a primary-region cluster.
        var auroraPlan = Scenarios.AuroraGlobal(PlanDocument.Parse(await File.ReadAllTextAsync(LocalEnvironment.PlanPath)));
        var planPath = Path.Combine(_directory, "aurora-plan.json");
        await File.WriteAllTextAsync(planPath, System.Text.Json.JsonSerializer.Serialize(auroraPlan, Failover.Core.FailoverJson.Indented.RecoveryPlan));
        await LocalEnvironment.DeployAsync(_aws, planPath, new LocalEnvironmentOptions { WorkDirectory = _directory }, TimeProvider.System, CancellationToken.None);
        var source = await _aws.Clients(Primary, TimeProvider.System).Rds.CreateDBClusterAsync(
            new CreateDBClusterRequest("reports-primary", "aurora-mysql") { MasterUsername = "failover", MasterUserPassword = "local-password-1" }, CancellationToken.None);
        await _aws.Clients(Recovery, TimeProvider.System).Rds.CreateDBClusterAsync(
            new CreateDBClusterRequest("reports-replica", "aurora-mysql") { MasterUsername = "failover", MasterUserPassword = "local-password-1", ReplicationSourceIdentifier = source.DBClusterArn }, CancellationToken.None);
        using var captured = new CapturedTerminal();

        // Act
        var exitCode = await PlanInitCommand.RunAsync(Request(), null, Session, captured.Terminal, TimeProvider.System, CancellationToken.None);

        // Assert
        Assert.True(exitCode == 0, captured.All);
        var databases = PlanDocument.Parse(captured.Out).Databases;
        var global = auroraPlan.Databases.Single();
        Assert.Equal(
            [(DatabaseKinds.AuroraGlobal, global.Id, global.TargetClusterArn), (DatabaseKinds.AuroraClusterReplica, "reports-replica", null)],
            databases.Select(d => (d.Kind, d.Id, d.TargetClusterArn)));
    }

    [Fact]
    public async Task RunAsync_WhenTheOutageAlarmIsChosenAmongCandidates_ShouldUseItSayingSo()
    {
        // Arrange
        await DeployAsync();
        await _aws.Clients(Recovery, TimeProvider.System).CloudWatch.PutMetricAlarmAsync(
            new PutMetricAlarmRequest("orders-api-health", "Orders", "HealthyHosts", new Dictionary<string, string>(), "Minimum", 60, 3, 1, "LessThanThreshold"), CancellationToken.None);
        var request = Request() with { OutageAlarms = ["orders-api-health"] };
        using var captured = new CapturedTerminal();

        // Act
        var exitCode = await PlanInitCommand.RunAsync(request, null, Session, captured.Terminal, TimeProvider.System, CancellationToken.None);

        // Assert
        Assert.True(exitCode == 0, captured.All);
        Assert.Equal(["arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-api-health"], PlanDocument.Parse(captured.Out).Trigger.AlarmArns);
        Assert.Contains("found: trigger: outage alarm orders-api-health (as --outage-alarm said).", captured.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("choice: trigger", captured.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WhenTheOutageAlarmNamedDoesNotExist_ShouldExit2NamingIt()
    {
        using var captured = new CapturedTerminal();
        var request = Request() with { OutageAlarms = ["no-such-alarm"] };

        var exitCode = await CliErrors.GuardAsync(captured.Terminal,
            () => PlanInitCommand.RunAsync(request, null, Session, captured.Terminal, TimeProvider.System, CancellationToken.None), CancellationToken.None);

        Assert.Equal(2, exitCode);
        Assert.Contains("failover: --outage-alarm no-such-alarm: no such alarm in us-west-2 (trigger alarms live in the recovery region).", captured.Error, StringComparison.Ordinal);
        Assert.Equal("", captured.Out);
    }

    [Fact]
    public async Task RunAsync_WhenTheAccountHoldsNothingToFailOver_ShouldExit1NamingWhatIsMissingAndWriteNothing()
    {
        // Arrange: the local AWS with nothing deployed.
        var file = new FileInfo(Path.Combine(_directory, "plan.json"));
        using var captured = new CapturedTerminal();

        // Act
        var exitCode = await PlanInitCommand.RunAsync(Request(), file, Session, captured.Terminal, TimeProvider.System, CancellationToken.None);

        // Assert
        Assert.True(exitCode == 1, captured.All);
        Assert.False(file.Exists);
        Assert.Contains("finding: servers: no DRS source server in us-west-2.", captured.Error, StringComparison.Ordinal);
        Assert.Contains("missing: $: plan has nothing to fail over: add databases, servers or switches", captured.Error, StringComparison.Ordinal);
        Assert.Contains("missing: $.trigger.accountId: must be a 12-digit account id", captured.Error, StringComparison.Ordinal);
        Assert.Contains("failover: no valid plan can be written from us-east-2 and us-west-2", captured.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xx-fake-1", Recovery, null, null, "--primary-region 'xx-fake-1' is not a region of the aws partition.")]
    [InlineData(Primary, Primary, null, null, "--recovery-region must differ from --primary-region (us-east-2).")]
    [InlineData(Primary, Recovery, null, "data,app", "--wave-order needs --wave-tag: the tag whose values it orders.")]
    [InlineData(Primary, Recovery, "tier", "data,data", "--wave-order 'data,data' names a value twice.")]
    public void Request_WhenTheOptionsContradict_ShouldBeAnInputErrorNamingTheOption(string primary, string recovery, string? waveTag, string? waveOrder, string expected)
    {
        var error = Assert.Throws<CliException>(() => PlanInitCommand.Request(primary, recovery, null, waveTag, waveOrder, [], [], null, null));

        Assert.Equal((ExitCodes.InputError, expected), (error.ExitCode, error.Message));
    }

    [Fact]
    public void Request_WhenASwitchAlarmHasNoEqualsSign_ShouldBeAnInputError()
    {
        var error = Assert.Throws<CliException>(() => PlanInitCommand.Request(Primary, Recovery, null, null, null, [], ["abc"], null, null));

        Assert.Equal("--switch-alarm 'abc' is not HEALTH-CHECK-ID=ALARM-NAME, once per health check.", error.Message);
    }

    [Theory]
    [InlineData("GreaterThanOrEqualToThreshold", 1.0, 1.0)]
    [InlineData("GreaterThanThreshold", 0.0, 1.0)]
    [InlineData("LessThanThreshold", 1.0, 0.0)]
    [InlineData("LessThanOrEqualToThreshold", 0.0, 0.0)]
    public void FailoverValue_WhenTheAlarmComparesWithAThreshold_ShouldBeAValueThatSetsIt(string comparison, double threshold, double expected) =>
        Assert.Equal(expected, PlanDiscovery.FailoverValue(comparison, threshold));

    [Fact]
    public void FailoverValue_WhenTheAlarmDetectsAnomalies_ShouldBeNull() =>
        Assert.Null(PlanDiscovery.FailoverValue("GreaterThanUpperThreshold", null));

    [Theory]
    [InlineData("orders-web.example.com.", "orders-web.example.com")]
    [InlineData("\\052.example.com.", "-052.example.com")]
    public void SwitchId_WhenGivenARecordName_ShouldKeepWhatThePlanAllows(string recordName, string expected) =>
        Assert.Equal(expected, PlanDiscovery.SwitchId(recordName));

    [Fact]
    public void Switches_WhenRoute53NamesTheAlarmAsAwsDoes_ShouldBuildTheSwitchFromItAndFlagACheckThatDoesNotHold()
    {
        // Arrange: what AWS answers (AlarmIdentifier set), with the check reporting Healthy without data.
        var check = new HealthCheck("hc-1", "CLOUDWATCH_METRIC", false, false, 1, "web-switch", Recovery, "Healthy");
        var records = new[]
        {
            new ZoneRecord("Z0123456789WEB", new ResourceRecordSet("web.example.com.", "CNAME") { Failover = "PRIMARY", HealthCheckId = "hc-1" }),
            new ZoneRecord("Z0123456789WEB", new ResourceRecordSet("web.example.com.", "CNAME") { Failover = "SECONDARY" }),
        };
        var alarm = new MetricAlarm("web-switch", $"arn:aws:cloudwatch:{Recovery}:123456789012:alarm:web-switch", "OK", null, null)
        {
            Namespace = "Failover", MetricName = "TrafficSwitch", Dimensions = new Dictionary<string, string> { ["Plan"] = "web" },
            Threshold = 0, ComparisonOperator = "GreaterThanThreshold",
        };
        var (decisions, findings, choices) = (new List<string>(), new List<string>(), new List<string>());

        // Act
        var switches = PlanDiscovery.Switches([check], records, [alarm], Request(), decisions, findings, choices);

        // Assert
        var target = Assert.Single(switches);
        Assert.Equal(("web.example.com", "Failover", "TrafficSwitch", 1.0, "web-switch", "hc-1"),
            (target.Id, target.Namespace, target.MetricName, target.FailoverValue, target.AlarmName, target.HealthCheckId));
        Assert.Equal("web", target.Dimensions["Plan"]);
        Assert.Equal(("Z0123456789WEB", "web.example.com."), (target.HostedZoneId, target.RecordName));
        Assert.Empty(choices);
        Assert.Equal("switches: health check hc-1 guarding web.example.com. (PRIMARY) reports Healthy without data; a flipped switch falls back once its datapoint ages out: set InsufficientDataHealthStatus to LastKnownStatus.", Assert.Single(findings));
    }

    [Theory]
    [InlineData("us-east-1", "Failover", "follows alarm web-switch in us-east-1; the switch metric is published in the recovery region us-west-2: left out.")]
    [InlineData(Recovery, null, "follows alarm web-switch, which does not compare one metric with a fixed threshold: left out (a switch publishes one datapoint).")]
    public void Switches_WhenTheAlarmCannotServeAsASwitch_ShouldLeaveItOutSayingWhy(string alarmRegion, string? metricNamespace, string expected)
    {
        var check = new HealthCheck("hc-1", "CLOUDWATCH_METRIC", false, false, 1, "web-switch", alarmRegion);
        var record = new ZoneRecord("Z0123456789WEB", new ResourceRecordSet("web.example.com.", "A") { Failover = "PRIMARY", HealthCheckId = "hc-1" });
        var alarm = new MetricAlarm("web-switch", null, "OK", null, null) { Namespace = metricNamespace, MetricName = "TrafficSwitch", Threshold = 1, ComparisonOperator = "GreaterThanOrEqualToThreshold" };
        var findings = new List<string>();

        var switches = PlanDiscovery.Switches([check], [record], [alarm], Request(), [], findings, []);

        Assert.Empty(switches);
        Assert.Equal($"switches: health check hc-1 guarding web.example.com. (PRIMARY) {expected}", Assert.Single(findings));
    }

    [Fact]
    public async Task Plan_WhenInitIsGivenNoRecoveryRegion_ShouldExit2Usage()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await FailoverCommand.InvokeAsync(["plan", "init", "--primary-region", Primary],
            new System.CommandLine.InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(2, exitCode);
        Assert.Contains("--recovery-region", error.ToString(), StringComparison.Ordinal);
    }

    private static PlanInitRequest Request(string? waveTag = null, string? waveOrder = null, IReadOnlyList<string>? switchAlarms = null) =>
        PlanInitCommand.Request(Primary, Recovery, "orders", waveTag, waveOrder, [], switchAlarms ?? [], 900, 60);

    private Task<DeployedEnvironment> DeployAsync() =>
        LocalEnvironment.DeployAsync(_aws, LocalEnvironment.PlanPath, new LocalEnvironmentOptions { WorkDirectory = _directory }, TimeProvider.System, CancellationToken.None);
}
