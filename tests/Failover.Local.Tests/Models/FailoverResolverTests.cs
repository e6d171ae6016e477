using Failover.Local.Models;

namespace Failover.Local.Tests.Models;

/// <summary>
/// <see cref="FailoverResolver"/> against Route 53 Developer Guide "Failover routing" (routing-policy-failover.html),
/// "How health checks work in complex Amazon Route 53 configurations" (dns-failover-complex-configs.html) and "How Amazon
/// Route 53 chooses records when health checking is configured" (health-checks-how-route-53-chooses-records.html).
/// </summary>
public sealed class FailoverResolverTests
{
    private static readonly ModelRecord Primary = new("orders.example.com.", "A", "orders-primary", "PRIMARY", "hc-1", 60, ["192.0.2.10"]);
    private static readonly ModelRecord Secondary = new("orders.example.com.", "A", "orders-secondary", "SECONDARY", "hc-2", 60, ["198.51.100.10"]);
    private static readonly ModelRecord[] Zone = [Primary, Secondary, new("www.example.com.", "CNAME", null, null, null, 300, ["orders.example.com"])];

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public void Resolve_WhenThePrimaryIsHealthy_ShouldAnswerThePrimaryWhateverTheSecondary(bool primaryHealthy, bool secondaryHealthy)
    {
        var answer = FailoverResolver.Resolve("orders.example.com", "A", Zone, Health(primaryHealthy, secondaryHealthy));

        Assert.Equal(new DnsAnswer(Primary.Values, "orders-primary", 60, "PRIMARY health check hc-1 healthy: PRIMARY"), answer);
    }

    [Fact]
    public void Resolve_WhenThePrimaryIsUnhealthyAndTheSecondaryHealthy_ShouldAnswerTheSecondary()
    {
        var answer = FailoverResolver.Resolve("orders.example.com", "A", Zone, Health(primary: false, secondary: true));

        Assert.Equal(new DnsAnswer(Secondary.Values, "orders-secondary", 60, "PRIMARY health check hc-1 unhealthy: SECONDARY"), answer);
    }

    [Fact]
    public void Resolve_WhenBothAreUnhealthy_ShouldAnswerThePrimary()
    {
        var answer = FailoverResolver.Resolve("orders.example.com", "A", Zone, Health(primary: false, secondary: false));

        Assert.Equal("orders-primary", answer?.SetIdentifier);
        Assert.Equal("PRIMARY health check hc-1 unhealthy, SECONDARY health check hc-2 unhealthy: PRIMARY (no record is healthy, so Route 53 considers all healthy)", answer?.Why);
    }

    [Fact]
    public void Resolve_WhenTheSecondaryHasNoHealthCheckAndThePrimaryIsUnhealthy_ShouldAnswerTheSecondary()
    {
        ModelRecord[] zone = [Primary, Secondary with { HealthCheckId = null }];

        var answer = FailoverResolver.Resolve("orders.example.com", "A", zone, Health(primary: false, secondary: false));

        Assert.Equal("orders-secondary", answer?.SetIdentifier);
        Assert.Equal("PRIMARY health check hc-1 unhealthy: SECONDARY", answer?.Why);
    }

    [Fact]
    public void Resolve_WhenThePrimaryHasNoHealthCheck_ShouldAnswerThePrimaryWithoutAskingForHealth()
    {
        ModelRecord[] zone = [Primary with { HealthCheckId = null }, Secondary];

        var answer = FailoverResolver.Resolve("orders.example.com", "A", zone, id => throw new InvalidOperationException($"asked for {id}"));

        Assert.Equal("orders-primary", answer?.SetIdentifier);
        Assert.Equal("PRIMARY has no health check: PRIMARY", answer?.Why);
    }

    [Theory]
    [InlineData(true, "orders-primary")]
    [InlineData(false, "orders-primary")]
    public void Resolve_WhenOnlyAPrimaryRecordExists_ShouldAnswerItHealthyOrNot(bool healthy, string expected)
    {
        var answer = FailoverResolver.Resolve("orders.example.com", "A", [Primary], _ => healthy);

        Assert.Equal(expected, answer?.SetIdentifier);
    }

    [Fact]
    public void Resolve_WhenOnlyAnUnhealthySecondaryExists_ShouldAnswerIt()
    {
        var answer = FailoverResolver.Resolve("orders.example.com", "A", [Secondary], _ => false);

        Assert.Equal("no PRIMARY record, SECONDARY health check hc-2 unhealthy: SECONDARY (no record is healthy, so Route 53 considers all healthy)", answer?.Why);
    }

    [Theory]
    [InlineData("orders.example.com", "A")]
    [InlineData("orders.example.com.", "A")]
    [InlineData("ORDERS.Example.COM", "a")]
    public void Resolve_WhenTheNameDiffersInCaseOrTrailingDot_ShouldStillMatch(string name, string type)
    {
        var answer = FailoverResolver.Resolve(name, type, Zone, Health(primary: true, secondary: true));

        Assert.Equal("orders-primary", answer?.SetIdentifier);
    }

    [Fact]
    public void Resolve_WhenTheRecordIsNotAFailoverRecord_ShouldAnswerItsValues()
    {
        var answer = FailoverResolver.Resolve("www.example.com", "CNAME", Zone, Health(primary: false, secondary: false));

        Assert.Equal(new DnsAnswer(Zone[2].Values, null, 300, "not a failover record: its values"), answer);
    }

    [Theory]
    [InlineData("orders.example.com", "AAAA")]
    [InlineData("shop.example.com", "A")]
    public void Resolve_WhenNoRecordMatches_ShouldAnswerNothing(string name, string type)
    {
        var answer = FailoverResolver.Resolve(name, type, Zone, Health(primary: true, secondary: true));

        Assert.Null(answer);
    }

    [Fact]
    public void Resolve_WhenFailoverAndOtherRecordsShareANameAndType_ShouldRefuseThemAsRoute53Does()
    {
        ModelRecord[] zone = [Primary, Secondary, Primary with { SetIdentifier = null, Failover = null }];

        var error = Assert.Throws<ArgumentException>(() => FailoverResolver.Resolve("orders.example.com", "A", zone, _ => true));

        Assert.Contains("orders.example.com A: failover records mixed with other records", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_WhenTwoRecordsArePrimary_ShouldRefuseThem()
    {
        ModelRecord[] zone = [Primary, Primary with { SetIdentifier = "orders-primary-2" }];

        var error = Assert.Throws<ArgumentException>(() => FailoverResolver.Resolve("orders.example.com", "A", zone, _ => true));

        Assert.Contains("2 PRIMARY records; Route 53 allows one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_WhenTheFailoverValueIsUnknown_ShouldNameTheRecord()
    {
        ModelRecord[] zone = [Primary, Secondary with { Failover = "TERTIARY" }];

        var error = Assert.Throws<ArgumentException>(() => FailoverResolver.Resolve("orders.example.com", "A", zone, _ => true));

        Assert.Contains("record 'orders-secondary' has Failover 'TERTIARY', not PRIMARY or SECONDARY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_WhenSeveralNonFailoverRecordsMatch_ShouldSayTheRoutingPolicyIsNotModelled()
    {
        ModelRecord[] zone = [new("api.example.com", "A", "blue", null, null, 60, ["192.0.2.1"]), new("api.example.com", "A", "green", null, null, 60, ["192.0.2.2"])];

        var error = Assert.Throws<NotSupportedException>(() => FailoverResolver.Resolve("api.example.com", "A", zone, _ => true));

        Assert.Contains("2 records that are not failover records", error.Message, StringComparison.Ordinal);
    }

    private static Func<string, bool> Health(bool primary, bool secondary) => id => id switch
    {
        "hc-1" => primary,
        "hc-2" => secondary,
        _ => throw new InvalidOperationException($"unknown health check {id}"),
    };
}
