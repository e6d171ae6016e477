using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Failover.Testing;

namespace Failover.Functions.Tests.Hosting;

/// <summary>
/// A <see cref="FunctionHost"/> over the in-memory fakes, a manual clock and a captured log, reading its plan
/// from a temporary file (or the packaged plan.json). Disposing deletes the temporary directory.
/// </summary>
internal sealed class TestHost : IDisposable
{
    private readonly StringWriter _log = new();

    private TestHost(string directory, FunctionSettings settings, bool notifications, bool executions)
    {
        Directory = directory;
        Servers = new FakeRecoveryServers(Clock);
        Drill = new FakeDrillResources(Databases, Clock);
        Capacity = new FakeCapacity(Clock);
        var ports = new FunctionPorts(Databases, Aurora, ReplicaLag, Servers, TrafficSwitch, Timeline, EndedExecutions, Drill, TrafficSwitch, Capacity, notifications ? Notifications : null)
        {
            DrillHistory = Drills,
            ReadinessStore = ReadinessOutputs,
            ReadinessMetrics = ReadinessOutputs,
        };
        Host = new FunctionHost(settings, ports, executions ? new TriggerPorts(Executions, new FakeAlarmStates(), new FakeStateMachine(Clock)) : null, Clock, _log);
    }

    public string Directory { get; }

    public FakeDatabaseInstances Databases { get; } = new();

    public FakeAuroraClusters Aurora { get; } = new();

    public FakeReplicaLagReader ReplicaLag { get; } = new();

    public FakeRecoveryServers Servers { get; }

    public FakeExecutionTimeline Timeline { get; } = new();

    public FakeExecutionDetails EndedExecutions { get; } = new();

    public FakeDrillResources Drill { get; }

    public FakeCapacity Capacity { get; }

    public FakeTrafficSwitch TrafficSwitch { get; } = new();

    public FakeNotificationPublisher Notifications { get; } = new();

    public FakeExecutionStarter Executions { get; } = new();

    public ManualClock Clock { get; } = new();

    public FakeDrillHistory Drills { get; } = new();

    public FakeReadinessOutputs ReadinessOutputs { get; } = new();

    public FunctionHost Host { get; }

    /// <summary>A host whose plan file is <paramref name="plan"/> (the sample plan by default) written to a temporary directory.</summary>
    public static TestHost Create(PlanBuilder? plan = null, bool notifications = true, bool executions = true, Func<FunctionSettings, FunctionSettings>? settings = null)
    {
        var directory = NewDirectory();
        var planPath = Path.Combine(directory, "plan.json");
        File.WriteAllText(planPath, (plan ?? PlanBuilder.Sample()).ToJson());
        return new TestHost(directory, (settings ?? (s => s))(Settings(planPath)), notifications, executions);
    }

    /// <summary>A host reading the plan packaged with the functions (plan.json copied beside the test assembly).</summary>
    public static TestHost WithPackagedPlan() =>
        new(NewDirectory(), Settings(Path.Combine(AppContext.BaseDirectory, "plan.json")), notifications: true, executions: true);

    /// <summary>Settings as FromEnvironment would make them, with the plan at <paramref name="planPath"/>.</summary>
    public static FunctionSettings Settings(string planPath) => new()
    {
        PlanPath = planPath,
        TopicArn = "arn:aws:sns:us-west-2:123456789012:failover-notifications",
        StateMachineArn = "arn:aws:states:us-west-2:123456789012:stateMachine:failover",
        PromotionTimeout = TimeSpan.FromMinutes(30),
        RecoveryTimeout = TimeSpan.FromHours(1),
        FunctionTimeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>A fresh temporary directory; the caller deletes it.</summary>
    public static string NewDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "failover-functions-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>The Prepare task's input as the state machine builds it: the execution input and the execution's name.</summary>
    public static string PrepareInput(string startRequestJson, string executionName = Samples.ExecutionName) =>
        $$"""{"request":{{startRequestJson}},"executionName":"{{executionName}}"}""";

    /// <summary>A Lambda input stream holding <paramref name="json"/> as UTF-8.</summary>
    public static Stream Input(string json) => new MemoryStream(Encoding.UTF8.GetBytes(json));

    /// <summary>Reads a handler's output stream.</summary>
    public static async Task<T> ReadAsync<T>(Stream output, JsonTypeInfo<T> type)
    {
        await using (output)
        {
            return await JsonSerializer.DeserializeAsync(output, type, CancellationToken.None)
                ?? throw new InvalidOperationException("output is JSON null");
        }
    }

    /// <summary>Reads a handler's output stream as text.</summary>
    public static async Task<string> ReadTextAsync(Stream output)
    {
        using var reader = new StreamReader(output);
        return await reader.ReadToEndAsync(CancellationToken.None);
    }

    /// <summary>Every line written to the log so far.</summary>
    public IReadOnlyList<string> LogLines() =>
        _log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    public void Dispose()
    {
        _log.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is harmless.
        }
    }
}
