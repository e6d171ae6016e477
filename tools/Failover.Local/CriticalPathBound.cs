using System.Globalization;
using Failover.Core.Plans;
using Failover.Core.Reports;
using Failover.Local.Models;

namespace Failover.Local;

/// <summary>
/// The shortest RTO the local AWS allows: the longest chain of modelled operation durations from the alarm to traffic
/// moved, with no time spent by the orchestrator itself (no function, poll, call or notification). Traffic moves once
/// the databases are writable, the servers launched and the capacity in service, which recover side by side, so the
/// bound is the longest of:
/// <list type="bullet">
/// <item>the databases: the longest single promotion as the models time it (all run at once in RDS): an RDS replica
/// <see cref="RdsPromotionModel"/> (modifying, rebooting, and the first backup when it had none), an Aurora global
/// database <see cref="AuroraGlobalModel"/> (pending, then failover or switchover), an Aurora replica cluster
/// <see cref="AuroraReplicaClusterModel"/> (promoting);</item>
/// <item>the servers: wave after wave, each in rounds of DRS launch jobs (a job is <see cref="Drs.DrsSimulator.JobStartDelay"/>
/// pending plus <see cref="Drs.DrsSimulator.LaunchDuration"/>), as many servers per round as the quotas let be in jobs
/// at once (servers per job times concurrent jobs, within the servers in all active jobs; the plan's and the
/// simulator's, the smaller), plus the wait after each wave but the last;</item>
/// <item>the capacity: the slowest arrival of a scale-up as <see cref="CapacityArrivalModel"/> times it (all scale at once).</item>
/// </list>
/// The switch itself adds nothing: the Route 53 models follow a switch datapoint or a record change at once.
/// </summary>
public static class CriticalPathBound
{
    /// <summary>The bound for <paramref name="plan"/>'s run, given how many servers each wave selected.</summary>
    /// <param name="replicasWithoutBackups">RDS replicas that had no automated backups before promotion (their first backup is modelled).</param>
    /// <param name="primaryUnreachable">The primary region does not answer: an Aurora global database fails over rather than switches over.</param>
    public static CriticalPathEstimate Compute(
        RecoveryPlan plan, IReadOnlyList<int> serversPerWave, LocalModels models, IReadOnlySet<string> replicasWithoutBackups, bool primaryUnreachable)
    {
        var promotions = models.Promotions;
        var aurora = models.Aurora;
        var databases = plan.Databases.Select(db => (db.Id, Duration: db.Kind switch
        {
            DatabaseKinds.RdsInstanceReplica => promotions.PromotionDuration + promotions.RebootDuration + (replicasWithoutBackups.Contains(db.Id) ? promotions.BackupDuration : TimeSpan.Zero),
            DatabaseKinds.AuroraGlobal => aurora.PendingDuration + (primaryUnreachable ? aurora.FailoverDuration : aurora.SwitchoverDuration),
            _ => models.ReplicaClusters?.PromotionDuration ?? TimeSpan.Zero,
        })).ToList();
        var longestDatabase = databases.Count == 0 ? (Id: "none", Duration: TimeSpan.Zero) : databases.MaxBy(d => d.Duration);

        var drs = models.Drs;
        var job = drs.JobStartDelay + drs.LaunchDuration;
        var servers = TimeSpan.Zero;
        var waveParts = new List<string>();
        for (var i = 0; i < plan.Waves.Count && i < serversPerWave.Count; i++)
        {
            var wave = plan.Waves[i];
            var perJob = Math.Min(wave.BatchSize, Math.Min(plan.DrsQuotas.ServersPerJob, drs.MaxSourceServersPerJob));
            var jobs = Math.Min(wave.MaxConcurrentJobs, Math.Min(plan.DrsQuotas.ConcurrentJobs, drs.MaxConcurrentJobs));
            var perRound = Math.Min(perJob * jobs, Math.Min(plan.DrsQuotas.ServersInActiveJobs, drs.MaxSourceServersInActiveJobs) / perJob * perJob);
            var rounds = serversPerWave[i] == 0 ? 0 : (int)Math.Ceiling(serversPerWave[i] / (double)Math.Max(1, perRound));
            var wait = i < serversPerWave.Count - 1 ? TimeSpan.FromSeconds(wave.WaitAfterSeconds) : TimeSpan.Zero;
            servers += job * rounds + wait;
            waveParts.Add($"{ServerWaves.Name(wave, i)} {rounds} × {Seconds(job)}{(wait > TimeSpan.Zero ? $" + wait {Seconds(wait)}" : "")}");
        }

        var bound = servers > longestDatabase.Duration ? servers : longestDatabase.Duration;
        var path = servers > longestDatabase.Duration
            ? $"DRS waves {string.Join(", ", waveParts)} = {Seconds(servers)} (databases {Seconds(longestDatabase.Duration)})"
            : $"database {longestDatabase.Id} promoted in {Seconds(longestDatabase.Duration)} (DRS {Seconds(servers)})";
        var slowestCapacity = models.Capacity is { } arrival && plan.Capacity.Count > 0
            ? plan.Capacity.Select(c => (c.Id, Duration: c.Kind == CapacityKinds.EcsService ? arrival.TaskStartup : arrival.InstanceWarmup)).MaxBy(c => c.Duration)
            : (Id: "none", Duration: TimeSpan.Zero);
        if (slowestCapacity.Duration > bound)
        {
            path = $"capacity {slowestCapacity.Id} in service after {Seconds(slowestCapacity.Duration)} (databases {Seconds(longestDatabase.Duration)}, DRS {Seconds(servers)})";
            bound = slowestCapacity.Duration;
        }

        return new CriticalPathEstimate(Math.Round(bound.TotalSeconds, 3), path);
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}

/// <summary>The models whose timings make the bound (the gateway's).</summary>
/// <param name="Capacity">How long scale-ups take to be in service; null leaves capacity out of the bound.</param>
/// <param name="ReplicaClusters">How long an Aurora replica cluster's promotion takes; null counts it as instant.</param>
public sealed record LocalModels(RdsPromotionModel Promotions, AuroraGlobalSettings Aurora, Drs.DrsSimulator Drs, CapacityArrivalModel? Capacity = null, AuroraReplicaClusterModel? ReplicaClusters = null);

/// <summary>The critical-path bound and the chain it follows, in words.</summary>
public sealed record CriticalPathEstimate(double Seconds, string Path);
