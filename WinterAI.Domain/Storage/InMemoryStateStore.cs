using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WinterAI.Domain.Storage;

/// <summary>
/// The store for a single instance (no <c>Redis:Configuration</c>): the same semantics as <see cref="RedisStateStore"/>,
/// including expiry, atomicity and asynchronous pub/sub, held in this process.
/// </summary>
/// <remarks>
/// One lock guards everything: every operation is a few dictionary steps, so contention is cheaper than the
/// bugs finer-grained locking would invite. Expired entries are invisible at once and swept on a later write,
/// so memory is bounded by what was written within the longest TTL plus <see cref="SweepInterval"/>.
/// </remarks>
public sealed class InMemoryStateStore(TimeProvider time, ILogger<InMemoryStateStore>? logger = null) : IStateStore
{
    /// <summary>How often a write also sweeps out expired entries.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ILogger logger = logger ?? NullLogger<InMemoryStateStore>.Instance;
    private readonly Lock gate = new();
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Subscription>> subscriptions = new(StringComparer.Ordinal);
    private DateTimeOffset nextSweep = time.GetUtcNow() + SweepInterval;

    public StoreDescription Description => StoreDescription.InMemory;

    /// <summary>Entries held, expired-but-not-yet-swept ones included; lets tests see that memory is reclaimed.</summary>
    internal int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    public Task<string?> GetAsync(string key, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        ct.ThrowIfCancellationRequested();
        lock (gate)
        {
            return Task.FromResult(Live(key, time.GetUtcNow()) is { } entry ? TextOf(key, entry) : null);
        }
    }

    public Task SetAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Value(value);
        StoreGuard.Ttl(ttl);
        ct.ThrowIfCancellationRequested();
        lock (gate)
        {
            var now = Written();
            entries[key] = new Entry(value, now + ttl);
        }

        return Task.CompletedTask;
    }

    public Task<bool> SetIfAbsentAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Value(value);
        StoreGuard.Ttl(ttl);
        ct.ThrowIfCancellationRequested();
        lock (gate)
        {
            var now = Written();
            if (Live(key, now) is not null)
            {
                return Task.FromResult(false);
            }

            entries[key] = new Entry(value, now + ttl);
            return Task.FromResult(true);
        }
    }

    public Task<bool> DeleteAsync(string key, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        ct.ThrowIfCancellationRequested();
        lock (gate)
        {
            return Task.FromResult(Live(key, Written()) is not null && entries.Remove(key));
        }
    }

    public Task<bool> DeleteIfEqualsAsync(string key, string expected, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Value(expected, nameof(expected));
        ct.ThrowIfCancellationRequested();
        lock (gate)
        {
            if (Live(key, Written()) is not { } entry || TextOf(key, entry) != expected)
            {
                return Task.FromResult(false);
            }

            entries.Remove(key);
            return Task.FromResult(true);
        }
    }

    public Task<long> IncrementAsync(string key, TimeSpan ttl, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Ttl(ttl);
        ct.ThrowIfCancellationRequested();
        lock (gate)
        {
            var now = Written();
            if (Live(key, now) is not { } entry)
            {
                entries[key] = new Entry("1", now + ttl);
                return Task.FromResult(1L);
            }

            // Redis INCR accepts only a plain signed 64-bit decimal: no '+', no spaces, no overflow.
            var text = TextOf(key, entry);
            if (text.StartsWith('+')
                || !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var current)
                || current == long.MaxValue)
            {
                throw StoreGuard.WrongKind(key);
            }

            entry.Value = (current + 1).ToString(CultureInfo.InvariantCulture);
            return Task.FromResult(current + 1);
        }
    }

    public Task<bool> RefreshIfEqualsAsync(string key, string expected, TimeSpan ttl, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Value(expected, nameof(expected));
        StoreGuard.Ttl(ttl);
        ct.ThrowIfCancellationRequested();
        lock (gate)
        {
            var now = Written();
            if (Live(key, now) is not { } entry || TextOf(key, entry) != expected)
            {
                return Task.FromResult(false);
            }

            entry.ExpiresAt = now + ttl;
            return Task.FromResult(true);
        }
    }

    public Task<bool> RefreshTtlAsync(string key, TimeSpan ttl, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Ttl(ttl);
        ct.ThrowIfCancellationRequested();
        lock (gate)
        {
            var now = Written();
            if (Live(key, now) is not { } entry)
            {
                return Task.FromResult(false);
            }

            entry.ExpiresAt = now + ttl;
            return Task.FromResult(true);
        }
    }

    public Task<long> ListAppendAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Value(value);
        StoreGuard.Ttl(ttl);
        ct.ThrowIfCancellationRequested();
        lock (gate)
        {
            var now = Written();
            if (Live(key, now) is not { } entry)
            {
                entry = new Entry(new Queue<string>(), now + ttl);
                entries[key] = entry;
            }

            var list = ListOf(key, entry);
            list.Enqueue(value);
            entry.ExpiresAt = now + ttl;
            return Task.FromResult((long)list.Count);
        }
    }

    public Task<string?> ListPopFirstAsync(string key, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        ct.ThrowIfCancellationRequested();
        lock (gate)
        {
            if (Live(key, Written()) is not { } entry)
            {
                return Task.FromResult<string?>(null);
            }

            var list = ListOf(key, entry);
            var first = list.Dequeue();
            if (list.Count == 0)
            {
                // Redis deletes a list when its last element goes; so must we, or RefreshTtl/SetIfAbsent would differ.
                entries.Remove(key);
            }

            return Task.FromResult<string?>(first);
        }
    }

    public Task<long> ListRemoveAsync(string key, string value, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Value(value);
        ct.ThrowIfCancellationRequested();
        lock (gate)
        {
            if (Live(key, Written()) is not { } entry)
            {
                return Task.FromResult(0L);
            }

            var list = ListOf(key, entry);
            var kept = new Queue<string>(list.Where(v => !string.Equals(v, value, StringComparison.Ordinal)));
            var removed = list.Count - kept.Count;
            if (kept.Count == 0)
            {
                entries.Remove(key);
            }
            else
            {
                entry.Value = kept;
            }

            return Task.FromResult((long)removed);
        }
    }

    public Task<IReadOnlyList<string>> ListAllAsync(string key, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        ct.ThrowIfCancellationRequested();
        lock (gate)
        {
            IReadOnlyList<string> all = Live(key, time.GetUtcNow()) is { } entry ? [.. ListOf(key, entry)] : [];
            return Task.FromResult(all);
        }
    }

    public async Task<bool> CompleteQueueHeadAsync(QueueHeadCompletion completion, CancellationToken ct = default)
    {
        StoreGuard.Completion(completion);
        ct.ThrowIfCancellationRequested();
        bool released;
        lock (gate)
        {
            var now = Written();
            var c = completion;
            var queue = Live(c.QueueKey, now) is { } queued ? ListOf(c.QueueKey, queued) : null;
            var held = Live(c.LockKey, now) is { } lockEntry ? TextOf(c.LockKey, lockEntry) : null;
            entries[c.RecordKey] = new Entry(c.Record, now + c.RecordTtl);
            if (queue is not null && queue.TryPeek(out var head) && head == c.Item)
            {
                queue.Dequeue();
                if (queue.Count == 0)
                {
                    entries.Remove(c.QueueKey);
                }
            }

            released = (queue is null || queue.Count == 0) && held == c.LockToken;
            if (released)
            {
                entries.Remove(c.LockKey);
            }
        }

        await PublishAsync(completion.Channel, completion.Message, ct);
        return released;
    }

    public Task PublishAsync(string channel, string message, CancellationToken ct = default)
    {
        StoreGuard.Key(channel, nameof(channel));
        StoreGuard.Value(message, nameof(message));
        ct.ThrowIfCancellationRequested();
        Subscription[] receivers;
        lock (gate)
        {
            receivers = subscriptions.TryGetValue(channel, out var list) ? [.. list] : [];
        }

        foreach (var receiver in receivers)
        {
            receiver.Enqueue(message);
        }

        return Task.CompletedTask;
    }

    public Task<IAsyncDisposable> SubscribeAsync(string channel, Action<string> onMessage, CancellationToken ct = default)
    {
        StoreGuard.Key(channel, nameof(channel));
        ArgumentNullException.ThrowIfNull(onMessage);
        ct.ThrowIfCancellationRequested();
        var subscription = new Subscription(this, channel, onMessage);
        lock (gate)
        {
            if (!subscriptions.TryGetValue(channel, out var list))
            {
                list = [];
                subscriptions[channel] = list;
            }

            list.Add(subscription);
        }

        return Task.FromResult<IAsyncDisposable>(subscription);
    }

    public Task PingAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return Task.CompletedTask;
    }

    private Entry? Live(string key, DateTimeOffset now)
    {
        if (!entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.IsExpiredAt(now))
        {
            entries.Remove(key);
            return null;
        }

        return entry;
    }

    /// <summary>The current time for a write, sweeping expired entries when one is due.</summary>
    private DateTimeOffset Written()
    {
        var now = time.GetUtcNow();
        if (now >= nextSweep)
        {
            foreach (var (key, entry) in entries)
            {
                if (entry.IsExpiredAt(now))
                {
                    entries.Remove(key);
                }
            }

            nextSweep = now + SweepInterval;
        }

        return now;
    }

    public Task<bool> TryTakeSlotAsync(string key, string holder, int limit, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Value(holder, nameof(holder));
        StoreGuard.Ttl(lease);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ct.ThrowIfCancellationRequested();
        lock (gate)
        {
            var pool = PoolOf(key, Written());
            foreach (var lapsed in pool.Where(s => s.Value <= now).Select(s => s.Key).ToList())
            {
                pool.Remove(lapsed);
            }

            if (!pool.ContainsKey(holder) && pool.Count >= limit)
            {
                return Task.FromResult(false);
            }

            pool[holder] = now + lease;
            entries[key] = new Entry(pool, now + lease);
            return Task.FromResult(true);
        }
    }

    public Task<bool> RenewSlotAsync(string key, string holder, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Value(holder, nameof(holder));
        StoreGuard.Ttl(lease);
        ct.ThrowIfCancellationRequested();
        lock (gate)
        {
            var pool = PoolOf(key, Written());
            if (!pool.TryGetValue(holder, out var until) || until <= now)
            {
                return Task.FromResult(false);
            }

            pool[holder] = now + lease;
            entries[key] = new Entry(pool, now + lease);
            return Task.FromResult(true);
        }
    }

    public Task ReleaseSlotAsync(string key, string holder, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Value(holder, nameof(holder));
        ct.ThrowIfCancellationRequested();
        lock (gate)
        {
            if (Live(key, Written()) is { } entry)
            {
                var pool = entry.Value as Dictionary<string, DateTimeOffset> ?? throw StoreGuard.WrongKind(key);
                pool.Remove(holder);
                if (pool.Count == 0)
                {
                    entries.Remove(key);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>A slot pool's holders and their expiries; empty when absent.</summary>
    private Dictionary<string, DateTimeOffset> PoolOf(string key, DateTimeOffset now) =>
        Live(key, now) is { } entry
            ? entry.Value as Dictionary<string, DateTimeOffset> ?? throw StoreGuard.WrongKind(key)
            : new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);

    private static string TextOf(string key, Entry entry) => entry.Value as string ?? throw StoreGuard.WrongKind(key);

    private static Queue<string> ListOf(string key, Entry entry) => entry.Value as Queue<string> ?? throw StoreGuard.WrongKind(key);

    private void Unsubscribe(Subscription subscription)
    {
        lock (gate)
        {
            if (subscriptions.TryGetValue(subscription.Name, out var list) && list.Remove(subscription) && list.Count == 0)
            {
                subscriptions.Remove(subscription.Name);
            }
        }
    }

    /// <summary>
    /// A string, a <see cref="Queue{T}"/> of strings, or a slot pool (holder → expiry), like the three Redis types the
    /// contract uses (string, list, sorted set).
    /// </summary>
    private sealed class Entry(object value, DateTimeOffset expiresAt)
    {
        public object Value { get; set; } = value;

        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

        public bool IsExpiredAt(DateTimeOffset now) => now >= ExpiresAt;
    }

    /// <summary>
    /// Delivers on its own queue and thread-pool loop, as Redis does: the publisher never runs a subscriber's
    /// code, a slow or throwing subscriber cannot stall it, and messages arrive in publish order.
    /// </summary>
    private sealed class Subscription : IAsyncDisposable
    {
        private readonly InMemoryStateStore owner;
        private readonly Action<string> onMessage;
        private readonly Channel<string> queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        private volatile bool disposed;

        public Subscription(InMemoryStateStore owner, string channel, Action<string> onMessage)
        {
            this.owner = owner;
            Name = channel;
            this.onMessage = onMessage;
            _ = Task.Run(PumpAsync);
        }

        public string Name { get; }

        public void Enqueue(string message) => queue.Writer.TryWrite(message);

        public ValueTask DisposeAsync()
        {
            disposed = true;
            owner.Unsubscribe(this);
            queue.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }

        private async Task PumpAsync()
        {
            await foreach (var message in queue.Reader.ReadAllAsync())
            {
                if (disposed)
                {
                    return;
                }

                try
                {
                    onMessage(message);
                }
                catch (Exception e)
                {
                    owner.logger.LogError(e, "A subscriber to {Channel} threw; the message is dropped for that subscriber", Name);
                }
            }
        }
    }
}
