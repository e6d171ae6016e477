using System.Text;
using Failover.Core.Plans;
using Failover.Testing;

namespace Failover.Core.Tests.Plans;

/// <summary>
/// Plans written from AWS's documented samples with one error planted in each: every one must be refused with a message
/// naming its path, line and column, never let through, never a stack trace; several planted errors are all reported.
/// </summary>
public sealed class PlanDocumentPlantedErrorsTests
{
    // Line numbers below count from 1 on this text.
    private const string Plan = """
        {
          "name": "orders",
          "primaryRegion": "us-east-1",
          "recoveryRegion": "us-west-2",
          "objectives": { "rtoSeconds": 900, "rpoSeconds": 60 },
          "databases": [ { "kind": "rds-instance-replica", "id": "orders-replica" } ],
          "servers": { "tags": { "app": "orders" } },
          "switches": [
            { "kind": "switch-metric", "id": "orders-web", "namespace": "Failover", "metricName": "TrafficSwitch",
              "dimensions": { "Plan": "orders" }, "alarmName": "orders-orders-web-switch", "hostedZoneId": "Z0123456789ABCDEFGHIJ", "recordName": "orders-web.example.com." },
            { "kind": "record-upsert", "id": "www", "hostedZoneId": "Z0123456789ABCDEFGHIJ",
              "record": { "name": "www.example.com.", "type": "CNAME", "setIdentifier": "recovery", "failover": "SECONDARY", "values": [ "orders.us-west-2.example.com" ] } }
          ],
          "trigger": {
            "accountId": "123456789012",
            "alarmArns": [ "arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-primary-outage" ],
            "requireApproval": true
          }
        }
        """;

    [Fact]
    public void Parse_WhenNothingIsPlanted_ShouldAcceptThePlan()
    {
        // Act
        var plan = PlanDocument.Parse(Plan);

        // Assert
        Assert.Equal("orders", plan.Name);
    }

    [Theory]
    [InlineData("\"name\": \"orders\"", "\"name\": \"orders\\n\"", "$.name", 2)]
    [InlineData("\"recoveryRegion\": \"us-west-2\"", "\"recoveryRegion\": \"us-east-1\\n\"", "$.recoveryRegion", 4)]
    [InlineData("\"id\": \"orders-replica\"", "\"id\": \"orders-replica\\n\"", "$.databases[0].id", 6)]
    [InlineData("alarm:orders-primary-outage\"", "alarm:orders-primary-outage\\n\"", "$.trigger.alarmArns[0]", 16)]
    [InlineData("\"app\": \"orders\"", "\"app\": \"orders\\t\"", "$.servers.tags.app", 7)]
    public void Parse_WhenAStringEndsWithAControlCharacter_ShouldRefuseItWithPathAndLine(string find, string replace, string path, int line)
    {
        // Arrange
        var json = Plant(find, replace);

        // Act
        var ex = Assert.Throws<PlanInvalidException>(() => PlanDocument.Parse(json));

        // Assert
        var error = Assert.Single(ex.Errors);
        Assert.Equal((path, line), (error.Path, error.Line));
        Assert.Contains("control character", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.ToString());
    }

    [Theory]
    [InlineData("us-west-2\n")]
    [InlineData("us-west-2\r\n")]
    public void Validate_WhenARegionBuiltInCodeEndsWithANewline_ShouldRefuseIt(string recovery)
    {
        // Arrange: "us-west-2\n" used to pass the region pattern and "regions must differ".
        var plan = PlanBuilder.Sample().WithRegions(Samples.RecoveryRegion, recovery).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        var error = Assert.Single(errors, e => e.Path == "$.recoveryRegion");
        Assert.StartsWith("'us-west-2\\", error.Message, StringComparison.Ordinal);
        Assert.Contains("is not a region of the aws partition", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"app\": \"orders\"", "\"app\": null", "$.servers.tags.app", 7)]
    [InlineData("\"Plan\": \"orders\"", "\"Plan\": null", "$.switches[0].dimensions.Plan", 10)]
    [InlineData("\"values\": [ \"orders.us-west-2.example.com\" ]", "\"values\": [ null ]", "$.switches[1].record.values[0]", 12)]
    public void Parse_WhenATagDimensionOrRecordValueIsNull_ShouldRefuseItNamingIt(string find, string replace, string path, int line)
    {
        // Arrange
        var json = Plant(find, replace);

        // Act
        var ex = Assert.Throws<PlanInvalidException>(() => PlanDocument.Parse(json));

        // Assert
        var error = Assert.Single(ex.Errors);
        Assert.Equal((path, line), (error.Path, error.Line));
        Assert.Equal("must be a string, not null", error.Message);
    }

    [Fact]
    public void Validate_WhenAPlanBuiltInCodeHasANullTagValue_ShouldRefuseItNamingIt()
    {
        // Arrange
        var plan = PlanBuilder.Sample().WithServers(new ServerGroup { Tags = new Dictionary<string, string> { ["app"] = null! } }).Build();

        // Act
        var errors = PlanValidator.Validate(plan);

        // Assert
        Assert.Equal(["$.servers.tags.app: must be a string, not null"], errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_WhenAKeyIsGivenTwice_ShouldRefuseTheSecondNamingTheFirstLine()
    {
        // Arrange: the first list would be dropped silently (System.Text.Json keeps the last).
        var json = Plant("\"servers\":", "\"databases\": [ { \"kind\": \"rds-instance-replica\", \"id\": \"orders-other\" } ],\n  \"servers\":");

        // Act
        var ex = Assert.Throws<PlanInvalidException>(() => PlanDocument.Parse(json));

        // Assert
        var error = Assert.Single(ex.Errors);
        Assert.Equal(("$.databases", 7, 3), (error.Path, error.Line, error.Column));
        Assert.Contains("'databases' is given twice in this object (first on line 6)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"primaryRegion\": \"us-east-1\"", "\"primaryRegion\": \"xx-fake-1\"", "$.primaryRegion", "'xx-fake-1' is not a region of the aws partition")]
    [InlineData("\"recoveryRegion\": \"us-west-2\"", "\"recoveryRegion\": \"us-gov-west-1\"", "$.recoveryRegion", "is in the aws-us-gov partition")]
    [InlineData("\"recoveryRegion\": \"us-west-2\"", "\"recoveryRegion\": \"us-iso-east-1\"", "$.recoveryRegion", "is in the aws-iso partition")]
    [InlineData("arn:aws:cloudwatch:us-west-2:", "arn:aws-fake:cloudwatch:us-west-2:", "$.trigger.alarmArns[0]", "is in the aws-fake partition")]
    [InlineData("arn:aws:cloudwatch:us-west-2:", "arn:aws-cn:cloudwatch:us-west-2:", "$.trigger.alarmArns[0]", "is in the aws-cn partition")]
    [InlineData("arn:aws:cloudwatch:us-west-2:", "arn:aws:cloudwatch:xx-fake-1:", "$.trigger.alarmArns[0]", "the ARN's region 'xx-fake-1' is not a region of the aws partition")]
    public void Parse_WhenARegionOrArnIsOutsideTheAwsPartition_ShouldRefuseIt(string find, string replace, string path, string message)
    {
        // Arrange
        var json = Plant(find, replace);

        // Act
        var ex = Assert.Throws<PlanInvalidException>(() => PlanDocument.Parse(json));

        // Assert
        var error = Assert.Single(ex.Errors, e => e.Path == path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenAnAuroraTargetClusterIsInAMadeUpRegion_ShouldRefuseIt()
    {
        // Arrange
        var json = Plant("{ \"kind\": \"rds-instance-replica\", \"id\": \"orders-replica\" }",
            "{ \"kind\": \"aurora-global\", \"id\": \"orders-global\", \"targetClusterArn\": \"arn:aws:rds:xx-fake-1:123456789012:cluster:orders-secondary\" }");

        // Act
        var ex = Assert.Throws<PlanInvalidException>(() => PlanDocument.Parse(json));

        // Assert
        Assert.Contains(ex.Errors, e => e.Path == "$.databases[0].targetClusterArn" && e.Message.Contains("'xx-fake-1' is not a region of the aws partition", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_WhenTheBytesAreNotUtf8_ShouldRefuseThemNamingTheByteOffsetAndLine()
    {
        // Arrange: "orders" with an ISO-8859-1 é (0xE9), as a Windows editor may save it.
        var bytes = Encoding.UTF8.GetBytes(Plant("\"name\": \"orders\"", "\"name\": \"ordersX\""));
        var offset = Array.IndexOf(bytes, (byte)'X');
        bytes[offset] = 0xE9;

        // Act
        var ex = Assert.Throws<PlanInvalidException>(() => PlanDocument.Parse(bytes));

        // Assert
        var error = Assert.Single(ex.Errors);
        Assert.Equal(("$", 2, 18), (error.Path, error.Line, error.Column));
        Assert.Contains($"byte 0xE9 at byte offset {offset}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenTheTextHoldsAReplacementCharacter_ShouldRefuseIt()
    {
        // Arrange: what File.ReadAllText makes of a byte that is not UTF-8.
        var json = Plant("\"name\": \"orders\"", "\"name\": \"orders\uFFFD\"");

        // Act
        var ex = Assert.Throws<PlanInvalidException>(() => PlanDocument.Parse(json));

        // Assert
        var error = Assert.Single(ex.Errors);
        Assert.Equal(("$.name", 2), (error.Path, error.Line));
        Assert.Contains("U+FFFD", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenAUtf8ByteOrderMarkLeadsTheFile_ShouldAcceptIt()
    {
        // Arrange
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Plan)];

        // Act
        var plan = PlanDocument.Parse(bytes);

        // Assert
        Assert.Equal("orders", plan.Name);
    }

    [Fact]
    public void Parse_WhenFourErrorsArePlanted_ShouldReportAllFourInDocumentOrderWithLineAndColumn()
    {
        // Arrange: a wrong type used to hide every other error.
        var json = Plant("\"name\": \"orders\"", "\"name\": \"orders\\n\"")
            .Replace("\"recoveryRegion\": \"us-west-2\"", "\"recoveryRegion\": \"xx-fake-1\"", StringComparison.Ordinal)
            .Replace("\"rtoSeconds\": 900", "\"rtoSeconds\": \"15m\"", StringComparison.Ordinal)
            .Replace("\"app\": \"orders\"", "\"app\": null", StringComparison.Ordinal);

        // Act
        var ex = Assert.Throws<PlanInvalidException>(() => PlanDocument.Parse(json));

        // Assert
        Assert.Equal(
            [
                "$.name (line 2, column 11): 'orders\\n' holds a control character (\\n); no text in a plan may hold one, a trailing newline included",
                $"$.recoveryRegion (line 4, column 21): 'xx-fake-1' is not a region of the aws partition; expected one of {string.Join(", ", AwsRegions.All)}",
                "$.objectives.rtoSeconds (line 5, column 33): must be a whole number, not the string \"15m\"",
                "$.servers.tags.app (line 7, column 33): must be a string, not null",
            ],
            ex.Errors.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("\"alarmArns\": [ \"arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-primary-outage\" ]", "\"alarmArns\": \"arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-primary-outage\"", "$.trigger.alarmArns", "must be a list of strings, not the string \"arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-pr...\"")]
    [InlineData("\"rpoSeconds\": 60", "\"rpoSeconds\": 1.5", "$.objectives.rpoSeconds", "must be a whole number from -2147483648 to 2147483647, not the number 1.5")]
    [InlineData("\"requireApproval\": true", "\"requireApproval\": \"yes\"", "$.trigger.requireApproval", "must be true or false, not the string \"yes\"")]
    [InlineData("\"dimensions\": { \"Plan\": \"orders\" }", "\"dimensions\": [ \"Plan\" ]", "$.switches[0].dimensions", "must be an object whose values are strings, not a list")]
    [InlineData("\"servers\": { \"tags\": { \"app\": \"orders\" } }", "\"servers\": \"orders\"", "$.servers", "must be a group of servers (one wave) or an array of waves or null, not the string \"orders\"")]
    public void Parse_WhenAMemberHasTheWrongType_ShouldDescribeTheExpectedTypeInWords(string find, string replace, string path, string message)
    {
        // Arrange
        var json = Plant(find, replace);

        // Act
        var ex = Assert.Throws<PlanInvalidException>(() => PlanDocument.Parse(json));

        // Assert
        var error = Assert.Single(ex.Errors);
        Assert.Equal((path, message), (error.Path, error.Message));
    }

    [Fact]
    public void Parse_WhenTheJsonIsBrokenOnLineThree_ShouldSayLineThree()
    {
        // Arrange: System.Text.Json counts lines from 0, which users read as one line too early.
        var json = Plant("\"primaryRegion\": \"us-east-1\",", "\"primaryRegion\" \"us-east-1\",");

        // Act
        var ex = Assert.Throws<PlanInvalidException>(() => PlanDocument.Parse(json));

        // Assert
        var error = Assert.Single(ex.Errors);
        Assert.Equal(("$", 3), (error.Path, error.Line));
        Assert.StartsWith("the text is not valid JSON: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenARuleFailsOnAValueOnLineFour_ShouldLocateItThere()
    {
        // Arrange
        var json = Plant("\"recoveryRegion\": \"us-west-2\"", "\"recoveryRegion\": \"us-east-1\"");

        // Act
        var ex = Assert.Throws<PlanInvalidException>(() => PlanDocument.Parse(json));

        // Assert
        Assert.Equal("$.recoveryRegion (line 4, column 21): must differ from primaryRegion", Assert.Single(ex.Errors).ToString());
    }

    [Fact]
    public void Parse_WhenASwitchMetricHasNoAlarmName_ShouldRefuseItAsDrillsCouldNotVerifyIt()
    {
        // Arrange
        var json = Plant(", \"alarmName\": \"orders-orders-web-switch\"", "");

        // Act
        var ex = Assert.Throws<PlanInvalidException>(() => PlanDocument.Parse(json));

        // Assert
        var error = Assert.Single(ex.Errors);
        Assert.Equal(("$.switches[0].alarmName", 9), (error.Path, error.Line));
        Assert.StartsWith("is required for switch-metric", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenAMemberIsSpeltWithADifferentCase_ShouldRefuseItAsUnknown()
    {
        // Arrange
        var json = Plant("\"rtoSeconds\": 900", "\"RtoSeconds\": 900, \"rtoSeconds\": 900");

        // Act
        var ex = Assert.Throws<PlanInvalidException>(() => PlanDocument.Parse(json));

        // Assert
        var error = Assert.Single(ex.Errors);
        Assert.Equal("$.objectives.RtoSeconds", error.Path);
        Assert.StartsWith("unknown member 'RtoSeconds' (member names are case-sensitive); this object has rtoSeconds, rpoSeconds", error.Message, StringComparison.Ordinal);
    }

    private static string Plant(string find, string replace)
    {
        var json = Plan.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Plan, json);
        return json;
    }
}
