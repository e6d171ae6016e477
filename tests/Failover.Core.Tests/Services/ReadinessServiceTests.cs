using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Readiness;
using Failover.Core.Runs;
using Failover.Core.Services;
using Failover.Testing;

namespace Failover.Core.Tests.Services;

public sealed class ReadinessServiceTests
{
    private readonly FakeDatabaseInstances _databases = new();
    private readonly FakeAuroraClusters _aurora = new();
    private readonly FakeReplicaLagReader _lag = new();
    private readonly FakeTrafficSwitch _switch = new();
    private readonly ManualClock _clock = new();
    private readonly FakeRecoveryServers _servers;
    private readonly FakeReadinessOutputs _outputs = new();
    private readonly FakeDrillHistory _drills = new();
    private readonly FakeNotificationPublisher _topic = new();
    private ScriptedVerifier _verifier = new();
    private DeployedScope? _scope = new() { ReplicaInstanceArns = [$"arn:aws:rds:{Samples.RecoveryRegion}:{Samples.AccountId}:db:orders-*"] };
    private IReadOnlyList<IReadinessCheck> _moreChecks = [];

    public ReadinessServiceTests()
    {
        _servers = new FakeRecoveryServers(_clock);
        _databases.AddReplica(Samples.ReplicaId, source: Samples.PrimaryId);
        _lag.SetLag(Samples.ReplicaId, 2);
        _drills.LastSuccessful = _clock.GetUtcNow().AddDays(-10);
    }

    [Fact]
    public async Task EvaluateAsync_WhenEverythingHolds_ShouldBeReadyWithoutFindings()
    {
        // Arrange
        _databases.SetReplicationStatus(Samples.ReplicaId, DatabaseInstanceState.Replicating);
        _servers.AddServer(Samples.ServerId(1), lagSeconds: 5);
        var plan = PlanBuilder.Sample().WithServers(PlanBuilder.Servers(Samples.ServerId(1)));

        // Act
        var evaluation = await Service(plan).EvaluateAsync(CancellationToken.None);

        // Assert
        Assert.True(evaluation.Ready, string.Join("; ", evaluation.Findings.Select(f => f.Id)));
        Assert.Empty(evaluation.Findings);
        Assert.Equal((Samples.PlanName, _clock.GetUtcNow()), (evaluation.Plan, evaluation.EvaluatedAt));
    }

    [Theory]
    [InlineData("error")]
    [InlineData("stopped")]
    [InlineData("terminated")]
    [InlineData("replication stop point reached")]
    public async Task EvaluateAsync_WhenAnAvailableReplicaIsNotReplicating_ShouldReportItWithWhatToDo(string status)
    {
        // Arrange
        _databases.SetReplicationStatus(Samples.ReplicaId, status);

        // Act
        var evaluation = await Service(PlanBuilder.Sample()).EvaluateAsync(CancellationToken.None);

        // Assert
        var finding = Assert.Single(evaluation.Findings);
        Assert.False(evaluation.Ready);
        Assert.Equal($"replica-not-replicating:{Samples.ReplicaId}", finding.Id);
        Assert.Equal(Samples.ReplicaId, finding.Resource);
        Assert.EndsWith($"its read replication is {status}", finding.Problem, StringComparison.Ordinal);
        Assert.Contains("RDS events", finding.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateAsync_WhenTheReplicaIsMissing_ShouldReportPreparesOwnProblem()
    {
        // Arrange
        _databases.Remove(Samples.ReplicaId);
        var plan = PlanBuilder.Sample();
        var prepare = new PrepareService(plan.Build(), new PreparePorts(_databases, _aurora, _lag, _servers, _switch), _clock);
        var refused = await Assert.ThrowsAsync<ReadinessFailedException>(() => prepare.PrepareAsync(
            new PrepareRequest { Request = new StartRequest { Mode = RunModes.Failover, Reason = "test" }, ExecutionName = Samples.ExecutionName }, CancellationToken.None));

        // Act
        var evaluation = await Service(plan).EvaluateAsync(CancellationToken.None);

        // Assert
        var finding = Assert.Single(evaluation.Findings);
        Assert.Equal($"database-missing:{Samples.ReplicaId}", finding.Id);
        Assert.Equal(Assert.Single(refused.Problems), finding.Problem);
    }

    [Fact]
    public async Task EvaluateAsync_WhenADrillCouldNotCopyTheReplica_ShouldReportDrillCopyRules()
    {
        // Arrange
        _databases.SetEngine(Samples.ReplicaId, "postgres", "13.7", 7);
        var plan = PlanBuilder.Sample();

        // Act
        var evaluation = await Service(plan).EvaluateAsync(CancellationToken.None);

        // Assert
        var finding = Assert.Single(evaluation.Findings);
        Assert.Equal($"drill-copy-refused:{Samples.ReplicaId}", finding.Id);
        Assert.Contains("PostgreSQL supports from 14.1 (this is 13.7)", finding.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(120.0, "120 s of writes at risk, over the RPO objective of 60 s")]
    [InlineData(null, "the data at risk is unknown")]
    public async Task EvaluateAsync_WhenTheDataAtRiskIsNotWithinTheRpo_ShouldReportIt(double? lag, string expected)
    {
        // Arrange
        _lag.SetLag(Samples.ReplicaId, lag);

        // Act
        var evaluation = await Service(PlanBuilder.Sample()).EvaluateAsync(CancellationToken.None);

        // Assert
        var finding = Assert.Single(evaluation.Findings);
        Assert.Equal($"rpo-at-risk:{Samples.ReplicaId}", finding.Id);
        Assert.Contains(expected, finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateAsync_WhenAGlobalSecondaryIsNotSynchronised_ShouldReportIt()
    {
        // Arrange
        _aurora.AddGlobalCluster(Samples.GlobalClusterId, Samples.PrimaryClusterArn, Samples.SecondaryClusterArn);
        _aurora.SetSynchronizationStatus(Samples.GlobalClusterId, Samples.SecondaryClusterArn, "pending-resync");
        _lag.SetLag(Samples.SecondaryClusterId, 1);
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.AuroraGlobal());
        _scope = null;

        // Act
        var evaluation = await Service(plan).EvaluateAsync(CancellationToken.None);

        // Assert
        var finding = Assert.Single(evaluation.Findings);
        Assert.Equal($"global-secondary-unhealthy:{Samples.GlobalClusterId}", finding.Id);
        Assert.Contains($"{Samples.SecondaryClusterArn} is pending-resync", finding.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("STALLED")]
    [InlineData("PAUSED")]
    [InlineData("DISCONNECTED")]
    public async Task EvaluateAsync_WhenADrsServerIsNotReplicating_ShouldReportItWithItsLag(string state)
    {
        // Arrange
        _servers.AddServer(Samples.ServerId(1), lagSeconds: 5).AddServer(Samples.ServerId(2), state, lagSeconds: 1200);
        var plan = PlanBuilder.Sample().WithServers(PlanBuilder.Servers(Samples.ServerId(1), Samples.ServerId(2)));

        // Act
        var evaluation = await Service(plan).EvaluateAsync(CancellationToken.None);

        // Assert
        var finding = Assert.Single(evaluation.Findings);
        Assert.Equal($"server-not-replicating:{Samples.ServerId(2)}", finding.Id);
        Assert.Contains($"is {state} (lag 1200 s)", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateAsync_WhenAServerReplicatesBehindTheRpo_ShouldReportItsLag()
    {
        // Arrange
        _servers.AddServer(Samples.ServerId(1), lagSeconds: 300);
        var plan = PlanBuilder.Sample().WithServers(PlanBuilder.Servers(Samples.ServerId(1)));

        // Act
        var evaluation = await Service(plan).EvaluateAsync(CancellationToken.None);

        // Assert
        Assert.Equal($"server-lag-over-rpo:{Samples.ServerId(1)}", Assert.Single(evaluation.Findings).Id);
    }

    [Fact]
    public async Task EvaluateAsync_WhenOtherToolsHoldTheAccountsJobSlots_ShouldReportThem()
    {
        // Arrange: 19 of the 20 concurrent jobs are another tool's; the wave wants 2 (4 servers in batches of 2).
        var ids = _servers.AddServers(4);
        for (var i = 0; i < 19; i++)
        {
            _servers.AddForeignJob(Samples.ServerId(100 + i));
        }

        var plan = PlanBuilder.Sample().WithServers(new ServerGroup { SourceServerIds = ids, BatchSize = 2 });

        // Act
        var evaluation = await Service(plan).EvaluateAsync(CancellationToken.None);

        // Assert
        var finding = Assert.Single(evaluation.Findings);
        Assert.Equal("drs-job-slots", finding.Id);
        Assert.Contains("1 of 20 job slots", finding.Problem, StringComparison.Ordinal);
        Assert.Contains("the waves want 2 job(s) for 4 server(s)", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateAsync_WhenTheSwitchWiringWouldRevert_ShouldReportTheVerifiersProblem()
    {
        // Arrange
        _verifier = new ScriptedVerifier("health check hc-1 turns Healthy once the switch datapoint ages out of the alarm's range (InsufficientDataHealthStatus)");

        // Act
        var evaluation = await Service(PlanBuilder.Sample()).EvaluateAsync(CancellationToken.None);

        // Assert
        var finding = Assert.Single(evaluation.Findings);
        Assert.Equal($"switch-wiring:{Samples.SwitchId}", finding.Id);
        Assert.Contains("InsufficientDataHealthStatus", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateAsync_WhenASwitchTargetIsMissing_ShouldReportPreparesProblemWithoutVerifyingIt()
    {
        // Arrange
        _switch.NotReady(Samples.SwitchId, "NoSuchHealthCheck: gone");
        _verifier = new ScriptedVerifier("must not be asked");

        // Act
        var evaluation = await Service(PlanBuilder.Sample()).EvaluateAsync(CancellationToken.None);

        // Assert
        var finding = Assert.Single(evaluation.Findings);
        Assert.Equal(($"switch-target-missing:{Samples.SwitchId}", $"switch '{Samples.SwitchId}': NoSuchHealthCheck: gone"), (finding.Id, finding.Problem));
    }

    [Fact]
    public async Task EvaluateAsync_WhenThePlanNamesAReplicaOutsideTheDeployedScope_ShouldNameTheParameterToChange()
    {
        // Arrange
        _databases.AddReplica("billing-replica");
        _lag.SetLag("billing-replica", 1);
        var plan = PlanBuilder.Sample().WithDatabases(PlanBuilder.Database(Samples.ReplicaId), PlanBuilder.Database("billing-replica"));

        // Act
        var evaluation = await Service(plan).EvaluateAsync(CancellationToken.None);

        // Assert
        var finding = Assert.Single(evaluation.Findings);
        Assert.Equal("outside-role-scope:billing-replica", finding.Id);
        Assert.Contains("arn:aws:rds:us-west-2:123456789012:db:billing-replica", finding.Problem, StringComparison.Ordinal);
        Assert.Contains("ReplicaInstanceArns", finding.Remedy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(91, true)]
    [InlineData(89, false)]
    public async Task EvaluateAsync_WhenTheLastSuccessfulDrillIsOlderThanTheObjective_ShouldReportIt(int? daysAgo, bool reported)
    {
        // Arrange
        _drills.LastSuccessful = daysAgo is { } days ? _clock.GetUtcNow().AddDays(-days) : null;

        // Act
        var evaluation = await Service(PlanBuilder.Sample()).EvaluateAsync(CancellationToken.None);

        // Assert
        Assert.Equal(reported, evaluation.Findings.Any(f => f.Id == "drill-overdue"));
    }

    [Fact]
    public async Task EvaluateAsync_WhenAnotherComponentContributesACheck_ShouldIncludeItsFindings()
    {
        // Arrange
        _moreChecks = [new ContributedCheck(new ReadinessFinding("capacity:web", "web", "no capacity", "add capacity"))];

        // Act
        var evaluation = await Service(PlanBuilder.Sample()).EvaluateAsync(CancellationToken.None);

        // Assert
        Assert.Equal("capacity:web", Assert.Single(evaluation.Findings).Id);
    }

    [Theory]
    [InlineData("arn:aws:rds:us-west-2:123456789012:db:orders-*", "arn:aws:rds:us-west-2:123456789012:db:orders-replica", true)]
    [InlineData("arn:aws:rds:us-west-2:123456789012:db:orders-replica", "arn:aws:rds:us-west-2:123456789012:db:orders-replica", true)]
    [InlineData("arn:aws:rds:us-west-2:123456789012:db:orders-replica", "arn:aws:rds:us-west-2:123456789012:db:orders-replica-2", false)]
    [InlineData("arn:aws:rds:*:123456789012:db:*-replica", "arn:aws:rds:eu-west-1:123456789012:db:billing-replica", true)]
    [InlineData("arn:aws:rds:us-west-2:123456789012:db:orders-?", "arn:aws:rds:us-west-2:123456789012:db:orders-ab", false)]
    public void Covers_WhenAScopeEntryHasIamWildcards_ShouldMatchAsIamDoes(string pattern, string arn, bool covered)
    {
        // Act
        var result = DeployedScope.Covers([pattern], arn);

        // Assert
        Assert.Equal(covered, result);
    }

    [Fact]
    public async Task RunAsync_WhenFindingsAppearThenStayThenClear_ShouldNotifyOncePerChange()
    {
        // Arrange
        var service = Service(PlanBuilder.Sample());

        // Act
        var first = await service.RunAsync(CancellationToken.None);
        _databases.SetReplicationStatus(Samples.ReplicaId, "error");
        var broken = await service.RunAsync(CancellationToken.None);
        var same = await service.RunAsync(CancellationToken.None);
        _databases.SetReplicationStatus(Samples.ReplicaId, DatabaseInstanceState.Replicating);
        var cleared = await service.RunAsync(CancellationToken.None);

        // Assert
        Assert.Equal([false, true, false, true], [first.Notified, broken.Notified, same.Notified, cleared.Notified]);
        Assert.Equal(2, _topic.Published.Count);
        var appeared = _topic.Published[0];
        Assert.Contains($"NEW replica-not-replicating:{Samples.ReplicaId}", appeared.Body, StringComparison.Ordinal);
        Assert.Contains("What to do: find the replication error", appeared.Body, StringComparison.Ordinal);
        Assert.Equal(("readiness", "not-ready"), (appeared.Attributes["phase"], appeared.Attributes["outcome"]));
        Assert.Contains($"CLEARED replica-not-replicating:{Samples.ReplicaId}", _topic.Published[1].Body, StringComparison.Ordinal);
        Assert.Equal("ready", _topic.Published[1].Attributes["outcome"]);
        Assert.Equal(4, _outputs.Published.Count);
        Assert.True(_outputs.Stored?.Ready);
    }

    [Fact]
    public void Between_WhenTheStoredEvaluationKeptOnlyIds_ShouldCompareByIdAlone()
    {
        // Arrange
        var stored = new ReadinessEvaluation { Findings = [new("a", "x", "", ""), new("b", "y", "", "")] };
        var current = new ReadinessEvaluation { Findings = [new("b", "y", "text", "remedy"), new("c", "z", "text", "remedy")] };

        // Act
        var change = ReadinessChange.Between(stored, current);

        // Assert
        Assert.Equal(["c"], change.Appeared.Select(f => f.Id));
        Assert.Equal(["a"], change.Cleared.Select(f => f.Id));
    }

    private ReadinessService Service(PlanBuilder plan) => new(plan.Build(),
        new ReadinessPorts(new PreparePorts(_databases, _aurora, _lag, _servers, _switch), _verifier, _drills, _outputs, _outputs, _topic, _scope, _moreChecks), _clock);

    private sealed class ScriptedVerifier(params string[] problems) : ISwitchVerifier
    {
        public Task<IReadOnlyList<string>> VerifyAsync(TrafficSwitchTarget target, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(problems);
    }

    private sealed class ContributedCheck(params ReadinessFinding[] findings) : IReadinessCheck
    {
        public Task<IReadOnlyList<ReadinessFinding>> CheckAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ReadinessFinding>>(findings);
    }
}
