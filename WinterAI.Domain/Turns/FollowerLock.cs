using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Turns;

/// <summary>
/// The one lock per follower under which turns are answered, on whichever instance and from whichever channel: the
/// background runner holds it while it drains a follower's queue, the chat page while it answers a page question, so
/// two questions never run in the same Dify conversation at once. It is a <see cref="StoreLease"/>: a holder that
/// dies, or is cut off by a Redis failover, loses it within <see cref="StoreLease.Duration"/>, and the next delivery
/// or <c>1</c> resumes the follower's queue on any instance.
/// </summary>
public sealed class FollowerLock(IStateStore store, StoreKeys keys, IOptions<DifyOptions> difyOptions, TimeProvider time, ILogger<FollowerLock> log)
{
    /// <summary>Identifies this process in claims and locks.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>How long one turn may hold the lock: a chat page waits at most this long for a WeChat turn to finish.</summary>
    public TimeSpan LongestHold => difyOptions.Value.Timeout + TimeSpan.FromSeconds(30);

    /// <summary>Takes the lock if it is free: the lease (dispose it to hand the lock back), or null when someone holds it.</summary>
    public Task<StoreLease?> TryTakeAsync(Follower follower, string purpose, CancellationToken ct) =>
        StoreLease.TryTakeAsync(store, Key(follower), $"{InstanceId}:{purpose}", time, log, ct);

    /// <summary>
    /// Takes the lock, waiting while someone else holds it (<paramref name="onWaiting"/> is told once); null when it
    /// stays taken for as long as one turn may hold it.
    /// </summary>
    public async Task<StoreLease?> TakeAsync(Follower follower, string purpose, Func<CancellationToken, ValueTask> onWaiting, CancellationToken ct)
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
}
