using Microsoft.Extensions.Options;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Turns;

/// <summary>The follower's Dify conversation id, kept with a sliding TTL.</summary>
public sealed class ConversationStore(IStateStore store, StoreKeys keys, IOptions<RedisOptions> options)
{
    public async Task<string?> GetAsync(Follower follower, CancellationToken ct)
    {
        var key = keys.Conversation(follower.Account, follower.Id);
        var id = await store.GetAsync(key, ct);
        if (id is not null)
        {
            await store.RefreshTtlAsync(key, options.Value.ConversationTtl, ct);
        }

        return id;
    }

    /// <summary>The id without sliding its expiry (for inspection).</summary>
    public Task<string?> PeekAsync(Follower follower, CancellationToken ct) =>
        store.GetAsync(keys.Conversation(follower.Account, follower.Id), ct);

    public Task SaveAsync(Follower follower, string conversationId, CancellationToken ct) =>
        store.SetAsync(keys.Conversation(follower.Account, follower.Id), conversationId, options.Value.ConversationTtl, ct);

    /// <summary>Forgets the id and returns what it was, so the caller can also delete it in Dify.</summary>
    public async Task<string?> ForgetAsync(Follower follower, CancellationToken ct)
    {
        var key = keys.Conversation(follower.Account, follower.Id);
        var id = await store.GetAsync(key, ct);
        await store.DeleteAsync(key, ct);
        return id;
    }
}
