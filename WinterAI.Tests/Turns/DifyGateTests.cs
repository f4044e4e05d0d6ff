using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;

namespace WinterAI.Tests.Turns;

/// <summary>
/// The Dify concurrency cap shared by instances: several gates (one per instance) over one store give out at most the
/// app's limit, hand a freed slot to a waiting turn, take back a dead instance's slot within one lease, and fail open
/// when the store is down. Time is a fake clock; the store is the in-memory one (its contract, slot pools included,
/// runs against Redis, Sentinel and Cluster in the storage tests).
/// </summary>
public sealed class DifyGateTests
{
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private InMemoryStateStore store = null!;

    [SetUp]
    public void CreateStore() => store = new InMemoryStateStore(clock);

    private DifyGate Gate(int perApp, int perInstance = 8, int maxWaiting = 8, IStateStore? on = null, string apiKey = "app-a") => new(
        Options.Create(new LimitsOptions { MaxConcurrentDifyCallsPerApp = perApp, MaxConcurrentDifyCalls = perInstance, MaxWaitingForDify = maxWaiting }),
        Options.Create(new DifyOptions { ApiKey = apiKey }),
        on ?? store,
        new StoreKeys("test:"),
        clock,
        NullLogger<DifyGate>.Instance);

    /// <summary>Advances the fake clock until <paramref name="task"/> is done (the gate polls on the clock).</summary>
    private async Task<T> RunClockUntilAsync<T>(Task<T> task)
    {
        for (var i = 0; i < 200 && !task.IsCompleted; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }

        return await task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task TwoInstancesTogetherGetNoMoreThanTheAppsLimit()
    {
        var a = Gate(perApp: 2);
        var b = Gate(perApp: 2);

        using var first = await a.EnterAsync(CancellationToken.None);
        using var second = await b.EnterAsync(CancellationToken.None);
        var third = b.EnterAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(5));
        await Task.Yield();

        third.IsCompleted.ShouldBeFalse("both slots of the app are taken, on two instances");
        b.Waiting.ShouldBe(1);
        first!.Dispose();
        using var entered = await RunClockUntilAsync(third);
        entered.ShouldNotBeNull();
        b.Waiting.ShouldBe(0);
    }

    [Test]
    public async Task AnotherDifyAppHasItsOwnSlots()
    {
        using var held = await Gate(perApp: 1).EnterAsync(CancellationToken.None);

        using var other = await Gate(perApp: 1, apiKey: "app-b").EnterAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        other.ShouldNotBeNull();
    }

    [Test]
    public async Task ADeadInstancesSlotComesBackWithinOneLease()
    {
        // What an instance that died mid-call leaves behind: a slot nobody renews or releases.
        var pool = new StoreKeys("test:").DifySlots(DifyGate.AppId(new DifyOptions { ApiKey = "app-a" }));
        (await store.TryTakeSlotAsync(pool, "dead-instance:call", 1, clock.GetUtcNow(), DifyGate.SlotLease)).ShouldBeTrue();
        var waiting = Gate(perApp: 1).EnterAsync(CancellationToken.None);

        clock.Advance(DifyGate.SlotLease - TimeSpan.FromSeconds(2));
        await Task.Yield();
        waiting.IsCompleted.ShouldBeFalse("the dead slot still holds");
        using var entered = await RunClockUntilAsync(waiting);

        entered.ShouldNotBeNull();
    }

    [Test]
    public async Task WaitersBeyondTheLimitAreTurnedAwayAtOnce()
    {
        var gate = Gate(perApp: 1, maxWaiting: 1);
        using var held = await gate.EnterAsync(CancellationToken.None);
        var waiting = gate.EnterAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Task.Yield();

        var refused = await gate.EnterAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        refused.ShouldBeNull();
        waiting.IsCompleted.ShouldBeFalse();
    }

    [Test]
    public async Task ZeroTurnsTheSharedCapOff()
    {
        var gate = Gate(perApp: 0, perInstance: 3);

        var slots = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => gate.EnterAsync(CancellationToken.None)));

        slots.ShouldAllBe(s => s != null);
        gate.Running.ShouldBe(3);
    }
}
