using System.Collections;
using Failover.Aws;
using Failover.Core.Plans;
using Failover.Core.Reports;
using Failover.Core.Services;
using Failover.Core.Triggers;

namespace Failover.Functions;

/// <summary>
/// The composition root: plan, clients and domain services, built once per container (or once per local
/// gateway) and shared by every handler.
/// </summary>
public sealed class FunctionHost
{
    private static readonly Lazy<FunctionHost> FromEnvironmentOnce = new(() =>
    {
        var names = Environment.GetEnvironmentVariables().Keys.Cast<object>().Select(k => k.ToString()!).ToList();
        var aws = AwsOptions.FromEnvironment(Environment.GetEnvironmentVariable, names);
        return ForAws(FunctionSettings.FromEnvironment(Environment.GetEnvironmentVariable), new AwsClients(aws, TimeProvider.System), TimeProvider.System, Console.Out);
    });

    /// <summary>Builds the services over the given ports; reads and validates the plan now so a bad plan fails the first call clearly.</summary>
    public FunctionHost(FunctionSettings settings, FunctionPorts ports, TriggerPorts? triggerPorts, TimeProvider clock, TextWriter log)
        : this(settings, LoadPlan(settings), _ => ports, triggerPorts, clock, log)
    {
    }

    private FunctionHost(FunctionSettings settings, RecoveryPlan plan, Func<RecoveryPlan, FunctionPorts> portsForPlan, TriggerPorts? triggerPorts, TimeProvider clock, TextWriter log)
    {
        Settings = settings;
        Clock = clock;
        Log = new JsonLog(log, clock);
        Plan = plan;
        var ports = portsForPlan(plan);
        var preparePorts = new PreparePorts(ports.Databases, ports.Aurora, ports.ReplicaLag, ports.Servers, ports.TrafficSwitch, ports.Capacity);
        Prepare = new PrepareService(Plan, preparePorts, clock);
        Databases = new DatabasePromotionService(
            new DatabasePorts(ports.Databases, ports.Aurora, ports.ReplicaLag, ports.Drill, Plan.RecoveryRegion, id => Plan.Databases.FirstOrDefault(d => d.Id == id)?.DrillMethod ?? DrillMethods.Verify),
            clock,
            settings.PromotionTimeout);
        Drills = new DrillService(Plan, ports.SwitchVerifier);
        DrillCleanup = new DrillCleanupService(ports.Drill, clock, settings.WaitBudget);
        Servers = new ServerRecoveryService(Plan, ports.Servers, clock, settings.RecoveryTimeout);
        Traffic = new TrafficSwitchService(Plan, ports.TrafficSwitch, clock);
        Capacity = new CapacityService(Plan, ports.Capacity, clock);
        Watch = new CompletionWatch(clock, settings.CheckInterval ?? TimeSpan.FromSeconds(1), settings.CheckInterval is null ? TimeSpan.Zero : settings.WaitBudget);
        Reports = new ReportService(ports.Timeline, Plan.Objectives.RtoSeconds);
        Notifications = ports.Notifications is null ? null : new NotificationService(Plan, ports.Notifications);
        ExecutionEnded = Notifications is null ? null : new ExecutionEndedService(ports.Executions, DrillCleanup, Notifications);
        Trigger = triggerPorts?.CreateService(Plan, clock);
        Readiness = ports is { DrillHistory: { } drills, ReadinessStore: { } store, ReadinessMetrics: { } metrics }
            ? new ReadinessService(Plan, new ReadinessPorts(preparePorts, ports.SwitchVerifier, drills, store, metrics, ports.Notifications, settings.DeployedScope, [new CapacityReadiness(Plan, ports.Capacity, clock)]), clock)
            : null;
    }

    /// <summary>A host whose ports are the AWS adapters.</summary>
    public static FunctionHost ForAws(FunctionSettings settings, AwsClients clients, TimeProvider clock, TextWriter log) =>
        new(settings, LoadPlan(settings), plan => FunctionPorts.ForAws(settings, plan, clients, clock), TriggerPorts.ForAws(settings, clients), clock, log);

    /// <summary>The host of this Lambda container, from its environment.</summary>
    public static FunctionHost Shared => FromEnvironmentOnce.Value;

    /// <summary>The environment settings the host was built from (plan path, timeouts, topic, state machine); <see cref="InvocationDeadline"/> reads the function's timeout from it.</summary>
    public FunctionSettings Settings { get; }

    /// <summary>The clock every service and the log share: the system clock in Lambda, a controllable one in tests and the local gateway.</summary>
    public TimeProvider Clock { get; }

    /// <summary>One-line JSON log to the function's output (CloudWatch Logs in Lambda), stamped with <see cref="Clock"/>.</summary>
    public JsonLog Log { get; }

    /// <summary>The packaged plan (FAILOVER_PLAN), parsed and validated when the host is built; every service works on it.</summary>
    public RecoveryPlan Plan { get; }

    /// <summary>Behind Prepare: validates the run's input against the plan and checks readiness and the RPO gate.</summary>
    public PrepareService Prepare { get; }

    /// <summary>Behind Promote databases and Check databases: makes the plan's databases writable in the recovery region and follows them, within PROMOTION_TIMEOUT_SECONDS.</summary>
    public DatabasePromotionService Databases { get; }

    /// <summary>Behind Start recovery and Check recovery: launches the plan's servers through DRS jobs in batches and follows them, within RECOVERY_TIMEOUT_SECONDS.</summary>
    public ServerRecoveryService Servers { get; }

    /// <summary>Behind Verify switches in a drill: checks each traffic switch is wired without flipping it.</summary>
    public DrillService Drills { get; }

    /// <summary>Behind Clean up drill (every exit of a drill) and after a drill execution that ended unsuccessfully: removes what the drill created, waiting up to the wait budget for DRS launches still in progress.</summary>
    public DrillCleanupService DrillCleanup { get; }

    /// <summary>Behind Switch traffic and Check traffic: flips each switch to the recovery region and follows Route 53 changes until INSYNC.</summary>
    public TrafficSwitchService Traffic { get; }

    /// <summary>Behind Scale compute: raises the plan's Auto Scaling groups and ECS services in the recovery region to their targets.</summary>
    public CapacityService Capacity { get; }

    /// <summary>Behind Report: builds the run report from the execution's history, measured against the plan's RTO in seconds.</summary>
    public ReportService Reports { get; }

    /// <summary>Null unless TOPIC_ARN is set.</summary>
    public NotificationService? Notifications { get; }

    /// <summary>What follows an execution that ended unsuccessfully; null unless TOPIC_ARN is set.</summary>
    public ExecutionEndedService? ExecutionEnded { get; }

    /// <summary>How the check steps keep looking within one invocation: every CHECK_INTERVAL_MILLISECONDS for up to
    /// <see cref="FunctionSettings.WaitBudget"/>; without the setting, one look per invocation.</summary>
    public CompletionWatch Watch { get; }

    /// <summary>Null unless STATE_MACHINE_ARN is set.</summary>
    public TriggerService? Trigger { get; }

    /// <summary>The readiness evaluation; null unless STATE_MACHINE_ARN and READINESS_NAMESPACE are set.</summary>
    public ReadinessService? Readiness { get; }

    private static RecoveryPlan LoadPlan(FunctionSettings settings) => File.Exists(settings.PlanPath)
        ? PlanDocument.Parse(File.ReadAllText(settings.PlanPath))
        : throw new FileNotFoundException($"Plan file not found at '{settings.PlanPath}' (FAILOVER_PLAN).", settings.PlanPath);

    /// <summary>A token that fires shortly before the function's own timeout.</summary>
    public CancellationTokenSource InvocationDeadline() =>
        new(Settings.FunctionTimeout - TimeSpan.FromSeconds(Math.Min(2, Settings.FunctionTimeout.TotalSeconds / 10)), Clock);
}
