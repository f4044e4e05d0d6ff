using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WinterAI.Domain;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Turns;

/// <summary>
/// The delivery engine's decision for each delivery of a message — reply the answer, hold for the platform's retry,
/// reply the wait text, hand the answer to push, or say nothing — on a fake clock: the real engine, turn runner,
/// signals and in-memory store as the app registers them (AddStateStore, AddDify, AddConversations), with a Dify
/// whose answer the test releases at a chosen fake instant. WeChat's deliveries are played as it sends them:
/// delivery N+1 arrives 5 s after delivery N.
/// </summary>
public sealed class DeliveryDecisionTests
{
    private static readonly TimeSpan ReplyWindow = TimeSpan.FromSeconds(4.5);
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>A guard against a hang in real time; nothing here waits for it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static readonly DeliveryPolicy Hold = new(ReplyWindow, Deliveries: 3, HoldForRetry: true, CanPush: false);
    private static readonly DeliveryPolicy HoldThenPush = Hold with { CanPush = true };
    private static readonly DeliveryPolicy PushAlways = new(ReplyWindow, Deliveries: 1, HoldForRetry: false, CanPush: true, PushAlways: true);

    private const string Account = "gh_decisions";
    private const string Answer = "The answer.";
    private readonly Follower follower = new(Account, "o-follower");

    private FakeTimeProvider time = null!;
    private FlakyStore store = null!;
    private HeldDify dify = null!;
    private RecordingPusher pusher = null!;
    private ServiceProvider services = null!;
    private DeliveryEngine engine = null!;
    private DateTimeOffset firstArrival;

    [SetUp]
    public void Compose()
    {
        time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        dify = new HeldDify();
        pusher = new RecordingPusher();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dify:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["Dify:ApiKey"] = "app-decisions",
        });
        store = new FlakyStore(new InMemoryStateStore(time));
        builder.Services
            .AddSingleton<TimeProvider>(time)
            .AddSingleton<IStateStore>(store)
            .AddSingleton<IDifyClient>(dify)
            .AddSingleton<IChannel>(new PushingChannel(pusher));
        builder.AddStateStore().AddDify().AddConversations();
        services = builder.Services.BuildServiceProvider();
        engine = services.GetRequiredService<DeliveryEngine>();
        firstArrival = time.GetUtcNow();
    }

    [TearDown]
    public async Task StopAsync()
    {
        // Cancels a turn still waiting for Dify, so it does not outlive the test.
        await services.GetRequiredService<TurnRunner>().StopAsync(new CancellationToken(canceled: true));
        await services.DisposeAsync();
    }

    [Test]
    public async Task AnAnswerTheStoreRefusedIsSavedFromMemoryAndNeverAskedAgain()
    {
        store.FailTurnSaves = 3;
        dify.Release(Answer);
        var turns = services.GetRequiredService<TurnStore>();

        var delivery = DeliverAsync(1, Hold);
        await Poll.UntilAsync(
            async () =>
            {
                // The runner waits on the fake clock between attempts: move it on until the answer is in.
                time.Advance(TurnRunner.SaveRetryInterval / 4);
                return (await turns.GetAsync(follower, "msg", CancellationToken.None))?.IsAnswered == true;
            },
            "the answer is saved after the store refused it three times");
        await delivery;

        store.SaveAttempts.ShouldBe(4);
        dify.Calls.ShouldBe(1);
        (await turns.GetAsync(follower, "msg", CancellationToken.None))!.Answer.ShouldBe(Answer);
    }

    [Test]
    public async Task ATurnWhoseQueueEntryAFailoverLostIsQueuedAgainByTheNextOne()
    {
        // As after a Redis failover that kept the turn and the history but lost the queue entry.
        var turns = services.GetRequiredService<TurnStore>();
        await turns.RecordAsync(follower, new TurnRecord("msg", "question", time.GetUtcNow().ToUnixTimeMilliseconds()), CancellationToken.None);
        dify.Release(Answer);

        var fetched = await engine.FetchAsync(follower, "fetch-1", time.GetUtcNow(), Hold, CancellationToken.None).WaitAsync(Patience);

        fetched.Text.ShouldBe($"question\n——————\n{Answer}");
        dify.Calls.ShouldBe(1);
    }

    [Test]
    public async Task AClaimWhoseTurnAFailoverLostIsAskedByTheNextDelivery()
    {
        // As after a Redis failover that kept the first delivery's claim but lost the turn it queued.
        await store.SetIfAbsentAsync(services.GetRequiredService<StoreKeys>().Claim(follower, "msg"), "lost-instance", TimeSpan.FromMinutes(5));
        dify.Release(Answer);

        var reply = await DeliverAsync(2, Hold);

        reply.ShouldBe(DeliveryReply.Say(Answer));
        dify.Calls.ShouldBe(1);
    }

    [Test]
    public async Task RepliesTheAnswerOnTheFirstDeliveryWhenDifyAnswersWithinTheReplyWindow()
    {
        dify.Release(Answer);

        var reply = await DeliverAsync(1, Hold);

        reply.ShouldBe(DeliveryReply.Say(Answer));
        time.GetUtcNow().ShouldBe(firstArrival);
        dify.Calls.ShouldBe(1);
    }

    [TestCase(1)]
    [TestCase(2)]
    public async Task HoldsADeliveryBeforeTheLastWhenTheAnswerIsNotReadySoThePlatformRetries(int delivery)
    {
        var replies = await DeliverUnansweredAsync(delivery, Hold);

        replies.ShouldAllBe(reply => reply == DeliveryReply.Hold);
        time.GetUtcNow().ShouldBe(Arrival(delivery) + ReplyWindow);
    }

    [Test]
    public async Task RepliesTheWaitTextOnTheLastDeliveryWhenTheAnswerIsNotReadyAndNothingCanPush()
    {
        var replies = await DeliverUnansweredAsync(3, Hold);

        replies.ShouldBe([DeliveryReply.Hold, DeliveryReply.Hold, DeliveryReply.Say(WaitText())]);
        time.GetUtcNow().ShouldBe(Arrival(3) + ReplyWindow);
    }

    [Test]
    public async Task RepliesTheWaitTextOnTheFirstDeliveryWhenHoldingForRetriesIsOff()
    {
        var replies = await DeliverUnansweredAsync(1, Hold with { HoldForRetry = false });

        replies.ShouldBe([DeliveryReply.Say(WaitText())]);
    }

    [Test]
    public async Task HandsTheAnswerToPushOnTheLastDeliveryAndPushesItWhenDifyAnswers()
    {
        var replies = await DeliverUnansweredAsync(3, HoldThenPush);
        pusher.Pushed.ShouldBeEmpty();
        time.Advance(TimeSpan.FromSeconds(20));
        dify.Release(Answer);

        replies.ShouldBe([DeliveryReply.Hold, DeliveryReply.Hold, DeliveryReply.Nothing]);
        (await pusher.FirstPush.WaitAsync(Patience)).Answer.ShouldBe(Answer);
        pusher.Pushed.Count.ShouldBe(1);
    }

    [Test]
    public async Task RepliesTheAnswerOnTheDeliveryDuringWhoseWindowDifyAnswers()
    {
        (await DeliverUnansweredAsync(1, Hold)).ShouldBe([DeliveryReply.Hold]);
        time.SetUtcNow(Arrival(2));

        var second = engine.AskAsync(follower, "msg", "question", Arrival(2), Hold, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(2));
        dify.Release(Answer);

        (await second.WaitAsync(Patience)).ShouldBe(DeliveryReply.Say(Answer));
        time.GetUtcNow().ShouldBe(Arrival(2) + TimeSpan.FromSeconds(2));
        dify.Calls.ShouldBe(1);
    }

    [Test]
    public async Task RepliesTheAnswerRatherThanPushingItWhenDifyAnswersDuringTheLastDeliverysWindow()
    {
        (await DeliverUnansweredAsync(2, HoldThenPush)).ShouldBe([DeliveryReply.Hold, DeliveryReply.Hold]);
        time.SetUtcNow(Arrival(3));

        var last = engine.AskAsync(follower, "msg", "question", Arrival(3), HoldThenPush, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(4));
        dify.Release(Answer);

        (await last.WaitAsync(Patience)).ShouldBe(DeliveryReply.Say(Answer));
        pusher.Pushed.ShouldBeEmpty();
    }

    [Test]
    public async Task SaysNothingAtOnceAndPushesTheAnswerWhenTheChannelAlwaysPushes()
    {
        var reply = await engine.AskAsync(follower, "msg", "question", firstArrival, PushAlways, CancellationToken.None).WaitAsync(Patience);
        time.GetUtcNow().ShouldBe(firstArrival);
        pusher.Pushed.ShouldBeEmpty();
        dify.Release(Answer);

        reply.ShouldBe(DeliveryReply.Nothing);
        (await pusher.FirstPush.WaitAsync(Patience)).Answer.ShouldBe(Answer);
    }

    /// <summary>When WeChat delivers the message the <paramref name="delivery"/>th time.</summary>
    private DateTimeOffset Arrival(int delivery) => firstArrival + RetryAfter * (delivery - 1);

    private string WaitText() => services.GetRequiredService<IOptions<MessagesOptions>>().Value.Wait;

    /// <summary>One delivery whose answer is ready before it arrives (or comes without the clock moving).</summary>
    private Task<DeliveryReply> DeliverAsync(int delivery, DeliveryPolicy policy) =>
        engine.AskAsync(follower, "msg", "question", Arrival(delivery), policy, CancellationToken.None).WaitAsync(Patience);

    /// <summary>
    /// Deliveries 1 to <paramref name="count"/>, each at its arrival time, with Dify not answering: the clock runs to
    /// the end of each one's reply window. The deadline is absolute, so advancing before the engine starts waiting
    /// decides the same as advancing while it waits.
    /// </summary>
    private async Task<IReadOnlyList<DeliveryReply>> DeliverUnansweredAsync(int count, DeliveryPolicy policy)
    {
        var replies = new List<DeliveryReply>();
        for (var delivery = 1; delivery <= count; delivery++)
        {
            time.SetUtcNow(Arrival(delivery));
            var reply = engine.AskAsync(follower, "msg", "question", Arrival(delivery), policy, CancellationToken.None);
            time.Advance(ReplyWindow);
            replies.Add(await reply.WaitAsync(Patience));
        }

        return replies;
    }

    /// <summary>Dify holding every answer until the test releases it.</summary>
    private sealed class HeldDify : IDifyClient
    {
        private readonly TaskCompletionSource<DifyAnswer> answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int calls;

        public int Calls => Volatile.Read(ref calls);

        public void Release(string text) => answer.TrySetResult(new DifyAnswer(text, "conversation-1", "message-1", null));

        public Task<DifyAnswer> ChatAsync(DifyChatRequest request, Func<DifyProgress, CancellationToken, ValueTask>? onProgress, CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            return answer.Task.WaitAsync(ct);
        }

        public Task DeleteConversationAsync(string conversationId, string user, CancellationToken ct) => Task.CompletedTask;

        public Task StopAsync(string taskId, string user, DifyAppType appType, CancellationToken ct) => Task.CompletedTask;

        public Task<DifyAppInfo> GetInfoAsync(CancellationToken ct) => Task.FromResult(new DifyAppInfo("held", "chat"));

        public Task<byte[]> TextToAudioAsync(string? messageId, string text, string user, long maxBytes, CancellationToken ct) => throw new NotSupportedException();

        public Task FeedbackAsync(string messageId, string? rating, string user, CancellationToken ct) => Task.CompletedTask;

        public Task<IReadOnlyList<string>> GetSuggestedQuestionsAsync(string messageId, string user, CancellationToken ct) => Task.FromResult<IReadOnlyList<string>>([]);

        public Task<DifyAppParameters> GetParametersAsync(string user, CancellationToken ct) => throw new NotSupportedException();

        public Task<string> UploadFileAsync(DifyUpload file, string user, CancellationToken ct) => throw new NotSupportedException();

        public Task<string> AudioToTextAsync(DifyUpload audio, string user, CancellationToken ct) => throw new NotSupportedException();
    }

    /// <summary>The follower's channel, able to push; the tests give the engine their own delivery policies.</summary>
    private sealed class PushingChannel(IAnswerPusher pusher) : IChannel
    {
        public string Name => "decisions";

        public string Account => DeliveryDecisionTests.Account;

        public bool IsEnabled => true;

        public DeliveryPolicy Policy => HoldThenPush;

        public bool KeepsMarkdown => false;

        public IAnswerPusher? Pusher => pusher;

        public string CallbackPath => "/decisions";

        public string FailureReply => "success";
    }

    /// <summary>A push channel that accepts every push and keeps it.</summary>
    private sealed class RecordingPusher : IAnswerPusher
    {
        private readonly TaskCompletionSource<TurnRecord> first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock gate = new();
        private readonly List<TurnRecord> pushed = [];

        public Task<TurnRecord> FirstPush => first.Task;

        public IReadOnlyList<TurnRecord> Pushed
        {
            get
            {
                lock (gate)
                {
                    return [.. pushed];
                }
            }
        }

        public Task<bool> PushAsync(Follower follower, TurnRecord turn, CancellationToken ct)
        {
            lock (gate)
            {
                pushed.Add(turn);
            }

            first.TrySetResult(turn);
            return Task.FromResult(true);
        }

        public Task TypingAsync(Follower follower, CancellationToken ct) => Task.CompletedTask;
    }

    /// <summary>The in-memory store, except that it refuses the first saves of an answered turn, as a store in failover would.</summary>
    private sealed class FlakyStore(IStateStore inner) : IStateStore
    {
        private int failTurnSaves;
        private int saveAttempts;

        public int FailTurnSaves
        {
            get => Volatile.Read(ref failTurnSaves);
            set => Volatile.Write(ref failTurnSaves, value);
        }

        public int SaveAttempts => Volatile.Read(ref saveAttempts);

        public Task<bool> CompleteQueueHeadAsync(QueueHeadCompletion completion, CancellationToken ct = default)
        {
            if (completion.Record.Contains(Answer, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref saveAttempts);
                if (Interlocked.Decrement(ref failTurnSaves) >= 0)
                {
                    throw new StoreUnavailableException("failing over");
                }
            }

            return inner.CompleteQueueHeadAsync(completion, ct);
        }

        public Task SetAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default) => inner.SetAsync(key, value, ttl, ct);

        public Task<string?> GetAsync(string key, CancellationToken ct = default) => inner.GetAsync(key, ct);

        public Task<bool> SetIfAbsentAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default) => inner.SetIfAbsentAsync(key, value, ttl, ct);

        public Task<bool> DeleteAsync(string key, CancellationToken ct = default) => inner.DeleteAsync(key, ct);

        public Task<bool> DeleteIfEqualsAsync(string key, string expected, CancellationToken ct = default) => inner.DeleteIfEqualsAsync(key, expected, ct);

        public Task<long> IncrementAsync(string key, TimeSpan ttl, CancellationToken ct = default) => inner.IncrementAsync(key, ttl, ct);

        public Task<bool> RefreshIfEqualsAsync(string key, string expected, TimeSpan ttl, CancellationToken ct = default) => inner.RefreshIfEqualsAsync(key, expected, ttl, ct);

        public Task<bool> RefreshTtlAsync(string key, TimeSpan ttl, CancellationToken ct = default) => inner.RefreshTtlAsync(key, ttl, ct);

        public Task<long> ListAppendAsync(string key, string value, TimeSpan ttl, CancellationToken ct = default) => inner.ListAppendAsync(key, value, ttl, ct);

        public Task<string?> ListPopFirstAsync(string key, CancellationToken ct = default) => inner.ListPopFirstAsync(key, ct);

        public Task<long> ListRemoveAsync(string key, string value, CancellationToken ct = default) => inner.ListRemoveAsync(key, value, ct);

        public Task<bool> TryTakeSlotAsync(string key, string holder, int limit, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default) =>
            inner.TryTakeSlotAsync(key, holder, limit, now, lease, ct);

        public Task<bool> RenewSlotAsync(string key, string holder, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default) =>
            inner.RenewSlotAsync(key, holder, now, lease, ct);

        public Task ReleaseSlotAsync(string key, string holder, CancellationToken ct = default) => inner.ReleaseSlotAsync(key, holder, ct);

        public Task<IReadOnlyList<string>> ListAllAsync(string key, CancellationToken ct = default) => inner.ListAllAsync(key, ct);

        public Task PublishAsync(string channel, string message, CancellationToken ct = default) => inner.PublishAsync(channel, message, ct);

        public Task<IAsyncDisposable> SubscribeAsync(string channel, Action<string> onMessage, CancellationToken ct = default) => inner.SubscribeAsync(channel, onMessage, ct);

        public Task PingAsync(CancellationToken ct = default) => inner.PingAsync(ct);
    }
}
