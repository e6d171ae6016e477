namespace Failover.Core.Services;

/// <summary>Runs work over items with a bounded number in flight, keeping results in item order.</summary>
public static class Bounded
{
    /// <summary>
    /// The result of <paramref name="work"/> for each item, in item order, with at most <paramref name="maxConcurrency"/>
    /// running at once. The first items begin at once on the caller's thread, as direct calls would (these are the reads
    /// on a run's way to recovery; a hop through the thread pool waited for a free thread while the machine was busy).
    /// The first failure is thrown, after the items in flight have seen their token cancelled; no item begins after it.
    /// </summary>
    public static async Task<TResult[]> SelectAsync<TItem, TResult>(IReadOnlyList<TItem> items, int maxConcurrency, Func<TItem, CancellationToken, Task<TResult>> work, CancellationToken cancellationToken)
    {
        var results = new TResult[items.Count];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var next = -1;

        async Task WorkThroughAsync()
        {
            for (var index = Interlocked.Increment(ref next); index < items.Count; index = Interlocked.Increment(ref next))
            {
                // A failure elsewhere ends the work quietly here: the failure is what the caller sees.
                if (stop.IsCancellationRequested)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return;
                }

                try
                {
                    results[index] = await work(items[index], stop.Token);
                }
                catch
                {
                    await stop.CancelAsync();
                    throw;
                }
            }
        }

        var workers = Enumerable.Range(0, Math.Min(Math.Max(1, maxConcurrency), items.Count)).Select(_ => WorkThroughAsync()).ToList();
        await Task.WhenAll(workers);
        return results;
    }
}
