using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Web;

/// <summary>WinterAI as an operator runs it: a real process configured only through environment variables.</summary>
public sealed class EndToEndTests
{
    private static readonly WeChatAccount Account = WeChatAccount.Default;

    [Test]
    public async Task ASafeModeConversationConfiguredOnlyThroughEnvironmentVariablesKeepsContextAndClears()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var dify = await FakeDifyServer.StartAsync();
        await using var winterAI = await WinterAIProcess.StartAsync(new Dictionary<string, string?>
        {
            ["WeChat__Token"] = Account.Token,
            ["WeChat__AppId"] = Account.AppId,
            ["WeChat__EncodingAESKey"] = Account.EncodingAesKey,
            ["Dify__BaseUrl"] = dify.BaseUrl,
            ["Dify__ApiKey"] = "app-env-key",
            ["Redis__Configuration"] = redis.ConnectionString,
        });
        var weChat = new FakeWeChat(winterAI.Client, Account, WeChatMode.Safe);

        var first = FakeWeChat.Shown(await weChat.SendTextAsync("o-env", "我叫小冬"));
        var second = FakeWeChat.Shown(await weChat.SendTextAsync("o-env", "我叫什么？"));
        var cleared = FakeWeChat.Shown(await weChat.SendTextAsync("o-env", "/clear"));
        var third = FakeWeChat.Shown(await weChat.SendTextAsync("o-env", "重新开始"));

        first.ShouldBe("echo: 我叫小冬");
        second.ShouldBe("echo: 我叫什么？");
        cleared.ShouldBe("已清除上下文，我们开始新的对话吧。");
        third.ShouldBe("echo: 重新开始");
        var calls = dify.Calls.Where(c => c.IsChat).ToList();
        calls.ShouldAllBe(c => c.Authorization == "Bearer app-env-key");
        calls[0].ConversationId.ShouldBeNull();
        calls[1].ConversationId.ShouldNotBeNull();
        calls[2].ConversationId.ShouldBeNull();
        foreach (var secretOrContent in new[] { "app-env-key", Account.Token, Account.EncodingAesKey, "我叫小冬", "echo:" })
        {
            winterAI.Output.ShouldNotContain(secretOrContent);
        }

        var forged = await new FakeWeChat(winterAI.Client, Account with { Token = "forged" }).PostOnceAsync(WeChatWire.TextMessageXml("o-env", "gh", "x", 1, FakeWeChat.Now()));
        forged.Status.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
        await Poll.UntilAsync(() => Task.FromResult(winterAI.Output.Contains("signature does not match")), "the refusal is logged");
        winterAI.Output.Split('\n').First(line => line.Contains("signature does not match")).ShouldContain("\"RequestId\"");
    }

    [TestCase("WeChat:EncodingAESKey", "too-short")]
    [TestCase("WeChat:ApiBaseUrl", "not a url")]
    [TestCase("Dify:BaseUrl", "ftp://dify")]
    [TestCase("Redis:Configuration", "localhost:notaport")]
    public async Task RefusesToStartWithAMalformedKeyAndNamesIt(string key, string value)
    {
        var configuration = new Dictionary<string, string?>(Account.Configuration()) { [key] = value };
        var failure = await WinterAIHost.StartupFailureAsync(configuration);

        failure.Message.ShouldContain(key);
    }

    [Test]
    public async Task RefusesToStartWithAKeywordRuleThatIsNotARegularExpression()
    {
        var configuration = new Dictionary<string, string?>(Account.Configuration())
        {
            ["Messages:KeywordRules:0:Pattern"] = "([unclosed",
            ["Messages:KeywordRules:0:Regex"] = "true",
            ["Messages:KeywordRules:0:Reply"] = "x",
        };
        (await WinterAIHost.StartupFailureAsync(configuration)).Message.ShouldContain("Messages:KeywordRules:0:Pattern");
    }
}
