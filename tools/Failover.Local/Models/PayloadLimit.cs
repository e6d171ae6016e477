using System.Text;
using Failover.Aws.Clients;

namespace Failover.Local.Models;

/// <summary>
/// Step Functions' limit on the data a state carries, which moto 5.2.1 does not enforce: "Maximum input or output size
/// for a task, state, or execution: 256 KiB of data as a UTF-8 encoded string", applying to the input when scheduling a
/// task, entering a state or starting an execution, and to a task's result and a state's or the execution's output
/// (Step Functions Developer Guide, "Step Functions service quotas", service-quotas.html; API reference,
/// StateEnteredEventDetails and StateExitedEventDetails: "Length constraints apply to the payload size, and are expressed
/// as bytes in UTF-8 encoding", maximum length 262144). On AWS a payload over it fails the state with
/// <c>States.DataLimitExceeded</c>; here the model reads an execution's history and says where AWS would have.
/// </summary>
public static class PayloadLimit
{
    /// <summary>256 KiB, in UTF-8 bytes.</summary>
    public const int MaxBytes = 262_144;

    // Where history events carry data: state input and output, a task's parameters (TaskScheduled), a Lambda input.
    private static readonly string[] PayloadMembers = ["input", "output", "parameters"];

    /// <summary>Every payload of <paramref name="history"/> with its event, state and size, largest first.</summary>
    public static IReadOnlyList<MeasuredPayload> Measure(IReadOnlyList<HistoryEvent> history)
    {
        var measured = new List<MeasuredPayload>();
        string? state = null;
        foreach (var e in history)
        {
            state = e.Details?["name"]?.GetValue<string>() ?? state;
            foreach (var member in PayloadMembers)
            {
                if (e.Details?[member]?.GetValue<string>() is { } payload)
                {
                    measured.Add(new MeasuredPayload(e.Type, state, member, Encoding.UTF8.GetByteCount(payload)));
                }
            }
        }

        return [.. measured.OrderByDescending(p => p.Bytes)];
    }
}

/// <summary>One payload of an execution's history: the event that carried it, the state it belongs to (the state entered
/// last; inside a Parallel state, possibly the other branch's), which member, and its UTF-8 size.</summary>
public sealed record MeasuredPayload(string EventType, string? State, string Member, int Bytes)
{
    /// <summary>True when Step Functions would have refused it (<see cref="PayloadLimit.MaxBytes"/>).</summary>
    public bool OverLimit => Bytes > PayloadLimit.MaxBytes;

    /// <inheritdoc/>
    public override string ToString() => $"{Bytes:N0} bytes ({EventType} {State} {Member})";
}
