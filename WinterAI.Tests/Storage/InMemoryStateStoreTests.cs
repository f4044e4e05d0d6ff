using WinterAI.Domain.Storage;

namespace WinterAI.Tests.Storage;

public sealed class InMemoryStateStoreTests
{
    private FakeTimeProvider _clock = null!;
    private InMemoryStateStore _store = null!;

    [SetUp]
    public void CreateStore()
    {
        _clock = new FakeTimeProvider();
        _store = new InMemoryStateStore(_clock);
    }

    [Test]
    public async Task AValueIsVisibleUntilTheInstantItsTtlRunsOut()
    {
        await _store.SetAsync("k", "value", TimeSpan.FromMinutes(10));

        _clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        (await _store.GetAsync("k")).ShouldBe("value");

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        (await _store.GetAsync("k")).ShouldBeNull();
    }

    [Test]
    public async Task RefreshingBeforeExpiryKeepsAConversationAliveAsLongAsItIsUsed()
    {
        var ttl = TimeSpan.FromDays(7);
        await _store.SetAsync("conv", "dify-conversation-id", ttl);

        for (var day = 0; day < 30; day++)
        {
            _clock.Advance(TimeSpan.FromDays(6));
            (await _store.RefreshTtlAsync("conv", ttl)).ShouldBeTrue();
        }

        _clock.Advance(ttl);
        (await _store.GetAsync("conv")).ShouldBeNull();
    }

    [Test]
    public async Task IncrementDoesNotExtendTheFirstTtl()
    {
        await _store.IncrementAsync("n", TimeSpan.FromMinutes(10));
        _clock.Advance(TimeSpan.FromMinutes(9));

        (await _store.IncrementAsync("n", TimeSpan.FromMinutes(10))).ShouldBe(2);
        _clock.Advance(TimeSpan.FromMinutes(1));

        (await _store.GetAsync("n")).ShouldBeNull();
    }

    [Test]
    public async Task ExpiredEntriesAreSweptSoMemoryDoesNotGrow()
    {
        for (var i = 0; i < 1000; i++)
        {
            await _store.SetAsync($"msg:{i}", "answer", TimeSpan.FromMinutes(10));
        }

        _clock.Advance(TimeSpan.FromMinutes(10) + InMemoryStateStore.SweepInterval);
        await _store.SetAsync("fresh", "value", TimeSpan.FromMinutes(10));

        _store.Count.ShouldBe(1);
    }

    [Test]
    public async Task EntriesStillAliveSurviveASweep()
    {
        await _store.SetAsync("short", "value", TimeSpan.FromSeconds(1));
        await _store.SetAsync("long", "value", TimeSpan.FromDays(1));

        _clock.Advance(InMemoryStateStore.SweepInterval);
        await _store.SetAsync("trigger", "value", TimeSpan.FromDays(1));

        _store.Count.ShouldBe(2);
        (await _store.GetAsync("long")).ShouldBe("value");
    }

    [Test]
    public async Task SubscribersRunOffThePublishersThread()
    {
        var release = new ManualResetEventSlim();
        var delivered = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await _store.SubscribeAsync("channel", message =>
        {
            release.Wait(TimeSpan.FromSeconds(10));
            delivered.SetResult(message);
        });

        var publish = _store.PublishAsync("channel", "hello");

        publish.IsCompletedSuccessfully.ShouldBeTrue("a blocked subscriber must not hold up the publisher");
        release.Set();
        (await delivered.Task.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe("hello");
    }

    [Test]
    public void DescribesItselfAsNotShared() =>
        _store.Description.ShouldBe(new StoreDescription("in-memory", "this process", SharedAcrossInstances: false));
}
