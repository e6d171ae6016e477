using Failover.Aws.Clients;
using Failover.Aws.Transport;
using Failover.Core.Services;
using Failover.Local;
using Failover.Testing;

namespace Failover.Local.Tests.Moto;

/// <summary>The fixes moto 5.2.1 gets as moto_server starts (tools/Failover.Local/moto/sitecustomize.py), through the local AWS.</summary>
public sealed class MotoFixesTests : IAsyncLifetime
{
    private const string Region = "us-west-2";
    private LocalAws _aws = null!;

    public async Task InitializeAsync() => _aws = await LocalAws.StartAsync(null, CancellationToken.None);

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    // getmoto/moto#10077: the second StartExecution of a state machine that had run failed with HTTP 500.
    [Fact]
    public async Task StartExecution_WhenTheStateMachineHasRunBefore_ShouldRunEachExecutionToItsEnd()
    {
        // Arrange
        var stepFunctions = _aws.Clients(Region, TimeProvider.System).StepFunctions;
        var stateMachine = await stepFunctions.CreateStateMachineAsync("twice", """{"StartAt":"Done","States":{"Done":{"Type":"Pass","End":true}}}""", "arn:aws:iam::123456789012:role/twice", CancellationToken.None);

        // Act
        var statuses = new List<string>();
        foreach (var name in new[] { "first", "second", "third" })
        {
            var started = await stepFunctions.StartExecutionAsync(stateMachine, name, """{"run":"%"}""".Replace("%", name, StringComparison.Ordinal), CancellationToken.None);
            statuses.Add(await EndStatusAsync(started.ExecutionArn));
        }

        // Assert
        Assert.Equal(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"], statuses);
        Assert.Equal(3, (await stepFunctions.ListExecutionsAsync(stateMachine, "SUCCEEDED", CancellationToken.None)).Count);
    }

    // Each JSONPath is compiled once and shared by every execution and Parallel branch: what it selects must not change.
    [Fact]
    public async Task StartExecution_WhenParallelBranchesReadTheSamePaths_ShouldSelectWhatEachPathNames()
    {
        // Arrange: three branches read the same paths side by side, then a Pass merges their parts as the workflow does.
        var stepFunctions = _aws.Clients(Region, TimeProvider.System).StepFunctions;
        const string branch = """{"StartAt":"Pick","States":{"Pick":{"Type":"Choice","Choices":[{"Variable":"$.run.flag","BooleanEquals":true,"Next":"Part"}],"Default":"Other"},"Part":{"Type":"Pass","Parameters":{"part.$":"$.run.part","mark":"%"},"End":true},"Other":{"Type":"Fail","Error":"WrongChoice"}}}""";
        var definition = """{"StartAt":"Branches","States":{"Branches":{"Type":"Parallel","Branches":[B1,B2,B3],"ResultSelector":{"first.$":"$[0]","second.$":"$[1]","third.$":"$[2]"},"Next":"Merge"},"Merge":{"Type":"Pass","Parameters":{"merged.$":"States.JsonMerge($.first, States.JsonMerge($.second, $.third, false), false)"},"End":true}}}"""
            .Replace("B1", branch.Replace("%", "a", StringComparison.Ordinal), StringComparison.Ordinal)
            .Replace("B2", branch.Replace("%", "b", StringComparison.Ordinal).Replace("\"part.$\"", "\"other.$\"", StringComparison.Ordinal), StringComparison.Ordinal)
            .Replace("B3", branch.Replace("%", "c", StringComparison.Ordinal), StringComparison.Ordinal);
        var stateMachine = await stepFunctions.CreateStateMachineAsync("paths", definition, "arn:aws:iam::123456789012:role/paths", CancellationToken.None);

        // Act
        var outputs = new List<string?>();
        foreach (var (name, part) in new[] { ("one", 1), ("two", 2) })
        {
            var started = await stepFunctions.StartExecutionAsync(stateMachine, name, $$$"""{"run":{"flag":true,"part":{{{part}}}}}""", CancellationToken.None);
            await EndStatusAsync(started.ExecutionArn);
            outputs.Add((await stepFunctions.DescribeExecutionAsync(started.ExecutionArn, CancellationToken.None)).Output);
        }

        // Assert: the later part wins a shallow merge, and each execution sees its own input.
        Assert.Equal(["""{"merged":{"part":1,"mark":"c","other":1}}""", """{"merged":{"part":2,"mark":"c","other":2}}"""], outputs.Select(o => System.Text.Json.Nodes.JsonNode.Parse(o!)!.ToJsonString()));
    }

    // A Lambda task with "InvocationType": "Event" does not wait for the function (moto dropped the parameter and waited).
    [Fact]
    public async Task StartExecution_WhenALambdaTaskInvokesAsynchronously_ShouldGoOnWhileTheFunctionRuns()
    {
        // Arrange: the function is held until the execution has ended; a synchronous invocation would never let it end.
        var stepFunctions = _aws.Clients(Region, TimeProvider.System).StepFunctions;
        var invoked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _aws.Gateway.AddFunction("held-notice", async (input, cancellationToken) =>
        {
            invoked.TrySetResult();
            await released.Task.WaitAsync(cancellationToken);
            return new MemoryStream("{}"u8.ToArray());
        });
        const string definition = """{"StartAt":"Notice","States":{"Notice":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"arn:aws:lambda:us-west-2:123456789012:function:held-notice","InvocationType":"Event","Payload":{"event":"started"}},"ResultSelector":{"status.$":"$.StatusCode"},"ResultPath":"$.notice","End":true}}}""";
        var stateMachine = await stepFunctions.CreateStateMachineAsync("async-notice", definition, "arn:aws:iam::123456789012:role/async-notice", CancellationToken.None);

        try
        {
            // Act
            var started = await stepFunctions.StartExecutionAsync(stateMachine, "notice", "{}", CancellationToken.None);
            var status = await EndStatusAsync(started.ExecutionArn);

            // Assert: Lambda accepted the event (202), and the function was still running when the execution ended.
            Assert.Equal("SUCCEEDED", status);
            Assert.False(released.Task.IsCompleted);
            var output = (await stepFunctions.DescribeExecutionAsync(started.ExecutionArn, CancellationToken.None)).Output;
            Assert.Equal("""{"notice":{"status":202}}""", System.Text.Json.Nodes.JsonNode.Parse(output!)!.ToJsonString());
            await invoked.Task.WaitAsync(TimeSpan.FromMinutes(1));
        }
        finally
        {
            released.TrySetResult();
        }
    }

    // One Lambda client per region serves every Lambda task (moto made one per invocation, the first of them loading
    // botocore's Lambda model inside the day's first task).
    [Fact]
    public async Task LambdaTaskClient_WhenAskedTwiceForARegion_ShouldBeTheSameClientAndAnotherForAnotherRegion()
    {
        // Arrange
        const string script = """
            from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils as tasks
            first = tasks.boto_client_for(region="us-west-2", service="lambda", state_credentials=None)
            again = tasks.boto_client_for(region="us-west-2", service="lambda", state_credentials=None)
            other = tasks.boto_client_for(region="us-east-1", service="lambda", state_credentials=None)
            print(first is again, other is first, other.meta.region_name)
            """;

        // Act
        var run = await RunWithTheFixesAsync(script);

        // Assert
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("True False us-east-1", run.StandardOutput.Trim());
    }

    // moto's request dispatcher asked whether a host names one of its services by listing moto's package folder (an isdir
    // for each of about 180 entries), on every request and under the one lock every request passes.
    [Fact]
    public async Task BackendForHost_WhenRequestsArrive_ShouldNotListMotosFolderForEach()
    {
        // Arrange: folder listings counted from here on.
        const string script = """
            import os
            from moto.moto_server.werkzeug_app import DomainDispatcherApplication
            dispatcher = DomainDispatcherApplication(create_app=None)
            listed = []
            listdir = os.listdir
            os.listdir = lambda path=".": listed.append(path) or listdir(path)
            answers = [dispatcher.get_backend_for_host(host) for host in ("stepfunctions", "stepfunctions", "cloudwatch", "monitoring.us-west-2.amazonaws.com", "nothing-of-moto")]
            print(len(listed), answers)
            """;

        // Act
        var run = await RunWithTheFixesAsync(script);

        // Assert: the same answers as moto's own, without a listing.
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("0 ['stepfunctions', 'stepfunctions', 'cloudwatch', 'cloudwatch', None]", run.StandardOutput.Trim());
    }

    // werkzeug logged every request line to stderr, which the process that started moto kept in memory.
    [Fact]
    public async Task RequestLog_WhenARequestIsServed_ShouldLogWarningsButNotTheRequestLine()
    {
        // Arrange
        const string script = """
            import logging
            from werkzeug._internal import _log
            _log("info", "a request line")
            _log("warning", "a warning")
            print(logging.getLogger("werkzeug").getEffectiveLevel() == logging.WARNING)
            """;

        // Act
        var run = await RunWithTheFixesAsync(script);

        // Assert
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("True", run.StandardOutput.Trim());
        Assert.DoesNotContain("a request line", run.Output, StringComparison.Ordinal);
        Assert.Contains("a warning", run.Output, StringComparison.Ordinal);
    }

    // The shared client serves Parallel branches that invoke at the same time.
    [Fact]
    public async Task StartExecution_WhenParallelBranchesInvokeLambdaAtTheSameTime_ShouldGiveEachBranchItsOwnAnswer()
    {
        // Arrange: each invocation answers only once all four are in progress, so the four are truly concurrent.
        const int branches = 4;
        var stepFunctions = _aws.Clients(Region, TimeProvider.System).StepFunctions;
        var arrived = 0;
        var allIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _aws.Gateway.AddFunction("echo-branch", async (input, cancellationToken) =>
        {
            var request = await System.Text.Json.Nodes.JsonNode.ParseAsync(input, cancellationToken: cancellationToken);
            if (Interlocked.Increment(ref arrived) == branches)
            {
                allIn.TrySetResult();
            }

            await allIn.Task.WaitAsync(cancellationToken);
            return new MemoryStream(System.Text.Encoding.UTF8.GetBytes($$"""{"answer":"{{request!["branch"]}}"}"""));
        });
        var branch = """{"StartAt":"Echo","States":{"Echo":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"arn:aws:lambda:us-west-2:123456789012:function:echo-branch","Payload":{"branch":"%"}},"ResultSelector":{"answer.$":"$.Payload.answer"},"End":true}}}""";
        var definition = """{"StartAt":"Branches","States":{"Branches":{"Type":"Parallel","Branches":[%],"End":true}}}"""
            .Replace("%", string.Join(",", Enumerable.Range(1, branches).Select(i => branch.Replace("%", $"b{i}", StringComparison.Ordinal))), StringComparison.Ordinal);
        var stateMachine = await stepFunctions.CreateStateMachineAsync("concurrent-invokes", definition, "arn:aws:iam::123456789012:role/concurrent-invokes", CancellationToken.None);

        // Act
        var started = await stepFunctions.StartExecutionAsync(stateMachine, "together", "{}", CancellationToken.None);
        var status = await EndStatusAsync(started.ExecutionArn);

        // Assert
        Assert.Equal("SUCCEEDED", status);
        var output = (await stepFunctions.DescribeExecutionAsync(started.ExecutionArn, CancellationToken.None)).Output;
        Assert.Equal("""[{"answer":"b1"},{"answer":"b2"},{"answer":"b3"},{"answer":"b4"}]""", System.Text.Json.Nodes.JsonNode.Parse(output!)!.ToJsonString());
    }

    // Each definition is parsed once; a definition with syntax errors must still be refused every time.
    [Fact]
    public async Task CreateStateMachine_WhenTheSameBrokenDefinitionIsGivenTwice_ShouldRefuseItBothTimes()
    {
        // Arrange
        var stepFunctions = _aws.Clients(Region, TimeProvider.System).StepFunctions;
        const string broken = """{"StartAt":"Done","States":{"Done":{"Type":"Pass","End":true,}}}""";

        // Act
        var first = await Record.ExceptionAsync(() => stepFunctions.CreateStateMachineAsync("broken-1", broken, "arn:aws:iam::123456789012:role/broken", CancellationToken.None));
        var second = await Record.ExceptionAsync(() => stepFunctions.CreateStateMachineAsync("broken-2", broken, "arn:aws:iam::123456789012:role/broken", CancellationToken.None));

        // Assert: moto 5.2.1 refuses it with HTTP 400 and the parser's message (AWS names the error InvalidDefinition).
        foreach (var refusal in new[] { first, second })
        {
            var refused = Assert.IsAssignableFrom<AwsServiceException>(refusal);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("ASLParserException line 1:", refused.Message, StringComparison.Ordinal);
        }
    }

    // Models are loaded with one loader, moto's own: its paginators (which name the attribute a page token keeps) still apply.
    [Fact]
    public async Task DescribeDBInstances_WhenTheRegionHoldsMoreThanOnePage_ShouldListEveryInstanceAcrossThePages()
    {
        // Arrange: RDS pages DescribeDBInstances at 100 records by default; a page token names the last instance it holds.
        var rds = _aws.Clients(Region, TimeProvider.System).Rds;
        string[] ids = [.. Enumerable.Range(1, 101).Select(i => $"paged-{i:000}")];
        await Bounded.SelectAsync(ids, 8, (id, ct) => rds.CreateDBInstanceAsync(new CreateDBInstanceRequest(id, "postgres", "db.t3.micro", 20, "admin", "password-123"), ct), CancellationToken.None);

        // Act
        var pages = await rds.DescribeDBInstancesAsync(null, CancellationToken.None);

        // Assert
        Assert.Equal(ids, pages.Select(i => i.DBInstanceIdentifier).Order(StringComparer.Ordinal));
    }

    // GetMetricData answers each query from its own metric's datapoints (moto scanned every datapoint per period).
    [Fact]
    public async Task GetMetricData_WhenQueriesNameMetricsThatDifferOnlyByDimensionOrNamespace_ShouldAnswerEachFromItsOwnDatapoints()
    {
        // Arrange
        var cloudWatch = _aws.Clients(Region, TimeProvider.System).CloudWatch;
        var now = DateTimeOffset.UtcNow;
        Dictionary<string, string> Db(string id) => new(StringComparer.Ordinal) { ["DBInstanceIdentifier"] = id };
        await cloudWatch.PutMetricDataAsync("Test/Lag", [new MetricDatum("ReplicaLag", 1, Db("db-1")) { Timestamp = now }, new MetricDatum("ReplicaLag", 2, Db("db-2")) { Timestamp = now }], CancellationToken.None);
        await cloudWatch.PutMetricDataAsync("Test/Other", [new MetricDatum("ReplicaLag", 40, Db("db-1")) { Timestamp = now }], CancellationToken.None);
        var noDimensions = new Dictionary<string, string>(StringComparer.Ordinal);

        // Act
        var results = await cloudWatch.GetMetricDataAsync(
            [
                new MetricDataQuery("one", "Test/Lag", "ReplicaLag", Db("db-1"), 60, "Sum"),
                new MetricDataQuery("two", "Test/Lag", "ReplicaLag", Db("db-2"), 60, "Sum"),
                new MetricDataQuery("other", "Test/Other", "ReplicaLag", Db("db-1"), 60, "Sum"),
                new MetricDataQuery("both", "Test/Lag", "ReplicaLag", noDimensions, 60, "Sum"),
                new MetricDataQuery("none", "Test/Lag", "ReplicaLag", Db("db-3"), 60, "Sum"),
            ],
            now.AddMinutes(-5), now.AddMinutes(5), CancellationToken.None);

        // Assert
        Assert.Equal(
            [("both", 3.0), ("none", 0.0), ("one", 1.0), ("other", 40.0), ("two", 2.0)],
            results.Select(r => (r.Id, r.Values.Sum())).OrderBy(r => r.Id, StringComparer.Ordinal));
    }

    private async Task<string> EndStatusAsync(string executionArn)
    {
        var stepFunctions = _aws.Clients(Region, TimeProvider.System).StepFunctions;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var status = (await stepFunctions.DescribeExecutionAsync(executionArn, timeout.Token)).Status;
            if (status != "RUNNING")
            {
                return status;
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    // Each JSONPath's first compilation built a PLY lexer (reading the lexer's source to validate it): now each lexer class
    // is built once, as moto_server starts (the day's run is a moto_server's first execution), and copied for each path;
    // what each path selects is unchanged, quoted names (which push and pop lexer states) too.
    [Fact]
    public async Task JsonPathCompilation_WhenDistinctPathsAreCompiled_ShouldFindTheLexersBuiltAheadAndSelectWhatEachNames()
    {
        // Arrange: lexer builds counted (PLY validates each lexer it builds) once the thread that builds them ahead ended.
        const string script = """
            import threading
            import jsonpath_ng._ply.lex as ply_lex
            from moto.stepfunctions.parser.asl.component.common.path import result_path
            from moto.stepfunctions.parser.asl.utils import json_path
            for ahead in [t for t in threading.enumerate() if t.name == "path lexers made ahead"]:
                ahead.join()
            built = []
            validate = ply_lex.LexerReflect.validate_all
            ply_lex.LexerReflect.validate_all = lambda self: built.append(1) or validate(self)
            data = {"run": {"plan name": "orders", "databases": [{"id": "a"}, {"id": "b"}]}, "it's": 1}
            paths = ["$.run['plan name']", "$.run.databases[1].id", "$.run.databases[*].id", "$['it\\'s']", "$.run.databases[0].id"]
            selected = [[match.value for match in json_path.parse(path).find(data)] for path in paths]
            updated = result_path.parse("$.run.plan").update_or_create(data, "billing")
            print(len(built), selected, updated["run"]["plan"])
            """;

        // Act
        var run = await RunWithTheFixesAsync(script);

        // Assert: no lexer built for the paths of either parser (moto's lexer before: one for each path; with lexers built
        // once but on first use: two), and each path selects what it names.
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("0 [['orders'], ['b'], ['a', 'b'], [1], ['a']] billing", run.StandardOutput.Trim());
    }

    // Each execution builds its own program from the definition (14-19 ms for the workflow's), and the run's first state
    // waited for it: the program is now built ahead, as the state machine is created and after each execution, and each
    // execution still gets a program of its own.
    [Fact]
    public async Task StartExecution_WhenAProgramWasBuiltAhead_ShouldStartFromItAndRunEachExecutionToItsEnd()
    {
        // Arrange: programs built from here on, other than ahead, are counted.
        const string script = """
            import threading, time
            from moto.core.config import default_user_config
            default_user_config["stepfunctions"]["execute_state_machine"] = True
            from moto.stepfunctions.parser.asl.parse import asl_parser
            from moto.stepfunctions.parser.models import stepfunctions_parser_backends
            backend = stepfunctions_parser_backends["123456789012"]["us-west-2"]
            definition = '{"StartAt": "Done", "States": {"Done": {"Type": "Pass", "Result": {"done": true}, "End": true}}}'
            machine = backend.create_state_machine(name="made-ahead", definition=definition, roleArn="arn:aws:iam::123456789012:role/run")
            built = []
            parse = asl_parser.AmazonStateLanguageParser.parse
            def counted(text):
                if threading.current_thread().name != "program made ahead":
                    built.append(1)
                return parse(text)
            time.sleep(1)
            asl_parser.AmazonStateLanguageParser.parse = staticmethod(counted)
            ended = []
            for name in ("first", "second"):
                arn = backend.start_execution(machine.arn, name=name, execution_input="{}").exec_arn
                while backend.describe_execution(arn).exec_status == "RUNNING":
                    time.sleep(0.05)
                execution = backend.describe_execution(arn)
                ended.append(f"{execution.exec_status.value} {execution.output}")
                time.sleep(1)
            print(len(built), ended)
            """;

        // Act
        var run = await RunWithTheFixesAsync(script);

        // Assert: neither execution built its program as it started, and each ran to its own end.
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("0 [\"SUCCEEDED {'done': True}\", \"SUCCEEDED {'done': True}\"]", run.StandardOutput.Trim());
    }

    // SNS signs each message it delivers; moto made an RSA-2048 key for each subscription's first delivery (13-117 ms of
    // CPU), inside the day's first notice. One key, made as moto_server starts, signs every delivery, as SNS signs with
    // one certificate.
    [Fact]
    public async Task SnsDelivery_WhenTwoSubscriptionsReceiveTheirFirstMessage_ShouldSignWithTheKeyMadeAsMotoStarted()
    {
        // Arrange: keys made from here on are counted.
        const string script = """
            from cryptography.hazmat.primitives.asymmetric import rsa
            from moto.sns.models import sns_backends
            made = []
            generate = rsa.generate_private_key
            rsa.generate_private_key = lambda *args, **kwargs: made.append(1) or generate(*args, **kwargs)
            backend = sns_backends["123456789012"]["us-west-2"]
            topic = backend.create_topic("notices")
            first = backend.subscribe(topic.arn, "arn:aws:sqs:us-west-2:123456789012:team", "sqs")
            second = backend.subscribe(topic.arn, "arn:aws:sqs:us-west-2:123456789012:audit", "sqs")
            posts = [subscription.get_post_data("hello", "m-1", "subject") for subscription in (first, second)]
            print(len(made), first.private_key() is second.private_key(), all(len(post["Signature"]) > 0 for post in posts))
            """;

        // Act
        var run = await RunWithTheFixesAsync(script);

        // Assert: no key made during the deliveries, one key for both, and each message signed.
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("0 True True", run.StandardOutput.Trim());
    }

    // moto signed a new X.509 certificate for every message it delivered (13 ms of CPU each, beside the run's steps); SNS
    // signs with one certificate. One is signed for the key and serves every message, each signature verifiable with it.
    [Fact]
    public async Task SnsDelivery_WhenMessagesAreDelivered_ShouldSignOneCertificateThatVerifiesEachMessage()
    {
        // Arrange: certificate signings counted; two subscriptions get two messages each.
        const string script = """
            import base64
            from cryptography import x509
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.asymmetric import padding
            from moto.sns.models import sns_backends
            signed = []
            sign = x509.CertificateBuilder.sign
            x509.CertificateBuilder.sign = lambda self, *args, **kwargs: signed.append(1) or sign(self, *args, **kwargs)
            backend = sns_backends["123456789012"]["us-west-2"]
            topic = backend.create_topic("notices")
            subscriptions = [backend.subscribe(topic.arn, f"arn:aws:sqs:us-west-2:123456789012:{name}", "sqs") for name in ("team", "audit")]
            posts = [subscription.get_post_data(f"notice {n}", f"m-{n}", "subject") for n in (1, 2) for subscription in subscriptions]
            def verified(post):
                pem = backend._message_public_keys[post["SigningCertURL"].rsplit("/", 1)[1]]
                signed_text = "".join(f"{name}\n{post[name]}\n" for name in ("Message", "MessageId", "Timestamp", "TopicArn", "Type"))
                x509.load_pem_x509_certificate(pem).public_key().verify(base64.b64decode(post["Signature"]), signed_text.encode(), padding.PKCS1v15(), hashes.SHA256())
                return True
            print(len(signed), all(verified(post) for post in posts), len({post["SigningCertURL"] for post in posts}))
            """;

        // Act
        var run = await RunWithTheFixesAsync(script);

        // Assert: one certificate signed for four messages (moto's SNS: four), and each message verifies with the
        // certificate served at its SigningCertURL.
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("1 True 4", run.StandardOutput.Trim());
    }

    // moto's serializer worked out, for each member of each answer, which names the value may have (six alias rules) and
    // parsed each timestamp text again: 31 ms of CPU for a workflow's history, read once a second beside the run. Both
    // are now worked out once; the answers are moto's own, byte for byte.
    [Fact]
    public async Task ResponseSerializer_WhenTheSameAnswerIsSerializedAgain_ShouldLookUpNoNamesOrTimestampsAndWriteMotosBytes()
    {
        // Arrange: name look-ups and timestamp parses counted; a history held as moto's engine holds it (dicts, timestamps
        // as text) and an execution as a Python object whose attributes carry the snake_case and class-prefixed names.
        const string script = """
            import datetime
            from moto.core import serialize
            from moto.core.utils import get_service_model
            model = get_service_model("stepfunctions")
            looked, parsed = [], []
            names = serialize.XFormedAttributePicker.get_possible_keys
            serialize.XFormedAttributePicker.get_possible_keys = lambda self, context: looked.append(1) or names(self, context)
            parse = serialize.parse_to_aware_datetime
            serialize.parse_to_aware_datetime = lambda value: parsed.append(1) or parse(value)
            def answer(operation, result):
                serializer = serialize.get_serializer_class("stepfunctions", "json")(operation_model=model.operation_model(operation), value_picker=serialize.XFormedAttributePicker())
                return serializer.serialize(result)["body"]
            history = {"events": [
                {"id": 1, "previousEventId": 0, "type": "ExecutionStarted", "timestamp": "2026-12-02T18:27:01.123+00:00", "executionStartedEventDetails": {"input": "{}", "roleArn": "arn:aws:iam::123456789012:role/run"}},
                {"id": 2, "previousEventId": 1, "type": "PassStateEntered", "timestamp": "2026-12-02T18:27:01.2+00:00", "stateEnteredEventDetails": {"name": "Done", "input": "{}"}}]}
            class Execution:
                def __init__(self):
                    self.arn = "arn:aws:states:us-west-2:123456789012:execution:m:e"
                    self.state_machine_arn = "arn:aws:states:us-west-2:123456789012:stateMachine:m"
                    self.name = "e"
                    self.status = "SUCCEEDED"
                    self.start_date = datetime.datetime(2026, 12, 2, 18, 27, 1, 123000, tzinfo=datetime.timezone.utc)
            first = answer("GetExecutionHistory", history)
            looked_before, parsed_before = len(looked), len(parsed)
            second = answer("GetExecutionHistory", history)
            print(len(looked) - looked_before, len(parsed) - parsed_before, first == second)
            print(second)
            print(answer("DescribeExecution", Execution()))
            """;

        // Act
        var run = await RunWithTheFixesAsync(script);

        // Assert: the second serialization looks up nothing (moto's serializer: 92 look-ups, 2 parses), and both answers
        // are the bytes moto 5.2.1 writes.
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(
            [
                "0 0 True",
                """{"events": [{"timestamp": 1796236021.123, "type": "ExecutionStarted", "id": 1, "previousEventId": 0, "executionStartedEventDetails": {"input": "{}", "roleArn": "arn:aws:iam::123456789012:role/run"}}, {"timestamp": 1796236021.2, "type": "PassStateEntered", "id": 2, "previousEventId": 1, "stateEnteredEventDetails": {"name": "Done", "input": "{}"}}]}""",
                """{"executionArn": "arn:aws:states:us-west-2:123456789012:execution:m:e", "stateMachineArn": "arn:aws:states:us-west-2:123456789012:stateMachine:m", "name": "e", "status": "SUCCEEDED", "startDate": 1796236021.123}""",
            ],
            run.StandardOutput.Trim().Split('\n'));
    }

    // A Python script run with the fixes as moto_server gets them: their folder first on PYTHONPATH.
    private static Task<ToolResult> RunWithTheFixesAsync(string script) =>
        ToolProcess.RunAsync("python3", ["-c", script], AppContext.BaseDirectory, TimeSpan.FromMinutes(2), CancellationToken.None,
            environment: new Dictionary<string, string?> { ["PYTHONPATH"] = Path.Combine(AppContext.BaseDirectory, "moto") });
}
