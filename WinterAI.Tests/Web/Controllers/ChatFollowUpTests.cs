using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WinterAI.Domain;
using WinterAI.Domain.Channels.ChatPage;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Web.Controllers;

/// <summary>
/// The H5 page's like / dislike endpoint, its suggested-question buttons' data, and reasoning on the page (hidden, or
/// sent for the page to fold), against the fake Dify; with the in-memory store and with a real Redis.
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
public sealed class ChatFollowUpTests(bool useRedis)
{
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private FakeDifyServer dify = null!;
    private RedisServer? redis;
    private WinterAIHost host = null!;
    private HttpClient client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        redis = useRedis ? await TestRedis.StartAsync() : null;
        Boot();
    }

    [TearDown]
    public async Task StopAsync()
    {
        client.Dispose();
        await host.DisposeAsync();
        await dify.DisposeAsync();
        if (redis is not null)
        {
            await redis.DisposeAsync();
        }
    }

    private void Boot(Action<Dictionary<string, string?>>? change = null)
    {
        var configuration = WinterAIHost.OfficialAccountWith(dify, chatPage: true);
        configuration["Chat:SigningKey"] = ChatControllerTests.SigningKey;
        if (redis is not null)
        {
            configuration["Redis:Configuration"] = redis.ConnectionString;
        }

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

    private ChatPageClient Page(string openId) =>
        new(client, host.Services.GetRequiredService<ChatLinkSigner>().Sign(new Follower(Account.AppId, openId)));

    private async Task<HttpResponseMessage> RateAsync(ChatPageClient page, object body, string? token = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/chat/feedback") { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Add(ChatPageClient.TokenHeader, token.Length == 0 ? page.Token : token);
        }

        return await client.SendAsync(request);
    }

    private static async Task<string> MessageOfAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("message").GetString()!;
    }

    [Test]
    public async Task TheLikeButtonRatesThatAnswerInDify()
    {
        var page = Page("o-page-like");
        await page.AskToEndAsync("first");
        await page.AskToEndAsync("second");
        var turns = await page.HistoryAsync();
        turns.ShouldAllBe(t => t.GetProperty("rateable").GetBoolean());

        using var response = await RateAsync(page, new { id = turns[0].GetProperty("id").GetString(), rating = "like" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await MessageOfAsync(response)).ShouldBe("感谢你的肯定！");
        var feedback = dify.Feedbacks.ShouldHaveSingleItem();
        feedback.Rating.ShouldBe("like");
        feedback.User.ShouldBe($"{Account.AppId}:o-page-like");
        dify.Messages.Keys.ShouldContain(feedback.MessageId);
    }

    [Test]
    public async Task TheDislikeButtonSendsADislike()
    {
        var page = Page("o-page-dislike");
        await page.AskToEndAsync("你好");
        var id = (await page.HistoryAsync())[0].GetProperty("id").GetString();

        using var response = await RateAsync(page, new { id, rating = "dislike" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        dify.Feedbacks.ShouldHaveSingleItem().Rating.ShouldBe("dislike");
    }

    [Test]
    public async Task RatingAnAnswerThatIsNotTheFollowersOrNotThereIsNothingToRate()
    {
        await Page("o-owner").AskToEndAsync("你好");
        var othersTurn = (await Page("o-owner").HistoryAsync())[0].GetProperty("id").GetString();

        using var other = await RateAsync(Page("o-intruder"), new { id = othersTurn, rating = "like" });
        using var unknown = await RateAsync(Page("o-owner"), new { id = "page:nope", rating = "like" });

        other.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await MessageOfAsync(other)).ShouldBe("暂时没有可以评价的回答。");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        dify.Feedbacks.ShouldBeEmpty();
    }

    [Test]
    public async Task RatingNeedsAValidLinkAndAKnownRating()
    {
        var page = Page("o-guarded");
        await page.AskToEndAsync("你好");
        var id = (await page.HistoryAsync())[0].GetProperty("id").GetString();

        using var noToken = await RateAsync(page, new { id, rating = "like" }, token: null);
        using var forged = await RateAsync(page, new { id, rating = "like" }, token: page.Token + "x");
        using var badRating = await RateAsync(page, new { id, rating = "meh" });

        noToken.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        forged.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        badRating.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        dify.Feedbacks.ShouldBeEmpty();
    }

    [Test]
    public async Task AnAnswerDifyNoLongerKnowsIsNothingToRate()
    {
        var page = Page("o-page-gone");
        await page.AskToEndAsync("你好");
        var id = (await page.HistoryAsync())[0].GetProperty("id").GetString();
        dify.Behaviour = (call, context) => call.Path.EndsWith("/feedbacks", StringComparison.Ordinal)
            ? FakeDifySse.ErrorAsync(context, 404, "not_found", "Message Not Exists.")
            : dify.RespondAsDifyAsync(call, context);

        using var response = await RateAsync(page, new { id, rating = "like" });

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await MessageOfAsync(response)).ShouldBe("暂时没有可以评价的回答。");
    }

    [Test]
    public async Task SuggestedQuestionsFollowTheFinishedAnswerAndStayInTheHistory()
    {
        dify.SuggestQuestions(true);
        var page = Page("o-page-suggest");

        var events = await page.AskToEndAsync("你好");

        events.Select(e => e.Name).TakeLast(2).ShouldBe(["finished", "suggested"]);
        var suggested = events[^1].Data;
        suggested.GetProperty("id").GetString().ShouldBe(events.Single(e => e.Name == "finished").Data.GetProperty("id").GetString());
        suggested.GetProperty("questions").EnumerateArray().Select(q => q.GetString()).ShouldBe(["还有别的例子吗？", "能说得更详细一点吗？", "有什么需要注意的？"]);
        var turn = (await page.HistoryAsync()).ShouldHaveSingleItem();
        turn.GetProperty("suggestions").GetArrayLength().ShouldBe(3);
    }

    [Test]
    public async Task WithSuggestionsOffTheStreamEndsAtTheAnswer()
    {
        var events = await Page("o-page-plain").AskToEndAsync("你好");

        events[^1].Name.ShouldBe("finished");
        dify.Calls.ShouldNotContain(c => c.Path.EndsWith("/suggested", StringComparison.Ordinal));
    }

    [Test]
    public async Task HiddenReasoningNeverReachesThePageNotEvenWhileItStreams()
    {
        dify.Answer = _ => "<think>\n秘密的推理过程，很长很长很长很长。\n</think>\n\n公开的回答。";
        dify.ChunkCount = 8;
        var page = Page("o-page-hide");
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        dify.BeforeChunk = async (_, chunk, aborted) =>
        {
            if (chunk == 3)
            {
                reached.TrySetResult();
                await held.Task.WaitAsync(aborted);
            }
        };

        await using var stream = await page.AskAsync("你好");
        await reached.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var partial = await host.Services.GetRequiredService<WinterAI.Domain.Turns.PartialAnswers>()
            .GetAsync(new Follower(Account.AppId, "o-page-hide"), (await page.HistoryAsync())[0].GetProperty("id").GetString()!, CancellationToken.None);
        var whileThinking = JsonSerializer.Serialize(await page.HistoryAsync());
        held.SetResult();
        var events = await stream.ReadToEndAsync();

        (partial?.Text ?? "").ShouldNotContain("秘密");
        whileThinking.ShouldNotContain("秘密");
        events.ShouldAllBe(e => !e.Data.GetRawText().Contains("秘密") && !e.Data.GetRawText().Contains("think"));
        events.Single(e => e.Name == "finished").Answer.ShouldBe("公开的回答。");
    }

    [Test]
    public async Task FoldedReasoningReachesThePageButNotWeChat()
    {
        await RebootAsync(c => c["Dify:Reasoning"] = "fold");
        dify.Answer = _ => "<think>秘密的推理过程。</think>\n\n公开的回答。";
        var page = Page("o-page-fold");

        var events = await page.AskToEndAsync("你好");
        var inWeChat = FakeWeChat.Shown(await new FakeWeChat(client, Account).SendTextAsync("o-page-fold", "1"));

        string.Concat(events.Where(e => e.Name == "delta").Select(e => e.Text)).ShouldBe("<think>秘密的推理过程。</think>\n\n公开的回答。");
        events.Single(e => e.Name == "finished").Answer.ShouldBe("<think>秘密的推理过程。</think>\n\n公开的回答。");
        inWeChat.ShouldNotBeNull();
        inWeChat.ShouldEndWith("公开的回答。");
        inWeChat.ShouldNotContain("秘密");
    }
}
