namespace Failover.Core.Tests;

public sealed class IamWildcardTests
{
    [Theory]
    [InlineData("drs:StartRecovery", "drs:StartRecovery")]
    [InlineData("DRS:startrecovery", "drs:StartRecovery")]
    [InlineData("drs:*", "drs:DescribeJobs")]
    [InlineData("*", "rds:PromoteReadReplica")]
    [InlineData("drs:Describe*", "drs:DescribeJobs")]
    [InlineData("drs:Describe*", "drs:Describe")]
    [InlineData("iam:*AccessKey*", "iam:ListAccessKeys")]
    [InlineData("iam:*AccessKey*", "iam:CreateAccessKey")]
    [InlineData("ec2:Describe?nstances", "ec2:DescribeInstances")]
    [InlineData("ec2:*Instance*s", "ec2:DescribeInstanceStatusInstances")]
    [InlineData("kms:*crypt", "kms:Decrypt")]
    public void Matches_WhenAnActionPatternNamesTheAction_ShouldMatch(string pattern, string action) =>
        Assert.True(IamWildcard.Matches(pattern, action, ignoreCase: true));

    [Theory]
    [InlineData("drs:StartRecovery", "drs:StartRecoveryX")]
    [InlineData("drs:StartRecovery", "drs:StartRecover")]
    [InlineData("drs:Describe*", "drs:StartRecovery")]
    [InlineData("drs:*", "ec2:DescribeInstances")]
    [InlineData("ec2:Describe?nstances", "ec2:DescribeInstances2")]
    [InlineData("ec2:Describe?Instances", "ec2:DescribeInstances")]
    [InlineData("kms:*crypt", "kms:Decrypted")]
    // '.' is an ordinary character in IAM, not "any character".
    [InlineData("s3:Get.bject", "s3:GetObject")]
    [InlineData("", "s3:GetObject")]
    public void Matches_WhenAnActionPatternDoesNotNameTheAction_ShouldNotMatch(string pattern, string action) =>
        Assert.False(IamWildcard.Matches(pattern, action, ignoreCase: true));

    [Theory]
    [InlineData("arn:aws:rds:us-west-2:123456789012:db:orders-*", "arn:aws:rds:us-west-2:123456789012:db:orders-replica", true)]
    [InlineData("arn:aws:rds:us-west-2:123456789012:db:orders-*", "arn:aws:rds:us-west-2:123456789012:db:Orders-replica", false)]
    [InlineData("arn:aws:route53:::healthcheck/*", "arn:aws:route53:::healthcheck/abc", true)]
    [InlineData("arn:aws:rds:*:123456789012:db:orders-?", "arn:aws:rds:us-west-2:123456789012:db:orders-1", true)]
    [InlineData("arn:aws:rds:*:123456789012:db:orders-?", "arn:aws:rds:us-west-2:123456789012:db:orders-12", false)]
    public void Matches_WhenAResourcePatternIsMatchedCaseSensitively_ShouldMatchOnlyTheExactCase(string pattern, string arn, bool expected) =>
        Assert.Equal(expected, IamWildcard.Matches(pattern, arn, ignoreCase: false));
}
