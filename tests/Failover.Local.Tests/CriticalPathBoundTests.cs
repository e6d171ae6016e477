using Failover.Core.Plans;
using Failover.Local.Drs;
using Failover.Local.Models;

namespace Failover.Local.Tests;

/// <summary><see cref="CriticalPathBound"/>: the shortest RTO the local AWS's timing models allow.</summary>
public sealed class CriticalPathBoundTests
{
    private static readonly LocalModels Models = new(new RdsPromotionModel(TimeProvider.System), new AuroraGlobalSettings(), new DrsSimulator(TimeProvider.System));

    [Fact]
    public void Compute_WhenTheServersTakeLongerThanTheDatabases_ShouldBeTheWavesInQuotaRoundsWithTheirWaits()
    {
        // 1,000 servers per wave at 500 in active jobs are two rounds of jobs (1 s pending + 5 s launching) each; the
        // wait after the first wave delays the second, the wait after the last delays nothing.
        var plan = Plan(databases: 1) with
        {
            Servers =
            [
                new ServerGroup { Name = "data", WaitAfterSeconds = 10 },
                new ServerGroup { Name = "web", WaitAfterSeconds = 30 },
            ],
        };

        var bound = CriticalPathBound.Compute(plan, [1000, 1000], Models, new HashSet<string>(), primaryUnreachable: true);

        Assert.Equal(2 * 6 + 10 + 2 * 6, bound.Seconds);
        Assert.Contains("data 2 × 6 s + wait 10 s, web 2 × 6 s", bound.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_WhenTheQuotasAreTighterThanTheBatches_ShouldCountTheRoundsTheQuotasAllow()
    {
        // Batches of 100 and 20 jobs would take 2,000 servers at once; the plan's quotas allow 3 jobs of 50.
        var plan = Plan(databases: 0) with
        {
            Servers = [new ServerGroup { BatchSize = 100, MaxConcurrentJobs = 20 }],
            DrsQuotas = new DrsQuotas { ServersPerJob = 50, ConcurrentJobs = 3, ServersInActiveJobs = 500 },
        };

        var bound = CriticalPathBound.Compute(plan, [301], Models, new HashSet<string>(), primaryUnreachable: true);

        Assert.Equal(3 * 6, bound.Seconds); // 150 servers per round: 3 rounds for 301
    }

    [Fact]
    public void Compute_WhenADatabaseTakesLongest_ShouldBeItsModelledPromotion()
    {
        // An RDS replica without backups: modifying 1 s, rebooting 1 s, first backup 1 s. An Aurora global database of
        // an unreachable primary: pending 1 s, failover 3 s.
        var plan = Plan(databases: 2) with
        {
            Databases =
            [
                new DatabaseTarget { Kind = DatabaseKinds.RdsInstanceReplica, Id = "orders-replica", Critical = true },
                new DatabaseTarget { Kind = DatabaseKinds.AuroraGlobal, Id = "ledger", TargetClusterArn = "arn:aws:rds:us-west-2:123456789012:cluster:ledger-west", Critical = true },
            ],
        };

        var bound = CriticalPathBound.Compute(plan, [], Models, new HashSet<string> { "orders-replica" }, primaryUnreachable: true);

        Assert.Equal(4, bound.Seconds);
        Assert.StartsWith("database ledger promoted in 4 s", bound.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_WhenCapacityTakesLongest_ShouldBeItsModelledArrival()
    {
        // One RDS replica with backups (2 s) and a group whose instances take 30 s to be InService.
        var plan = Plan(databases: 1) with
        {
            Capacity = [new CapacityTarget { Kind = CapacityKinds.AutoScalingGroup, Id = "web", Name = "orders-web", DesiredCapacity = 4 }],
        };
        var models = Models with { Capacity = new Failover.Local.Models.CapacityArrivalModel(TimeProvider.System) { InstanceWarmup = TimeSpan.FromSeconds(30) } };

        var bound = CriticalPathBound.Compute(plan, [], models, new HashSet<string>(), primaryUnreachable: true);

        Assert.Equal(30, bound.Seconds);
        Assert.Equal("capacity web in service after 30 s (databases 2 s, DRS 0 s)", bound.Path);
    }

    private static RecoveryPlan Plan(int databases) => new()
    {
        Name = "orders",
        PrimaryRegion = "us-east-2",
        RecoveryRegion = "us-west-2",
        Databases = [.. Enumerable.Range(1, databases).Select(i => new DatabaseTarget { Kind = DatabaseKinds.RdsInstanceReplica, Id = $"db-{i}", Critical = true })],
    };
}
