using Failover.Core.Plans;

namespace Failover.Core.Tests.Plans;

public sealed class DeployParametersTests
{
    private static RecoveryPlan Plan(IReadOnlyList<DatabaseTarget> databases, IReadOnlyList<TrafficSwitchTarget> switches) => new()
    {
        Name = "orders",
        PrimaryRegion = "us-east-2",
        RecoveryRegion = "us-west-2",
        Databases = databases,
        Switches = switches,
        Trigger = new TriggerPolicy
        {
            AccountId = "123456789012",
            AlarmArns = ["arn:aws:cloudwatch:us-west-2:123456789012:alarm:a", "arn:aws:cloudwatch:us-west-2:123456789012:alarm:b"],
        },
    };

    [Fact]
    public void For_WhenThePlanHasEveryKindOfResource_ShouldScopeEachParameterToThePlansResources()
    {
        // Arrange
        var plan = Plan(
            [
                new DatabaseTarget { Kind = DatabaseKinds.RdsInstanceReplica, Id = "orders-replica" },
                new DatabaseTarget { Kind = DatabaseKinds.AuroraClusterReplica, Id = "billing-replica" },
                new DatabaseTarget { Kind = DatabaseKinds.AuroraGlobal, Id = "ledger", TargetClusterArn = "arn:aws:rds:us-west-2:123456789012:cluster:ledger-west" },
            ],
            [
                new TrafficSwitchTarget { Kind = SwitchKinds.SwitchMetric, Id = "web", Namespace = "Failover", HealthCheckId = "hc-metric" },
                new TrafficSwitchTarget { Kind = SwitchKinds.HealthCheckInvert, Id = "api", HealthCheckId = "hc-api" },
                new TrafficSwitchTarget { Kind = SwitchKinds.RecordUpsert, Id = "dns", HostedZoneId = "Z123" },
            ]);

        // Act
        var parameters = DeployParameters.For(plan);

        // Assert
        Assert.Equal(
            [
                new("PlanName", "orders"),
                new("OutageAlarmArns", "arn:aws:cloudwatch:us-west-2:123456789012:alarm:a,arn:aws:cloudwatch:us-west-2:123456789012:alarm:b"),
                new("ReplicaInstanceArns", "arn:aws:rds:us-west-2:123456789012:db:orders-replica"),
                new("ReplicaClusterArns", "arn:aws:rds:us-west-2:123456789012:cluster:billing-replica,arn:aws:rds:us-west-2:123456789012:cluster:ledger-west"),
                new("GlobalClusterArns", "arn:aws:rds::123456789012:global-cluster:ledger"),
                new("HealthCheckArns", "arn:aws:route53:::healthcheck/hc-metric,arn:aws:route53:::healthcheck/hc-api"),
                new("HostedZoneArns", "arn:aws:route53:::hostedzone/Z123"),
                new KeyValuePair<string, string>("SwitchNamespace", "Failover"),
            ],
            parameters);
    }

    [Fact]
    public void For_WhenThePlanHasNoAuroraOrControlPlaneSwitch_ShouldLeaveThoseStatementsOutWithNone()
    {
        // Arrange
        var plan = Plan([new DatabaseTarget { Kind = DatabaseKinds.RdsInstanceReplica, Id = "orders-replica" }], []);

        // Act
        var parameters = DeployParameters.For(plan).ToDictionary(p => p.Key, p => p.Value);

        // Assert
        Assert.Equal(DeployParameters.None, parameters["ReplicaClusterArns"]);
        Assert.Equal(DeployParameters.None, parameters["GlobalClusterArns"]);
        Assert.Equal(DeployParameters.None, parameters["HealthCheckArns"]);
        Assert.Equal(DeployParameters.None, parameters["HostedZoneArns"]);
        Assert.False(parameters.ContainsKey("SwitchNamespace"));
    }

    [Fact]
    public void For_WhenSwitchMetricsUseTwoNamespaces_ShouldRefuseNamingThem()
    {
        // Arrange
        var plan = Plan([], [
            new TrafficSwitchTarget { Kind = SwitchKinds.SwitchMetric, Id = "a", Namespace = "One" },
            new TrafficSwitchTarget { Kind = SwitchKinds.SwitchMetric, Id = "b", Namespace = "Two" },
        ]);

        // Act
        var error = Assert.Throws<PlanInvalidException>(() => DeployParameters.For(plan));

        // Assert
        Assert.Equal("$.switches", Assert.Single(error.Errors).Path);
        Assert.Contains("One, Two", error.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParameterOverrides_WhenGivenParameters_ShouldPrintSamconfigPairsQuotedForTheShell()
    {
        // Arrange
        KeyValuePair<string, string>[] parameters = [new("PlanName", "orders"), new("SwitchNamespace", "It's")];

        // Act
        var text = DeployParameters.ParameterOverrides(parameters);

        // Assert
        Assert.Equal("""'PlanName="orders" SwitchNamespace="It'\''s"'""", text);
    }
}
