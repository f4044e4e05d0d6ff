using Microsoft.Extensions.Logging;

namespace WinterAI.Domain.Storage;

/// <summary>
/// A lock in the shared store held as a short lease: taken with SET NX and a TTL of <see cref="Duration"/>, renewed
/// every <see cref="RenewInterval"/> while its holder works, handed back on dispose. A holder that dies, or is cut off
/// by a Redis failover (its key may survive on the promoted replica), loses the lock within one lease, never after a
/// long fixed TTL. Every lock WinterAI takes in the store is one of these.
/// </summary>
public sealed class StoreLease : IAsyncDisposable
{
    /// <summary>How long the lock outlives its holder's last renewal.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    /// <summary>How often a live holder renews it: a few renewals may fail (a failover) before the lease runs out.</summary>
    public static readonly TimeSpan RenewInterval = TimeSpan.FromSeconds(3);

    private readonly IStateStore store;
    private readonly TimeProvider time;
    private readonly ILogger log;
    private readonly CancellationTokenSource stop = new();
    private readonly Task renewing;
    private int renewals;
    private volatile bool lost;
    private volatile bool handedOver;

    private StoreLease(IStateStore store, TimeProvider time, ILogger log, string key, string token)
    {
        this.store = store;
        this.time = time;
        this.log = log;
        Key = key;
        Token = token;
        renewing = RenewAsync();
    }

    /// <summary>The store key of the lock.</summary>
    public string Key { get; }

    /// <summary>The value the lock holds while this lease owns it.</summary>
    public string Token { get; }

    /// <summary>True once a renewal found the lock gone or held by someone else.</summary>
    public bool Lost => lost;

    /// <summary>Renewals that reached the store (lets tests follow the lease on a fake clock).</summary>
    internal int Renewals => Volatile.Read(ref renewals);

    /// <summary>Takes the lock if it is free: the lease (dispose it to hand the lock back), or null when someone holds it.</summary>
    /// <param name="owner">Names the holder in the lock's value (instance and purpose); a unique suffix is added.</param>
    public static async Task<StoreLease?> TryTakeAsync(IStateStore store, string key, string owner, TimeProvider time, ILogger log, CancellationToken ct)
    {
        var token = $"{owner}:{Guid.NewGuid():N}";
        try
        {
            return await store.SetIfAbsentAsync(key, token, Duration, ct) ? new StoreLease(store, time, log, key, token) : null;
        }
        catch (StoreUnavailableException)
        {
            // The SET may have reached Redis with only its reply lost (a failover): a lock nobody renews or releases
            // would block the others for a whole lease. Take it back as soon as the store answers again.
            _ = ReleaseEventuallyAsync(store, key, token, time, log);
            throw;
        }
    }

    /// <summary>
    /// Deletes the lock if it still holds <paramref name="token"/>, trying again every <see cref="RenewInterval"/> /
    /// 3 while the store is unreachable, for at most one lease (after that it has expired anyway).
    /// </summary>
    private static async Task ReleaseEventuallyAsync(IStateStore store, string key, string token, TimeProvider time, ILogger log)
    {
        var deadline = time.GetUtcNow() + Duration;
        while (time.GetUtcNow() < deadline)
        {
            try
            {
                await store.DeleteIfEqualsAsync(key, token, CancellationToken.None);
                return;
            }
            catch (StoreUnavailableException ex)
            {
                log.LogDebug("Could not release a lock in the store yet: {Reason}", ex.Message);
            }
            catch (Exception ex)
            {
                log.LogWarning(ex, "Releasing a lock in the store failed; it expires by itself.");
                return;
            }

            await Task.Delay(RenewInterval / 3, time);
        }
    }

    /// <summary>
    /// Says the lock is about to change hands by other means (a script that releases it, or a value that replaces it):
    /// a renewal that then finds it gone is not a lost lease, and dispose no longer deletes it.
    /// </summary>
    public void HandingOver() => handedOver = true;

    /// <summary>The hand-over did not happen (the script kept the lock): a lost lease counts as lost again.</summary>
    public void StillHolding() => handedOver = false;

    /// <summary>
    /// Stops renewing and replaces the lock with <paramref name="value"/> for <paramref name="ttl"/> (a marker that outlives
    /// the lease, e.g. "sent"), in one write, so there is no moment when the key is free.
    /// </summary>
    public async Task ReplaceAsync(string value, TimeSpan ttl, CancellationToken ct)
    {
        HandingOver();
        await StopRenewingAsync();
        await store.SetAsync(Key, value, ttl, ct);
    }

    private async Task RenewAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(RenewInterval, time, stop.Token);
                try
                {
                    var held = await store.RefreshIfEqualsAsync(Key, Token, Duration, stop.Token);
                    Interlocked.Increment(ref renewals);
                    if (!held)
                    {
                        lost = true;
                        break;
                    }
                }
                catch (StoreUnavailableException ex)
                {
                    // Try again at the next interval; the lease holds for a few of them.
                    log.LogDebug("Could not renew a lock in the store: {Reason}", ex.Message);
                }
            }

            if (!handedOver)
            {
                log.LogWarning("A lock in the store was lost while its holder worked (the store failed over or was unreachable too long).");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task StopRenewingAsync()
    {
        if (!stop.IsCancellationRequested)
        {
            await stop.CancelAsync();
        }

        await renewing;
    }

    /// <summary>Hands the lock back (unless <see cref="HandingOver"/> was said); an unreachable store lets it expire within one lease.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopRenewingAsync();
        stop.Dispose();
        if (handedOver)
        {
            return;
        }

        try
        {
            await store.DeleteIfEqualsAsync(Key, Token, CancellationToken.None);
        }
        catch (StoreUnavailableException)
        {
            // Left held, the lock would block others until it expires; release it once the store answers again.
            _ = ReleaseEventuallyAsync(store, Key, Token, time, log);
        }
    }
}
