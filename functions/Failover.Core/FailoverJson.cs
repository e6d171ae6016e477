using System.Text.Json;
using System.Text.Json.Serialization;
using Failover.Core.Plans;
using Failover.Core.Reports;
using Failover.Core.Runs;
using Failover.Core.Triggers;

namespace Failover.Core;

/// <summary>
/// Source-generated JSON for every document the product reads or writes. Contract types use settable
/// properties because the generator assigns every init-only property, replacing defaults of missing
/// members with null/false (a plan without "critical" would silently make a database non-critical).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(RecoveryPlan))]
[JsonSerializable(typeof(IReadOnlyList<ServerGroup>))]
[JsonSerializable(typeof(RunState))]
[JsonSerializable(typeof(IReadOnlyList<DatabaseRun>))]
[JsonSerializable(typeof(IReadOnlyList<SwitchRun>))]
[JsonSerializable(typeof(NotifyRequest))]
[JsonSerializable(typeof(PrepareRequest))]
[JsonSerializable(typeof(Failover.Core.Services.CleanupRequest))]
[JsonSerializable(typeof(DrillCleanup))]
[JsonSerializable(typeof(Failover.Core.Services.ExecutionEndedEvent))]
[JsonSerializable(typeof(Failover.Core.Services.ExecutionEndedResult))]
[JsonSerializable(typeof(WorkflowState))]
[JsonSerializable(typeof(NotificationSent))]
[JsonSerializable(typeof(StartRequest))]
[JsonSerializable(typeof(RunReport))]
[JsonSerializable(typeof(ReportRequest))]
[JsonSerializable(typeof(TriggerDecision))]
[JsonSerializable(typeof(AlarmStateChangeEvent))]
[JsonSerializable(typeof(Failover.Core.Readiness.ReadinessEvaluation))]
[JsonSerializable(typeof(Failover.Core.Readiness.ReadinessRequest))]
public sealed partial class FailoverJson : JsonSerializerContext
{
    /// <summary>Options for documents written for people (reports): indented.</summary>
    public static FailoverJson Indented => LazyIndented.Value;

    // Lazy: static initialisers of the generated half of this class may not have run yet.
    private static readonly Lazy<FailoverJson> LazyIndented = new(() => new FailoverJson(new JsonSerializerOptions(Default!.Options) { WriteIndented = true }));
}
