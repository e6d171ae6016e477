namespace Failover.Core.Plans;

/// <summary>
/// The regions of the aws partition a plan may name. Source: botocore's data/endpoints.json (botocore 1.43.11),
/// partition "aws", member "regions"; the same list as the AWS General Reference page "AWS service endpoints"
/// (docs.aws.amazon.com/general/latest/gr/rande.html). plan.schema.json repeats it (the region enum and the ARN
/// patterns); PlanSchemaTests checks that the two agree. Add a region here when AWS opens one.
/// </summary>
public static class AwsRegions
{
    /// <summary>Every region code of the aws partition, sorted.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "ca-central-1",
        "ca-west-1",
        "eu-central-1",
        "eu-central-2",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "mx-central-1",
        "sa-east-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
    ];

    private static readonly HashSet<string> Known = new(All, StringComparer.Ordinal);

    /// <summary>True when <paramref name="region"/> is exactly one of <see cref="All"/> (case and whitespace count).</summary>
    public static bool IsKnown(string? region) => region is not null && Known.Contains(region);
}
