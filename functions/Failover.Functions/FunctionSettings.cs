using System.Globalization;

namespace Failover.Functions;

/// <summary>Settings every function reads from its environment, validated once at start-up.</summary>
public sealed record FunctionSettings
{
    /// <summary>Path of the packaged plan (FAILOVER_PLAN, default plan.json beside the assembly).</summary>
    public string PlanPath { get; init; } = "";

    /// <summary>Topic for notifications (TOPIC_ARN); required by Notify.</summary>
    public string? TopicArn { get; init; }

    /// <summary>The failover state machine (STATE_MACHINE_ARN); required by Trigger.</summary>
    public string? StateMachineArn { get; init; }

    /// <summary>CloudWatch namespace of the readiness metrics (READINESS_NAMESPACE); required by Readiness.</summary>
    public string? ReadinessNamespace { get; init; }

    /// <summary>What the deployed roles may act on (REPLICA_INSTANCE_ARNS, REPLICA_CLUSTER_ARNS, GLOBAL_CLUSTER_ARNS,
    /// HEALTH_CHECK_ARNS, HOSTED_ZONE_ARNS: the stack parameters of those names); null when none is set.</summary>
    public Failover.Core.Readiness.DeployedScope? DeployedScope { get; init; }

    /// <summary>How long a promotion may take before the run fails (PROMOTION_TIMEOUT_SECONDS).</summary>
    public TimeSpan PromotionTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How long DRS jobs may take to launch every server before the run fails (RECOVERY_TIMEOUT_SECONDS).</summary>
    public TimeSpan RecoveryTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The function's own timeout (FUNCTION_TIMEOUT_SECONDS); work is cancelled shortly before it.</summary>
    public TimeSpan FunctionTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often Check databases, Check recovery, Switch traffic and Check traffic look again within one
    /// invocation (CHECK_INTERVAL_MILLISECONDS, 100-60000); null: they look once and leave the next look to the
    /// workflow's poll.</summary>
    public TimeSpan? CheckInterval { get; init; }

    /// <summary>Work kept clear of the function's timeout besides a wait: reads, writes, retries with backoff.</summary>
    public static TimeSpan WorkMargin { get; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The longest a function may wait within one invocation (the Trigger for a sustain period, the drill cleanup for
    /// DRS launches in progress): <see cref="FunctionTimeout"/> less <see cref="WorkMargin"/>.
    /// </summary>
    public TimeSpan WaitBudget => FunctionTimeout > WorkMargin ? FunctionTimeout - WorkMargin : TimeSpan.Zero;

    /// <summary>The plan's file name in the package (FAILOVER_PLAN's default), beside the functions' assembly.</summary>
    public const string PackagedPlanFile = "plan.json";

    /// <summary>The plan packaged with the functions, beside this assembly (where the CLI and the local AWS find it too).</summary>
    public static string PackagedPlanPath => Path.Combine(AppContext.BaseDirectory, PackagedPlanFile);

    /// <summary>Reads and validates the settings; throws naming the variable that is wrong.</summary>
    public static FunctionSettings FromEnvironment(Func<string, string?> getVariable)
    {
        var taskRoot = getVariable("LAMBDA_TASK_ROOT") ?? AppContext.BaseDirectory;
        var plan = getVariable("FAILOVER_PLAN") ?? PackagedPlanFile;
        return new FunctionSettings
        {
            PlanPath = Path.IsPathRooted(plan) ? plan : Path.Combine(taskRoot, plan),
            TopicArn = getVariable("TOPIC_ARN"),
            StateMachineArn = getVariable("STATE_MACHINE_ARN"),
            ReadinessNamespace = getVariable("READINESS_NAMESPACE"),
            DeployedScope = Scope(getVariable),
            PromotionTimeout = Seconds(getVariable, "PROMOTION_TIMEOUT_SECONDS") ?? TimeSpan.FromMinutes(30),
            RecoveryTimeout = Seconds(getVariable, "RECOVERY_TIMEOUT_SECONDS") ?? TimeSpan.FromHours(1),
            FunctionTimeout = Seconds(getVariable, "FUNCTION_TIMEOUT_SECONDS") ?? TimeSpan.FromSeconds(60),
            CheckInterval = Milliseconds(getVariable, "CHECK_INTERVAL_MILLISECONDS"),
        };
    }

    private static Failover.Core.Readiness.DeployedScope? Scope(Func<string, string?> getVariable)
    {
        string[] names = ["REPLICA_INSTANCE_ARNS", "REPLICA_CLUSTER_ARNS", "GLOBAL_CLUSTER_ARNS", "HEALTH_CHECK_ARNS", "HOSTED_ZONE_ARNS"];
        if (names.All(n => getVariable(n) is null))
        {
            return null;
        }

        IReadOnlyList<string> List(string name) => Failover.Core.Readiness.DeployedScope.ParseList(getVariable(name));
        return new Failover.Core.Readiness.DeployedScope
        {
            ReplicaInstanceArns = List(names[0]),
            ReplicaClusterArns = List(names[1]),
            GlobalClusterArns = List(names[2]),
            HealthCheckArns = List(names[3]),
            HostedZoneArns = List(names[4]),
        };
    }

    private static TimeSpan? Milliseconds(Func<string, string?> getVariable, string name)
    {
        var text = getVariable(name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds is >= 100 and <= 60_000
            ? TimeSpan.FromMilliseconds(milliseconds)
            : throw new InvalidOperationException($"{name}='{text}' must be a whole number of milliseconds from 100 to 60000.");
    }

    private static TimeSpan? Seconds(Func<string, string?> getVariable, string name)
    {
        var text = getVariable(name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : throw new InvalidOperationException($"{name}='{text}' must be a positive whole number of seconds.");
    }
}
