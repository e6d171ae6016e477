using System.Globalization;
using System.Text.Json.Nodes;

namespace Failover.Testing;

/// <summary>
/// Builds EventBridge "CloudWatch Alarm State Change" events in the documented shape (aws-facts.md 9.1). By
/// default: the sample plan's allow-listed metric alarm going from OK to ALARM at <see cref="Samples.AlarmTimestamp"/>.
/// </summary>
public sealed class AlarmEventBuilder
{
    private readonly JsonObject _event;

    private AlarmEventBuilder(JsonObject evt) => _event = evt;

    /// <summary>The allow-listed alarm of the sample plan, OK to ALARM.</summary>
    public static AlarmEventBuilder OkToAlarm() => new(new JsonObject
    {
        ["version"] = "0",
        ["id"] = "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92",
        ["detail-type"] = "CloudWatch Alarm State Change",
        ["source"] = "aws.cloudwatch",
        ["account"] = Samples.AccountId,
        ["time"] = "2026-08-01T12:03:27Z",
        ["region"] = Samples.RecoveryRegion,
        ["resources"] = new JsonArray(Samples.AlarmArn),
        ["detail"] = new JsonObject
        {
            ["alarmName"] = Samples.AlarmName,
            ["configuration"] = new JsonObject
            {
                ["description"] = "Goes into alarm when the orders canary cannot reach the primary region",
                ["metrics"] = new JsonArray(new JsonObject
                {
                    ["id"] = "m1",
                    ["metricStat"] = new JsonObject
                    {
                        ["metric"] = new JsonObject
                        {
                            ["dimensions"] = new JsonObject { ["CanaryName"] = "orders-primary" },
                            ["name"] = "SuccessPercent",
                            ["namespace"] = "CloudWatchSynthetics",
                        },
                        ["period"] = 60,
                        ["stat"] = "Average",
                    },
                    ["returnData"] = true,
                }),
            },
            ["previousState"] = State("OK", "2026-08-01T11:40:00.000+0000"),
            ["state"] = State("ALARM", Samples.AlarmTimestamp),
        },
    });

    /// <summary>Sets a top-level member; null removes it.</summary>
    public AlarmEventBuilder With(string member, JsonNode? value) => Set(_event, member, value);

    /// <summary>Sets a member of <c>detail</c>; null removes it.</summary>
    public AlarmEventBuilder WithDetail(string member, JsonNode? value) => Set(Detail, member, value);

    public AlarmEventBuilder WithAccount(string account) => With("account", account);

    public AlarmEventBuilder WithSource(string source) => With("source", source);

    public AlarmEventBuilder WithDetailType(string detailType) => With("detail-type", detailType);

    /// <summary>Changes the alarm: its ARN in <c>resources</c> and its name in <c>detail.alarmName</c>.</summary>
    public AlarmEventBuilder WithAlarm(string alarmArn)
    {
        _event["resources"] = new JsonArray(alarmArn);
        Detail["alarmName"] = alarmArn[(alarmArn.IndexOf(":alarm:", StringComparison.Ordinal) + ":alarm:".Length)..];
        return this;
    }

    public AlarmEventBuilder WithState(string value) => SetState("state", "value", value);

    public AlarmEventBuilder WithPreviousState(string value) => SetState("previousState", "value", value);

    /// <summary>Sets <c>detail.state.reason</c>, the alarm's StateReason.</summary>
    public AlarmEventBuilder WithStateReason(string reason) => SetState("state", "reason", reason);

    /// <summary>Sets <c>detail.state.timestamp</c> verbatim (CloudWatch writes "+0000" offsets).</summary>
    public AlarmEventBuilder WithStateTimestamp(string text) => SetState("state", "timestamp", text);

    /// <summary>Sets <c>detail.state.timestamp</c> the way CloudWatch formats it.</summary>
    public AlarmEventBuilder WithStateTime(DateTimeOffset time) =>
        WithStateTimestamp(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture));

    public string Build() => _event.ToJsonString();

    public override string ToString() => Build();

    private JsonObject Detail => _event["detail"]!.AsObject();

    private static JsonObject State(string value, string timestamp) => new()
    {
        ["reason"] = value == "ALARM"
            ? "Threshold Crossed: 1 out of the last 1 datapoints [0.0 (01/08/26 12:02:00)] was less than the threshold (50.0) (minimum 1 datapoint for OK -> ALARM transition)."
            : "Threshold Crossed: 1 out of the last 1 datapoints [100.0 (01/08/26 11:39:00)] was not less than the threshold (50.0) (minimum 1 datapoint for ALARM -> OK transition).",
        ["reasonData"] = "{\"version\":\"1.0\",\"queryDate\":\"" + timestamp + "\",\"statistic\":\"Average\",\"period\":60,\"recentDatapoints\":[0.0],\"threshold\":50.0}",
        ["timestamp"] = timestamp,
        ["value"] = value,
    };

    private AlarmEventBuilder SetState(string state, string member, string value)
    {
        Detail[state]!.AsObject()[member] = value;
        return this;
    }

    private AlarmEventBuilder Set(JsonObject target, string member, JsonNode? value)
    {
        if (value is null)
        {
            target.Remove(member);
        }
        else
        {
            target[member] = value;
        }

        return this;
    }
}
