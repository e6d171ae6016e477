namespace Failover.Core.Reports;

/// <summary>One Step Functions history event, reduced to what the timeline needs.</summary>
/// <param name="Type">History event type, e.g. TaskStateEntered.</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="StateName">The state it belongs to, for state entered/exited events.</param>
/// <param name="PayloadBytes">UTF-8 size of the input or output it carries.</param>
public sealed record ExecutionHistoryEvent(string Type, DateTimeOffset Timestamp, string? StateName, int PayloadBytes);
