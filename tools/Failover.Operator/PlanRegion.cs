using Failover.Core.Plans;
using Failover.Functions;

namespace Failover.Cli;

/// <summary>The plan's recovery region: where the stack, its state machine and the drill copies live.</summary>
internal static class PlanRegion
{
    /// <summary>Reads <paramref name="planFile"/> (default: the packaged plan); a plan that cannot be read or is invalid is an input error.</summary>
    public static string RecoveryRegionOf(FileInfo? planFile)
    {
        var planPath = planFile?.FullName ?? FunctionSettings.PackagedPlanPath;
        try
        {
            return PlanDocument.Parse(File.ReadAllText(planPath)).RecoveryRegion;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlanInvalidException)
        {
            throw new CliException(ExitCodes.InputError, $"No region: give --region or set AWS_REGION, or a readable valid plan ({planPath}: {ex.Message})", ex);
        }
    }
}
