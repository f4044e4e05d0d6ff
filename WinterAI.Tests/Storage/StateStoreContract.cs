using System.Threading.Channels;
using WinterAI.Domain.Storage;

namespace WinterAI.Tests.Storage;

/// <summary>
/// What every <see cref="IStateStore"/> must do. Each implementation runs these through a subclass, which says how
/// to make a short TTL run out: the in-memory store advances a manual clock, Redis waits for real time.
/// </summary>
public abstract class StateStoreContract
{
    /// <summary>Long enough that no test run, however slow the machine, sees it run out.</summary>
    protected static readonly TimeSpan LongTtl = TimeSpan.FromHours(1);

    private IStateStore? store;
    private string prefix = "";

    protected IStateStore Store => store ?? throw new InvalidOperationException("SetUp has not run.");

    /// <summary>Short enough to run out during a test.</summary>
    protected abstract TimeSpan ShortTtl { get; }

    protected abstract Task<IStateStore> CreateStoreAsync();

    /// <summary>Lets <see cref="ShortTtl"/> run out, then requires <paramref name="expired"/> to become true.</summary>
    protected abstract Task AfterShortTtlAsync(Func<Task<bool>> expired, string what);

    [SetUp]
    public async Task CreateStore()
    {
        store = await CreateStoreAsync();
        prefix = $"test:{Guid.NewGuid():N}:";
    }

    [TearDown]
    public async Task DisposeStore()
    {
        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    protected string Key(string name) => prefix + name;

    [Test]
    public async Task GetReturnsNullForAKeyThatWasNeverSet() =>
        (await Store.GetAsync(Key("missing"))).ShouldBeNull();

    [Test]
    public async Task GetReturnsWhatSetStored()
    {
        await Store.SetAsync(Key("k"), "value", LongTtl);

        (await Store.GetAsync(Key("k"))).ShouldBe("value");
    }

    [TestCase("")]
    [TestCase("中文回答 with emoji 👩‍👩‍👧 and \"quotes\"\n\0")]
    public async Task ValuesRoundTripExactly(string value)
    {
        await Store.SetAsync(Key("k"), value, LongTtl);

        (await Store.GetAsync(Key("k"))).ShouldBe(value);
    }

    [Test]
    public async Task SetOverwritesAnExistingValue()
    {
        await Store.SetAsync(Key("k"), "first", LongTtl);
        await Store.SetAsync(Key("k"), "second", LongTtl);

        (await Store.GetAsync(Key("k"))).ShouldBe("second");
    }

    [Test]
    public async Task AValueDisappearsWhenItsTtlRunsOut()
    {
        await Store.SetAsync(Key("k"), "value", ShortTtl);

        await AfterShortTtlAsync(async () => await Store.GetAsync(Key("k")) is null, "the value expired");
    }

    [Test]
    public async Task SetIfAbsentCreatesAMissingKey()
    {
        (await Store.SetIfAbsentAsync(Key("claim"), "me", LongTtl)).ShouldBeTrue();

        (await Store.GetAsync(Key("claim"))).ShouldBe("me");
    }

    [Test]
    public async Task SetIfAbsentLeavesAnExistingKeyAlone()
    {
        await Store.SetAsync(Key("claim"), "first", LongTtl);

        (await Store.SetIfAbsentAsync(Key("claim"), "second", LongTtl)).ShouldBeFalse();
        (await Store.GetAsync(Key("claim"))).ShouldBe("first");
    }

    [Test]
    public async Task SetIfAbsentSucceedsAgainOnceTheKeyHasExpired()
    {
        (await Store.SetIfAbsentAsync(Key("claim"), "first", ShortTtl)).ShouldBeTrue();

        await AfterShortTtlAsync(() => Store.SetIfAbsentAsync(Key("claim"), "second", LongTtl), "the claim could be taken again");
        (await Store.GetAsync(Key("claim"))).ShouldBe("second");
    }

    [Test]
    public async Task ExactlyOneOfAHundredConcurrentClaimsWins()
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var claims = Enumerable.Range(0, 100)
            .Select(i => Task.Run(async () =>
            {
                await start.Task;
                return (Claimant: i, Won: await Store.SetIfAbsentAsync(Key("claim"), $"{i}", LongTtl));
            }))
            .ToArray();

        start.SetResult();
        var results = await Task.WhenAll(claims);

        var winner = results.Where(r => r.Won).ShouldHaveSingleItem();
        (await Store.GetAsync(Key("claim"))).ShouldBe($"{winner.Claimant}");
    }

    [Test]
    public async Task DeleteRemovesAKeyAndSaysWhetherItExisted()
    {
        await Store.SetAsync(Key("k"), "value", LongTtl);

        (await Store.DeleteAsync(Key("k"))).ShouldBeTrue();
        (await Store.DeleteAsync(Key("k"))).ShouldBeFalse();
        (await Store.GetAsync(Key("k"))).ShouldBeNull();
    }

    [Test]
    public async Task DeleteIfEqualsLeavesAKeyHoldingAnotherValue()
    {
        await Store.SetAsync(Key("lock"), "someone else", LongTtl);

        (await Store.DeleteIfEqualsAsync(Key("lock"), "me")).ShouldBeFalse();
        (await Store.GetAsync(Key("lock"))).ShouldBe("someone else");
    }

    [Test]
    public async Task DeleteIfEqualsDeletesAKeyHoldingTheExpectedValue()
    {
        await Store.SetAsync(Key("lock"), "me", LongTtl);

        (await Store.DeleteIfEqualsAsync(Key("lock"), "me")).ShouldBeTrue();
        (await Store.GetAsync(Key("lock"))).ShouldBeNull();
    }

    [Test]
    public async Task DeleteIfEqualsOfAMissingKeyReturnsFalse() =>
        (await Store.DeleteIfEqualsAsync(Key("lock"), "me")).ShouldBeFalse();

    [Test]
    public async Task RefreshIfEqualsRenewsALeaseItsOwnerStillHolds()
    {
        await Store.SetAsync(Key("lease"), "me", ShortTtl);

        (await Store.RefreshIfEqualsAsync(Key("lease"), "me", LongTtl)).ShouldBeTrue();

        await AfterShortTtlAsync(async () => await Store.GetAsync(Key("lease")) == "me", "the renewed lease outlived its first TTL");
    }

    [Test]
    public async Task RefreshIfEqualsLeavesAnotherOwnersLeaseToExpire()
    {
        await Store.SetAsync(Key("lease"), "someone else", ShortTtl);

        (await Store.RefreshIfEqualsAsync(Key("lease"), "me", LongTtl)).ShouldBeFalse();

        await AfterShortTtlAsync(async () => await Store.GetAsync(Key("lease")) is null, "the other owner's lease expired");
    }

    [Test]
    public async Task RefreshIfEqualsOfAMissingLeaseReturnsFalseAndCreatesNothing()
    {
        (await Store.RefreshIfEqualsAsync(Key("lease"), "me", LongTtl)).ShouldBeFalse();
        (await Store.GetAsync(Key("lease"))).ShouldBeNull();
    }

    [Test]
    public async Task OnlyOneOfManyConcurrentReleasesOfTheSameLockSucceeds()
    {
        await Store.SetAsync(Key("lock"), "me", LongTtl);

        var releases = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Store.DeleteIfEqualsAsync(Key("lock"), "me"))));

        releases.Count(released => released).ShouldBe(1);
    }

    [Test]
    public async Task IncrementStartsAtOneAndCountsUp()
    {
        (await Store.IncrementAsync(Key("n"), LongTtl)).ShouldBe(1);
        (await Store.IncrementAsync(Key("n"), LongTtl)).ShouldBe(2);
        (await Store.IncrementAsync(Key("n"), LongTtl)).ShouldBe(3);
        (await Store.GetAsync(Key("n"))).ShouldBe("3");
    }

    [Test]
    public async Task IncrementKeepsTheTtlOfTheCallThatCreatedTheKey()
    {
        await Store.IncrementAsync(Key("n"), ShortTtl);
        await Store.IncrementAsync(Key("n"), LongTtl);

        await AfterShortTtlAsync(async () => await Store.GetAsync(Key("n")) is null, "the counter expired with its first TTL");
    }

    [Test]
    public async Task IncrementAfterExpiryStartsAgainAtOne()
    {
        await Store.IncrementAsync(Key("n"), ShortTtl);
        await Store.IncrementAsync(Key("n"), ShortTtl);

        await AfterShortTtlAsync(async () => await Store.GetAsync(Key("n")) is null, "the counter expired");
        (await Store.IncrementAsync(Key("n"), LongTtl)).ShouldBe(1);
    }

    [Test]
    public async Task AHundredConcurrentIncrementsCountToAHundred()
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var increments = Enumerable.Range(0, 100)
            .Select(_ => Task.Run(async () =>
            {
                await start.Task;
                return await Store.IncrementAsync(Key("n"), LongTtl);
            }))
            .ToArray();

        start.SetResult();
        var seen = await Task.WhenAll(increments);

        seen.Order().ShouldBe(Enumerable.Range(1, 100).Select(i => (long)i));
        (await Store.GetAsync(Key("n"))).ShouldBe("100");
    }

    [TestCase("not a number")]
    [TestCase("+5")]
    [TestCase("9223372036854775807")]
    public async Task IncrementOfAValueThatIsNotACounterThrows(string value)
    {
        await Store.SetAsync(Key("n"), value, LongTtl);

        await Should.ThrowAsync<InvalidOperationException>(() => Store.IncrementAsync(Key("n"), LongTtl));
        (await Store.GetAsync(Key("n"))).ShouldBe(value);
    }

    [Test]
    public async Task IncrementContinuesFromANumberWrittenBySet()
    {
        await Store.SetAsync(Key("n"), "-3", LongTtl);

        (await Store.IncrementAsync(Key("n"), LongTtl)).ShouldBe(-2);
    }

    [Test]
    public async Task RefreshTtlOfAMissingKeyReturnsFalseAndCreatesNothing()
    {
        (await Store.RefreshTtlAsync(Key("k"), LongTtl)).ShouldBeFalse();

        (await Store.GetAsync(Key("k"))).ShouldBeNull();
    }

    [Test]
    public async Task RefreshTtlReplacesTheTtlOfAnExistingKey()
    {
        await Store.SetAsync(Key("k"), "value", LongTtl);

        (await Store.RefreshTtlAsync(Key("k"), ShortTtl)).ShouldBeTrue();

        await AfterShortTtlAsync(async () => await Store.GetAsync(Key("k")) is null, "the value expired with its refreshed TTL");
    }

    [Test]
    public async Task ListAppendReturnsTheNewLengthAndListAllKeepsAppendOrder()
    {
        (await Store.ListAppendAsync(Key("list"), "a", LongTtl)).ShouldBe(1);
        (await Store.ListAppendAsync(Key("list"), "b", LongTtl)).ShouldBe(2);
        (await Store.ListAppendAsync(Key("list"), "c", LongTtl)).ShouldBe(3);

        (await Store.ListAllAsync(Key("list"))).ShouldBe(["a", "b", "c"]);
    }

    [Test]
    public async Task ListPopFirstTakesElementsInAppendOrderThenReturnsNull()
    {
        await Store.ListAppendAsync(Key("list"), "a", LongTtl);
        await Store.ListAppendAsync(Key("list"), "b", LongTtl);

        (await Store.ListPopFirstAsync(Key("list"))).ShouldBe("a");
        (await Store.ListAllAsync(Key("list"))).ShouldBe(["b"]);
        (await Store.ListPopFirstAsync(Key("list"))).ShouldBe("b");
        (await Store.ListPopFirstAsync(Key("list"))).ShouldBeNull();
    }

    [Test]
    public async Task AListEmptiedByPoppingNoLongerExists()
    {
        await Store.ListAppendAsync(Key("list"), "a", LongTtl);
        await Store.ListPopFirstAsync(Key("list"));

        (await Store.RefreshTtlAsync(Key("list"), LongTtl)).ShouldBeFalse();
        (await Store.SetIfAbsentAsync(Key("list"), "now a string", LongTtl)).ShouldBeTrue();
    }

    [Test]
    public async Task ListRemoveTakesOutEveryEqualElementAndAnEmptiedListNoLongerExists()
    {
        await Store.ListAppendAsync(Key("list"), "a", LongTtl);
        await Store.ListAppendAsync(Key("list"), "b", LongTtl);
        await Store.ListAppendAsync(Key("list"), "a", LongTtl);

        (await Store.ListRemoveAsync(Key("list"), "a")).ShouldBe(2);
        (await Store.ListAllAsync(Key("list"))).ShouldBe(["b"]);
        (await Store.ListRemoveAsync(Key("list"), "a")).ShouldBe(0);
        (await Store.ListRemoveAsync(Key("list"), "b")).ShouldBe(1);
        (await Store.RefreshTtlAsync(Key("list"), LongTtl)).ShouldBeFalse();
        (await Store.ListRemoveAsync(Key("missing"), "a")).ShouldBe(0);
    }

    [Test]
    public async Task ASlotPoolGivesOutAtMostItsLimitAndTakesBackWhatIsReleased()
    {
        var now = DateTimeOffset.UtcNow;

        (await Store.TryTakeSlotAsync(Key("pool"), "a", 2, now, LongTtl)).ShouldBeTrue();
        (await Store.TryTakeSlotAsync(Key("pool"), "b", 2, now, LongTtl)).ShouldBeTrue();
        (await Store.TryTakeSlotAsync(Key("pool"), "c", 2, now, LongTtl)).ShouldBeFalse();
        (await Store.TryTakeSlotAsync(Key("pool"), "a", 2, now, LongTtl)).ShouldBeTrue("a holder asking again keeps its slot");
        await Store.ReleaseSlotAsync(Key("pool"), "a");
        (await Store.TryTakeSlotAsync(Key("pool"), "c", 2, now, LongTtl)).ShouldBeTrue();
        (await Store.TryTakeSlotAsync(Key("pool"), "a", 2, now, LongTtl)).ShouldBeFalse();
        await Store.ReleaseSlotAsync(Key("pool"), "never-held");
    }

    [Test]
    public async Task ASlotWhoseLeaseRanOutIsFreedForOthersAndCannotBeRenewed()
    {
        var now = DateTimeOffset.UtcNow;
        var lease = TimeSpan.FromMinutes(1);
        await Store.TryTakeSlotAsync(Key("pool"), "dead", 1, now, lease);

        (await Store.TryTakeSlotAsync(Key("pool"), "alive", 1, now + TimeSpan.FromSeconds(59), lease)).ShouldBeFalse();
        (await Store.RenewSlotAsync(Key("pool"), "dead", now + TimeSpan.FromSeconds(30), lease)).ShouldBeTrue();
        (await Store.TryTakeSlotAsync(Key("pool"), "alive", 1, now + TimeSpan.FromSeconds(89), lease)).ShouldBeFalse("the renewal moved the lease on");
        (await Store.TryTakeSlotAsync(Key("pool"), "alive", 1, now + TimeSpan.FromSeconds(91), lease)).ShouldBeTrue();
        (await Store.RenewSlotAsync(Key("pool"), "dead", now + TimeSpan.FromSeconds(91), lease)).ShouldBeFalse();
    }

    [Test]
    public async Task ConcurrentTakersNeverExceedTheLimit()
    {
        var now = DateTimeOffset.UtcNow;
        var taken = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Store.TryTakeSlotAsync(Key("pool"), $"h{i}", 7, now, LongTtl)));

        taken.Count(t => t).ShouldBe(7);
    }

    [Test]
    public async Task AMissingListIsEmpty()
    {
        (await Store.ListAllAsync(Key("list"))).ShouldBeEmpty();
        (await Store.ListPopFirstAsync(Key("list"))).ShouldBeNull();
    }

    [Test]
    public async Task AListExpiresWithTheTtlOfItsLatestAppend()
    {
        await Store.ListAppendAsync(Key("list"), "a", LongTtl);
        await Store.ListAppendAsync(Key("list"), "b", ShortTtl);

        await AfterShortTtlAsync(async () => (await Store.ListAllAsync(Key("list"))).Count == 0, "the list expired");
    }

    [Test]
    public async Task ConcurrentAppendsAreAllKept()
    {
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => Store.ListAppendAsync(Key("list"), $"{i}", LongTtl))));

        (await Store.ListAllAsync(Key("list"))).Select(int.Parse).Order().ShouldBe(Enumerable.Range(0, 50));
    }

    [Test]
    public async Task UsingAStringAsAListOrAListAsAStringThrows()
    {
        await Store.SetAsync(Key("text"), "value", LongTtl);
        await Store.ListAppendAsync(Key("list"), "a", LongTtl);

        await Should.ThrowAsync<InvalidOperationException>(() => Store.ListAppendAsync(Key("text"), "b", LongTtl));
        await Should.ThrowAsync<InvalidOperationException>(() => Store.ListPopFirstAsync(Key("text")));
        await Should.ThrowAsync<InvalidOperationException>(() => Store.ListAllAsync(Key("text")));
        await Should.ThrowAsync<InvalidOperationException>(() => Store.GetAsync(Key("list")));
        await Should.ThrowAsync<InvalidOperationException>(() => Store.IncrementAsync(Key("list"), LongTtl));
        await Should.ThrowAsync<InvalidOperationException>(() => Store.DeleteIfEqualsAsync(Key("list"), "a"));
    }

    [Test]
    public async Task SetReplacesAListWithAString()
    {
        await Store.ListAppendAsync(Key("k"), "a", LongTtl);

        await Store.SetAsync(Key("k"), "value", LongTtl);

        (await Store.GetAsync(Key("k"))).ShouldBe("value");
    }

    [Test]
    public async Task PublishedMessagesReachEverySubscriberInPublishOrder()
    {
        var first = new Inbox();
        var second = new Inbox();
        await using var a = await Store.SubscribeAsync(Key("channel"), first.Add);
        await using var b = await Store.SubscribeAsync(Key("channel"), second.Add);

        await Store.PublishAsync(Key("channel"), "one");
        await Store.PublishAsync(Key("channel"), "two");

        (await first.NextAsync()).ShouldBe("one");
        (await first.NextAsync()).ShouldBe("two");
        (await second.NextAsync()).ShouldBe("one");
        (await second.NextAsync()).ShouldBe("two");
    }

    [Test]
    public async Task SubscribersHearOnlyTheirOwnChannel()
    {
        var inbox = new Inbox();
        await using var subscription = await Store.SubscribeAsync(Key("mine"), inbox.Add);

        await Store.PublishAsync(Key("other"), "not for me");
        await Store.PublishAsync(Key("mine"), "for me");

        (await inbox.NextAsync()).ShouldBe("for me");
    }

    [Test]
    public async Task ADisposedSubscriptionReceivesNothingMore()
    {
        var gone = new Inbox();
        var staying = new Inbox();
        var subscription = await Store.SubscribeAsync(Key("channel"), gone.Add);
        await using var witness = await Store.SubscribeAsync(Key("channel"), staying.Add);
        await Store.PublishAsync(Key("channel"), "before");
        (await gone.NextAsync()).ShouldBe("before");
        (await staying.NextAsync()).ShouldBe("before");

        await subscription.DisposeAsync();
        await Store.PublishAsync(Key("channel"), "after");
        await Store.PublishAsync(Key("channel"), "last");

        (await staying.NextAsync()).ShouldBe("after");
        (await staying.NextAsync()).ShouldBe("last");
        gone.Received.ShouldBe(["before"]);
    }

    [Test]
    public async Task DisposingASubscriptionTwiceIsHarmless()
    {
        var subscription = await Store.SubscribeAsync(Key("channel"), _ => { });

        await subscription.DisposeAsync();
        await subscription.DisposeAsync();
    }

    [Test]
    public async Task ASubscriberThatThrowsStillGetsLaterMessages()
    {
        var inbox = new Inbox();
        await using var subscription = await Store.SubscribeAsync(Key("channel"), message =>
        {
            inbox.Add(message);
            if (message == "boom")
            {
                throw new InvalidOperationException("subscriber failure");
            }
        });

        await Store.PublishAsync(Key("channel"), "boom");
        await Store.PublishAsync(Key("channel"), "fine");

        (await inbox.NextAsync()).ShouldBe("boom");
        (await inbox.NextAsync()).ShouldBe("fine");
    }

    [Test]
    public async Task PublishingWithoutSubscribersSucceeds() =>
        await Should.NotThrowAsync(() => Store.PublishAsync(Key("nobody"), "hello?"));

    [Test]
    public async Task PingSucceedsWhileTheStoreIsReachable() =>
        await Should.NotThrowAsync(() => Store.PingAsync());

    [Test]
    public async Task ATtlShorterThanAMillisecondIsRejected()
    {
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => Store.SetAsync(Key("k"), "v", TimeSpan.Zero));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => Store.SetIfAbsentAsync(Key("k"), "v", TimeSpan.FromTicks(1)));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => Store.IncrementAsync(Key("k"), TimeSpan.FromSeconds(-1)));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => Store.ListAppendAsync(Key("k"), "v", Timeout.InfiniteTimeSpan));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => Store.RefreshTtlAsync(Key("k"), TimeSpan.Zero));
    }

    [Test]
    public async Task AnEmptyKeyIsRejected() =>
        await Should.ThrowAsync<ArgumentException>(() => Store.GetAsync(""));

    [Test]
    public async Task ACancelledTokenCancelsTheCallBeforeItDoesAnything()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => Store.SetAsync(Key("k"), "v", LongTtl, cancelled.Token));
        (await Store.GetAsync(Key("k"))).ShouldBeNull();
    }

    /// <summary>Keys of one Cluster slot, as one follower's are: completing a queue head touches three of them at once.</summary>
    private string Tagged(string name) => $"{prefix}{{follower}}:{name}";

    private QueueHeadCompletion Completion(string item, string token = "me", string record = "answered") =>
        new(Tagged($"turn:{item}"), record, LongTtl, Tagged("queue"), item, Tagged("lock"), token, Key("answers"), $"woken:{item}");

    [Test]
    public async Task CompletingTheLastQueuedItemSavesItDequeuesItHandsTheLockBackAndWakesWaiters()
    {
        var inbox = new Inbox();
        await using var subscription = await Store.SubscribeAsync(Key("answers"), inbox.Add);
        await Store.ListAppendAsync(Tagged("queue"), "m1", LongTtl);
        await Store.SetAsync(Tagged("lock"), "me", LongTtl);

        var released = await Store.CompleteQueueHeadAsync(Completion("m1"));

        released.ShouldBeTrue();
        (await Store.GetAsync(Tagged("turn:m1"))).ShouldBe("answered");
        (await Store.ListAllAsync(Tagged("queue"))).ShouldBeEmpty();
        (await Store.GetAsync(Tagged("lock"))).ShouldBeNull();
        (await inbox.NextAsync()).ShouldBe("woken:m1");
    }

    [Test]
    public async Task CompletingAnItemWithMoreQueuedBehindItKeepsTheLock()
    {
        await Store.ListAppendAsync(Tagged("queue"), "m1", LongTtl);
        await Store.ListAppendAsync(Tagged("queue"), "m2", LongTtl);
        await Store.SetAsync(Tagged("lock"), "me", LongTtl);

        var released = await Store.CompleteQueueHeadAsync(Completion("m1"));

        released.ShouldBeFalse();
        (await Store.ListAllAsync(Tagged("queue"))).ShouldBe(["m2"]);
        (await Store.GetAsync(Tagged("lock"))).ShouldBe("me");
    }

    [Test]
    public async Task CompletingTwiceRemovesNothingElseFromTheQueue()
    {
        await Store.ListAppendAsync(Tagged("queue"), "m1", LongTtl);
        await Store.ListAppendAsync(Tagged("queue"), "m2", LongTtl);
        await Store.SetAsync(Tagged("lock"), "me", LongTtl);

        await Store.CompleteQueueHeadAsync(Completion("m1"));
        var again = await Store.CompleteQueueHeadAsync(Completion("m1"));

        again.ShouldBeFalse();
        (await Store.ListAllAsync(Tagged("queue"))).ShouldBe(["m2"]);
    }

    [Test]
    public async Task CompletingNeverReleasesALockSomeoneElseHolds()
    {
        await Store.ListAppendAsync(Tagged("queue"), "m1", LongTtl);
        await Store.SetAsync(Tagged("lock"), "another instance", LongTtl);

        var released = await Store.CompleteQueueHeadAsync(Completion("m1"));

        released.ShouldBeFalse();
        (await Store.GetAsync(Tagged("lock"))).ShouldBe("another instance");
        (await Store.GetAsync(Tagged("turn:m1"))).ShouldBe("answered");
        (await Store.ListAllAsync(Tagged("queue"))).ShouldBeEmpty();
    }

    [Test]
    public async Task ACompletedRecordExpiresWithItsTtl()
    {
        await Store.CompleteQueueHeadAsync(Completion("m1") with { RecordTtl = ShortTtl });

        await AfterShortTtlAsync(async () => await Store.GetAsync(Tagged("turn:m1")) is null, "the completed record expired");
    }

    [Test]
    public async Task CompletingIntoAQueueOfTheWrongKindChangesNothing()
    {
        await Store.SetAsync(Tagged("queue"), "not a list", LongTtl);

        await Should.ThrowAsync<InvalidOperationException>(() => Store.CompleteQueueHeadAsync(Completion("m1")));

        (await Store.GetAsync(Tagged("turn:m1"))).ShouldBeNull();
    }

    /// <summary>Collects what a subscriber hears; <see cref="NextAsync"/> awaits the next message with a deadline.</summary>
    protected sealed class Inbox
    {
        private readonly Channel<string> messages = Channel.CreateUnbounded<string>();
        private readonly List<string> received = [];

        public IReadOnlyList<string> Received
        {
            get
            {
                lock (received)
                {
                    return [.. received];
                }
            }
        }

        public void Add(string message)
        {
            lock (received)
            {
                received.Add(message);
            }

            messages.Writer.TryWrite(message);
        }

        public async Task<string> NextAsync() =>
            await messages.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }
}
