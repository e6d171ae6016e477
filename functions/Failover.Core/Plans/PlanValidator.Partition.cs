namespace Failover.Core.Plans;

public static partial class PlanValidator
{
    /// <summary>The only partition Failover supports.</summary>
    public const string SupportedPartition = "aws";

    private const string PartitionReason =
        "Failover supports the aws partition only (its state machine's service integrations are arn:aws:states ARNs and Route 53's control plane is signed for us-east-1)";

    /// <summary>
    /// The partition of a region code (general/latest/gr/rande.html: China regions cn-*, GovCloud us-gov-*); aws
    /// for every other region code.
    /// </summary>
    public static string PartitionOfRegion(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : SupportedPartition;

    private static void RequireSupportedRegion(List<PlanError> errors, string region, string path)
    {
        var partition = PartitionOfRegion(region);
        Require(errors, partition == SupportedPartition, path, $"'{region}' is in the {partition} partition; {PartitionReason}");
    }

    private static void RequireSupportedArn(List<PlanError> errors, string arn, string path)
    {
        var parts = arn.Split(':');
        Require(errors, parts.Length < 2 || parts[0] != "arn" || parts[1] == SupportedPartition, path, $"'{arn}' is in the {(parts.Length > 1 ? parts[1] : "")} partition; {PartitionReason}");
    }
}
