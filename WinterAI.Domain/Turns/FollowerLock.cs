using Microsoft.Extensions.Options;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Turns;

/// <summary>
/// The one lock per follower under which turns are answered, on whichever instance and from whichever channel: the
/// background runner holds it while it drains a follower's queue, the chat page while it answers a page question, so
/// two questions never run in the same Dify conversation at once. It outlives the longest Dify turn; when its holder
/// dies it expires and a later delivery or <c>1</c> starts the queue again.
/// </summary>
public sealed class FollowerLock(IStateStore store, StoreKeys keys, IOptions<DifyOptions> difyOptions, TimeProvider time)
{
    /// <summary>Identifies this process in claims and locks.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>How long the lock lives without a refresh: longer than any Dify turn.</summary>
    public TimeSpan Ttl => difyOptions.Value.Timeout + TimeSpan.FromSeconds(30);

    /// <summary>Takes the lock if it is free; the owner token to release it with, or null when someone holds it.</summary>
    public async Task<string?> TryTakeAsync(Follower follower, string purpose, CancellationToken ct)
    {
        var owner = $"{InstanceId}:{purpose}:{Guid.NewGuid():N}";
        return await store.SetIfAbsentAsync(Key(follower), owner, Ttl, ct) ? owner : null;
    }

    /// <summary>
    /// Takes the lock, waiting while someone else holds it (<paramref name="onWaiting"/> is told once); null when it
    /// stays taken for as long as one turn may hold it.
    /// </summary>
    public async Task<string?> TakeAsync(Follower follower, string purpose, Func<CancellationToken, ValueTask> onWaiting, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + Ttl;
        var told = false;
        while (true)
        {
            if (await TryTakeAsync(follower, purpose, ct) is { } owner)
            {
                return owner;
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

    /// <summary>Keeps the lock for another <see cref="Ttl"/> (before each turn of a long queue).</summary>
    public Task RefreshAsync(Follower follower, CancellationToken ct) => store.RefreshTtlAsync(Key(follower), Ttl, ct);

    /// <summary>Hands the lock back if we still hold it; when the store is unreachable it expires by itself.</summary>
    public async Task ReleaseAsync(Follower follower, string owner)
    {
        try
        {
            await store.DeleteIfEqualsAsync(Key(follower), owner, CancellationToken.None);
        }
        catch (StoreUnavailableException)
        {
            // The lock expires by itself.
        }
    }

    private string Key(Follower follower) => keys.RunnerLock(follower.Account, follower.Id);
}
