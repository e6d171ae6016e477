using Failover.Local.Iam;

namespace Failover.Local.Tests;

public sealed class IamActionPatternTests
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
    public void Matches_WhenThePatternNamesTheAction_ShouldMatch(string pattern, string action) =>
        Assert.True(IamActionPattern.Matches(pattern, action));

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
    public void Matches_WhenThePatternDoesNotNameTheAction_ShouldNotMatch(string pattern, string action) =>
        Assert.False(IamActionPattern.Matches(pattern, action));
}
