namespace Failover.Core.Runs;

/// <summary>One StartRecovery batch and its DRS job.</summary>
public sealed record ServerJob
{
    /// <summary>Position of the batch in the wave's sorted server list, from 0: batch i is that list's i-th slice of <see cref="ServersRun.BatchSize"/> servers.</summary>
    public int Batch { get; set; }

    /// <summary>The DRS recovery job's id (StartRecovery's job.jobID), followed with DescribeJobs.</summary>
    public string JobId { get; set; } = "";

    /// <summary>PENDING, STARTED or COMPLETED.</summary>
    public string Status { get; set; } = "PENDING";
}
