using Microsoft.Extensions.Options;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Turns;

/// <summary>Per-follower question counters per minute and per day, shared by all instances through the store.</summary>
public sealed class FollowerQuota(IStateStore store, StoreKeys keys, IOptionsMonitor<LimitsOptions> options, TimeProvider time)
{
    /// <summary>Days are counted in China Standard Time, where the followers are.</summary>
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>Counts one question; false when it goes over a limit.</summary>
    public async Task<bool> TryConsumeAsync(Follower follower, CancellationToken ct)
    {
        var limits = options.CurrentValue;
        var now = time.GetUtcNow();
        return await WithinAsync(follower, $"m{now:yyyyMMddHHmm}", limits.PerMinute, TimeSpan.FromMinutes(2), ct)
            && await WithinAsync(follower, $"d{now.ToOffset(ChinaOffset):yyyyMMdd}", limits.PerDay, TimeSpan.FromDays(2), ct);
    }

    /// <summary>Questions counted so far in the current minute and day.</summary>
    public async Task<(long Minute, long Day)> UsageAsync(Follower follower, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return (await ReadAsync(follower, $"m{now:yyyyMMddHHmm}", ct), await ReadAsync(follower, $"d{now.ToOffset(ChinaOffset):yyyyMMdd}", ct));
    }

    private async Task<bool> WithinAsync(Follower follower, string window, int limit, TimeSpan ttl, CancellationToken ct) =>
        limit == 0 || await store.IncrementAsync(keys.Quota(follower.Account, follower.Id, window), ttl, ct) <= limit;

    private async Task<long> ReadAsync(Follower follower, string window, CancellationToken ct) =>
        long.TryParse(await store.GetAsync(keys.Quota(follower.Account, follower.Id, window), ct), out var used) ? used : 0;
}
