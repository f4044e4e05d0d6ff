using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Protocol.Callbacks;

/// <summary>
/// Remembers, in the shared store, which body each signed query (timestamp, nonce, signature) was first accepted
/// with, until the timestamp goes stale. The query signature does not cover a plaintext body, so without this anyone
/// who saw one signed callback URL (in a proxy or CDN log) could post any body under it while it is fresh. The same
/// body again is WeChat delivering the same message again, and goes on to the usual duplicate handling.
/// </summary>
public sealed class CallbackReplays(IStateStore store, StoreKeys keys, TimeProvider time)
{
    /// <summary>
    /// True when this is the first use of the signed query, or a repeat with the same body; false when the query was
    /// already accepted with another body (a replay). Throws <see cref="StoreUnavailableException"/> when the store is down.
    /// </summary>
    /// <param name="timestamp">The query's timestamp, already checked to be fresh.</param>
    public async Task<bool> AcceptAsync(string account, string timestamp, string nonce, string signature, string body, TimeSpan maxClockSkew, CancellationToken ct)
    {
        var seconds = long.Parse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture);

        // The query stays acceptable until its timestamp is more than the skew behind our clock; a second of margin covers rounding.
        var ttl = DateTimeOffset.FromUnixTimeSeconds(seconds) + maxClockSkew - time.GetUtcNow() + TimeSpan.FromSeconds(1);
        if (ttl <= TimeSpan.Zero)
        {
            return false;
        }

        var key = keys.Replay(account, Hash($"{timestamp}\n{nonce}\n{signature.ToLowerInvariant()}"));
        var bodyHash = Hash(body);
        if (await store.SetIfAbsentAsync(key, bodyHash, ttl, ct))
        {
            return true;
        }

        return await store.GetAsync(key, ct) == bodyHash;
    }

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
