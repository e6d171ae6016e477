namespace Failover.Core.Plans;

public static partial class PlanValidator
{
    /// <summary>The only partition Failover supports.</summary>
    public const string SupportedPartition = "aws";

    private const string PartitionReason =
        "Failover supports the aws partition only (its state machine's service integrations are arn:aws:states ARNs and Route 53's control plane is signed for us-east-1)";

    // Region prefixes of the other partitions, from the regionRegex of each partition in botocore's data/endpoints.json.
    private static readonly (string Prefix, string Partition)[] OtherPartitions =
    [
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-iso-", "aws-iso"),
        ("us-isob-", "aws-iso-b"),
        ("eu-isoe-", "aws-iso-e"),
        ("us-isof-", "aws-iso-f"),
        ("eusc-", "aws-eusc"),
    ];

    /// <summary>
    /// The partition of a region code (general/latest/gr/rande.html: China regions cn-*, GovCloud us-gov-*, and the
    /// isolated partitions of botocore's endpoints.json); aws for every other region code.
    /// </summary>
    public static string PartitionOfRegion(string region) =>
        OtherPartitions.FirstOrDefault(p => region.StartsWith(p.Prefix, StringComparison.Ordinal)).Partition ?? SupportedPartition;

    // One error per region: another partition's, or not a known region of the aws partition.
    private static void RequireSupportedRegion(List<PlanError> errors, string region, string path)
    {
        var partition = PartitionOfRegion(region);
        if (partition != SupportedPartition)
        {
            errors.Add(new PlanError(path, $"'{Printable(region)}' is in the {partition} partition; {PartitionReason}"));
        }
        else
        {
            Require(errors, AwsRegions.IsKnown(region), path, UnknownRegion(region));
        }
    }

    private static string UnknownRegion(string region) =>
        $"'{Printable(region)}' is not a region of the aws partition; expected one of {string.Join(", ", AwsRegions.All)}";

    // An ARN's partition and, when the ARN names one, its region: both must be the aws partition's.
    private static void RequireSupportedArn(List<PlanError> errors, string arn, string path)
    {
        if (!Arn.TryParse(arn, out var parsed))
        {
            return;
        }

        if (parsed.Partition != SupportedPartition)
        {
            errors.Add(new PlanError(path, $"'{Printable(arn)}' is in the {Printable(parsed.Partition)} partition; {PartitionReason}"));
        }
        else if (parsed.Region.Length > 0 && !AwsRegions.IsKnown(parsed.Region))
        {
            errors.Add(new PlanError(path, $"the ARN's region {UnknownRegion(parsed.Region)}"));
        }
    }
}
