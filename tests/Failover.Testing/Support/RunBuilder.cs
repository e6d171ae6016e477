using Failover.Core.Plans;
using Failover.Core.Rpo;
using Failover.Core.Runs;

namespace Failover.Testing;

/// <summary>Builds run states as the state machine passes them between tasks.</summary>
public sealed class RunBuilder
{
    private RunState _run = new()
    {
        Plan = Samples.PlanName,
        Mode = RunModes.Failover,
        Reason = "test",
        ExecutionName = Samples.ExecutionName,
        PreparedAt = ManualClock.DefaultStart,
        OutageBeganAt = ManualClock.DefaultStart,
        RtoObjectiveSeconds = 900,
        RpoObjectiveSeconds = 60,
    };

    public static RunBuilder Prepared() => new();

    /// <summary>Adds an RDS instance replica (promote-read-replica).</summary>
    public RunBuilder WithDatabase(string id, string status = DatabaseStatuses.Ready, bool critical = true, double lagSeconds = 1, DateTimeOffset? promotionStartedAt = null, DateTimeOffset? writableAt = null) =>
        WithDatabase(new DatabaseRun
        {
            Id = id,
            Kind = DatabaseKinds.RdsInstanceReplica,
            Action = DatabaseActions.PromoteInstance,
            Critical = critical,
            Rpo = Estimate(lagSeconds),
            Status = status,
            PromotionStartedAt = promotionStartedAt,
            WritableAt = writableAt,
        });

    /// <summary>Adds an Aurora global database failing over to the sample secondary cluster, with the action Prepare chose.</summary>
    public RunBuilder WithGlobalDatabase(string id = Samples.GlobalClusterId, string action = DatabaseActions.GlobalSwitchover, string status = DatabaseStatuses.Ready, bool critical = true, double lagSeconds = 0.5, string? targetClusterArn = null, bool fallBackToFailover = false) =>
        WithDatabase(new DatabaseRun
        {
            Id = id,
            Kind = DatabaseKinds.AuroraGlobal,
            Action = action,
            FallBackToFailover = fallBackToFailover,
            TargetClusterArn = targetClusterArn ?? Samples.SecondaryClusterArn,
            Critical = critical,
            Rpo = Estimate(lagSeconds),
            Status = status,
        });

    /// <summary>Adds an Aurora replica cluster (promote-read-replica-db-cluster).</summary>
    public RunBuilder WithReplicaCluster(string id = Samples.ReplicaClusterId, string status = DatabaseStatuses.Ready, bool critical = true, double lagSeconds = 0.5) =>
        WithDatabase(new DatabaseRun
        {
            Id = id,
            Kind = DatabaseKinds.AuroraClusterReplica,
            Action = DatabaseActions.PromoteCluster,
            Critical = critical,
            Rpo = Estimate(lagSeconds),
            Status = status,
        });

    // A negative lag stands for "unknown", as the tests' callers write it.
    private static RpoEstimate Estimate(double lagSeconds) =>
        new() { Seconds = lagSeconds < 0 ? null : lagSeconds, Evidence = "test datapoints" };

    public RunBuilder WithDatabase(DatabaseRun database) => Change(r => r with { Databases = [.. r.Databases, database] });

    public RunBuilder WithSwitch(string id, string status = SwitchStatuses.Pending, DateTimeOffset? switchedAt = null, string kind = SwitchKinds.SwitchMetric, string? changeId = null) =>
        Change(r => r with { Switches = [.. r.Switches, new SwitchRun { Id = id, Kind = kind, Status = status, SwitchedAt = switchedAt, ChangeId = changeId }] });

    /// <summary>Adds DRS recovery of <paramref name="total"/> servers as Prepare writes it, not started yet.</summary>
    public RunBuilder WithServers(int total, int batchSize = 100, int maxConcurrentJobs = 20, double lagSeconds = 1) =>
        Change(r => r with
        {
            Servers = new ServersRun
            {
                Total = total,
                BatchSize = batchSize,
                MaxConcurrentJobs = maxConcurrentJobs,
                LagSeconds = lagSeconds,
            },
            ServersDone = false,
        });

    /// <summary>Narrows the run as the input's scope did.</summary>
    public RunBuilder WithScope(RunScope scope) => Change(r => r with { Scope = scope });

    /// <summary>Sets the execution name (what DRS jobs are tagged with).</summary>
    public RunBuilder Named(string executionName) => Change(r => r with { ExecutionName = executionName });

    public RunBuilder WithConcurrency(int databaseConcurrency) => Change(r => r with { DatabaseConcurrency = databaseConcurrency });

    public RunBuilder Writable(bool writable = true) => Change(r => r with { DatabasesWritable = writable });

    public RunBuilder TriggeredAt(DateTimeOffset alarmTime) =>
        Change(r => r with { Trigger = new TriggerInfo { AlarmArn = Samples.AlarmArn, AlarmName = Samples.AlarmName, AlarmTime = alarmTime } });

    public RunBuilder Change(Func<RunState, RunState> change)
    {
        _run = change(_run);
        return this;
    }

    public RunState Build() => _run;
}
