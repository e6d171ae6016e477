namespace Failover.Functions.Tests.Hosting;

public sealed class FunctionSettingsTests
{
    private static readonly string TaskRoot = Path.Combine(Path.GetTempPath(), "task");

    [Fact]
    public void FromEnvironment_WhenOnlyTheTaskRootIsSet_ShouldUseDefaults()
    {
        // Arrange
        var environment = new Dictionary<string, string> { ["LAMBDA_TASK_ROOT"] = TaskRoot };

        // Act
        var settings = FunctionSettings.FromEnvironment(environment.GetValueOrDefault);

        // Assert
        Assert.Equal(Path.Combine(TaskRoot, "plan.json"), settings.PlanPath);
        Assert.Null(settings.TopicArn);
        Assert.Null(settings.StateMachineArn);
        Assert.Equal(TimeSpan.FromMinutes(30), settings.PromotionTimeout);
        Assert.Equal(TimeSpan.FromHours(1), settings.RecoveryTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.FunctionTimeout);
    }

    [Fact]
    public void FromEnvironment_WhenTheStacksScopeParametersAreGiven_ShouldReadEachListWithoutNone()
    {
        // Arrange: the template joins each CommaDelimitedList parameter with commas; "none" is no entry.
        var environment = new Dictionary<string, string>
        {
            ["READINESS_NAMESPACE"] = "Failover",
            ["REPLICA_INSTANCE_ARNS"] = "arn:aws:rds:us-west-2:123456789012:db:orders-replica,arn:aws:rds:us-west-2:123456789012:db:billing-*",
            ["REPLICA_CLUSTER_ARNS"] = "none",
            ["GLOBAL_CLUSTER_ARNS"] = "none",
            ["HEALTH_CHECK_ARNS"] = "arn:aws:route53:::healthcheck/abc",
            ["HOSTED_ZONE_ARNS"] = "none",
        };

        // Act
        var settings = FunctionSettings.FromEnvironment(environment.GetValueOrDefault);

        // Assert
        Assert.Equal("Failover", settings.ReadinessNamespace);
        var scope = settings.DeployedScope!;
        Assert.Equal(["arn:aws:rds:us-west-2:123456789012:db:orders-replica", "arn:aws:rds:us-west-2:123456789012:db:billing-*"], scope.ReplicaInstanceArns);
        Assert.Empty(scope.ReplicaClusterArns);
        Assert.Equal(["arn:aws:route53:::healthcheck/abc"], scope.HealthCheckArns);
    }

    [Fact]
    public void FromEnvironment_WhenNoScopeParameterIsGiven_ShouldHaveNoScopeToCheck()
    {
        // Act
        var settings = FunctionSettings.FromEnvironment(_ => null);

        // Assert
        Assert.Null(settings.DeployedScope);
        Assert.Null(settings.ReadinessNamespace);
    }

    [Fact]
    public void FromEnvironment_WhenNoTaskRoot_ShouldLookBesideTheAssembly()
    {
        // Act
        var settings = FunctionSettings.FromEnvironment(_ => null);

        // Assert
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "plan.json"), settings.PlanPath);
    }

    [Fact]
    public void FromEnvironment_WhenEverythingIsSet_ShouldReadEachVariable()
    {
        // Arrange
        var plan = Path.Combine(Path.GetTempPath(), "plans", "orders.json");
        var environment = new Dictionary<string, string>
        {
            ["LAMBDA_TASK_ROOT"] = TaskRoot,
            ["FAILOVER_PLAN"] = plan,
            ["TOPIC_ARN"] = "arn:aws:sns:us-west-2:123456789012:failover",
            ["STATE_MACHINE_ARN"] = "arn:aws:states:us-west-2:123456789012:stateMachine:failover",
            ["PROMOTION_TIMEOUT_SECONDS"] = "600",
            ["RECOVERY_TIMEOUT_SECONDS"] = "7200",
            ["FUNCTION_TIMEOUT_SECONDS"] = "90",
            ["CHECK_INTERVAL_MILLISECONDS"] = "250",
        };

        // Act
        var settings = FunctionSettings.FromEnvironment(environment.GetValueOrDefault);

        // Assert
        Assert.Equal(plan, settings.PlanPath);
        Assert.Equal("arn:aws:sns:us-west-2:123456789012:failover", settings.TopicArn);
        Assert.Equal("arn:aws:states:us-west-2:123456789012:stateMachine:failover", settings.StateMachineArn);
        Assert.Equal(TimeSpan.FromMinutes(10), settings.PromotionTimeout);
        Assert.Equal(TimeSpan.FromHours(2), settings.RecoveryTimeout);
        Assert.Equal(TimeSpan.FromSeconds(90), settings.FunctionTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.CheckInterval);
    }

    [Fact]
    public void FromEnvironment_WhenTheCheckIntervalIsNotSet_ShouldLeaveTheChecksToOneLookPerInvocation()
    {
        // Act
        var settings = FunctionSettings.FromEnvironment(new Dictionary<string, string> { ["LAMBDA_TASK_ROOT"] = TaskRoot }.GetValueOrDefault);

        // Assert
        Assert.Null(settings.CheckInterval);
    }

    [Theory]
    [InlineData("99")]
    [InlineData("60001")]
    [InlineData("0.5")]
    [InlineData("half")]
    public void FromEnvironment_WhenTheCheckIntervalIsOutOfRange_ShouldThrowNamingTheVariable(string value)
    {
        // Arrange
        var environment = new Dictionary<string, string> { ["CHECK_INTERVAL_MILLISECONDS"] = value };

        // Act
        var ex = Assert.Throws<InvalidOperationException>(() => FunctionSettings.FromEnvironment(environment.GetValueOrDefault));

        // Assert
        Assert.Equal($"CHECK_INTERVAL_MILLISECONDS='{value}' must be a whole number of milliseconds from 100 to 60000.", ex.Message);
    }

    [Fact]
    public void FromEnvironment_WhenPlanIsRelative_ShouldResolveItUnderTheTaskRoot()
    {
        // Arrange
        var environment = new Dictionary<string, string> { ["LAMBDA_TASK_ROOT"] = TaskRoot, ["FAILOVER_PLAN"] = "plans/orders.json" };

        // Act
        var settings = FunctionSettings.FromEnvironment(environment.GetValueOrDefault);

        // Assert
        Assert.Equal(Path.Combine(TaskRoot, "plans/orders.json"), settings.PlanPath);
    }

    [Theory]
    [InlineData("PROMOTION_TIMEOUT_SECONDS", "abc")]
    [InlineData("PROMOTION_TIMEOUT_SECONDS", "0")]
    [InlineData("PROMOTION_TIMEOUT_SECONDS", "-5")]
    [InlineData("PROMOTION_TIMEOUT_SECONDS", "1.5")]
    [InlineData("PROMOTION_TIMEOUT_SECONDS", "30m")]
    [InlineData("PROMOTION_TIMEOUT_SECONDS", " 60")]
    [InlineData("PROMOTION_TIMEOUT_SECONDS", "99999999999")]
    [InlineData("RECOVERY_TIMEOUT_SECONDS", "1h")]
    [InlineData("RECOVERY_TIMEOUT_SECONDS", "0")]
    [InlineData("FUNCTION_TIMEOUT_SECONDS", "sixty")]
    [InlineData("FUNCTION_TIMEOUT_SECONDS", "0")]
    public void FromEnvironment_WhenASecondsVariableIsNotAPositiveWholeNumber_ShouldThrowNamingTheVariable(string name, string value)
    {
        // Arrange
        var environment = new Dictionary<string, string> { [name] = value };

        // Act
        var ex = Assert.Throws<InvalidOperationException>(() => FunctionSettings.FromEnvironment(environment.GetValueOrDefault));

        // Assert
        Assert.StartsWith($"{name}='{value}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("positive whole number of seconds", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_WhenASecondsVariableIsEmpty_ShouldUseTheDefault()
    {
        // Arrange
        var environment = new Dictionary<string, string> { ["PROMOTION_TIMEOUT_SECONDS"] = "" };

        // Act
        var settings = FunctionSettings.FromEnvironment(environment.GetValueOrDefault);

        // Assert
        Assert.Equal(TimeSpan.FromMinutes(30), settings.PromotionTimeout);
    }
}
