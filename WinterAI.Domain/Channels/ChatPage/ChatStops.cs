using Microsoft.Extensions.Logging;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Channels.ChatPage;

/// <summary>
/// The stop button. Closing the stream already stops the answer on the instance that streams it; the explicit stop
/// also reaches that instance when the request lands elsewhere (several instances behind a load balancer, or a
/// proxy that keeps the upstream stream open after the browser let go): it is published on the account's stop
/// channel and every instance stops the follower's running page turns.
/// </summary>
public sealed class ChatStops : IAsyncDisposable
{
    private readonly IStateStore store;
    private readonly StoreKeys keys;
    private readonly AccountSubscriptions subscriptions;
    private readonly Lock sync = new();

    /// <summary>Running page turns by follower; a follower leaves when their last one is over.</summary>
    private readonly Dictionary<string, HashSet<ChatStopScope>> running = new(StringComparer.Ordinal);

    public ChatStops(IStateStore store, StoreKeys keys, ILogger<ChatStops> log)
    {
        this.store = store;
        this.keys = keys;

        // While the store is down the stop button still works on this instance.
        subscriptions = new AccountSubscriptions(store, keys.ChatStopChannel, StopHere, log, "Stop requests from other instances cannot reach this one for now");
    }

    /// <summary>Registers a page turn that is about to start; dispose the scope when it is over.</summary>
    public async Task<ChatStopScope> RegisterAsync(Follower follower, CancellationToken ct)
    {
        await subscriptions.EnsureSubscribedAsync(follower.Account);
        var key = Key(follower.Account, follower.Id);
        var scope = new ChatStopScope(CancellationTokenSource.CreateLinkedTokenSource(ct), s => Unregister(key, s));
        lock (sync)
        {
            if (!running.TryGetValue(key, out var scopes))
            {
                running[key] = scopes = [];
            }

            scopes.Add(scope);
        }

        return scope;
    }

    /// <summary>How many followers have a page turn running on this instance.</summary>
    internal int FollowersRunning
    {
        get
        {
            lock (sync)
            {
                return running.Count;
            }
        }
    }

    private void Unregister(string key, ChatStopScope scope)
    {
        // One lock for adding, removing and reading: dropping a follower whose last turn ended can then never race a
        // turn of theirs that is registering, and lose it to the stop button.
        lock (sync)
        {
            if (running.TryGetValue(key, out var scopes) && scopes.Remove(scope) && scopes.Count == 0)
            {
                running.Remove(key);
            }
        }
    }

    /// <summary>Stops the follower's running page turns, on this instance at once and on the others through the store.</summary>
    public async Task StopAsync(Follower follower, CancellationToken ct)
    {
        StopHere(follower.Account, follower.Id);
        await store.PublishAsync(keys.ChatStopChannel(follower.Account), follower.Id, ct);
    }

    private void StopHere(string account, string followerId)
    {
        ChatStopScope[] scopes;
        lock (sync)
        {
            scopes = running.TryGetValue(Key(account, followerId), out var set) ? [.. set] : [];
        }

        // Outside the lock: a scope that ends meanwhile ignores the stop.
        foreach (var scope in scopes)
        {
            scope.Stop();
        }
    }

    private static string Key(string account, string followerId) => $"{account}\n{followerId}";

    public ValueTask DisposeAsync() => subscriptions.DisposeAsync();
}
