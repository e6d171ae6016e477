using Failover.Core;
using Failover.Core.Reports;

namespace Failover.Functions;

/// <summary>Report: builds the run report (timings from the execution's history, per-resource outcomes, RTO, RPO).</summary>
public sealed class ReportFunction(FunctionHost host) : StreamFunction<ReportRequest, RunReport>(host, FailoverJson.Default.ReportRequest, FailoverJson.Default.RunReport)
{
    /// <summary>Used by the Lambda runtime: the container's host from its environment.</summary>
    public ReportFunction()
        : this(FunctionHost.Shared)
    {
    }

    /// <inheritdoc />
    protected override Task<RunReport> RunAsync(ReportRequest input, CancellationToken cancellationToken) => Host.Reports.ReportAsync(input, cancellationToken);
}
