using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Turns;

/// <summary>How WinterAI knows which kind of Dify app it talks to: <c>Dify:AppType</c>, else <c>GET /info</c>, re-asked when Dify says otherwise.</summary>
public sealed class DifyAppTypeDetectionTests
{
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private static readonly MessagesOptions Texts = new();
    private FakeDifyServer dify = null!;

    [SetUp]
    public async Task StartAsync() => dify = await FakeDifyServer.StartAsync();

    [TearDown]
    public async Task StopAsync() => await dify.DisposeAsync();

    private Dictionary<string, string?> Configuration(string? appType = null)
    {
        var configuration = WinterAIHost.OfficialAccountWith(dify);
        if (appType is not null)
        {
            configuration["Dify:AppType"] = appType;
        }

        return configuration;
    }

    private static async Task<string> AskAsync(HttpClient client, string openId, string text) =>
        FakeWeChat.Shown(await new FakeWeChat(client, Account) { Timeout = TimeSpan.FromSeconds(5) }.SendTextAsync(openId, text))!;

    [Test]
    public async Task AnExplicitAppTypeIsUsedWithoutAskingDify()
    {
        dify.Mode = "workflow";
        dify.HasInfo = false;
        await using var host = new WinterAIHost(Configuration("workflow"));
        using var client = host.CreateClient();

        (await AskAsync(client, "o-explicit", "q")).ShouldBe("echo: q");

        dify.Calls.Single().Path.ShouldEndWith("/workflows/run");
        dify.Probes.ShouldNotContain(p => p.Path.EndsWith("/info"));
    }

    [Test]
    public async Task ADifyTooOldForInfoIsTakenForAChatApp()
    {
        dify.HasInfo = false;
        await using var host = new WinterAIHost(Configuration());
        using var client = host.CreateClient();

        (await AskAsync(client, "o-old", "q")).ShouldBe("echo: q");

        dify.Calls.Single().Path.ShouldEndWith("/chat-messages");
    }

    [Test]
    public async Task AnAppThatChangedTypeIsAskedAgainAfterDifySaysSo()
    {
        await using var host = new WinterAIHost(Configuration());
        using var client = host.CreateClient();
        (await AskAsync(client, "o-changed", "before")).ShouldBe("echo: before");

        dify.Mode = "workflow";
        var refused = await AskAsync(client, "o-changed", "during");
        var after = await AskAsync(client, "o-changed", "after");

        refused.ShouldBe(Texts.DifyMisconfigured);
        after.ShouldBe("echo: after");
        dify.Calls.Where(c => c.IsTurn).Select(c => c.Path[(c.Path.LastIndexOf('/') + 1)..]).ShouldBe(["chat-messages", "chat-messages", "run"]);
    }

    [Test]
    public async Task AWrongExplicitAppTypeTellsTheFollowerItIsMisconfigured()
    {
        dify.Mode = "workflow";
        await using var host = new WinterAIHost(Configuration("chat"));
        using var client = host.CreateClient();

        (await AskAsync(client, "o-wrong", "q")).ShouldBe(Texts.DifyMisconfigured);
    }

    [TestCase(400, "completion_request_error")]
    [TestCase(400, "invalid_param")]
    [TestCase(500, "internal_server_error")]
    public async Task AnAppErrorEndsTheTurnWithAFriendlyTextAndKeepsTheConversation(int status, string code)
    {
        await using var host = new WinterAIHost(Configuration());
        using var client = host.CreateClient();
        (await AskAsync(client, "o-kept", "first")).ShouldBe("echo: first");
        dify.Behaviour = async (_, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.Message("half", "c-x"));
            await FakeDifySse.SendEventAsync(context, FakeDifySse.ErrorEvent(status, code, "The content was flagged by moderation."));
        };

        var failed = await AskAsync(client, "o-kept", "second");
        dify.Behaviour = null;
        (await AskAsync(client, "o-kept", "third")).ShouldBe("echo: third");

        failed.ShouldBe(Texts.DifyFailed);
        var turns = dify.Calls.Where(c => c.IsTurn).ToList();
        turns[2].ConversationId.ShouldNotBeNull();
        turns[2].ConversationId.ShouldBe(turns[1].ConversationId, "the failed turn did not cost the follower the conversation");
    }

    [Test]
    public async Task AnUnknownAppTypeStopsStartUpNamingTheKey()
    {
        var failure = await WinterAIHost.StartupFailureAsync(Configuration("chatbot"));

        failure.Message.ShouldContain("Dify:AppType");
    }
}
