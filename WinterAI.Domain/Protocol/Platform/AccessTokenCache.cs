using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Protocol.Platform;

/// <summary>
/// One access_token per account for all instances: kept in the store, refreshed ahead of expiry by whichever
/// instance takes the store lock (a <see cref="StoreLease"/>); the others keep using the still-valid token or wait for the new one.
/// </summary>
/// <remarks>
/// Within one process, callers needing a new token queue behind one another, so a burst of calls costs one
/// store lock attempt and one fetch rather than one each. Every fetch counts against the platform's daily
/// quota, and a forced one invalidates the token every other instance holds.
/// </remarks>
public sealed class AccessTokenCache(IStateStore store, StoreKeys keys, TimeProvider time, ILogger<AccessTokenCache> log)
{
    /// <summary>
    /// Refresh this long before expiry, so no call ever carries a token about to die. Five minutes is also when
    /// stable_token's normal mode starts handing out the next token.
    /// </summary>
    public static readonly TimeSpan RefreshAhead = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> refreshing = new(StringComparer.Ordinal);

    /// <summary>
    /// A usable token. <paramref name="rejected"/> is a token the platform just refused: it is never returned again,
    /// and <paramref name="fetch"/> is told to force a new one if the platform still hands out the same.
    /// </summary>
    /// <param name="fetch">Asks the platform for a token; its argument is <c>force_refresh</c>.</param>
    public async Task<string> GetAsync(string account, Func<bool, CancellationToken, Task<(string Token, TimeSpan ExpiresIn)>> fetch, string? rejected, CancellationToken ct)
    {
        if (Fresh(await ReadAsync(account, ct), rejected) is { } token)
        {
            return token;
        }

        var local = refreshing.GetOrAdd(account, _ => new SemaphoreSlim(1, 1));
        await local.WaitAsync(ct);
        try
        {
            return await RefreshOnceAsync(account, fetch, rejected, ct);
        }
        finally
        {
            local.Release();
        }
    }

    private async Task<string> RefreshOnceAsync(string account, Func<bool, CancellationToken, Task<(string Token, TimeSpan ExpiresIn)>> fetch, string? rejected, CancellationToken ct)
    {
        var lockKey = keys.AccessTokenLock(account);
        while (true)
        {
            // Whoever held the lock before us (here or on another instance) may have refreshed already.
            var cached = await ReadAsync(account, ct);
            if (Fresh(cached, rejected) is { } fresh)
            {
                return fresh;
            }

            // A lease renewed while the fetch runs: a holder that dies keeps the others waiting seconds, not a fixed TTL.
            await using (var lease = await StoreLease.TryTakeAsync(store, lockKey, "token", time, log, ct))
            {
                if (lease is not null)
                {
                    // The holder before us may have stored a new token between our read and taking the lock.
                    return Fresh(await ReadAsync(account, ct), rejected) ?? await RefreshAsync(account, fetch, rejected, ct);
                }
            }

            // Another instance is refreshing: a token that still works is fine meanwhile.
            if (cached is not null && cached.Value != rejected && !IsExpired(cached))
            {
                return cached.Value;
            }

            await Task.Delay(PollInterval, time, ct);
        }
    }

    private async Task<string> RefreshAsync(string account, Func<bool, CancellationToken, Task<(string Token, TimeSpan ExpiresIn)>> fetch, string? rejected, CancellationToken ct)
    {
        var (token, expiresIn) = await fetch(false, ct);
        if (token == rejected)
        {
            log.LogWarning("The platform handed back the access token of {Account} it had just refused; forcing a new one.", account);
            (token, expiresIn) = await fetch(true, ct);
        }

        var now = time.GetUtcNow();
        var ahead = expiresIn / 2 < RefreshAhead ? expiresIn / 2 : RefreshAhead;
        var record = new AccessToken(token, (now + expiresIn).ToUnixTimeMilliseconds(), (now + expiresIn - ahead).ToUnixTimeMilliseconds());
        await store.SetAsync(keys.AccessToken(account), JsonSerializer.Serialize(record, PlatformJsonContext.Default.AccessToken), expiresIn, ct);
        log.LogInformation("Refreshed the access token of {Account}; it expires in {ExpiresIn}.", account, expiresIn);
        return token;
    }

    private async Task<AccessToken?> ReadAsync(string account, CancellationToken ct)
    {
        var json = await store.GetAsync(keys.AccessToken(account), ct);
        return json is null ? null : JsonSerializer.Deserialize(json, PlatformJsonContext.Default.AccessToken);
    }

    private string? Fresh(AccessToken? token, string? rejected) =>
        token is not null && token.Value != rejected && Now() < token.RefreshAtUnixMs ? token.Value : null;

    private bool IsExpired(AccessToken token) => Now() >= token.ExpiresAtUnixMs;

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
