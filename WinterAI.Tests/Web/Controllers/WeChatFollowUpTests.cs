using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WinterAI.Domain;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Web.Controllers;

/// <summary>
/// Replies that refer to the answer just given, through <c>/wechat</c> against the fake Dify: suggested questions
/// lettered on the last page and asked with a letter, like / dislike words, and reasoning kept out of every page.
/// </summary>
public sealed class WeChatFollowUpTests
{
    private const string Title = "\n\n你可能还想问（回复字母即可提问）：";
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private FakeDifyServer dify = null!;
    private WinterAIHost host = null!;
    private HttpClient client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        Boot();
    }

    [TearDown]
    public async Task StopAsync()
    {
        dify.SuggestionsGate?.TrySetResult();
        client.Dispose();
        await host.DisposeAsync();
        await dify.DisposeAsync();
    }

    private void Boot(Action<Dictionary<string, string?>>? change = null)
    {
        var configuration = WinterAIHost.OfficialAccountWith(dify);
        change?.Invoke(configuration);
        host = new WinterAIHost(configuration);
        client = host.CreateClient();
    }

    private async Task RebootAsync(Action<Dictionary<string, string?>> change)
    {
        client.Dispose();
        await host.DisposeAsync();
        Boot(change);
    }

    private async Task<string> AskAsync(string openId, string content) =>
        FakeWeChat.Shown(await new FakeWeChat(client, Account) { Timeout = TimeSpan.FromSeconds(5) }.SendTextAsync(openId, content))
        ?? throw new AssertionException($"No reply to {content}.");

    private Task SuggestionsArrivedAsync(string openId) =>
        Poll.UntilAsync(
            async () => await host.Services.GetRequiredService<SuggestedQuestions>().CurrentAsync(new Follower(Account.AppId, openId), CancellationToken.None) is { IsPending: false },
            "the suggested questions are kept");

    private static string Lettered(params string[] questions) =>
        Title + string.Concat(questions.Select((q, i) => $"\n{(char)('a' + i)}. {q}"));

    [Test]
    public async Task WithSuggestionsOffTheAnswerEndsPlainlyAndALetterIsAnOrdinaryQuestion()
    {
        (await AskAsync("o-off", "你好")).ShouldBe("echo: 你好");
        (await AskAsync("o-off", "a")).ShouldBe("echo: a");

        dify.ChatCallCount.ShouldBe(2);
        dify.Calls.ShouldNotContain(c => c.Path.EndsWith("/suggested", StringComparison.Ordinal));
    }

    [Test]
    public async Task SuggestionsFetchedAfterTheAnswerEndItsLastPageAndALetterAsksOneWithOneDifyCall()
    {
        dify.SuggestQuestions(true);
        dify.SuggestionsGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The answer does not wait for them.
        (await AskAsync("o-on", "你好")).ShouldBe("echo: 你好");
        dify.SuggestionsGate.SetResult();
        await SuggestionsArrivedAsync("o-on");
        var again = await AskAsync("o-on", "1");
        var chats = dify.ChatCallCount;
        var asked = await AskAsync("o-on", "b");

        again.ShouldEndWith("echo: 你好" + Lettered("还有别的例子吗？", "能说得更详细一点吗？", "有什么需要注意的？"));
        asked.ShouldStartWith("echo: 能说得更详细一点吗？");
        dify.ChatCallCount.ShouldBe(chats + 1);
        dify.Calls.Last(c => c.IsChat).Query.ShouldBe("能说得更详细一点吗？");
        var suggested = dify.Calls.First(c => c.Path.EndsWith("/suggested", StringComparison.Ordinal));
        dify.Messages.Keys.ShouldContain(suggested.Path.Split('/')[^2]);
    }

    [Test]
    public async Task ALetterBeyondTheSuggestionsIsAnOrdinaryQuestion()
    {
        dify.SuggestQuestions(true);
        dify.Suggestions = _ => ["只有一个？"];
        await AskAsync("o-one", "你好");
        await SuggestionsArrivedAsync("o-one");

        (await AskAsync("o-one", "c")).ShouldStartWith("echo: c");
    }

    [Test]
    public async Task TheLastPageOfALongAnswerEndsWithTheSuggestionsWithinTheReplyLimit()
    {
        dify.SuggestQuestions(true);
        dify.Answer = _ => string.Concat(Enumerable.Repeat("这是一段很长的回答，用来把回答分成好几页。\n\n", 90));
        var first = await AskAsync("o-long", "讲讲");
        await SuggestionsArrivedAsync("o-long");
        var pages = new List<string> { first };
        while (pages.Count < 10 && pages[^1].Contains("回复 1 查看下一段", StringComparison.Ordinal))
        {
            pages.Add(await AskAsync("o-long", "1"));
        }

        pages.Count.ShouldBeGreaterThan(1);
        pages.ShouldAllBe(p => Encoding.UTF8.GetByteCount(p) <= 2048);
        pages[^1].ShouldEndWith(Lettered("还有别的例子吗？", "能说得更详细一点吗？", "有什么需要注意的？"));
        pages.Take(pages.Count - 1).ShouldAllBe(p => !p.Contains("你可能还想问"));
    }

    [Test]
    public async Task OnlyTheSuggestionsThatFitOnTheLastPageAreShown()
    {
        dify.SuggestQuestions(true);
        var longQuestion = new string('问', 100) + "？";
        dify.Suggestions = _ => [longQuestion, longQuestion + "二", longQuestion + "三"];
        dify.Answer = _ => new string('答', 400);
        await AskAsync("o-fit", "讲讲");
        await SuggestionsArrivedAsync("o-fit");

        var again = await AskAsync("o-fit", "1");

        Encoding.UTF8.GetByteCount(again).ShouldBeLessThanOrEqualTo(2048);
        again.ShouldContain("\na. " + longQuestion);
        again.ShouldNotContain("\nb. ");
    }

    [TestCase("👍", "like", "感谢你的肯定！")]
    [TestCase("/:strong", "like", "感谢你的肯定！")]
    [TestCase("有用", "like", "感谢你的肯定！")]
    [TestCase("👎", "dislike", "收到，我会努力改进。")]
    [TestCase("没用", "dislike", "收到，我会努力改进。")]
    public async Task AFeedbackWordRatesTheNewestAnswerInDify(string word, string rating, string acknowledgement)
    {
        await AskAsync("o-rate", "first");
        await AskAsync("o-rate", "second");

        (await AskAsync("o-rate", word)).ShouldBe(acknowledgement);

        var feedback = dify.Feedbacks.ShouldHaveSingleItem();
        feedback.Rating.ShouldBe(rating);
        feedback.User.ShouldBe($"{Account.AppId}:o-rate");
        var answers = dify.Messages;
        answers.Count.ShouldBe(2);
        dify.ChatCallCount.ShouldBe(2);
        var secondAnswer = await host.Services.GetRequiredService<TurnStore>().HistoryAsync(new Follower(Account.AppId, "o-rate"), CancellationToken.None);
        feedback.MessageId.ShouldBe(secondAnswer[^1].DifyMessageId);
    }

    [Test]
    public async Task FeedbackWithNoAnswerToRateSaysSoWithoutAskingDify()
    {
        (await AskAsync("o-nothing", "👍")).ShouldBe("暂时没有可以评价的回答。");

        dify.Calls.ShouldBeEmpty();
    }

    [Test]
    public async Task FeedbackOnAFailureTextHasNothingToRate()
    {
        dify.Behaviour = (call, context) => call.IsChat
            ? FakeDifySse.ErrorAsync(context, 400, "completion_request_error", "boom")
            : dify.RespondAsDifyAsync(call, context);
        await AskAsync("o-failed", "你好");

        (await AskAsync("o-failed", "👎")).ShouldBe("暂时没有可以评价的回答。");
        dify.Calls.ShouldNotContain(c => c.Path.EndsWith("/feedbacks", StringComparison.Ordinal));
    }

    [Test]
    public async Task FeedbackOnAnAnswerDifyNoLongerKnowsHasNothingToRate()
    {
        await AskAsync("o-gone", "你好");
        dify.Behaviour = (call, context) => call.Path.EndsWith("/feedbacks", StringComparison.Ordinal)
            ? FakeDifySse.ErrorAsync(context, 404, "not_found", "Message Not Exists.")
            : dify.RespondAsDifyAsync(call, context);

        (await AskAsync("o-gone", "👍")).ShouldBe("暂时没有可以评价的回答。");
    }

    [Test]
    public async Task FeedbackDifyCannotTakeNowSaysToTryLater()
    {
        await AskAsync("o-down", "你好");
        dify.Behaviour = (call, context) => call.Path.EndsWith("/feedbacks", StringComparison.Ordinal)
            ? FakeDifySse.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "unavailable", "down")
            : dify.RespondAsDifyAsync(call, context);

        (await AskAsync("o-down", "👍")).ShouldBe("评价没有提交成功，请稍后再试。");
    }

    [Test]
    public async Task FeedbackWordsAndTheirAcknowledgementsAreConfigurable()
    {
        await RebootAsync(c =>
        {
            c["Messages:LikeWords"] = "好评，棒";
            c["Messages:Liked"] = "多谢！";
        });
        await AskAsync("o-words", "你好");

        (await AskAsync("o-words", "棒")).ShouldBe("多谢！");
        (await AskAsync("o-words", "👍")).ShouldBe("echo: 👍");
        dify.Feedbacks.ShouldHaveSingleItem().Rating.ShouldBe("like");
    }

    [Test]
    public async Task ReasoningIsNeverShownInWeChat()
    {
        dify.Answer = _ => "<think>\n先想一想：用户在问候。\n</think>\n\n你好！有什么可以帮你？";

        (await AskAsync("o-think", "你好")).ShouldBe("你好！有什么可以帮你？");
    }

    [Test]
    public async Task NoPageOfALongAnswerHoldsAnyOfALongReasoning()
    {
        var thinking = string.Concat(Enumerable.Repeat("推理中的一句话。", 500));
        var answer = string.Concat(Enumerable.Repeat("回答中的一句话。", 600));
        dify.Answer = _ => $"<think>{thinking}</think>\n\n{answer}";
        dify.ChunkCount = 40;
        var pages = new List<string> { await AskAsync("o-long-think", "讲讲") };
        while (pages.Count < 20 && pages[^1].Contains("回复 1 查看下一段", StringComparison.Ordinal))
        {
            pages.Add(await AskAsync("o-long-think", "1"));
        }

        pages.ShouldAllBe(p => !p.Contains("推理") && !p.Contains("think"));
        pages.ShouldAllBe(p => Encoding.UTF8.GetByteCount(p) <= 2048);
        string.Concat(pages.Select(p => p.Split("\n（回复 1")[0])).ShouldBe(answer);
    }
}
