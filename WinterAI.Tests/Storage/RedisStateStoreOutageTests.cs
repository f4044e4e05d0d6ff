using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Storage;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Storage;

/// <summary>Each test gets its own Redis, because each one takes it down.</summary>
public sealed class RedisStateStoreOutageTests
{
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(1);

    /// <summary>OperationTimeout plus room for a busy two-core build machine; a hang would blow far past it.</summary>
    private static readonly TimeSpan FailFastLimit = OperationTimeout + TimeSpan.FromSeconds(2);

    /// <summary>The client retries its connection on a heartbeat; allow it several rounds.</summary>
    private static readonly TimeSpan ReconnectDeadline = TimeSpan.FromSeconds(30);

    private RedisServer? redis;
    private RedisStateStore? store;

    private RedisServer Server => redis ?? throw new InvalidOperationException("SetUp has not started Redis.");

    [SetUp]
    public async Task StartRedis() => redis = await TestRedis.StartAsync(password: "s3cret-Pa55");

    [TearDown]
    public async Task StopRedis()
    {
        store?.Dispose();
        if (redis is not null)
        {
            await redis.DisposeAsync();
        }
    }

    [Test]
    public async Task EveryOperationFailsWithStoreUnavailableWithinTheTimeoutWhileRedisIsStopped()
    {
        var store = CreateStore(OperationTimeout);
        await store.PingAsync();

        await Server.StopAsync();

        await EveryOperationFailsFastAsync(store);
    }

    [Test]
    public async Task EveryOperationFailsWithStoreUnavailableWithinTheTimeoutWhileRedisHangs()
    {
        var store = CreateStore(OperationTimeout);
        await store.PingAsync();

        await Server.FreezeAsync();
        try
        {
            await EveryOperationFailsFastAsync(store);
        }
        finally
        {
            await Server.ThawAsync();
        }

        await Poll.UntilAsync(async () => await store.GetAsync("k") is null, "Redis answers again after thawing", ReconnectDeadline);
    }

    [Test]
    public async Task TheSameStoreWorksAgainOnceRedisIsBackOnTheSamePort()
    {
        var store = CreateStore(OperationTimeout);
        await store.SetAsync("before", "outage", TimeSpan.FromMinutes(1));

        await Server.StopAsync();
        await Should.ThrowAsync<StoreUnavailableException>(() => store.PingAsync());
        await Server.StartAgainAsync();

        await Poll.UntilAsync(async () =>
        {
            await store.PingAsync();
            return true;
        }, "the store reconnected", ReconnectDeadline);
        (await store.SetIfAbsentAsync("claim", "me", TimeSpan.FromMinutes(1))).ShouldBeTrue();
        (await store.IncrementAsync("n", TimeSpan.FromMinutes(1))).ShouldBe(1);
        (await store.DeleteIfEqualsAsync("claim", "me")).ShouldBeTrue();
        (await store.ListAppendAsync("list", "a", TimeSpan.FromMinutes(1))).ShouldBe(1);
    }

    [Test]
    public async Task ASubscriptionMadeBeforeAnOutageHearsMessagesAfterIt()
    {
        var store = CreateStore(OperationTimeout);
        var heard = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await store.SubscribeAsync("answers", message => heard.TrySetResult(message));

        await Server.StopAsync();
        await Server.StartAgainAsync();

        // A message published before the client has re-sent SUBSCRIBE is lost, as with real Redis pub/sub; keep publishing.
        await Poll.UntilAsync(async () =>
        {
            await store.PublishAsync("answers", "after the outage");
            return heard.Task.IsCompleted;
        }, "the resubscribed handler heard a message", ReconnectDeadline);
        (await heard.Task).ShouldBe("after the outage");
    }

    [Test]
    public async Task TheStoreCanBeCreatedWhileRedisIsDownAndConnectsWhenItComesUp()
    {
        await Server.StopAsync();

        var store = CreateStore(OperationTimeout);

        await Should.ThrowAsync<StoreUnavailableException>(() => store.PingAsync());
        await Server.StartAgainAsync();
        await Poll.UntilAsync(async () =>
        {
            await store.SetAsync("k", "v", TimeSpan.FromMinutes(1));
            return await store.GetAsync("k") == "v";
        }, "the store connected once Redis came up", ReconnectDeadline);
    }

    [Test]
    public async Task UnavailableErrorsNeverShowThePassword()
    {
        var store = CreateStore(OperationTimeout);
        await store.PingAsync();
        await Server.StopAsync();

        var error = await Should.ThrowAsync<StoreUnavailableException>(() => store.GetAsync("k"));

        error.ToString().ShouldNotContain(Server.Password!);
        error.Message.ShouldContain($"127.0.0.1:{Server.Port}");
    }

    [Test]
    public async Task CancellingWhileRedisHangsEndsTheCallPromptlyAsCancelled()
    {
        var store = CreateStore(TimeSpan.FromSeconds(30));
        await store.PingAsync();
        await Server.FreezeAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        try
        {
            await Should.ThrowAsync<OperationCanceledException>(() => store.GetAsync("k", cancel.Token));
        }
        finally
        {
            await Server.ThawAsync();
        }

        clock.Elapsed.ShouldBeLessThan(FailFastLimit);
    }

    [Test]
    public async Task AWrongPasswordMakesTheStoreUnavailableRatherThanBroken()
    {
        var options = new RedisOptions { Configuration = $"127.0.0.1:{Server.Port},password=wrong", OperationTimeout = OperationTimeout };
        store = new RedisStateStore(Options.Create(options), TimeProvider.System, NullLogger<RedisStateStore>.Instance);

        var error = await Should.ThrowAsync<StoreUnavailableException>(() => store.PingAsync());

        error.ToString().ShouldNotContain("wrong");
    }

    private RedisStateStore CreateStore(TimeSpan timeout)
    {
        var options = new RedisOptions { Configuration = Server.ConnectionString, OperationTimeout = timeout };
        store = new RedisStateStore(Options.Create(options), TimeProvider.System, NullLogger<RedisStateStore>.Instance);
        return store;
    }

    private static async Task EveryOperationFailsFastAsync(RedisStateStore store)
    {
        var ttl = TimeSpan.FromMinutes(1);
        Func<Task>[] operations =
        [
            () => store.GetAsync("k"),
            () => store.SetAsync("k", "v", ttl),
            () => store.SetIfAbsentAsync("k", "v", ttl),
            () => store.DeleteAsync("k"),
            () => store.DeleteIfEqualsAsync("k", "v"),
            () => store.IncrementAsync("n", ttl),
            () => store.RefreshTtlAsync("k", ttl),
            () => store.ListAppendAsync("list", "v", ttl),
            () => store.ListPopFirstAsync("list"),
            () => store.ListAllAsync("list"),
            () => store.ListRemoveAsync("list", "a"),
            () => store.PublishAsync("channel", "m"),
            () => store.SubscribeAsync("channel", _ => { }),
            () => store.PingAsync(),
        ];

        for (var i = 0; i < operations.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            await Should.ThrowAsync<StoreUnavailableException>(operations[i], $"operation #{i}");
            clock.Elapsed.ShouldBeLessThan(FailFastLimit, $"operation #{i}");
        }
    }
}
