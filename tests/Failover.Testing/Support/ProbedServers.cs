using Failover.Core.Ports;

namespace Failover.Testing;

/// <summary>
/// DRS whose named operations (StartRecovery, DescribeSourceServers, DescribeActiveJobs, FindJobs) have their answers held
/// by a <see cref="ConcurrencyProbe"/> until as many calls are in flight together as it expects: a test of reads made side
/// by side fails on reads made one after another.
/// </summary>
/// <param name="inner">The DRS that answers.</param>
/// <param name="probe">Holds the answers.</param>
/// <param name="probed">The operations whose answers are held.</param>
public sealed class ProbedServers(FakeRecoveryServers inner, ConcurrencyProbe probe, params string[] probed) : IRecoveryServers
{
    /// <inheritdoc />
    public Task<StartRecoveryOutcome> StartRecoveryAsync(IReadOnlyList<string> sourceServerIds, bool isDrill, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        HeldAsync("StartRecovery", () => inner.StartRecoveryAsync(sourceServerIds, isDrill, tags, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SourceServerState>> DescribeSourceServersAsync(IReadOnlyList<string> ids, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        HeldAsync("DescribeSourceServers", () => inner.DescribeSourceServersAsync(ids, tags, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RecoveryJobState>> DescribeActiveJobsAsync(CancellationToken cancellationToken) =>
        HeldAsync("DescribeActiveJobs", () => inner.DescribeActiveJobsAsync(cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RecoveryJobState>> FindJobsAsync(DateTimeOffset since, string tagKey, string tagValue, CancellationToken cancellationToken) =>
        HeldAsync("FindJobs", () => inner.FindJobsAsync(since, tagKey, tagValue, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RecoveryJobState>> DescribeJobsAsync(IReadOnlyList<string> jobIds, CancellationToken cancellationToken) => inner.DescribeJobsAsync(jobIds, cancellationToken);

    // The call is made first, so calls keep the order they were made in; its answer is held.
    private async Task<T> HeldAsync<T>(string operation, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var answer = await call();
        if (probed.Contains(operation))
        {
            using (await probe.EnterAsync(cancellationToken))
            {
                return answer;
            }
        }

        return answer;
    }
}
