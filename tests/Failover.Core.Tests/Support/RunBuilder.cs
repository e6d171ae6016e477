using Failover.Core.Runs;

namespace Failover.Core.Tests.Support;

/// <summary>Builds run states as the state machine passes them between tasks.</summary>
public sealed class RunBuilder
{
    private RunState _run = new()
    {
        Plan = Samples.PlanName,
        Mode = RunModes.Failover,
        Reason = "test",
        PreparedAt = ManualClock.DefaultStart,
    };

    public static RunBuilder Prepared() => new();

    public RunBuilder WithDatabase(string id, string status = DatabaseStatuses.Ready, bool critical = true, double lagSeconds = -1, DateTimeOffset? promotionStartedAt = null, DateTimeOffset? writableAt = null) =>
        Change(r => r with
        {
            Databases =
            [
                .. r.Databases,
                new DatabaseRun
                {
                    Id = id,
                    Kind = Failover.Core.Plans.DatabaseKinds.RdsInstanceReplica,
                    Critical = critical,
                    LagSeconds = lagSeconds,
                    Status = status,
                    PromotionStartedAt = promotionStartedAt,
                    WritableAt = writableAt,
                },
            ],
        });

    public RunBuilder WithSwitch(string id, string status = "pending", DateTimeOffset? switchedAt = null) =>
        Change(r => r with { Switches = [.. r.Switches, new SwitchRun { Id = id, Status = status, SwitchedAt = switchedAt }] });

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
