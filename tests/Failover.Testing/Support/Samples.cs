namespace Failover.Testing;

/// <summary>The values of the sample plan (functions/Failover.Functions/plan.json), shared by builders and tests.</summary>
public static class Samples
{
    public const string PlanName = "orders";
    public const string PrimaryRegion = "us-east-1";
    public const string RecoveryRegion = "us-west-2";
    public const string AccountId = "123456789012";
    public const string ForeignAccountId = "210987654321";
    public const string AlarmName = "orders-primary-outage";
    public const string AlarmArn = "arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-primary-outage";
    public const string ReplicaId = "orders-replica";
    public const string PrimaryId = "orders-primary";
    public const string SwitchId = "orders-web";
    public const string SwitchNamespace = "Failover";
    public const string SwitchMetric = "TrafficSwitch";

    /// <summary>An Aurora global database, its writer cluster in the primary region and its secondary in the recovery region.</summary>
    public const string GlobalClusterId = "orders-global";
    public const string PrimaryClusterId = "orders-primary-cluster";
    public const string SecondaryClusterId = "orders-secondary-cluster";

    /// <summary>An Aurora cross-region replica cluster in the recovery region.</summary>
    public const string ReplicaClusterId = "orders-replica-cluster";

    /// <summary>The execution ARN of <see cref="ExecutionName"/> on the sample state machine.</summary>
    public const string ExecutionArn = "arn:aws:states:us-west-2:123456789012:execution:failover:orders-failover-20260801T1200Z";

    /// <summary>An alarm time inside the 12:00-12:15 UTC window of 1 August 2026, as CloudWatch writes it.</summary>
    public const string AlarmTimestamp = "2026-08-01T12:03:27.123+0000";

    /// <summary>The execution name the trigger derives for <see cref="AlarmTimestamp"/>.</summary>
    public const string ExecutionName = "orders-failover-20260801T1200Z";

    /// <summary><see cref="AlarmTimestamp"/> as a value.</summary>
    public static readonly DateTimeOffset AlarmTime = new(2026, 8, 1, 12, 3, 27, 123, TimeSpan.Zero);

    /// <summary>A DRS source server id: s- and 17 hex digits.</summary>
    public static string ServerId(int n) => $"s-{n:x17}";

    /// <summary>The ARN of an Aurora cluster of the sample account.</summary>
    public static string ClusterArn(string region, string clusterId) => $"arn:aws:rds:{region}:{AccountId}:cluster:{clusterId}";

    /// <summary>The primary (writer) cluster of <see cref="GlobalClusterId"/>.</summary>
    public static string PrimaryClusterArn => ClusterArn(PrimaryRegion, PrimaryClusterId);

    /// <summary>The secondary cluster of <see cref="GlobalClusterId"/> in the recovery region: the failover target.</summary>
    public static string SecondaryClusterArn => ClusterArn(RecoveryRegion, SecondaryClusterId);
}
