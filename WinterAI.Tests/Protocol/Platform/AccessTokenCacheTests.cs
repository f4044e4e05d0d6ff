using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Protocol.Platform;
using WinterAI.Domain.Storage;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Protocol.Platform;

public sealed class AccessTokenCacheTests
{
    private const string Account = "wx_account";
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(7200);
    private readonly StoreKeys keys = new("winterai:");
    private FakeTimeProvider time = null!;
    private InMemoryStateStore store = null!;
    private AccessTokenCache cache = null!;
    private ScriptedPlatform platform = null!;

    [SetUp]
    public void CreateCache()
    {
        time = new FakeTimeProvider();
        store = new InMemoryStateStore(time);
        cache = new AccessTokenCache(store, keys, time, NullLogger<AccessTokenCache>.Instance);
        platform = new ScriptedPlatform();
    }

    [Test]
    public async Task FetchesOnFirstUseAndKeepsTheTokenInTheStore()
    {
        var token = await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);

        token.ShouldBe("token-1");
        platform.Fetches.ShouldBe([false]);
        var stored = JsonSerializer.Deserialize<JsonElement>((await store.GetAsync(keys.AccessToken(Account)))!);
        stored.GetProperty("value").GetString().ShouldBe("token-1");
        stored.GetProperty("expires_at_unix_ms").GetInt64().ShouldBe((time.GetUtcNow() + Lifetime).ToUnixTimeMilliseconds());
    }

    [Test]
    public async Task LaterCallsReuseTheStoredTokenWithoutFetching()
    {
        await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);
        time.Advance(TimeSpan.FromHours(1));

        var tokens = new[]
        {
            await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None),
            await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None),
        };

        tokens.ShouldAllBe(t => t == "token-1");
        platform.Fetches.Count.ShouldBe(1);
    }

    [Test]
    public async Task RefreshesFiveMinutesAheadOfExpiry()
    {
        await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);

        time.Advance(Lifetime - AccessTokenCache.RefreshAhead - TimeSpan.FromSeconds(1));
        var beforeTheMargin = await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(2));
        var insideTheMargin = await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);
        var afterwards = await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);

        beforeTheMargin.ShouldBe("token-1");
        insideTheMargin.ShouldBe("token-2");
        afterwards.ShouldBe("token-2");
        platform.Fetches.ShouldBe([false, false]);
    }

    [Test]
    public async Task ATokenLivingShorterThanTwiceTheMarginIsRefreshedHalfWayRatherThanOnEveryCall()
    {
        platform.Lifetime = TimeSpan.FromSeconds(120);
        await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(59));
        await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);
        await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);
        var fetchesBeforeHalfLife = platform.Fetches.Count;
        time.Advance(TimeSpan.FromSeconds(2));
        var token = await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);

        fetchesBeforeHalfLife.ShouldBe(1);
        token.ShouldBe("token-2");
        platform.Fetches.Count.ShouldBe(2);
    }

    [Test]
    public async Task ARejectedTokenIsNeverReturnedAgain()
    {
        var first = await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);

        var replacement = await cache.GetAsync(Account, platform.FetchAsync, first, CancellationToken.None);
        var next = await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);

        replacement.ShouldBe("token-2");
        next.ShouldBe("token-2");
        platform.Fetches.ShouldBe([false, false]);
    }

    [Test]
    public async Task ForcesARefreshWhenThePlatformHandsBackTheRejectedToken()
    {
        var first = await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);
        platform.HandBackSameUntilForced = true;

        var replacement = await cache.GetAsync(Account, platform.FetchAsync, first, CancellationToken.None);

        replacement.ShouldNotBe(first);
        platform.Fetches.ShouldBe([false, false, true]);
        (await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None)).ShouldBe(replacement);
    }

    [Test]
    public async Task ACallerReportingATokenAlreadyReplacedGetsTheReplacementWithoutAFetch()
    {
        var first = await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);
        var replacement = await cache.GetAsync(Account, platform.FetchAsync, first, CancellationToken.None);

        var late = await cache.GetAsync(Account, platform.FetchAsync, first, CancellationToken.None);

        late.ShouldBe(replacement);
        platform.Fetches.Count.ShouldBe(2);
    }

    [Test]
    public async Task WhileAnotherInstanceRefreshesAStillValidTokenIsUsed()
    {
        await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);
        time.Advance(Lifetime - TimeSpan.FromMinutes(1));
        await store.SetIfAbsentAsync(keys.AccessTokenLock(Account), "another-instance", TimeSpan.FromSeconds(30));

        var token = await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);

        token.ShouldBe("token-1");
        platform.Fetches.Count.ShouldBe(1);
    }

    [Test]
    public async Task ASlowRefreshKeepsItsLockSoAnotherInstanceNeverFetchesBesideIt()
    {
        var hold = new TaskCompletionSource();
        platform.Hold = hold.Task;
        var other = new AccessTokenCache(store, keys, time, NullLogger<AccessTokenCache>.Instance);
        var refreshing = cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);
        await Poll.UntilAsync(() => Task.FromResult(platform.Fetches.Count == 1), "the first instance is fetching");
        var waiting = other.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);

        // Far past any fixed lock TTL: the holder renews its lease, so the other instance keeps waiting.
        var passed = TimeSpan.Zero;
        await Poll.UntilAsync(
            () =>
            {
                time.Advance(TimeSpan.FromMilliseconds(500));
                passed += TimeSpan.FromMilliseconds(500);
                return Task.FromResult(passed >= StoreLease.Duration * 6 || platform.Fetches.Count > 1);
            },
            "a minute passes on the fake clock");
        hold.SetResult();
        var refreshed = await refreshing;
        await Poll.UntilAsync(
            () =>
            {
                // The other instance looks again at its next poll on the fake clock.
                time.Advance(TimeSpan.FromMilliseconds(100));
                return Task.FromResult(waiting.IsCompleted);
            },
            "the waiting instance picked up the refreshed token");

        refreshed.ShouldBe("token-1");
        (await waiting).ShouldBe("token-1");
        platform.Fetches.Count.ShouldBe(1);
    }

    [Test]
    public async Task ARefreshHolderThatDiedHoldsOthersUpForOneLeaseAtMost()
    {
        await store.SetIfAbsentAsync(keys.AccessTokenLock(Account), "dead-instance:token:1", StoreLease.Duration);
        var waiting = cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);

        var waited = TimeSpan.Zero;
        await Poll.UntilAsync(
            () =>
            {
                time.Advance(TimeSpan.FromMilliseconds(100));
                waited += TimeSpan.FromMilliseconds(100);
                return Task.FromResult(waiting.IsCompleted);
            },
            "the caller fetched once the dead holder's lease ran out");

        (await waiting).ShouldBe("token-1");
        waited.ShouldBeLessThanOrEqualTo(StoreLease.Duration + TimeSpan.FromMilliseconds(500));
    }

    [Test]
    public async Task AFailedFetchReleasesTheLockSoTheNextCallerFetches()
    {
        platform.FailNext = new PlatformApiException(45009, "/cgi-bin/stable_token answered errcode 45009");

        var failure = await Should.ThrowAsync<PlatformApiException>(() => cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None));
        var token = await cache.GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);

        failure.ErrorCode.ShouldBe(45009);
        token.ShouldBe("token-1");
        (await store.GetAsync(keys.AccessTokenLock(Account))).ShouldBeNull();
    }

    [Test]
    public async Task TwentyConcurrentCallersShareOneFetch()
    {
        var tokens = await CallConcurrentlyAsync([cache], callers: 20);

        tokens.Distinct().ShouldBe(["token-1"]);
        platform.Fetches.Count.ShouldBe(1);
    }

    [Test]
    public async Task TwoInstancesSharingRedisFetchOnceForTwentyConcurrentCallers()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var firstStore = RedisStore(redis);
        await using var secondStore = RedisStore(redis);
        var first = new AccessTokenCache(firstStore, keys, TimeProvider.System, NullLogger<AccessTokenCache>.Instance);
        var second = new AccessTokenCache(secondStore, keys, TimeProvider.System, NullLogger<AccessTokenCache>.Instance);

        var tokens = await CallConcurrentlyAsync([first, second], callers: 20);

        tokens.Distinct().ShouldBe(["token-1"]);
        platform.Fetches.Count.ShouldBe(1);
        (await secondStore.GetAsync(keys.AccessToken(Account)))!.ShouldContain("token-1");
    }

    /// <summary>Starts the callers spread over the caches, holds the platform's answer until all have called, then releases it.</summary>
    private async Task<string[]> CallConcurrentlyAsync(AccessTokenCache[] caches, int callers)
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        platform.Hold = answer.Task;
        var started = 0;
        var calls = Enumerable.Range(0, callers)
            .Select(i => Task.Run(() =>
            {
                Interlocked.Increment(ref started);
                return caches[i % caches.Length].GetAsync(Account, platform.FetchAsync, null, CancellationToken.None);
            }))
            .ToArray();
        await Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref started) == callers && platform.Fetches.Count > 0), "every caller has called and one fetch is under way");
        answer.SetResult();
        return await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static RedisStateStore RedisStore(RedisServer redis) =>
        new(Options.Create(new RedisOptions { Configuration = redis.ConnectionString }), TimeProvider.System, NullLogger<RedisStateStore>.Instance);

    /// <summary>The platform's token endpoint as the cache sees it: numbered tokens, with the behaviours a test switches on.</summary>
    private sealed class ScriptedPlatform
    {
        private readonly Lock gate = new();
        private readonly List<bool> fetches = [];
        private int issued;

        public TimeSpan Lifetime { get; set; } = AccessTokenCacheTests.Lifetime;

        /// <summary>Normal fetches answer the last token again; only a forced one issues a new one.</summary>
        public bool HandBackSameUntilForced { get; set; }

        public Exception? FailNext { get; set; }

        /// <summary>Fetches wait for this before answering.</summary>
        public Task Hold { get; set; } = Task.CompletedTask;

        /// <summary>The force_refresh flag of every fetch, in order.</summary>
        public IReadOnlyList<bool> Fetches
        {
            get
            {
                lock (gate)
                {
                    return [.. fetches];
                }
            }
        }

        public async Task<(string Token, TimeSpan ExpiresIn)> FetchAsync(bool force, CancellationToken ct)
        {
            lock (gate)
            {
                fetches.Add(force);
            }

            await Hold.WaitAsync(ct);
            lock (gate)
            {
                if (FailNext is { } failure)
                {
                    FailNext = null;
                    throw failure;
                }

                if (force || !HandBackSameUntilForced || issued == 0)
                {
                    issued++;
                }

                return ($"token-{issued}", Lifetime);
            }
        }
    }
}
