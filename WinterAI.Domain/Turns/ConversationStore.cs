using Microsoft.Extensions.Options;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Turns;

/// <summary>
/// The follower's Dify conversation id, kept with a sliding TTL. An id kept under the key layout before hash tags is
/// moved to the new key the first time it is read, so conversations survive the upgrade.
/// </summary>
public sealed class ConversationStore(IStateStore store, StoreKeys keys, IOptions<RedisOptions> options)
{
    public async Task<string?> GetAsync(Follower follower, CancellationToken ct)
    {
        var key = keys.Conversation(follower.Account, follower.Id);
        var id = await store.GetAsync(key, ct);
        if (id is not null)
        {
            await store.RefreshTtlAsync(key, options.Value.ConversationTtl, ct);
            return id;
        }

        return await MoveLegacyAsync(follower, ct);
    }

    /// <summary>The id without sliding its expiry (for inspection).</summary>
    public async Task<string?> PeekAsync(Follower follower, CancellationToken ct) =>
        await store.GetAsync(keys.Conversation(follower.Account, follower.Id), ct)
        ?? await store.GetAsync(keys.LegacyConversation(follower.Account, follower.Id), ct);

    private async Task<string?> MoveLegacyAsync(Follower follower, CancellationToken ct)
    {
        var legacy = keys.LegacyConversation(follower.Account, follower.Id);
        if (await store.GetAsync(legacy, ct) is not { } id)
        {
            return null;
        }

        await SaveAsync(follower, id, ct);
        await store.DeleteAsync(legacy, ct);
        return id;
    }

    public Task SaveAsync(Follower follower, string conversationId, CancellationToken ct) =>
        store.SetAsync(keys.Conversation(follower.Account, follower.Id), conversationId, options.Value.ConversationTtl, ct);

    /// <summary>Forgets the id and returns what it was, so the caller can also delete it in Dify.</summary>
    public async Task<string?> ForgetAsync(Follower follower, CancellationToken ct)
    {
        var key = keys.Conversation(follower.Account, follower.Id);
        var id = await store.GetAsync(key, ct) ?? await store.GetAsync(keys.LegacyConversation(follower.Account, follower.Id), ct);
        await store.DeleteAsync(key, ct);
        await store.DeleteAsync(keys.LegacyConversation(follower.Account, follower.Id), ct);
        return id;
    }
}
