using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Turns;

/// <summary>
/// Wakes deliveries waiting for an answer, on whichever instance the answer was produced: the producer
/// publishes the follower's message (<see cref="StoreKeys.Message"/>) on the account's channel, so a wake-up for
/// one follower's message never wakes another follower waiting on the same MsgId. Pub/sub can miss a message (a
/// Redis reconnect), so waiters also poll the store every <see cref="PollInterval"/>.
/// </summary>
public sealed class AnswerSignals : IAsyncDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly IStateStore store;
    private readonly StoreKeys keys;
    private readonly TimeProvider time;
    private readonly AccountSubscriptions subscriptions;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> waiters = new();

    public AnswerSignals(IStateStore store, StoreKeys keys, TimeProvider time, ILogger<AnswerSignals> log)
    {
        this.store = store;
        this.keys = keys;
        this.time = time;

        // While the store is down waiters still poll it.
        subscriptions = new AccountSubscriptions(store, keys.AnswerChannel, Wake, log, "Answer notifications unavailable for now, falling back to polling");
    }

    public Task PublishAsync(Follower follower, string messageKey, CancellationToken ct) =>
        store.PublishAsync(keys.AnswerChannel(follower.Account), StoreKeys.Message(follower, messageKey), ct);

    /// <summary>
    /// Waits until <paramref name="isReady"/> says yes or <paramref name="deadline"/> passes. True when ready.
    /// </summary>
    public async Task<bool> WaitAsync(Follower follower, string messageKey, Func<CancellationToken, Task<bool>> isReady, DateTimeOffset deadline, CancellationToken ct)
    {
        await subscriptions.EnsureSubscribedAsync(follower.Account);
        var waiterKey = WaiterKey(follower.Account, StoreKeys.Message(follower, messageKey));
        try
        {
            return await WaitLoopAsync(waiterKey, isReady, deadline, ct);
        }
        finally
        {
            waiters.TryRemove(waiterKey, out _);
        }
    }

    private async Task<bool> WaitLoopAsync(string waiterKey, Func<CancellationToken, Task<bool>> isReady, DateTimeOffset deadline, CancellationToken ct)
    {
        while (true)
        {
            var signal = waiters.GetOrAdd(waiterKey, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            if (await isReady(ct))
            {
                return true;
            }

            var remaining = deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }

            var wait = remaining < PollInterval ? remaining : PollInterval;
            try
            {
                await signal.Task.WaitAsync(wait, time, ct);
                waiters.TryRemove(new KeyValuePair<string, TaskCompletionSource>(waiterKey, signal));
            }
            catch (TimeoutException)
            {
            }
        }
    }

    private void Wake(string account, string message)
    {
        if (waiters.TryRemove(WaiterKey(account, message), out var signal))
        {
            signal.TrySetResult();
        }
    }

    private static string WaiterKey(string account, string message) => $"{account}\n{message}";

    public ValueTask DisposeAsync() => subscriptions.DisposeAsync();
}
