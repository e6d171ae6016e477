using System.Text.Json.Nodes;
using Failover.Aws.Clients;
using Failover.Local;
using Failover.Local.Iam;

namespace Failover.Local.Tests;

/// <summary>
/// The execution status rule as the local AWS reads it from template.yaml, its input transformer as the
/// InputTransformer reference (API_InputTransformer.html) describes it, and the event it is applied to
/// (eventbridge-integration.html).
/// </summary>
public sealed class ExecutionStatusRuleTests
{
    [Fact]
    public void FromTemplate_WhenReadFromThePackagedTemplate_ShouldTargetNotifyFailureWithTheTemplatesTransformer()
    {
        // Act
        var rule = ExecutionStatusRule.FromTemplate(TemplatePolicies.PackagedPath);

        // Assert
        Assert.Equal("NotifyFailureFunction", rule.FunctionId);
        Assert.Equal(["ABORTED", "FAILED", "TIMED_OUT"], rule.Statuses.Order(StringComparer.Ordinal));
        Assert.Equal("$.detail.executionArn", rule.InputPathsMap["executionArn"]);
        Assert.Equal("""{"executionArn": <executionArn>, "status": <status>}""", rule.InputTemplate);
    }

    // The example of API_InputTransformer.html: a variable outside quotes is inserted as JSON (a string gets its
    // quotes), inside a JSON string as its text.
    [Fact]
    public void Transform_WhenVariablesAreInAndOutOfJsonStrings_ShouldQuoteOnlyThoseOutside()
    {
        // Arrange
        var rule = new ExecutionStatusRule("F", ["FAILED"], new Dictionary<string, string> { ["instance"] = "$.detail.instance", ["status"] = "$.detail.status" },
            """{"myInstance": <instance>,"myStatus": "<instance> is in state \"<status>\""}""");
        var evt = new JsonObject { ["detail"] = new JsonObject { ["instance"] = "i-0123456789", ["status"] = "running" } };

        // Act
        var input = rule.Transform(evt);

        // Assert
        Assert.Equal("""{"myInstance": "i-0123456789","myStatus": "i-0123456789 is in state \"running\""}""", input);
    }

    [Fact]
    public void Transform_WhenAPathIsNotInTheEvent_ShouldFailNamingIt()
    {
        // Arrange
        var rule = new ExecutionStatusRule("F", ["FAILED"], new Dictionary<string, string> { ["arn"] = "$.detail.redriveStatus" }, """{"arn": <arn>}""");

        // Act
        var error = Assert.Throws<LocalAwsException>(() => rule.Transform(new JsonObject { ["detail"] = new JsonObject() }));

        // Assert
        Assert.Equal("input path '$.detail.redriveStatus': the event has no 'redriveStatus'", error.Message);
    }

    [Fact]
    public void FromTemplate_WhenThePatternMatchesOnAFieldTheModelIgnores_ShouldRefuseInsteadOfMatchingMore()
    {
        // Arrange: the packaged template with the rule also matching on the execution name.
        var template = File.ReadAllText(TemplatePolicies.PackagedPath).Replace(
            "                stateMachineArn:\n                  - !Ref FailoverStateMachine\n            InputTransformer:",
            "                stateMachineArn:\n                  - !Ref FailoverStateMachine\n                name:\n                  - orders\n            InputTransformer:",
            StringComparison.Ordinal);
        var path = Path.Combine(Directory.CreateTempSubdirectory("failover-status-rule-").FullName, "template.yaml");
        File.WriteAllText(path, template);

        // Act
        var error = Assert.Throws<LocalAwsException>(() => ExecutionStatusRule.FromTemplate(path));

        // Assert
        Assert.Contains("matches on detail.name, which the local AWS does not model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Event_WhenBuiltFromDescribeExecution_ShouldCarryTheDetailStepFunctionsSends()
    {
        // Arrange
        var started = new DateTimeOffset(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);
        var execution = new DescribeExecutionResult("arn:aws:states:us-west-2:123456789012:execution:failover-orders:run-1", "run-1", "FAILED",
            started, started.AddMinutes(5), """{"mode":"drill"}""", null, "AwsServiceException", "refused");

        // Act
        var evt = ExecutionStatusEvents.Event(execution, started.AddMinutes(6));

        // Assert
        Assert.Equal(("aws.states", "Step Functions Execution Status Change", "123456789012", "us-west-2"),
            (evt["source"]!.GetValue<string>(), evt["detail-type"]!.GetValue<string>(), evt["account"]!.GetValue<string>(), evt["region"]!.GetValue<string>()));
        var detail = evt["detail"]!;
        Assert.Equal("arn:aws:states:us-west-2:123456789012:stateMachine:failover-orders", detail["stateMachineArn"]!.GetValue<string>());
        Assert.Equal(("run-1", "FAILED", "AwsServiceException", "refused"), (detail["name"]!.GetValue<string>(), detail["status"]!.GetValue<string>(), detail["error"]!.GetValue<string>(), detail["cause"]!.GetValue<string>()));
        Assert.Equal((started.ToUnixTimeMilliseconds(), started.AddMinutes(5).ToUnixTimeMilliseconds(), 0), (detail["startDate"]!.GetValue<long>(), detail["stopDate"]!.GetValue<long>(), detail["redriveCount"]!.GetValue<int>()));
        Assert.Equal("2026-08-01T12:05:00Z", evt["time"]!.GetValue<string>());
    }

}
