namespace Failover.Core.Services;

/// <summary>Runs work over items with a bounded number in flight, keeping results in item order.</summary>
public static class Bounded
{
    /// <summary>The result of <paramref name="work"/> for each item, in item order, with at most <paramref name="maxConcurrency"/> running at once.</summary>
    public static async Task<TResult[]> SelectAsync<TItem, TResult>(IReadOnlyList<TItem> items, int maxConcurrency, Func<TItem, CancellationToken, Task<TResult>> work, CancellationToken cancellationToken)
    {
        var results = new TResult[items.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, items.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxConcurrency), CancellationToken = cancellationToken },
            async (index, ct) => results[index] = await work(items[index], ct));
        return results;
    }
}
