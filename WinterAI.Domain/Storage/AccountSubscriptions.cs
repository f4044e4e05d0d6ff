using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace WinterAI.Domain.Storage;

/// <summary>
/// One pub/sub subscription per account, made the first time the account needs it. When the store is down the
/// subscription fails without throwing: a warning says what this instance misses meanwhile, and the next
/// <see cref="EnsureSubscribedAsync"/> for that account tries again.
/// </summary>
/// <param name="channel">The account's channel.</param>
/// <param name="onMessage">Called with the account and the message for every message published on its channel.</param>
/// <param name="unavailable">What is missed while the store is down; the warning's text before the reason.</param>
public sealed class AccountSubscriptions(
    IStateStore store,
    Func<string, string> channel,
    Action<string, string> onMessage,
    ILogger log,
    string unavailable) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<IAsyncDisposable?>>> subscriptions = new();

    public async Task EnsureSubscribedAsync(string account)
    {
        var subscription = subscriptions.GetOrAdd(account, a => new Lazy<Task<IAsyncDisposable?>>(() => SubscribeAsync(a)));
        if (await subscription.Value is null)
        {
            // Subscribing failed (store down): forget the failure so that the next call tries again.
            subscriptions.TryRemove(new KeyValuePair<string, Lazy<Task<IAsyncDisposable?>>>(account, subscription));
        }
    }

    private async Task<IAsyncDisposable?> SubscribeAsync(string account)
    {
        try
        {
            return await store.SubscribeAsync(channel(account), message => onMessage(account, message));
        }
        catch (StoreUnavailableException ex)
        {
            log.LogWarning("{Unavailable}: {Reason}", unavailable, ex.Message);
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in subscriptions.Values)
        {
            if (subscription.IsValueCreated && await subscription.Value is { } handle)
            {
                await handle.DisposeAsync();
            }
        }
    }
}
