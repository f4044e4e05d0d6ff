using Microsoft.Extensions.Options;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Turns;

/// <summary>A note shown with the follower's next reply, e.g. that a push failed and the answer waits behind <c>1</c>.</summary>
public sealed class FollowerNotices(IStateStore store, StoreKeys keys, IOptionsMonitor<MessagesOptions> messages, IOptions<RedisOptions> options)
{
    public Task LeaveAsync(Follower follower, CancellationToken ct) =>
        store.SetAsync(keys.Notice(follower.Account, follower.Id), messages.CurrentValue.PushFailed, options.Value.AnswerTtl, ct);

    /// <summary>Prefixes the pending notice, if any, to <paramref name="text"/>, and clears it.</summary>
    public async Task<string> DeliverWithAsync(Follower follower, string text, CancellationToken ct)
    {
        var key = keys.Notice(follower.Account, follower.Id);
        var notice = await store.GetAsync(key, ct);
        if (notice is null)
        {
            return text;
        }

        await store.DeleteAsync(key, ct);
        return $"{notice}\n\n{text}";
    }
}
