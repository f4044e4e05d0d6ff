using System.Net;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.ChatPage;

public sealed class ChatConfigurationTests
{
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private const string GoodKey = "0123456789abcdef0123456789abcdef";

    [TestCase("Chat:SigningKey", "too-short-for-hmac")]
    [TestCase("Chat:PublicBaseUrl", "not a url")]
    [TestCase("Chat:PublicBaseUrl", "ftp://bot.example.com")]
    [TestCase("Chat:LinkTtl", "00:00:10")]
    public async Task RefusesToStartWithAMalformedChatKeyAndNamesIt(string key, string value)
    {
        var configuration = new Dictionary<string, string?>(Account.Configuration())
        {
            ["Chat:SigningKey"] = GoodKey,
            ["Chat:PublicBaseUrl"] = "https://bot.example.com",
            [key] = value,
        };
        var failure = await WinterAIHost.StartupFailureAsync(configuration);

        failure.Message.ShouldContain(key);
        failure.Message.ShouldNotContain(GoodKey);
    }

    [Test]
    public async Task RefusesToStartWithASigningKeyButNoPublicBaseUrl()
    {
        var configuration = new Dictionary<string, string?>(Account.Configuration()) { ["Chat:SigningKey"] = GoodKey };
        var failure = await WinterAIHost.StartupFailureAsync(configuration);

        failure.Message.ShouldContain("Chat:PublicBaseUrl");
    }

    [Test]
    public async Task WithoutASigningKeyThePageIsOffAndTheWebKeySaysSo()
    {
        var configuration = WinterAIHost.QuickReplies();
        foreach (var (key, value) in Account.Configuration())
        {
            configuration[key] = value;
        }

        await using var host = new WinterAIHost(configuration);
        using var client = host.CreateClient();
        var weChat = new FakeWeChat(client, Account) { Timeout = TimeSpan.FromSeconds(5) };

        var byCommand = FakeWeChat.Shown(await weChat.SendTextAsync("o-off", "web"));
        var byMenu = FakeWeChat.Shown(await weChat.DeliverAsync(WeChatWire.EventXml("o-off", WeChatAccount.Account, "CLICK", "web", FakeWeChat.Now())));

        byCommand.ShouldBe(new MessagesOptions().ChatNotConfigured);
        byMenu.ShouldBe(new MessagesOptions().ChatNotConfigured);
        (await client.GetAsync("/chat?t=anything")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync("/chat/assets/chat.js")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.PostAsync("/chat/ask", new StringContent("{}"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
