using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace WinterAI.Domain.Storage;

/// <summary>
/// The shared store for one or more instances: one <see cref="ConnectionMultiplexer"/> for the whole process.
/// </summary>
/// <remarks>
/// StackExchange.Redis 3.x (docs/decisions/0001-redis-client.md). The same configuration string reaches one server,
/// a Cluster (several endpoints) or a Sentinel set (<c>serviceName=</c>). While disconnected, commands fail at once
/// (<see cref="BacklogPolicy.FailFast"/>) rather than wait in the client's backlog. The client's async calls take no
/// cancellation token, so every call is also bounded here by <see cref="RedisOptions.OperationTimeout"/> and the
/// caller's token; a command already written cannot be withdrawn, so a call abandoned that way may still reach Redis:
/// a <see cref="StoreUnavailableException"/> means "outcome unknown", not "did not happen".
/// </remarks>
public sealed class RedisStateStore : IStateStore, IDisposable, IAsyncDisposable
{
    private const string DeleteIfEqualsScript =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    private const string RefreshIfEqualsScript =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";

    // PTTL -1 means "exists without expiry", which after INCR is exactly "this call created it".
    private const string IncrementScript =
        "local n = redis.call('INCR', KEYS[1]) if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n";

    // One script so a list never exists without its TTL, even if this process dies between the two commands.
    private const string ListAppendScript =
        "local n = redis.call('RPUSH', KEYS[1], ARGV[1]) redis.call('PEXPIRE', KEYS[1], ARGV[2]) return n";

    // KEYS: record, queue, lock. ARGV: record, record TTL (ms), item, lock token, channel, message. Reads (which fail on
    // a key of the wrong kind) come before the first write: Redis does not roll a script back.
    private const string CompleteQueueHeadScript = """
        local head = redis.call('LINDEX', KEYS[2], 0)
        local holder = redis.call('GET', KEYS[3])
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        if head == ARGV[3] then redis.call('LPOP', KEYS[2]) end
        local released = 0
        if redis.call('LLEN', KEYS[2]) == 0 and holder == ARGV[4] then
            redis.call('DEL', KEYS[3])
            released = 1
        end
        redis.call('PUBLISH', ARGV[5], ARGV[6])
        return released
        """;

    // KEYS: pool. ARGV: holder, now (ms), expiry (ms), limit, lease (ms). The pool's own TTL outlives every slot in it.
    private const string TakeSlotScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
        if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[4]) then
            redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            return 1
        end
        return 0
        """;

    // KEYS: pool. ARGV: holder, now (ms), expiry (ms), lease (ms).
    private const string RenewSlotScript = """
        local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if held and tonumber(held) > tonumber(ARGV[2]) then
            redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            return 1
        end
        return 0
        """;

    private static readonly TimeSpan SubscriberPollInterval = TimeSpan.FromMilliseconds(10);

    private readonly ConfigurationOptions configuration;
    private readonly TimeSpan timeout;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private volatile Task<ConnectionMultiplexer> connecting;
    private volatile bool disposed;

    public RedisStateStore(IOptions<RedisOptions> options, TimeProvider time, ILogger<RedisStateStore> logger)
    {
        var settings = options.Value;
        if (!settings.UsesRedis)
        {
            throw new InvalidOperationException("Redis:Configuration is empty; use InMemoryStateStore instead.");
        }

        configuration = ConfigurationOptions.Parse(settings.Configuration);
        // The service must start, and keep serving what it can, while Redis is down; the multiplexer reconnects by itself.
        configuration.AbortOnConnectFail = false;
        // While disconnected, the default policy queues commands until the connection returns; a caller racing
        // WeChat's 5 s must hear "unavailable" at once instead, and a queued write must not land minutes later.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        // The library's own timeout matches ours, so a command it gives up on is one we gave up on too.
        configuration.AsyncTimeout = (int)Milliseconds(settings.OperationTimeout);
        timeout = settings.OperationTimeout;
        this.time = time;
        this.logger = logger;
        // Endpoints only (plus which Sentinel service): never the user, the password or any other option.
        var endpoints = string.Join(",", configuration.EndPoints.Select(Format));
        Description = new StoreDescription(
            "redis",
            configuration.ServiceName is { Length: > 0 } service ? $"{endpoints} (Sentinel service {service})" : endpoints,
            true);
        connecting = StartConnecting();
    }

    public StoreDescription Description { get; }

    public Task<string?> GetAsync(string key, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        return RunAsync("GET", key, async db => (string?)await db.StringGetAsync(key), ct);
    }

    public Task SetAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Value(value);
        StoreGuard.Ttl(ttl);
        return RunAsync("SET", key, db => db.StringSetAsync(key, value, ttl, When.Always), ct);
    }

    public Task<bool> SetIfAbsentAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Value(value);
        StoreGuard.Ttl(ttl);
        return RunAsync("SET NX", key, db => db.StringSetAsync(key, value, ttl, When.NotExists), ct);
    }

    public Task<bool> DeleteAsync(string key, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        return RunAsync("DEL", key, db => db.KeyDeleteAsync(key), ct);
    }

    public Task<bool> DeleteIfEqualsAsync(string key, string expected, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Value(expected, nameof(expected));
        return RunAsync("compare-and-delete", key, async db =>
            (long)await db.ScriptEvaluateAsync(DeleteIfEqualsScript, [key], [expected]) == 1, ct);
    }

    public Task<long> IncrementAsync(string key, TimeSpan ttl, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Ttl(ttl);
        return RunAsync("increment", key, async db =>
            (long)await db.ScriptEvaluateAsync(IncrementScript, [key], [Milliseconds(ttl)]), ct);
    }

    public Task<bool> RefreshIfEqualsAsync(string key, string expected, TimeSpan ttl, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Value(expected, nameof(expected));
        StoreGuard.Ttl(ttl);
        return RunAsync("compare-and-expire", key, async db =>
            (long)await db.ScriptEvaluateAsync(RefreshIfEqualsScript, [key], [expected, Milliseconds(ttl)]) == 1, ct);
    }

    public Task<bool> RefreshTtlAsync(string key, TimeSpan ttl, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Ttl(ttl);
        return RunAsync("PEXPIRE", key, db => db.KeyExpireAsync(key, ttl), ct);
    }

    public Task<long> ListAppendAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Value(value);
        StoreGuard.Ttl(ttl);
        return RunAsync("list append", key, async db =>
            (long)await db.ScriptEvaluateAsync(ListAppendScript, [key], [value, Milliseconds(ttl)]), ct);
    }

    public Task<string?> ListPopFirstAsync(string key, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        return RunAsync("LPOP", key, async db => (string?)await db.ListLeftPopAsync(key), ct);
    }

    public Task<long> ListRemoveAsync(string key, string value, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Value(value);
        return RunAsync("LREM", key, async db => await db.ListRemoveAsync(key, value), ct);
    }

    public Task<IReadOnlyList<string>> ListAllAsync(string key, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        return RunAsync<IReadOnlyList<string>>("LRANGE", key, async db =>
            [.. (await db.ListRangeAsync(key)).Select(v => (string)v!)], ct);
    }

    public Task<bool> CompleteQueueHeadAsync(QueueHeadCompletion completion, CancellationToken ct = default)
    {
        StoreGuard.Completion(completion);
        var c = completion;
        return RunAsync("complete queue head", c.QueueKey, async db =>
            (long)await db.ScriptEvaluateAsync(
                CompleteQueueHeadScript,
                [c.RecordKey, c.QueueKey, c.LockKey],
                [c.Record, Milliseconds(c.RecordTtl), c.Item, c.LockToken, c.Channel, c.Message]) == 1, ct);
    }

    public Task<bool> TryTakeSlotAsync(string key, string holder, int limit, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Value(holder, nameof(holder));
        StoreGuard.Ttl(lease);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var nowMs = now.ToUnixTimeMilliseconds();
        return RunAsync("take slot", key, async db =>
            (long)await db.ScriptEvaluateAsync(TakeSlotScript, [key], [holder, nowMs, nowMs + Milliseconds(lease), limit, Milliseconds(lease)]) == 1, ct);
    }

    public Task<bool> RenewSlotAsync(string key, string holder, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Value(holder, nameof(holder));
        StoreGuard.Ttl(lease);
        var nowMs = now.ToUnixTimeMilliseconds();
        return RunAsync("renew slot", key, async db =>
            (long)await db.ScriptEvaluateAsync(RenewSlotScript, [key], [holder, nowMs, nowMs + Milliseconds(lease), Milliseconds(lease)]) == 1, ct);
    }

    public Task ReleaseSlotAsync(string key, string holder, CancellationToken ct = default)
    {
        StoreGuard.Key(key);
        StoreGuard.Value(holder, nameof(holder));
        return RunAsync("ZREM", key, db => db.SortedSetRemoveAsync(key, holder), ct);
    }

    public Task PublishAsync(string channel, string message, CancellationToken ct = default)
    {
        StoreGuard.Key(channel, nameof(channel));
        StoreGuard.Value(message, nameof(message));
        return RunAsync("PUBLISH", channel, db => db.Multiplexer.GetSubscriber().PublishAsync(Literal(channel), message), ct);
    }

    public async Task<IAsyncDisposable> SubscribeAsync(string channel, Action<string> onMessage, CancellationToken ct = default)
    {
        StoreGuard.Key(channel, nameof(channel));
        ArgumentNullException.ThrowIfNull(onMessage);
        var subscription = new Subscription(this, channel, onMessage);
        try
        {
            await RunAsync("SUBSCRIBE", channel, async db =>
            {
                // The contract says an unreachable store fails, and a caller must not mistake a subscription the
                // client would only send after reconnecting for a live one.
                if (!db.Multiplexer.IsConnected)
                {
                    throw new StoreUnavailableException($"Redis at {Description.Target} is unavailable (SUBSCRIBE): not connected.");
                }

                // Just after connecting, the interactive connection can be up before the subscription connection is;
                // subscribing then fails at once (UnableToResolvePhysicalConnection). Give it the operation's time.
                var subscriber = db.Multiplexer.GetSubscriber();
                var started = time.GetTimestamp();
                while (!subscriber.IsConnected(subscription.Channel) && time.GetElapsedTime(started) < timeout)
                {
                    await Task.Delay(SubscriberPollInterval, time);
                }

                // A queue, not a handler: the client runs handlers concurrently, so two messages could overtake each
                // other; a queue's messages are handed over one at a time in the order they arrived.
                subscription.Attach(await subscriber.SubscribeAsync(subscription.Channel));
                return true;
            }, ct);
        }
        catch
        {
            // A subscribe given up on here may still complete; the disposed subscription then unsubscribes it
            // (Attach), so it does not start firing after the next reconnect.
            await subscription.DisposeAsync();
            throw;
        }

        return subscription;
    }

    public Task PingAsync(CancellationToken ct = default) => RunAsync("PING", "", db => db.PingAsync(), ct);

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        connecting.ContinueWith(
            connecting => connecting.Result.Dispose(),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<T> RunAsync<T>(string operation, string key, Func<IDatabase, Task<T>> command, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ct.ThrowIfCancellationRequested();
        var started = time.GetTimestamp();
        Task<T>? pending = null;
        try
        {
            var connection = await Connection().WaitAsync(timeout, time, ct);
            pending = command(connection.GetDatabase());
            return await pending.WaitAsync(Remaining(started), time, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Observe(pending);
            throw;
        }
        catch (TimeoutException e)
        {
            Observe(pending);
            throw Unavailable(operation, e);
        }
        catch (RedisServerException e) when (IsWrongKind(e))
        {
            throw StoreGuard.WrongKind(key, e);
        }
        catch (RedisException e)
        {
            throw Unavailable(operation, e);
        }
    }

    private Task<ConnectionMultiplexer> Connection()
    {
        var current = connecting;
        if (!current.IsFaulted && !current.IsCanceled)
        {
            return current;
        }

        lock (gate)
        {
            if (connecting == current)
            {
                connecting = StartConnecting();
            }

            return connecting;
        }
    }

    private Task<ConnectionMultiplexer> StartConnecting()
    {
        var connecting = ConnectAsync();
        connecting.ContinueWith(
            failed => logger.LogError(failed.Exception, "Creating the Redis connection to {Target} failed; the next call tries again", Description.Target),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);
        return connecting;
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        // With abortConnect=false this completes (disconnected) even when Redis is down; it faults only on a
        // configuration the library rejects, and Connection() then tries again on the next call.
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration.Clone());
        multiplexer.ConnectionFailed += (_, e) => logger.LogWarning(
            "Redis connection to {Endpoint} ({ConnectionType}) failed: {FailureType}",
            Format(e.EndPoint), e.ConnectionType, e.FailureType);
        multiplexer.ConnectionRestored += (_, e) => logger.LogInformation(
            "Redis connection to {Endpoint} ({ConnectionType}) restored", Format(e.EndPoint), e.ConnectionType);
        if (!multiplexer.IsConnected)
        {
            logger.LogWarning("Redis at {Target} is not reachable yet; retrying in the background", Description.Target);
        }

        if (disposed)
        {
            multiplexer.Dispose();
        }

        return multiplexer;
    }

    private TimeSpan Remaining(long started)
    {
        var left = timeout - time.GetElapsedTime(started);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private StoreUnavailableException Unavailable(string operation, Exception e)
    {
        var reason = e is RedisTimeoutException or RedisException
            ? e.Message
            : $"no answer within {timeout.TotalMilliseconds:0} ms";
        foreach (var secret in new[] { configuration.Password, configuration.User })
        {
            if (!string.IsNullOrEmpty(secret))
            {
                reason = reason.Replace(secret, "*****", StringComparison.Ordinal);
            }
        }

        return new StoreUnavailableException($"Redis at {Description.Target} is unavailable ({operation}): {reason}", e);
    }

    /// <summary>Lets a call abandoned on timeout or cancellation fail later without an unobserved-task warning.</summary>
    private static void Observe(Task? pending) =>
        pending?.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private static bool IsWrongKind(RedisServerException e) =>
        e.Message.Contains("WRONGTYPE", StringComparison.Ordinal)
        || e.Message.Contains("not an integer", StringComparison.Ordinal)
        || e.Message.Contains("overflow", StringComparison.Ordinal);

    private static RedisChannel Literal(string channel) => new(channel, RedisChannel.PatternMode.Literal);

    private static long Milliseconds(TimeSpan ttl) => (long)Math.Ceiling(ttl.TotalMilliseconds);

    // EndPoint.ToString() on a DnsEndPoint reads "Unspecified/host:port"; operators expect "host:port".
    private static string Format(EndPoint? endpoint) => endpoint switch
    {
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        null => "(unknown)",
        _ => endpoint.ToString() ?? "(unknown)",
    };

    /// <summary>
    /// One subscriber, reading its own <see cref="ChannelMessageQueue"/> in order. The disposed flag, checked on every
    /// message, is what guarantees "no calls after dispose": the queue may already be handing over a message that
    /// arrived just before the unsubscribe.
    /// </summary>
    private sealed class Subscription : IAsyncDisposable
    {
        private readonly RedisStateStore owner;
        private readonly string name;
        private readonly Action<string> onMessage;
        private volatile ChannelMessageQueue? queue;
        private volatile bool disposed;

        public Subscription(RedisStateStore owner, string name, Action<string> onMessage)
        {
            this.owner = owner;
            this.name = name;
            this.onMessage = onMessage;
            Channel = Literal(name);
        }

        public RedisChannel Channel { get; }

        public void Attach(ChannelMessageQueue subscribed)
        {
            subscribed.OnMessage(OnMessage);
            queue = subscribed;
            if (disposed)
            {
                // Given up on before the server confirmed it: withdraw it now.
                _ = UnsubscribeAsync(subscribed);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            if (queue is { } subscribed)
            {
                await UnsubscribeAsync(subscribed);
            }
        }

        private async Task UnsubscribeAsync(ChannelMessageQueue subscribed)
        {
            if (owner.disposed)
            {
                return;
            }

            try
            {
                // The client drops the local queue at once; the server round trip only matters while connected.
                await owner.RunAsync("UNSUBSCRIBE", name, async _ =>
                {
                    await subscribed.UnsubscribeAsync();
                    return true;
                }, CancellationToken.None);
            }
            catch (StoreUnavailableException e)
            {
                owner.logger.LogDebug(e, "Unsubscribing from {Channel} did not reach Redis; the queue is removed anyway", name);
            }
        }

        private void OnMessage(ChannelMessage received)
        {
            var message = received.Message;
            if (disposed)
            {
                return;
            }

            try
            {
                onMessage((string?)message ?? "");
            }
            catch (Exception e)
            {
                owner.logger.LogError(e, "A subscriber to {Channel} threw; the message is dropped for that subscriber", name);
            }
        }
    }
}
