using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WinterAI.Domain;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Turns;

/// <summary>The follower lock is a short lease: kept while its holder lives, lost within seconds when it does not.</summary>
public sealed class FollowerLockTests
{
    private static readonly Follower Follower = new("wx-account", "o-lease");
    private FakeTimeProvider time = null!;
    private InMemoryStateStore store = null!;
    private FollowerLock followerLock = null!;

    [SetUp]
    public void Create()
    {
        time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        store = new InMemoryStateStore(time);
        followerLock = new FollowerLock(store, new StoreKeys("winterai:"), Options.Create(new DifyOptions()), time, NullLogger<FollowerLock>.Instance);
    }

    private string LockKey => new StoreKeys("winterai:").RunnerLock(Follower.Account, Follower.Id);

    /// <summary>Moves the clock in renewal-sized steps, waiting for each renewal to reach the store before the next.</summary>
    private async Task PassAsync(StoreLease lease, TimeSpan span)
    {
        for (var passed = TimeSpan.Zero; passed < span && !lease.Lost; passed += StoreLease.RenewInterval)
        {
            var before = lease.Renewals;
            time.Advance(StoreLease.RenewInterval);
            await Poll.UntilAsync(() => Task.FromResult(lease.Renewals > before), "the lease was renewed");
        }
    }

    [Test]
    public async Task ALiveHolderKeepsTheLockLongAfterOneLease()
    {
        await using var lease = await followerLock.TryTakeAsync(Follower, "queue", CancellationToken.None);

        await PassAsync(lease!, StoreLease.Duration * 4);

        lease!.Lost.ShouldBeFalse();
        (await followerLock.TryTakeAsync(Follower, "page", CancellationToken.None)).ShouldBeNull();
    }

    [Test]
    public async Task AHolderThatDiedLosesTheLockWithinOneLease()
    {
        // What a dead instance leaves behind: its lease, which nobody renews.
        (await store.SetIfAbsentAsync(LockKey, "dead-instance:queue:1", StoreLease.Duration)).ShouldBeTrue();
        (await followerLock.TryTakeAsync(Follower, "queue", CancellationToken.None)).ShouldBeNull();

        time.Advance(StoreLease.Duration);
        await using var taken = await followerLock.TryTakeAsync(Follower, "queue", CancellationToken.None);

        taken.ShouldNotBeNull();
    }

    [Test]
    public async Task HandingTheLeaseBackFreesTheLockAtOnce()
    {
        var lease = await followerLock.TryTakeAsync(Follower, "queue", CancellationToken.None);

        await lease!.DisposeAsync();
        await using var next = await followerLock.TryTakeAsync(Follower, "page", CancellationToken.None);

        next.ShouldNotBeNull();
    }

    [Test]
    public async Task AHolderNoticesWhenItsLeaseWasTakenOver()
    {
        await using var lease = await followerLock.TryTakeAsync(Follower, "queue", CancellationToken.None);
        await store.SetAsync(LockKey, "another-instance:queue:2", StoreLease.Duration);

        await PassAsync(lease!, StoreLease.RenewInterval * 2);

        lease!.Lost.ShouldBeTrue();
        (await store.GetAsync(LockKey)).ShouldBe("another-instance:queue:2");
    }
}
