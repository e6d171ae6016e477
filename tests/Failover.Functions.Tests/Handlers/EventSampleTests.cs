using System.Text.Json;
using System.Text.Json.Nodes;
using Failover.Testing;
using Failover.Functions.Tests.Hosting;

namespace Failover.Functions.Tests.Handlers;

/// <summary>The event samples themselves: valid JSON, and the adjusted copies keep the documented shape.</summary>
public sealed class EventSampleTests
{
    public static TheoryData<string> All => [.. EventSamples.All];

    public static TheoryData<string, string> AdjustedCopies => new()
    {
        { EventSamples.MetricAlarmDoc, EventSamples.MetricOkToAlarm },
        { EventSamples.MetricAlarmDoc, EventSamples.MetricAlarmToOk },
        { EventSamples.CompositeAlarmDoc, EventSamples.CompositeOkToAlarm },
        { EventSamples.SnsAlarmDoc, EventSamples.SnsAlarm },
    };

    [Theory]
    [MemberData(nameof(All))]
    public void Sample_WhenRead_ShouldBeOneJsonObject(string sample)
    {
        // Act
        using var document = JsonDocument.Parse(EventSamples.Read(sample));

        // Assert
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
    }

    [Theory]
    [MemberData(nameof(AdjustedCopies))]
    public void AdjustedCopy_WhenComparedWithTheDocumentedSample_ShouldHaveTheSameMembers(string documented, string adjusted)
    {
        // Act
        var expected = Members(JsonNode.Parse(EventSamples.Read(documented))!, "$");
        var actual = Members(JsonNode.Parse(EventSamples.Read(adjusted))!, "$");

        // Assert
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(EventSamples.MetricOkToAlarm)]
    [InlineData(EventSamples.MetricAlarmToOk)]
    [InlineData(EventSamples.CompositeOkToAlarm)]
    public void AdjustedEventBridgeCopy_WhenRead_ShouldNameThePlansAccountAndAlarm(string sample)
    {
        // Arrange
        var evt = JsonNode.Parse(EventSamples.Read(sample))!;

        // Act
        var account = (string?)evt["account"];
        var resource = (string?)evt["resources"]![0];
        var name = (string?)evt["detail"]!["alarmName"];

        // Assert
        Assert.Equal((Samples.AccountId, Samples.AlarmArn, Samples.AlarmName), (account, resource, name));
        Assert.Equal(Samples.RecoveryRegion, (string?)evt["region"]);
    }

    [Fact]
    public void CompositeSamples_WhenRead_ShouldHaveAnAlarmRuleAndNoMetrics()
    {
        // Arrange
        var samples = new[] { EventSamples.CompositeAlarmDoc, EventSamples.CompositeOkToAlarm }.Select(s => JsonNode.Parse(EventSamples.Read(s))!);

        // Assert
        Assert.All(samples, s =>
        {
            var configuration = s["detail"]!["configuration"]!.AsObject();
            Assert.StartsWith("ALARM(", (string?)configuration["alarmRule"], StringComparison.Ordinal);
            Assert.False(configuration.ContainsKey("metrics"));
        });
    }

    [Fact]
    public void SnsSample_WhenMessageIsParsedAgain_ShouldBeTheAlarmOfThePlan()
    {
        // Arrange
        var record = JsonNode.Parse(EventSamples.Read(EventSamples.SnsAlarm))!["Records"]![0]!;

        // Act
        var message = JsonNode.Parse((string)record["Sns"]!["Message"]!)!;

        // Assert
        Assert.Equal("aws:sns", (string?)record["EventSource"]);
        Assert.Equal(Samples.AlarmArn, (string?)message["AlarmArn"]);
        Assert.Equal(Samples.AccountId, (string?)message["AWSAccountId"]);
        Assert.Equal("ALARM", (string?)message["NewStateValue"]);
        Assert.Equal("US West (Oregon)", (string?)message["Region"]);
        Assert.Equal("ALARM: \"orders-primary-outage\" in US West (Oregon)", (string?)record["Sns"]!["Subject"]);
    }

    private static List<string> Members(JsonNode node, string path)
    {
        var members = new List<string>();
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    members.Add($"{path}.{key}");

                    // Dimension names are data (InstanceId, CanaryName), not part of the event's shape.
                    if (value is not null && key != "dimensions")
                    {
                        members.AddRange(Members(value, $"{path}.{key}"));
                    }
                }

                break;
            case JsonArray array when array.Count > 0 && array[0] is { } first:
                members.AddRange(Members(first, path + "[]"));
                break;
            case JsonValue value when value.TryGetValue<string>(out var text) && text.StartsWith('{'):
                members.AddRange(Members(JsonNode.Parse(text)!, path + "<json>"));
                break;
        }

        return members;
    }
}
