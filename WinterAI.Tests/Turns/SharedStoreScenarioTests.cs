using System.Net;
using WinterAI.Domain.Storage;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Turns;

/// <summary>
/// The delivery engine on a real redis-server: two real WinterAI processes sharing it (deliveries of one message
/// alternate between them, as behind a load balancer), and Redis going away in the middle of a conversation.
/// </summary>
public sealed class SharedStoreScenarioTests
{
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private RedisServer redis = null!;
    private FakeDifyServer dify = null!;

    [SetUp]
    public async Task StartAsync()
    {
        redis = await TestRedis.StartAsync();
        dify = await FakeDifyServer.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        dify.Gate?.TrySetResult();
        await dify.DisposeAsync();
        await redis.DisposeAsync();
    }

    private Dictionary<string, string?> Configuration() => new(Account.Configuration())
    {
        ["WeChat:ReplyWindow"] = "00:00:01",
        ["WeChat:HoldLimit"] = "00:00:05",
        ["Dify:BaseUrl"] = dify.BaseUrl,
        ["Dify:ApiKey"] = "app-test-key",
        ["Dify:RetryBaseDelay"] = "00:00:00.01",
        ["Redis:Configuration"] = redis.ConnectionString,
        ["Redis:OperationTimeout"] = "00:00:00.5",
    };

    private static FakeWeChat Alternating(WinterAIProcess a, WinterAIProcess b, Func<int, Task>? beforeDelivery = null) =>
        new(a.Client, Account) { Timeout = TimeSpan.FromSeconds(2), ClientFor = n => n % 2 == 1 ? a.Client : b.Client, BeforeDelivery = beforeDelivery };

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public async Task TwoInstancesJoinOneDifyCallWhicheverDeliveryCarriesTheAnswer(int answeredOn)
    {
        await using var a = await WinterAIProcess.StartAsync(Configuration());
        await using var b = await WinterAIProcess.StartAsync(Configuration());
        dify.Gate = new TaskCompletionSource();
        var weChat = Alternating(a, b, attempt =>
        {
            if (attempt == answeredOn)
            {
                dify.Gate.TrySetResult();
            }

            return Task.CompletedTask;
        });

        var deliveries = await weChat.SendTextAsync("o-two-" + answeredOn, "shared question");

        deliveries.Count.ShouldBe(answeredOn);
        deliveries[^1].Content.ShouldBe("echo: shared question");
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task TwoInstancesHandTheWaitMessageAndTheAnswerToFetchOnTheOtherInstance()
    {
        await using var a = await WinterAIProcess.StartAsync(Configuration());
        await using var b = await WinterAIProcess.StartAsync(Configuration());
        dify.Gate = new TaskCompletionSource();

        var deliveries = await Alternating(a, b).SendTextAsync("o-two-late", "long thought");
        dify.Gate.SetResult();
        await dify.WaitForCallsAsync(1, TimeSpan.FromSeconds(5));
        var fetched = FakeWeChat.Shown(await new FakeWeChat(b.Client, Account) { Timeout = TimeSpan.FromSeconds(2) }.SendTextAsync("o-two-late", "1"));

        deliveries[^1].Content.ShouldBe("正在思考中，回答需要一点时间……请稍后发送 1 查看回复。");
        fetched.ShouldBe("long thought\n——————\necho: long thought");
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task FollowUpsQueuedOnDifferentInstancesAreAnsweredInOrderInOneConversation()
    {
        await using var a = await WinterAIProcess.StartAsync(Configuration());
        await using var b = await WinterAIProcess.StartAsync(Configuration());
        dify.Gate = new TaskCompletionSource();

        await new FakeWeChat(a.Client, Account) { Timeout = TimeSpan.FromSeconds(2) }.SendTextAsync("o-two-queue", "first");
        await new FakeWeChat(b.Client, Account) { Timeout = TimeSpan.FromSeconds(2) }.SendTextAsync("o-two-queue", "second");
        var callsWhileFirstRuns = dify.ChatCallCount;
        dify.Gate.SetResult();
        await dify.WaitForCallsAsync(2, TimeSpan.FromSeconds(10));
        var fetchFrom = new FakeWeChat(a.Client, Account) { Timeout = TimeSpan.FromSeconds(2) };
        var first = FakeWeChat.Shown(await fetchFrom.SendTextAsync("o-two-queue", "1"));
        var second = FakeWeChat.Shown(await fetchFrom.SendTextAsync("o-two-queue", "1"));

        callsWhileFirstRuns.ShouldBe(1);
        first.ShouldBe("first\n——————\necho: first");
        second.ShouldBe("second\n——————\necho: second");
        var calls = dify.Calls.Where(c => c.Path.EndsWith("/chat-messages")).ToList();
        calls.Select(c => c.Query).ShouldBe(["first", "second"]);
        calls[1].ConversationId.ShouldNotBeNull();
    }

    [Test]
    public async Task AnswersWithAFriendlyTextWhileRedisIsDownAndRecoversByItself()
    {
        await using var host = new WinterAIHost(Configuration());
        using var client = host.CreateClient();
        var weChat = new FakeWeChat(client, Account) { Timeout = TimeSpan.FromSeconds(2) };
        var before = FakeWeChat.Shown(await weChat.SendTextAsync("o-outage", "before"));

        await redis.StopAsync();
        var during = await weChat.SendTextAsync("o-outage", "during");
        await redis.StartAgainAsync();
        string? after = null;
        await Poll.UntilAsync(async () => (after = FakeWeChat.Shown(await weChat.SendTextAsync("o-outage", "after"))) == "echo: after", "answers once Redis is back");

        before.ShouldBe("echo: before");
        during.Count.ShouldBe(1);
        during[0].Status.ShouldBe(HttpStatusCode.OK);
        during[0].Content.ShouldBe("系统繁忙，请稍后再试。");
        after.ShouldBe("echo: after");
    }

    [Test]
    public async Task ShutdownLetsARunningTurnFinishSoTheNextDeliveryAnswersWithoutASecondCall()
    {
        var configuration = Configuration();
        configuration["ASPNETCORE_SHUTDOWNTIMEOUTSECONDS"] = "20";
        await using var a = await WinterAIProcess.StartAsync(configuration);
        await using var b = await WinterAIProcess.StartAsync(Configuration());
        dify.Gate = new TaskCompletionSource();
        var xml = WeChatWire.TextMessageXml("o-shutdown", WeChatAccount.Account, "finish me", FakeWeChat.NewMsgId(), FakeWeChat.Now());
        var weChat = new FakeWeChat(a.Client, Account) { Timeout = TimeSpan.FromSeconds(2) };

        var first = await weChat.PostOnceAsync(xml, 1);
        await dify.WaitForCallsAsync(1, TimeSpan.FromSeconds(5));
        var stopping = a.StopGracefullyAsync(TimeSpan.FromSeconds(30));
        dify.Gate.SetResult();
        await stopping;
        var second = await new FakeWeChat(b.Client, Account) { Timeout = TimeSpan.FromSeconds(2) }.PostOnceAsync(xml, 2);

        first.TimedOut.ShouldBeTrue();
        second.Content.ShouldBe("echo: finish me");
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task ATurnCutOffByShutdownIsRetriedByTheNextDeliveryOnAnotherInstance()
    {
        var configuration = Configuration();
        configuration["ASPNETCORE_SHUTDOWNTIMEOUTSECONDS"] = "1";
        await using var a = await WinterAIProcess.StartAsync(configuration);
        await using var b = await WinterAIProcess.StartAsync(Configuration());
        dify.Gate = new TaskCompletionSource();
        var xml = WeChatWire.TextMessageXml("o-cutoff", WeChatAccount.Account, "retry me", FakeWeChat.NewMsgId(), FakeWeChat.Now());
        var weChat = new FakeWeChat(a.Client, Account) { Timeout = TimeSpan.FromSeconds(2) };

        await weChat.PostOnceAsync(xml, 1);
        await dify.WaitForCallsAsync(1, TimeSpan.FromSeconds(5));
        await a.StopGracefullyAsync(TimeSpan.FromSeconds(30));
        dify.Gate.SetResult();
        var second = await new FakeWeChat(b.Client, Account) { Timeout = TimeSpan.FromSeconds(2) }.PostOnceAsync(xml, 2);

        second.Content.ShouldBe("echo: retry me");
        dify.ChatCallCount.ShouldBe(2);
    }

    [Test]
    public async Task AFollowerWhoseInstanceDiedMidTurnIsAnsweredWithinSecondsOnAnother()
    {
        await using var a = await WinterAIProcess.StartAsync(Configuration());
        await using var b = await WinterAIProcess.StartAsync(Configuration());
        dify.Gate = new TaskCompletionSource();
        var xml = WeChatWire.TextMessageXml("o-orphan", WeChatAccount.Account, "who answers me", FakeWeChat.NewMsgId(), FakeWeChat.Now());
        await new FakeWeChat(a.Client, Account) { Timeout = TimeSpan.FromSeconds(2) }.PostOnceAsync(xml, 1);
        await dify.WaitForCallsAsync(1, TimeSpan.FromSeconds(5));

        a.Kill();
        var killedAt = TimeProvider.System.GetTimestamp();
        dify.Gate.SetResult();
        var onB = new FakeWeChat(b.Client, Account) { Timeout = TimeSpan.FromSeconds(2) };
        await Poll.UntilAsync(
            async () =>
            {
                // Each `1` kicks the follower's queue; it runs as soon as the dead instance's lease has run out.
                await onB.SendTextAsync("o-orphan", "1");
                return dify.ChatCallCount >= 2;
            },
            "the orphaned turn is asked again on the other instance",
            TimeSpan.FromSeconds(40));
        var stalled = TimeProvider.System.GetElapsedTime(killedAt);
        var answer = FakeWeChat.Shown(await onB.SendTextAsync("o-orphan", "1"));

        TestContext.Out.WriteLine($"follower stalled {stalled.TotalSeconds:F1} s after its instance died");
        stalled.ShouldBeLessThan(StoreLease.Duration + TimeSpan.FromSeconds(6));
        answer.ShouldNotBeNull().ShouldContain("echo: who answers me");
    }
}
