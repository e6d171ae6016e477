namespace Failover.Core.Tests;

/// <summary><see cref="Arn"/> against the forms of IAM User Guide "IAM identifiers" (reference-arns.html).</summary>
public sealed class ArnTests
{
    [Theory]
    [InlineData("arn:aws:states:us-west-2:123456789012:execution:failover-orders:run-1", "states", "us-west-2", "123456789012", "execution:failover-orders:run-1", "run-1")]
    [InlineData("arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-primary-outage", "cloudwatch", "us-west-2", "123456789012", "alarm:orders-primary-outage", "orders-primary-outage")]
    [InlineData("arn:aws:route53:::healthcheck/abcdef", "route53", "", "", "healthcheck/abcdef", "abcdef")]
    [InlineData("arn:aws:rds:us-west-2:123456789012:cluster:orders-west", "rds", "us-west-2", "123456789012", "cluster:orders-west", "orders-west")]
    public void Parse_WhenTheTextIsAnArn_ShouldSplitItsParts(string text, string service, string region, string account, string resource, string id)
    {
        var arn = Arn.Parse(text);

        Assert.Equal(("aws", service, region, account, resource, id), (arn.Partition, arn.Service, arn.Region, arn.Account, arn.Resource, arn.ResourceId));
        Assert.Equal(text, arn.ToString());
    }

    [Theory]
    [InlineData("arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders:primary-outage", "alarm", "orders:primary-outage", "orders")]
    [InlineData("arn:aws:states:us-west-2:123456789012:execution:failover-orders:run-1", "execution", "failover-orders:run-1", "failover-orders")]
    [InlineData("arn:aws:lambda:us-west-2:123456789012:function:failover-trigger:live", "function", "failover-trigger:live", "failover-trigger")]
    [InlineData("arn:aws:lambda:us-west-2:123456789012:function:failover-trigger", "function", "failover-trigger", "failover-trigger")]
    [InlineData("arn:aws:rds:us-west-2:123456789012:cluster:orders-west", "cluster", "orders-west", "orders-west")]
    [InlineData("arn:aws:route53:::healthcheck/abcdef", "healthcheck", "abcdef", "abcdef")]
    [InlineData("arn:aws:s3:::failover-reports", "", "failover-reports", "failover-reports")]
    public void ResourceType_WhenTheResourceHasATypeAndName_ShouldSplitThemAtTheFirstSeparator(string text, string type, string name, string head)
    {
        var arn = Arn.Parse(text);

        Assert.Equal((type, name, head), (arn.ResourceType, arn.ResourceName, arn.ResourceNameHead));
    }

    [Theory]
    [InlineData("arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders", "cloudwatch", "alarm", true)]
    [InlineData("arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders", "cloudwatch", "dashboard", false)]
    [InlineData("arn:aws:sns:us-west-2:123456789012:alarm", "cloudwatch", "alarm", false)]
    [InlineData("arn:aws:cloudwatch:us-west-2:123456789012:alarms:orders", "cloudwatch", "alarm", false)]
    public void Names_WhenAskedForAServiceAndResourceType_ShouldMatchBothExactly(string text, string service, string type, bool expected)
    {
        Assert.Equal(expected, Arn.Parse(text).Names(service, type));
    }

    [Theory]
    [InlineData("")]
    [InlineData("orders-replica")]
    [InlineData("arn:aws:states:us-west-2:123456789012")]
    [InlineData("urn:aws:states:us-west-2:123456789012:execution:m:n")]
    public void TryParse_WhenTheTextIsNotAnArn_ShouldSayNo(string text)
    {
        Assert.False(Arn.TryParse(text, out _));
        Assert.Contains("is not an ARN", Assert.Throws<FormatException>(() => Arn.Parse(text)).Message, StringComparison.Ordinal);
    }
}
