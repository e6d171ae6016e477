using System.Text.Json;
using System.Text.Json.Nodes;
using Failover.Core.Rpo;
using Failover.Core.Runs;

namespace Failover.Core.Tests.Runs;

/// <summary>The run document's long lists, packed so that the run stays far from Step Functions' 256 KiB per payload.</summary>
public sealed class PackedListTests
{
    [Fact]
    public void Serialize_WhenTheDatabasesAreFew_ShouldWriteThemPlain()
    {
        var run = new RunState { Databases = Databases(3) };

        var json = JsonNode.Parse(JsonSerializer.Serialize(run, FailoverJson.Default.RunState))!;

        Assert.Equal("db-002", json["databases"]!.AsArray()[1]!["id"]!.GetValue<string>());
    }

    [Fact]
    public void Serialize_WhenTheDatabasesAreMany_ShouldPackThemSmallAndReadThemBackUnchanged()
    {
        var run = new RunState { Databases = Databases(500), Switches = [new SwitchRun { Id = "web", Kind = "switch-metric" }] };
        var plainBytes = JsonSerializer.SerializeToUtf8Bytes(run.Databases, FailoverJson.Default.IReadOnlyListDatabaseRun).Length;

        var json = JsonSerializer.Serialize(run, FailoverJson.Default.RunState);
        var back = JsonSerializer.Deserialize(json, FailoverJson.Default.RunState)!;

        var packed = JsonNode.Parse(json)!["databases"]!.AsObject();
        Assert.Equal(500, packed["count"]!.GetValue<int>());
        Assert.True(json.Length * 5 < plainBytes, $"{json.Length} bytes packed, {plainBytes} plain");
        Assert.Equal(run.Databases, back.Databases);
        Assert.Equal("web", back.Switches.Single().Id);
    }

    [Theory]
    [InlineData("""{"count": 2}""", "needs \"count\"")]
    [InlineData("""{"count": 2, "gzipBase64": "not base64!"}""", "is not base64-encoded gzip")]
    [InlineData("""{"count": 2, "gzipBase64": "aGVsbG8="}""", "is not base64-encoded gzip")]
    [InlineData("\"db-001\"", "expected a list")]
    public void Deserialize_WhenThePackedListIsDamaged_ShouldSayWhatIsWrong(string databases, string expected)
    {
        var json = $$"""{"plan": "orders", "databases": {{databases}}}""";

        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, FailoverJson.Default.RunState));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("$.databases", error.Path ?? error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_WhenTheCountDisagreesWithTheEntries_ShouldRefuseTheList()
    {
        var json = JsonSerializer.Serialize(new RunState { Databases = Databases(200) }, FailoverJson.Default.RunState);
        var tampered = JsonNode.Parse(json)!;
        tampered["databases"]!["count"] = 199;

        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(tampered.ToJsonString(), FailoverJson.Default.RunState));

        Assert.Contains("holds 200 entries; its \"count\" says 199", error.Message, StringComparison.Ordinal);
    }

    private static DatabaseRun[] Databases(int count) =>
    [
        .. Enumerable.Range(1, count).Select(i => new DatabaseRun
        {
            Id = $"db-{i:000}",
            Kind = "rds-instance-replica",
            Critical = true,
            Action = DatabaseActions.PromoteInstance,
            Engine = "mysql",
            Rpo = new RpoEstimate { Seconds = 2.5, Evidence = "ReplicaLag max 2.5 s, 6 pt 17:44:35Z to 17:49:35Z; -1 from 17:50:35Z" },
            Status = DatabaseStatuses.Writable,
            Detail = "writable",
            PromotionStartedAt = DateTimeOffset.Parse("2026-11-30T17:45:00Z", System.Globalization.CultureInfo.InvariantCulture).AddSeconds(i),
            WritableAt = DateTimeOffset.Parse("2026-11-30T17:47:00Z", System.Globalization.CultureInfo.InvariantCulture).AddSeconds(i),
        }),
    ];
}
