namespace Failover.Core.Runs;

/// <summary>What started the run, when it was an alarm.</summary>
public sealed record TriggerInfo
{
    /// <summary>ARN of the CloudWatch alarm that went into ALARM; the trigger accepts only alarms the plan allow-lists by ARN.</summary>
    public string AlarmArn { get; set; } = "";

    /// <summary>The alarm's name (CloudWatch AlarmName), for notifications and the report.</summary>
    public string AlarmName { get; set; } = "";

    /// <summary>When the alarm went into ALARM: the start of the RTO.</summary>
    public DateTimeOffset AlarmTime { get; set; }
}
