using Failover.Core.Services;

namespace Failover.Core.Tests.Services;

/// <summary>Bounded work over items: at most so many in flight, results in item order, the first failure ends it.</summary>
public sealed class BoundedTests
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token;

    // The reads of Prepare, readiness and the switches go through here on the run's way to recovery: the first items begin
    // as a call does, on the caller's thread, not after a wait for a thread-pool thread (up to 35 ms measured while the
    // local AWS was busy).
    [Fact]
    public async Task SelectAsync_WhenCalled_ShouldBeginTheFirstItemsOnTheCallersThreadBeforeItReturns()
    {
        // Arrange
        var caller = Environment.CurrentManagedThreadId;
        var begun = new List<(int Item, int Thread)>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Act
        var selecting = Bounded.SelectAsync([1, 2, 3], 2, async (item, ct) =>
        {
            lock (begun)
            {
                begun.Add((item, Environment.CurrentManagedThreadId));
            }

            await release.Task.WaitAsync(ct);
            return item * 10;
        }, Timeout);
        List<(int Item, int Thread)> beforeReturn;
        lock (begun)
        {
            beforeReturn = [.. begun];
        }

        release.SetResult();
        var results = await selecting;

        // Assert: two begun (the bound) on the caller's thread, the third after one of them ended; results in item order.
        Assert.Equal([(1, caller), (2, caller)], beforeReturn);
        Assert.Equal([10, 20, 30], results);
    }

    [Fact]
    public async Task SelectAsync_WhenManyItemsAreSlow_ShouldNeverHaveMoreThanTheBoundInFlight()
    {
        // Arrange
        var inFlight = 0;
        var most = 0;

        // Act
        var results = await Bounded.SelectAsync(Enumerable.Range(0, 40).ToList(), 3, async (item, ct) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            await Task.Delay(2, ct);
            Interlocked.Decrement(ref inFlight);
            return item;
        }, Timeout);

        // Assert
        Assert.InRange(most, 1, 3);
        Assert.Equal(Enumerable.Range(0, 40), results);
    }

    [Fact]
    public async Task SelectAsync_WhenAnItemFails_ShouldThrowItsErrorAndBeginNoFurtherItems()
    {
        // Arrange: the second item fails while the first is still in flight; the others must not begin.
        var begun = new List<int>();
        var secondFailed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Act
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Bounded.SelectAsync([1, 2, 3, 4, 5], 2, async (item, ct) =>
        {
            lock (begun)
            {
                begun.Add(item);
            }

            if (item == 2)
            {
                await Task.Yield();
                secondFailed.SetResult();
                throw new InvalidOperationException("item 2 refused");
            }

            await secondFailed.Task.WaitAsync(ct);
            // The first item sees the failure as a cancellation of its token, as a caller's AWS call would.
            await Task.Delay(System.Threading.Timeout.Infinite, ct);
            return item;
        }, Timeout));

        // Assert: the failure itself, not the cancellation it caused; no item after the failure began.
        Assert.Equal("item 2 refused", error.Message);
        Assert.Equal([1, 2], begun.Order());
    }

    [Fact]
    public async Task SelectAsync_WhenTheCallerCancels_ShouldThrowOperationCanceled()
    {
        // Arrange
        using var cancel = new CancellationTokenSource();

        // Act
        var selecting = Bounded.SelectAsync([1, 2, 3], 1, async (item, ct) =>
        {
            await Task.Delay(System.Threading.Timeout.Infinite, ct);
            return item;
        }, cancel.Token);
        await cancel.CancelAsync();

        // Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => selecting);
    }

    [Fact]
    public async Task SelectAsync_WhenThereAreNoItems_ShouldReturnNoResults()
    {
        var results = await Bounded.SelectAsync(Array.Empty<int>(), 4, (item, _) => Task.FromResult(item), Timeout);

        Assert.Empty(results);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }
}
