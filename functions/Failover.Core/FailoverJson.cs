using System.Text.Json;
using System.Text.Json.Serialization;
using Failover.Core.Plans;
using Failover.Core.Reports;
using Failover.Core.Runs;
using Failover.Core.Triggers;

namespace Failover.Core;

/// <summary>Source-generated JSON for every document the product reads or writes.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(RecoveryPlan))]
[JsonSerializable(typeof(RunState))]
[JsonSerializable(typeof(NotifyRequest))]
[JsonSerializable(typeof(NotificationSent))]
[JsonSerializable(typeof(StartRequest))]
[JsonSerializable(typeof(RunReport))]
[JsonSerializable(typeof(TriggerDecision))]
[JsonSerializable(typeof(AlarmStateChangeEvent))]
public sealed partial class FailoverJson : JsonSerializerContext
{
    /// <summary>Options for documents written for people (reports): indented.</summary>
    public static FailoverJson Indented => LazyIndented.Value;

    // Lazy: static initialisers of the generated half of this class may not have run yet.
    private static readonly Lazy<FailoverJson> LazyIndented = new(() => new FailoverJson(new JsonSerializerOptions(Default!.Options) { WriteIndented = true }));
}
