using WinterAI.Domain.Storage;

namespace WinterAI.Tests.Storage;

public sealed class InMemoryStateStoreTests
{
    private FakeTimeProvider clock = null!;
    private InMemoryStateStore store = null!;

    [SetUp]
    public void CreateStore()
    {
        clock = new FakeTimeProvider();
        store = new InMemoryStateStore(clock);
    }

    [Test]
    public async Task AValueIsVisibleUntilTheInstantItsTtlRunsOut()
    {
        await store.SetAsync("k", "value", TimeSpan.FromMinutes(10));

        clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        (await store.GetAsync("k")).ShouldBe("value");

        clock.Advance(TimeSpan.FromMilliseconds(1));
        (await store.GetAsync("k")).ShouldBeNull();
    }

    [Test]
    public async Task RefreshingBeforeExpiryKeepsAConversationAliveAsLongAsItIsUsed()
    {
        var ttl = TimeSpan.FromDays(7);
        await store.SetAsync("conv", "dify-conversation-id", ttl);

        for (var day = 0; day < 30; day++)
        {
            clock.Advance(TimeSpan.FromDays(6));
            (await store.RefreshTtlAsync("conv", ttl)).ShouldBeTrue();
        }

        clock.Advance(ttl);
        (await store.GetAsync("conv")).ShouldBeNull();
    }

    [Test]
    public async Task IncrementDoesNotExtendTheFirstTtl()
    {
        await store.IncrementAsync("n", TimeSpan.FromMinutes(10));
        clock.Advance(TimeSpan.FromMinutes(9));

        (await store.IncrementAsync("n", TimeSpan.FromMinutes(10))).ShouldBe(2);
        clock.Advance(TimeSpan.FromMinutes(1));

        (await store.GetAsync("n")).ShouldBeNull();
    }

    [Test]
    public async Task ExpiredEntriesAreSweptSoMemoryDoesNotGrow()
    {
        for (var i = 0; i < 1000; i++)
        {
            await store.SetAsync($"msg:{i}", "answer", TimeSpan.FromMinutes(10));
        }

        clock.Advance(TimeSpan.FromMinutes(10) + InMemoryStateStore.SweepInterval);
        await store.SetAsync("fresh", "value", TimeSpan.FromMinutes(10));

        store.Count.ShouldBe(1);
    }

    [Test]
    public async Task EntriesStillAliveSurviveASweep()
    {
        await store.SetAsync("short", "value", TimeSpan.FromSeconds(1));
        await store.SetAsync("long", "value", TimeSpan.FromDays(1));

        clock.Advance(InMemoryStateStore.SweepInterval);
        await store.SetAsync("trigger", "value", TimeSpan.FromDays(1));

        store.Count.ShouldBe(2);
        (await store.GetAsync("long")).ShouldBe("value");
    }

    [Test]
    public async Task SubscribersRunOffThePublishersThread()
    {
        var release = new ManualResetEventSlim();
        var delivered = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await store.SubscribeAsync("channel", message =>
        {
            release.Wait(TimeSpan.FromSeconds(10));
            delivered.SetResult(message);
        });

        var publish = store.PublishAsync("channel", "hello");

        publish.IsCompletedSuccessfully.ShouldBeTrue("a blocked subscriber must not hold up the publisher");
        release.Set();
        (await delivered.Task.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe("hello");
    }

    [Test]
    public void DescribesItselfAsNotShared() =>
        store.Description.ShouldBe(new StoreDescription("in-memory", "this process", SharedAcrossInstances: false));
}
