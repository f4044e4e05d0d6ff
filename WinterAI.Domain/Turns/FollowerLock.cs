using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Turns;

/// <summary>
/// The one lock per follower under which turns are answered, on whichever instance and from whichever channel: the
/// background runner holds it while it drains a follower's queue, the chat page while it answers a page question, so
/// two questions never run in the same Dify conversation at once. It is a short lease renewed while its holder works:
/// a holder that dies, or is cut off by a Redis failover, loses it within <see cref="LeaseDuration"/>, and the next
/// delivery or <c>1</c> resumes the follower's queue on any instance.
/// </summary>
public sealed class FollowerLock(IStateStore store, StoreKeys keys, IOptions<DifyOptions> difyOptions, TimeProvider time, ILogger<FollowerLock> log)
{
    /// <summary>How long the lock outlives its holder's last renewal.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(10);

    /// <summary>How often a live holder renews it: a few renewals may fail (a failover) before the lease runs out.</summary>
    public static readonly TimeSpan RenewInterval = TimeSpan.FromSeconds(3);

    /// <summary>Identifies this process in claims and locks.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>How long one turn may hold the lock: a chat page waits at most this long for a WeChat turn to finish.</summary>
    public TimeSpan LongestHold => difyOptions.Value.Timeout + TimeSpan.FromSeconds(30);

    /// <summary>Takes the lock if it is free: the lease (dispose it to hand the lock back), or null when someone holds it.</summary>
    public async Task<Lease?> TryTakeAsync(Follower follower, string purpose, CancellationToken ct)
    {
        var owner = $"{InstanceId}:{purpose}:{Guid.NewGuid():N}";
        return await store.SetIfAbsentAsync(Key(follower), owner, LeaseDuration, ct) ? new Lease(store, time, log, Key(follower), owner) : null;
    }

    /// <summary>
    /// Takes the lock, waiting while someone else holds it (<paramref name="onWaiting"/> is told once); null when it
    /// stays taken for as long as one turn may hold it.
    /// </summary>
    public async Task<Lease?> TakeAsync(Follower follower, string purpose, Func<CancellationToken, ValueTask> onWaiting, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + LongestHold;
        var told = false;
        while (true)
        {
            if (await TryTakeAsync(follower, purpose, ct) is { } lease)
            {
                return lease;
            }

            if (time.GetUtcNow() >= deadline)
            {
                return null;
            }

            if (!told)
            {
                await onWaiting(ct);
                told = true;
            }

            await Task.Delay(AnswerSignals.PollInterval, time, ct);
        }
    }

    private string Key(Follower follower) => keys.RunnerLock(follower.Account, follower.Id);

    /// <summary>A held lock, renewed in the background until it is disposed (which hands it back).</summary>
    public sealed class Lease : IAsyncDisposable
    {
        private readonly IStateStore store;
        private readonly TimeProvider time;
        private readonly ILogger log;
        private readonly string key;
        private readonly string token;
        private readonly CancellationTokenSource stop = new();
        private readonly Task renewing;
        private int renewals;

        internal Lease(IStateStore store, TimeProvider time, ILogger log, string key, string token)
        {
            this.store = store;
            this.time = time;
            this.log = log;
            this.key = key;
            this.token = token;
            renewing = RenewAsync();
        }

        /// <summary>True once a renewal found the lock gone or held by someone else.</summary>
        public bool Lost { get; private set; }

        /// <summary>Renewals that reached the store (lets tests follow the lease on a fake clock).</summary>
        internal int Renewals => Volatile.Read(ref renewals);

        private async Task RenewAsync()
        {
            try
            {
                while (!Lost)
                {
                    await Task.Delay(RenewInterval, time, stop.Token);
                    try
                    {
                        Lost = !await store.RefreshIfEqualsAsync(key, token, LeaseDuration, stop.Token);
                        Interlocked.Increment(ref renewals);
                    }
                    catch (StoreUnavailableException ex)
                    {
                        // Try again at the next interval; the lease holds for a few of them.
                        log.LogDebug("Could not renew a follower lock: {Reason}", ex.Message);
                    }
                }

                log.LogWarning("A follower lock was lost while its turn ran (the store failed over or was unreachable too long).");
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await renewing;
            stop.Dispose();
            try
            {
                await store.DeleteIfEqualsAsync(key, token, CancellationToken.None);
            }
            catch (StoreUnavailableException)
            {
                // The lease expires by itself within LeaseDuration.
            }
        }
    }
}
