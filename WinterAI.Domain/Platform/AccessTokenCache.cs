using System.Text.Json;
using Microsoft.Extensions.Logging;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Platform;

/// <summary>
/// One access_token per account for all instances: kept in the store, refreshed ahead of expiry by whichever
/// instance takes the refresh lock; the others keep using the still-valid token or wait briefly for the new one.
/// </summary>
public sealed class AccessTokenCache(IStateStore store, StoreKeys keys, TimeProvider time, ILogger<AccessTokenCache> log)
{
    /// <summary>Refresh this long before expiry, so no call ever carries a token about to die.</summary>
    public static readonly TimeSpan RefreshAhead = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan LockTtl = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan WaitForOther = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A usable token. <paramref name="rejected"/> is a token the platform just refused: it is never returned again,
    /// and <paramref name="fetch"/> is told to force a new one if the platform still hands out the same.
    /// </summary>
    public async Task<string> GetAsync(string account, Func<bool, CancellationToken, Task<(string Token, TimeSpan ExpiresIn)>> fetch, string? rejected, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + WaitForOther;
        while (true)
        {
            var cached = await ReadAsync(account, ct);
            if (cached is not null && cached.Value != rejected && !IsDueForRefresh(cached))
            {
                return cached.Value;
            }

            var owner = Guid.NewGuid().ToString("N");
            if (await store.SetIfAbsentAsync(keys.AccessTokenLock(account), owner, LockTtl, ct))
            {
                try
                {
                    return await RefreshAsync(account, fetch, rejected, ct);
                }
                finally
                {
                    await store.DeleteIfEqualsAsync(keys.AccessTokenLock(account), owner, CancellationToken.None);
                }
            }

            // Another instance is refreshing: a token that still works is fine meanwhile.
            if (cached is not null && cached.Value != rejected && !IsExpired(cached))
            {
                return cached.Value;
            }

            if (time.GetUtcNow() >= deadline)
            {
                log.LogWarning("Waited for another instance to refresh the access token of {Account}; refreshing here.", account);
                return await RefreshAsync(account, fetch, rejected, ct);
            }

            await Task.Delay(PollInterval, time, ct);
        }
    }

    private async Task<string> RefreshAsync(string account, Func<bool, CancellationToken, Task<(string Token, TimeSpan ExpiresIn)>> fetch, string? rejected, CancellationToken ct)
    {
        var (token, expiresIn) = await fetch(false, ct);
        if (token == rejected)
        {
            (token, expiresIn) = await fetch(true, ct);
        }

        var record = new AccessToken(token, (time.GetUtcNow() + expiresIn).ToUnixTimeMilliseconds());
        await store.SetAsync(keys.AccessToken(account), JsonSerializer.Serialize(record, PlatformJsonContext.Default.AccessToken), expiresIn, ct);
        log.LogInformation("Refreshed the access token of {Account}; it expires in {ExpiresIn}.", account, expiresIn);
        return token;
    }

    private async Task<AccessToken?> ReadAsync(string account, CancellationToken ct)
    {
        var json = await store.GetAsync(keys.AccessToken(account), ct);
        return json is null ? null : JsonSerializer.Deserialize(json, PlatformJsonContext.Default.AccessToken);
    }

    private bool IsDueForRefresh(AccessToken token) => time.GetUtcNow().ToUnixTimeMilliseconds() >= token.ExpiresAtUnixMs - (long)RefreshAhead.TotalMilliseconds;

    private bool IsExpired(AccessToken token) => time.GetUtcNow().ToUnixTimeMilliseconds() >= token.ExpiresAtUnixMs;
}
