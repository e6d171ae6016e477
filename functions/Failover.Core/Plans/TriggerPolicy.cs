using System.Text.Json.Serialization;

namespace Failover.Core.Plans;

/// <summary>Which alarms may start a failover, and how executions are named.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TriggerPolicy
{
    /// <summary>The only account whose alarms are accepted.</summary>
    public string AccountId { get; set; } = "";

    /// <summary>Allow-listed alarm ARNs.</summary>
    public IReadOnlyList<string> AlarmArns { get; set; } = [];

    /// <summary>Alarm transitions within one window start one execution.</summary>
    public int DecisionWindowMinutes { get; set; } = 15;
}
