using System.Text.Json.Serialization;

namespace Failover.Core.Plans;

/// <summary>
/// When an alarm may start a failover, and how executions are named. Every default is the safe one: all
/// listed alarms must agree, the alarm must stay in ALARM for a while, one failover per day at most, and a
/// person approves before anything changes. README "Trigger safety rules" explains each rule.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TriggerPolicy
{
    /// <summary>Largest <see cref="SustainSeconds"/>: the trigger waits inside one Lambda invocation (at most 15 minutes).</summary>
    public const int MaxSustainSeconds = 600;

    /// <summary>Largest <see cref="CooldownMinutes"/>: Step Functions keeps execution history for 90 days.</summary>
    public const int MaxCooldownMinutes = 90 * 24 * 60;

    /// <summary>Largest <see cref="EventClockSkewSeconds"/>: past an hour, a claimed time is no longer clock skew.</summary>
    public const int MaxEventClockSkewSeconds = 3600;

    /// <summary>DescribeAlarms reads at most 100 alarms by name.</summary>
    public const int MaxAlarms = 100;

    /// <summary>The only account whose alarms are accepted.</summary>
    public string AccountId { get; set; } = "";

    /// <summary>Allow-listed alarm ARNs (metric or composite alarms in the recovery region).</summary>
    public IReadOnlyList<string> AlarmArns { get; set; } = [];

    /// <summary>Alarm transitions within one window start one execution.</summary>
    public int DecisionWindowMinutes { get; set; } = 15;

    /// <summary>How many of the listed alarms must be in ALARM (read with DescribeAlarms at decision time); null means all of them.</summary>
    public int? Quorum { get; set; }

    /// <summary>How long the quorum must have held (alarms continuously in ALARM) before a start; the trigger waits for it.</summary>
    public int SustainSeconds { get; set; } = 30;

    /// <summary>No automatic start within this many minutes after a failover or switchover of this plan ended (any outcome).</summary>
    public int CooldownMinutes { get; set; } = 1440;

    /// <summary>
    /// How far ahead of the Trigger's clock an event's transition time may lie and still be believed. The event's time
    /// counts only while DescribeAlarms has not caught up with it; an event dated further ahead, or older than
    /// <see cref="CooldownMinutes"/>, is judged by the state and time DescribeAlarms reports, and the execution's
    /// decision window comes from that time.
    /// </summary>
    public int EventClockSkewSeconds { get; set; } = 300;

    /// <summary>Automatic starts ask the workflow to wait for a person's approval before changing anything.</summary>
    public bool RequireApproval { get; set; } = true;

    /// <summary>The quorum in effect: <see cref="Quorum"/>, or every listed alarm.</summary>
    [JsonIgnore]
    public int EffectiveQuorum => Quorum ?? AlarmArns.Count;
}
