namespace WinterAI.Domain.Storage;

/// <summary>
/// The shared state every WinterAI instance sees. Keys arrive fully built (see <see cref="StoreKeys"/>);
/// implementations add nothing to them. Every write that creates a key takes a TTL so nothing grows forever.
/// Failures to reach the backing store surface as <see cref="StoreUnavailableException"/>.
/// </summary>
public interface IStateStore
{
    Task<string?> GetAsync(string key, CancellationToken ct = default);

    Task SetAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default);

    /// <summary>Creates the key only when it does not exist (Redis SET NX PX). True when this caller created it.</summary>
    Task<bool> SetIfAbsentAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default);

    Task<bool> DeleteAsync(string key, CancellationToken ct = default);

    /// <summary>Deletes the key only while it still holds <paramref name="expected"/> (releasing a lock one owns).</summary>
    Task<bool> DeleteIfEqualsAsync(string key, string expected, CancellationToken ct = default);

    /// <summary>Atomically adds one; a key created by this call gets <paramref name="ttl"/>, an existing key keeps its TTL.</summary>
    Task<long> IncrementAsync(string key, TimeSpan ttl, CancellationToken ct = default);

    /// <summary>
    /// Resets the TTL of the key only while it still holds <paramref name="expected"/> (renewing a lease one owns).
    /// False when the key is gone or holds another value: the lease was lost.
    /// </summary>
    Task<bool> RefreshIfEqualsAsync(string key, string expected, TimeSpan ttl, CancellationToken ct = default);

    /// <summary>Resets the TTL of an existing key (sliding expiry). False when the key does not exist.</summary>
    Task<bool> RefreshTtlAsync(string key, TimeSpan ttl, CancellationToken ct = default);

    /// <summary>Appends to a list, (re)setting the list's TTL; returns the new length.</summary>
    Task<long> ListAppendAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default);

    /// <summary>Removes and returns the first element, or null when the list is empty or absent.</summary>
    Task<string?> ListPopFirstAsync(string key, CancellationToken ct = default);

    /// <summary>Removes every element equal to <paramref name="value"/> (Redis LREM … 0); returns how many went.</summary>
    Task<long> ListRemoveAsync(string key, string value, CancellationToken ct = default);

    /// <summary>The whole list, first element first; empty when absent.</summary>
    Task<IReadOnlyList<string>> ListAllAsync(string key, CancellationToken ct = default);

    /// <summary>
    /// Stores a finished item's record, takes the item off the head of its queue, hands the queue's lock back when
    /// nothing is left and publishes the wake-up, all at once (see <see cref="QueueHeadCompletion"/>): a failure leaves
    /// either everything done or nothing. True when the lock was handed back.
    /// </summary>
    Task<bool> CompleteQueueHeadAsync(QueueHeadCompletion completion, CancellationToken ct = default);

    Task PublishAsync(string channel, string message, CancellationToken ct = default);

    /// <summary>
    /// Takes one of <paramref name="limit"/> slots of a pool shared by every instance (a Redis sorted set of holders by
    /// expiry): slots whose lease ran out before <paramref name="now"/> are freed first, so a dead instance's slots come
    /// back within one lease. A holder that already has a slot gets it extended. False when all slots are held.
    /// </summary>
    Task<bool> TryTakeSlotAsync(string key, string holder, int limit, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default);

    /// <summary>Extends a slot still held until <paramref name="now"/> + <paramref name="lease"/>; false when it had lapsed.</summary>
    Task<bool> RenewSlotAsync(string key, string holder, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default);

    /// <summary>Gives a slot back (nothing when it was not held).</summary>
    Task ReleaseSlotAsync(string key, string holder, CancellationToken ct = default);

    /// <summary>Calls <paramref name="onMessage"/> for every message published on the channel until the result is disposed.</summary>
    Task<IAsyncDisposable> SubscribeAsync(string channel, Action<string> onMessage, CancellationToken ct = default);

    /// <summary>Throws <see cref="StoreUnavailableException"/> when the store cannot be reached.</summary>
    Task PingAsync(CancellationToken ct = default);
}
