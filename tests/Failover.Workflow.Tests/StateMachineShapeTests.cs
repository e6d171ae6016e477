using System.Text.Json.Nodes;
using Failover.Local;

namespace Failover.Workflow.Tests;

/// <summary>
/// The shape statemachines/failover.asl.json must keep so that a failed run can be redriven from the step that
/// failed. Step Functions redrive (redrive-executions.html, "Redriving executions") restarts an execution from
/// its unsuccessful step; a failure caught into a Fail state makes that Fail state the unsuccessful step, and a
/// catch-all path hides the step altogether. moto 5.2.1 has no RedriveExecution, so the shape is what can be proved.
/// </summary>
public sealed class StateMachineShapeTests
{
    private static readonly JsonObject Definition = JsonNode.Parse(File.ReadAllText(LocalEnvironment.AslPath))!.AsObject();

    private static readonly List<string> TaskPaths = [.. States(Definition).Where(s => s.State["Type"]?.GetValue<string>() == "Task").Select(s => s.Path)];

    public static TheoryData<string> TaskStates => [.. TaskPaths];

    [Fact]
    public void TaskStates_WhenListed_ShouldIncludeEveryStepOfTheRecovery()
    {
        // Arrange
        var expected = new[] { "Prepare", "Recover/Promote databases", "Recover/Check databases", "Recover/Start recovery", "Recover/Check recovery", "Switch traffic", "Check traffic", "Report" };

        // Act
        var missing = expected.Except(TaskPaths).ToList();

        // Assert
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(TaskStates))]
    public void TaskFailure_WhenItsRetriesAreSpent_ShouldLeaveTheExecutionFailedAtThatTask(string taskPath)
    {
        // Arrange: the task and every Parallel state around it see its error.
        var enclosing = Enclosing(taskPath);

        // Act
        var catches = enclosing.SelectMany(s => (s.State["Catch"] as JsonArray ?? []).OfType<JsonObject>().Select(c => (s.Path, Catch: c))).ToList();

        // Assert
        Assert.All(catches, c =>
        {
            var errors = (c.Catch["ErrorEquals"] as JsonArray ?? []).Select(e => e!.GetValue<string>()).ToList();
            Assert.False(errors.Contains("States.ALL"), $"{c.Path} catches States.ALL: a failure of {taskPath} would not end the execution at {taskPath}");
            var next = c.Catch["Next"]!.GetValue<string>();
            var reached = Reachable(ParentStates(c.Path), next);
            Assert.False(reached.Any(s => s["Type"]?.GetValue<string>() == "Fail"), $"{c.Path} catches {string.Join(", ", errors)} into a path that ends in a Fail state: redrive would restart at the Fail state, not at {taskPath}");
        });
    }

    [Fact]
    public void States_WhenMappedToTheOperatorsPhases_ShouldEachBelongToOne()
    {
        // Arrange: start --wait, status --watch, simulate and the HTML chart show the run by phase (ExecutionPhases); a
        // state the mapping does not know would be invisible there. Recover itself is only the frame of its branches.
        var states = States(Definition).Select(s => s.Path.Split('/')[^1]).Where(name => name != "Recover").ToList();

        // Act
        var unmapped = states.Where(name => Failover.Aws.Adapters.ExecutionPhases.PhaseOf(name) is null).ToList();

        // Assert
        Assert.Empty(unmapped);
    }

    [Fact]
    public void States_WhenReadInFileOrder_ShouldEachComeAfterAStateThatLeadsToThem()
    {
        // Arrange: the definition reads as a runbook: a decision is listed before the paths it chooses between.
        var machines = new List<JsonObject> { Definition };
        machines.AddRange(States(Definition).SelectMany(s => (s.State["Branches"] as JsonArray ?? []).OfType<JsonObject>()));

        // Act
        var early = machines.SelectMany(machine =>
        {
            var names = machine["States"]!.AsObject().Select(kv => kv.Key).ToList();
            var start = machine["StartAt"]!.GetValue<string>();
            return names.Where((name, index) => name != start
                && !names.Take(index).Any(before => Targets(machine["States"]![before]!.AsObject()).Contains(name)));
        }).ToList();

        // Assert
        Assert.True(early.Count == 0, $"listed before any state that leads to them: {string.Join(", ", early)}");
    }

    // Every state with its path: "Name", or "Parallel/Name" inside a branch.
    private static IEnumerable<(string Path, JsonObject State)> States(JsonObject machine, string prefix = "")
    {
        foreach (var (name, node) in machine["States"]!.AsObject())
        {
            var state = node!.AsObject();
            var path = prefix + name;
            yield return (path, state);
            foreach (var branch in (state["Branches"] as JsonArray ?? []).OfType<JsonObject>())
            {
                foreach (var inner in States(branch, path + "/"))
                {
                    yield return inner;
                }
            }
        }
    }

    // The task itself and the Parallel states that contain it, innermost first.
    private static List<(string Path, JsonObject State)> Enclosing(string taskPath)
    {
        var all = States(Definition).ToDictionary(s => s.Path, s => s.State, StringComparer.Ordinal);
        var parts = taskPath.Split('/');
        return [.. Enumerable.Range(1, parts.Length).Reverse().Select(n => string.Join('/', parts[..n])).Select(p => (p, all[p]))];
    }

    // The States object a state at this path belongs to (its siblings: where a Catch's Next points).
    private static JsonObject ParentStates(string path)
    {
        var parts = path.Split('/');
        var states = Definition["States"]!.AsObject();
        foreach (var parallel in parts[..^1])
        {
            states = states[parallel]!["Branches"]!.AsArray().OfType<JsonObject>().Single(b => b["States"]!.AsObject().ContainsKey(parts[Array.IndexOf(parts, parallel) + 1]))["States"]!.AsObject();
        }

        return states;
    }

    // The states a state leads to: Next, Choices, Default and Catch.
    private static List<string> Targets(JsonObject state) =>
    [
        .. new[] { state["Next"], state["Default"] }
            .Concat((state["Choices"] as JsonArray ?? []).Select(c => c?["Next"]))
            .Concat((state["Catch"] as JsonArray ?? []).Select(c => c?["Next"]))
            .OfType<JsonNode>()
            .Select(n => n.GetValue<string>()),
    ];

    // Every state reachable from start by Next, Choices, Default and Catch.
    private static List<JsonObject> Reachable(JsonObject states, string start)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        var reached = new List<JsonObject>();
        while (queue.TryDequeue(out var name))
        {
            if (!seen.Add(name))
            {
                continue;
            }

            var state = states[name]!.AsObject();
            reached.Add(state);
            foreach (var target in Targets(state))
            {
                queue.Enqueue(target);
            }
        }

        return reached;
    }
}
