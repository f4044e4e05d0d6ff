using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Turns;

/// <summary>
/// The delivery engine against a WeChat stand-in that behaves like WeChat (up to three deliveries, each
/// abandoned after its timeout) on a scaled clock: each delivery is abandoned after 2 s and WinterAI waits
/// 1 s for the answer. Dify is held by a gate and released at exact points, so no scenario depends on timing luck.
/// </summary>
public sealed class DeliveryScenarioTests
{
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private FakeDifyServer dify = null!;
    private WinterAIHost host = null!;
    private HttpClient client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        host = new WinterAIHost(Configuration());
        client = host.CreateClient();
    }

    [TearDown]
    public async Task StopAsync()
    {
        dify.Gate?.TrySetResult();
        client.Dispose();
        await host.DisposeAsync();
        await dify.DisposeAsync();
    }

    private Dictionary<string, string?> Configuration(Action<Dictionary<string, string?>>? change = null)
    {
        var configuration = new Dictionary<string, string?>(Account.Configuration())
        {
            ["WeChat:ReplyWindow"] = "00:00:01",
            ["WeChat:HoldLimit"] = "00:00:05",
            ["Dify:BaseUrl"] = dify.BaseUrl,
            ["Dify:ApiKey"] = "app-test-key",
            ["Dify:RetryBaseDelay"] = "00:00:00.01",
        };
        change?.Invoke(configuration);
        return configuration;
    }

    private FakeWeChat WeChat(Func<int, Task>? beforeDelivery = null, int deliveries = 3, HttpClient? via = null) =>
        new(via ?? client, Account) { Timeout = TimeSpan.FromSeconds(2), Deliveries = deliveries, BeforeDelivery = beforeDelivery };

    private Func<int, Task> ReleaseDifyBefore(int delivery) => attempt =>
    {
        if (attempt == delivery)
        {
            dify.Gate!.TrySetResult();
        }

        return Task.CompletedTask;
    };

    [Test]
    public async Task AnswersOnTheFirstDeliveryWhenDifyIsFasterThanTheReplyWindow()
    {
        var deliveries = await WeChat().SendTextAsync("o-fast", "quick one");

        deliveries.Count.ShouldBe(1);
        deliveries[0].Content.ShouldBe("echo: quick one");
        dify.ChatCallCount.ShouldBe(1);
    }

    [TestCase(2)]
    [TestCase(3)]
    public async Task AnswersPassivelyOnTheDeliveryDuringWhichDifyFinishes(int delivery)
    {
        dify.Gate = new TaskCompletionSource();

        var deliveries = await WeChat(ReleaseDifyBefore(delivery)).SendTextAsync("o-late-" + delivery, "slow one");

        deliveries.Count.ShouldBe(delivery);
        deliveries.Take(delivery - 1).ShouldAllBe(d => d.TimedOut);
        deliveries[^1].Content.ShouldBe("echo: slow one");
        dify.ChatCallCount.ShouldBe(1);
        var totals = host.Services.GetRequiredService<DeliveryMetrics>().Totals();
        totals[$"Answered_on_delivery_{delivery}"].ShouldBe(1);
        totals["Held"].ShouldBe(delivery - 1);
    }

    [Test]
    public async Task RepliesTheWaitMessageOnTheLastDeliveryAndHandsTheAnswerToFetch()
    {
        dify.Gate = new TaskCompletionSource();

        var deliveries = await WeChat().SendTextAsync("o-beyond", "very slow");
        dify.Gate.SetResult();
        await dify.WaitForCallsAsync(1, TimeSpan.FromSeconds(5));
        var fetched = FakeWeChat.Shown(await WeChat().SendTextAsync("o-beyond", "1"));

        deliveries.Count.ShouldBe(3);
        deliveries[0].TimedOut.ShouldBeTrue();
        deliveries[1].TimedOut.ShouldBeTrue();
        deliveries[2].Content.ShouldBe("正在思考中，回答需要一点时间……请稍后发送 1 查看回复。");
        fetched.ShouldBe("very slow\n——————\necho: very slow");
        dify.ChatCallCount.ShouldBe(1);
        var totals = host.Services.GetRequiredService<DeliveryMetrics>().Totals();
        totals["WaitMessage_on_delivery_3"].ShouldBe(1);
        totals["Fetched"].ShouldBe(1);
    }

    [Test]
    public async Task FetchWhileTheAnswerIsStillRunningSaysSoAndStartsNothing()
    {
        dify.Gate = new TaskCompletionSource();
        await WeChat().SendTextAsync("o-impatient", "think hard");

        var fetched = FakeWeChat.Shown(await WeChat().SendTextAsync("o-impatient", "1"));

        fetched.ShouldBe("还在思考中，请稍后再发送 1 查看回复。");
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task QueuesAFollowUpBehindTheRunningQuestionAndAnswersBothInOrder()
    {
        dify.Gate = new TaskCompletionSource();
        var first = FakeWeChat.Shown(await WeChat().SendTextAsync("o-follow", "first question"));
        var second = FakeWeChat.Shown(await WeChat().SendTextAsync("o-follow", "second question"));
        var callsWhileFirstRuns = dify.ChatCallCount;
        dify.Gate.SetResult();
        await dify.WaitForCallsAsync(2, TimeSpan.FromSeconds(5));

        var fetchedFirst = FakeWeChat.Shown(await WeChat().SendTextAsync("o-follow", "1"));
        var fetchedSecond = FakeWeChat.Shown(await WeChat().SendTextAsync("o-follow", "1"));

        first.ShouldBe("正在思考中，回答需要一点时间……请稍后发送 1 查看回复。");
        second.ShouldBe(first);
        callsWhileFirstRuns.ShouldBe(1);
        fetchedFirst.ShouldBe("first question\n——————\necho: first question");
        fetchedSecond.ShouldBe("second question\n——————\necho: second question");
        var calls = dify.Calls.Where(c => c.Path.EndsWith("/chat-messages")).ToList();
        calls.Select(c => c.Query).ShouldBe(["first question", "second question"]);
        calls[1].ConversationId.ShouldNotBeNull();
    }

    [Test]
    public async Task SplitsALongAnswerIntoPagesThatFetchHandsOutOneByOne()
    {
        var paragraph = string.Concat(Enumerable.Repeat("冬天来了，春天还会远吗？", 40));
        var answer = string.Join("\n\n", Enumerable.Repeat(paragraph, 5));
        dify.Answer = _ => answer;

        var pages = new List<string> { FakeWeChat.Shown(await WeChat().SendTextAsync("o-long", "tell me everything"))! };
        for (var i = 0; i < 10 && pages[^1].Contains("回复 1 查看下一段"); i++)
        {
            pages.Add(FakeWeChat.Shown(await WeChat().SendTextAsync("o-long", "1"))!);
        }

        pages.Count.ShouldBeGreaterThan(1);
        pages.ShouldAllBe(p => Encoding.UTF8.GetByteCount(p) <= 2048);
        pages[0].ShouldEndWith($"（回复 1 查看下一段 2/{pages.Count}）");
        var bodies = pages.Select(p => p.Contains("（回复 1 查看下一段") ? p[..p.LastIndexOf("\n（回复 1 查看下一段", StringComparison.Ordinal)] : p);
        string.Concat(bodies).ShouldBe(MarkdownText.Render(answer));
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task RefusesQuestionsBeyondTheFollowersPerMinuteQuotaWithoutCallingDify()
    {
        await using var limited = new WinterAIHost(Configuration(c => c["Limits:PerMinute"] = "2"));
        using var limitedClient = limited.CreateClient();

        var replies = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            replies.Add(FakeWeChat.Shown(await WeChat(via: limitedClient).SendTextAsync("o-greedy", $"question {i}")));
        }

        replies.ShouldBe(["echo: question 0", "echo: question 1", "你提问得太频繁了，请稍后再试。"]);
        dify.ChatCallCount.ShouldBe(2);
    }

    [Test]
    public async Task TurnsAwayQuestionsBeyondTheDifyConcurrencyCapWithTheBusyText()
    {
        await using var capped = new WinterAIHost(Configuration(c =>
        {
            c["Limits:MaxConcurrentDifyCalls"] = "1";
            c["Limits:MaxWaitingForDify"] = "0";
        }));
        using var cappedClient = capped.CreateClient();
        dify.Gate = new TaskCompletionSource();
        await WeChat(via: cappedClient).SendTextAsync("o-first-in", "hold the slot");
        await dify.WaitForCallsAsync(1, TimeSpan.FromSeconds(5));

        var turnedAway = FakeWeChat.Shown(await WeChat(via: cappedClient).SendTextAsync("o-second-in", "any room?"));

        turnedAway.ShouldBe("现在提问的人太多了，请稍后再试。");
        dify.ChatCallCount.ShouldBe(1);
    }
}
