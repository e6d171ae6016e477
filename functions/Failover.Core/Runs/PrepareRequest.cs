namespace Failover.Core.Runs;

/// <summary>Input of Prepare: the execution input and the execution's name.</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record PrepareRequest
{
    /// <summary>The execution input, checked by Prepare before anything reads AWS.</summary>
    public StartRequest Request { get; set; } = new();

    /// <summary>The execution's name: tags what the run creates, so retries and the drill's cleanup find it.</summary>
    public string ExecutionName { get; set; } = "";
}
