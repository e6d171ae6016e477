using Failover.Aws;
using Failover.Aws.Adapters;
using Failover.Core.Plans;
using Failover.Core.Ports;
using Failover.Core.Services;

namespace Failover.Functions;

/// <summary>The ports the workflow's services use: AWS adapters in Lambda, in-memory fakes in tests.</summary>
/// <param name="Executions">Ended executions, for the failure notification.</param>
/// <param name="Drill">What drills create and remove (RDS copies, DRS drill instances).</param>
/// <param name="SwitchVerifier">Checks switches' wiring in drills.</param>
/// <param name="Capacity">Auto Scaling groups and ECS services (the plan's capacity).</param>
/// <param name="Notifications">Null when the function has no topic (only Notify and NotifyFailure need one).</param>
public sealed record FunctionPorts(
    IDatabaseInstances Databases,
    IAuroraClusters Aurora,
    IReplicaLagReader ReplicaLag,
    IRecoveryServers Servers,
    ITrafficSwitch TrafficSwitch,
    IExecutionTimeline Timeline,
    IExecutionDetails Executions,
    IDrillResources Drill,
    ISwitchVerifier SwitchVerifier,
    ICapacity Capacity,
    INotificationPublisher? Notifications)
{
    /// <summary>The state machine's drills, for the readiness evaluation; null unless STATE_MACHINE_ARN is set.</summary>
    public IDrillHistory? DrillHistory { get; init; }

    /// <summary>The stored readiness evaluation; null unless READINESS_NAMESPACE is set.</summary>
    public IReadinessStore? ReadinessStore { get; init; }

    /// <summary>The readiness metrics; null unless READINESS_NAMESPACE is set.</summary>
    public IReadinessMetrics? ReadinessMetrics { get; init; }

    /// <summary>The AWS adapters for <paramref name="plan"/>, scoped by the settings (topic).</summary>
    public static FunctionPorts ForAws(FunctionSettings settings, RecoveryPlan plan, AwsClients clients, TimeProvider clock)
    {
        // The primary region is only asked whether it answers (Aurora switchover or failover) and, for capacity that
        // matches the primary, its groups' desired capacity: one quick attempt.
        var primary = new AwsClients(clients.Options with { Region = plan.PrimaryRegion, MaxAttempts = 1, AttemptTimeout = PrepareService.PrimaryProbeTimeout }, clock);
        return new FunctionPorts(
            new RdsDatabaseInstances(clients.Rds),
            new AuroraClusters(clients.Rds, clients.Options.Region, primary.Rds),
            new CloudWatchReplicaLagReader(clients.CloudWatch),
            new DrsRecoveryServers(clients.Drs, clock),
            new RecoveryTrafficSwitch(clients.CloudWatch, clients.Route53),
            new StepFunctionsExecutionTimeline(clients.StepFunctions),
            new StepFunctionsExecutionDetails(clients.StepFunctions),
            new DrillResources(clients.Rds, clients.Drs),
            new SwitchVerifier(clients.CloudWatch, clients.Route53),
            new AwsCapacity(clients.AutoScaling, clients.Ecs, primary.AutoScaling),
            settings.TopicArn is { Length: > 0 } topic ? new SnsNotificationPublisher(clients.Sns, topic) : null)
        {
            DrillHistory = settings.StateMachineArn is { Length: > 0 } machine ? new StepFunctionsDrillHistory(clients.StepFunctions, machine, plan) : null,
            ReadinessStore = settings.ReadinessNamespace is { Length: > 0 } ? new SsmReadinessStore(clients.Ssm, plan.Name) : null,
            ReadinessMetrics = settings.ReadinessNamespace is { Length: > 0 } ns ? new CloudWatchReadinessMetrics(clients.CloudWatch, ns) : null,
        };
    }
}
