using System.Text.Json;
using System.Text.Json.Nodes;
using Failover.Core;
using Failover.Core.Plans;
using Failover.Core.Reports;
using Failover.Local;
using Xunit.Abstractions;

namespace Failover.Workflow.Tests;

/// <summary>What the run document costs in Step Functions payloads (256 KiB per state input or output), through the real ASL.</summary>
[Collection(LocalAwsCollection.Name)]
public sealed class PayloadWorkflowTests(LocalAwsFixture fixture, ITestOutputHelper output)
{
    // Where history events carry a state's document: state input and output, a task's parameters.
    private static readonly string[] PayloadMembers = ["input", "output", "parameters"];

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromMinutes(10)).Token;

    [Fact]
    public async Task Simulate_WhenThePlanHasManyDatabases_ShouldCarryEachDatabaseOnceInEveryPayload()
    {
        var environment = await DeployDatabasesAsync(30);

        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        var stepFunctions = fixture.Aws.Clients(environment.Plan.RecoveryRegion, TimeProvider.System).StepFunctions;
        var executionArn = environment.StateMachineArn.Replace(":stateMachine:", ":execution:", StringComparison.Ordinal) + ":" + report.Execution.Name;
        var history = await stepFunctions.GetExecutionHistoryAsync(executionArn, Timeout);
        var copies = history
            .SelectMany(e => PayloadMembers.Select(member => (e, payload: e.Details?[member]?.GetValue<string>())))
            .Where(p => p.payload is not null)
            .Select(p => (p.e.Type, State: p.e.Details?["name"]?.GetValue<string>(), Copies: CountDatabaseEntries(p.payload!, "many-db-007")))
            .ToList();
        var most = copies.MaxBy(c => c.Copies);
        Assert.True(most.Copies == 1, $"{most.Type} {most.State} carries {most.Copies} copies of the database's entry");
        Assert.Contains(report.Checks, c => c is { Id: "payload-within-limit", Passed: true });
    }

    [Fact]
    public async Task Simulate_WhenThePlanHasFiveHundredDatabases_ShouldStayFarBelowTheStepFunctionsPayloadLimit()
    {
        var environment = await DeployDatabasesAsync(500);

        var report = await new Simulation(fixture.Aws, environment, TimeProvider.System).RunAsync(null, Timeout);

        Assert.Equal(ReportOutcomes.Succeeded, report.Outcome);
        output.WriteLine($"500 databases: {report.Checks.Single(c => c.Id == "payload-within-limit").Detail}; {report.Execution.HistoryEvents} history events");
        Assert.Equal(500, report.Resources.Count(r => r is { Kind: "database", Outcome: "writable" }));
        Assert.Contains(report.Checks, c => c is { Id: "payload-within-limit", Passed: true });
        Assert.True(report.Execution.LargestPayloadBytes < 64 * 1024, $"largest payload {report.Execution.LargestPayloadBytes} bytes");
    }

    // Entries of the database in the document, wherever it nests them (the run, a branch's output, a notification).
    private static int CountDatabaseEntries(string payload, string databaseId)
    {
        var count = 0;
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    if (o["id"] is JsonValue id && id.GetValueKind() == JsonValueKind.String && id.GetValue<string>() == databaseId && o.ContainsKey("kind"))
                    {
                        count++;
                    }

                    foreach (var (_, child) in o)
                    {
                        Walk(child);
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a)
                    {
                        Walk(child);
                    }

                    break;
            }
        }

        Walk(JsonNode.Parse(payload));
        return count;
    }

    // The packaged plan with its databases replaced by this many RDS read replicas, deployed afresh.
    private async Task<DeployedEnvironment> DeployDatabasesAsync(int count)
    {
        var packaged = PlanDocument.Parse(await File.ReadAllTextAsync(LocalEnvironment.PlanPath, Timeout));
        var plan = packaged with
        {
            Databases = [.. Enumerable.Range(1, count).Select(i => new DatabaseTarget { Kind = DatabaseKinds.RdsInstanceReplica, Id = $"many-db-{i:000}", Critical = true })],
        };
        // The functions may read the plan at any invocation: the file stays.
        var path = Path.Combine(Directory.CreateTempSubdirectory("failover-payload-").FullName, "plan.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(plan, FailoverJson.Indented.RecoveryPlan), Timeout);
        await fixture.Aws.ResetAsync(Timeout);
        return await LocalEnvironment.DeployAsync(fixture.Aws, path, new LocalEnvironmentOptions(), TimeProvider.System, Timeout);
    }
}
