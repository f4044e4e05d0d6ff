using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WinterAI.Domain;
using WinterAI.Domain.Channels.ChatPage;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Turns;

/// <summary>
/// Every kind of Dify app behind the official account and the chat page, detected from <c>GET /info</c>: the
/// answer arrives, one Dify call per message, pages within 2048 bytes that join to the whole answer, the
/// conversation kept where the app has one and <c>/clear</c> explained where it has none.
/// </summary>
[TestFixture("chat", "/chat-messages", true)]
[TestFixture("agent-chat", "/chat-messages", true)]
[TestFixture("advanced-chat", "/chat-messages", true)]
[TestFixture("workflow", "/workflows/run", false)]
[TestFixture("completion", "/completion-messages", false)]
public sealed class DifyAppTypeScenarioTests(string mode, string route, bool hasConversation)
{
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private static readonly MessagesOptions Texts = new();
    private FakeDifyServer dify = null!;
    private WinterAIHost host = null!;
    private HttpClient client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        dify.Mode = mode;
        var configuration = WinterAIHost.OfficialAccountWith(dify, chatPage: true);
        configuration["Chat:SigningKey"] = "app-type-scenario-signing-key-0123456789";
        host = new WinterAIHost(configuration);
        client = host.CreateClient();
    }

    [TearDown]
    public async Task StopAsync()
    {
        client.Dispose();
        await host.DisposeAsync();
        await dify.DisposeAsync();
    }

    private async Task<string> AskAsync(string openId, string text) =>
        FakeWeChat.Shown(await new FakeWeChat(client, Account) { Timeout = TimeSpan.FromSeconds(5) }.SendTextAsync(openId, text))!;

    [Test]
    public async Task AQuestionIsAnsweredThroughTheAppsOwnRoute()
    {
        var shown = await AskAsync("o-type", "你好");

        shown.ShouldBe("echo: 你好");
        dify.Calls.Single().Path.ShouldEndWith(route);
        dify.Probes.Count(p => p.Path.EndsWith("/info")).ShouldBe(1);
    }

    [Test]
    public async Task ALongAnswerIsPagedWithinTheLimitAndAskedOnce()
    {
        var paragraph = string.Concat(Enumerable.Repeat("冬天来了，春天还会远吗？", 40));
        var answer = string.Join("\n\n", Enumerable.Repeat(paragraph, 5));
        dify.Answer = _ => answer;

        var pages = new List<string> { await AskAsync("o-long", "tell me everything") };
        for (var i = 0; i < 10 && pages[^1].Contains("回复 1 查看下一段"); i++)
        {
            pages.Add(await AskAsync("o-long", "1"));
        }

        pages.Count.ShouldBeGreaterThan(1);
        pages.ShouldAllBe(p => Encoding.UTF8.GetByteCount(p) <= 2048);
        var bodies = pages.Select(p => p.Contains("（回复 1 查看下一段") ? p[..p.LastIndexOf("\n（回复 1 查看下一段", StringComparison.Ordinal)] : p);
        string.Concat(bodies).ShouldBe(MarkdownText.Render(answer));
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task TheConversationContinuesOnlyWhereTheAppKeepsOne()
    {
        await AskAsync("o-context", "first");
        await AskAsync("o-context", "second");
        var cleared = await AskAsync("o-context", "/clear");

        var second = dify.Calls.Where(c => c.IsTurn).ToList()[1];
        if (hasConversation)
        {
            second.ConversationId.ShouldNotBeNull();
            cleared.ShouldBe(Texts.Cleared);
        }
        else
        {
            second.RawBody.ShouldNotContain("conversation_id");
            cleared.ShouldBe(Texts.NoConversation);
        }
    }

    [Test]
    public async Task TheChatPageAnswersToo()
    {
        var page = new ChatPageClient(client, host.Services.GetRequiredService<ChatLinkSigner>().Sign(new Follower(Account.AppId, "o-page")));

        var events = await page.AskToEndAsync("来自网页");

        events[^1].Name.ShouldBe("finished");
        events[^1].Answer.ShouldBe("echo: 来自网页");
        string.Concat(events.Where(e => e.Name == "delta").Select(e => e.Text)).ShouldBe("echo: 来自网页");
        dify.Calls.Single().Path.ShouldEndWith(route);
    }
}
