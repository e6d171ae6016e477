using System.CommandLine;

namespace Failover.Cli;

/// <summary>The <c>failover</c> command line.</summary>
public static class FailoverCommand
{
    /// <summary>Builds the root command with its subcommands.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("Failover: disaster-recovery orchestration for AWS (databases, DRS, traffic, notifications).");
        root.Subcommands.Add(SimulateCommand.Build());
        root.Subcommands.Add(PlanCommand.Build());
        root.Subcommands.Add(StartCommand.Build());
        root.Subcommands.Add(DrillCommand.Build());
        root.Subcommands.Add(ApproveCommand.Build());
        root.Subcommands.Add(StatusCommand.Build());
        return root;
    }
}
