using Failover.Aws.Adapters;
using Failover.Aws.Clients;
using Spectre.Console;

namespace Failover.Cli;

/// <summary>
/// Follows an execution until it ends, showing its phases (<see cref="ExecutionPhases"/>): a table that updates in place
/// on a terminal, one line per change otherwise (piped output, <c>--output json</c>'s stderr).
/// </summary>
public static class RunWatch
{
    /// <summary>How often the execution is read while it runs: each read is one DescribeExecution and the history.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>Reads the execution every <see cref="PollInterval"/> until it is no longer RUNNING and returns its last snapshot.</summary>
    public static async Task<ExecutionSnapshot> FollowAsync(StepFunctionsClient stepFunctions, string executionArn, Terminal terminal, TimeProvider clock, CancellationToken cancellationToken)
    {
        var console = terminal.Progress;
        var started = clock.GetTimestamp();
        if (console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi)
        {
            ExecutionSnapshot? last = null;
            var table = new Table().AddColumns("phase", "status", "progress");
            await console.Live(table).StartAsync(async context =>
            {
                for (var snapshot = await ExecutionReports.ReadAsync(stepFunctions, executionArn, cancellationToken); ; snapshot = await NextAsync())
                {
                    table.Rows.Clear();
                    foreach (var line in ExecutionPhases.From(snapshot))
                    {
                        table.AddRow(Markup.Escape(line.Phase), Markup.Escape(line.Status), Markup.Escape(line.Detail));
                    }

                    table.Caption($"{snapshot.Execution.Status} after {clock.GetElapsedTime(started):mm\\:ss}");
                    context.Refresh();
                    last = snapshot;
                    if (snapshot.Execution.Status != "RUNNING")
                    {
                        return;
                    }
                }
            });
            return last!;
        }

        var shown = new Dictionary<string, PhaseLine>(StringComparer.Ordinal);
        for (var snapshot = await ExecutionReports.ReadAsync(stepFunctions, executionArn, cancellationToken); ; snapshot = await NextAsync())
        {
            foreach (var line in ExecutionPhases.From(snapshot).Where(l => !shown.TryGetValue(l.Phase, out var before) || before != l))
            {
                if (line.Status == PhaseStatuses.Pending && !shown.ContainsKey(line.Phase))
                {
                    continue;
                }

                shown[line.Phase] = line;
                console.MarkupLineInterpolated($"{clock.GetElapsedTime(started):mm\\:ss}  {line.Phase,-9} {line.Status,-8} {line.Detail}");
            }

            if (snapshot.Execution.Status != "RUNNING")
            {
                return snapshot;
            }
        }

        async Task<ExecutionSnapshot> NextAsync()
        {
            await Task.Delay(PollInterval, clock, cancellationToken);
            return await ExecutionReports.ReadAsync(stepFunctions, executionArn, cancellationToken);
        }
    }
}
