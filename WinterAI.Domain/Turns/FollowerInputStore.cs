using System.Text.Json;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Turns;

/// <summary>
/// The follower's <see cref="FollowerInputValues"/>, kept as long as the conversation (<see cref="RedisOptions.ConversationTtl"/>,
/// sliding: every read for a question or a command starts it again). <c>/clear</c> leaves them: they describe the
/// follower, not the conversation.
/// </summary>
public sealed class FollowerInputStore(IStateStore store, StoreKeys keys, IOptions<RedisOptions> options)
{
    public async Task<FollowerInputValues> GetAsync(Follower follower, CancellationToken ct)
    {
        var key = keys.Inputs(follower.Account, follower.Id);
        if (await store.GetAsync(key, ct) is not { } json)
        {
            return FollowerInputValues.Empty;
        }

        await store.RefreshTtlAsync(key, options.Value.ConversationTtl, ct);
        try
        {
            return JsonSerializer.Deserialize(json, InputsJsonContext.Default.FollowerInputValues) ?? FollowerInputValues.Empty;
        }
        catch (JsonException)
        {
            return FollowerInputValues.Empty;
        }
    }

    public async Task SaveAsync(Follower follower, FollowerInputValues values, CancellationToken ct)
    {
        var key = keys.Inputs(follower.Account, follower.Id);
        if (values.IsEmpty)
        {
            await store.DeleteAsync(key, ct);
            return;
        }

        await store.SetAsync(key, JsonSerializer.Serialize(values, InputsJsonContext.Default.FollowerInputValues), options.Value.ConversationTtl, ct);
    }

    /// <summary>Remembers the menu key or QR scene the message carries, for questions that come later.</summary>
    public async Task RememberAsync(Follower follower, MessageContext context, CancellationToken ct)
    {
        if (context.MenuKey is null && context.Scene is null)
        {
            return;
        }

        var values = await GetAsync(follower, ct);
        await SaveAsync(follower, values with { MenuKey = context.MenuKey ?? values.MenuKey, Scene = context.Scene ?? values.Scene }, ct);
    }
}
