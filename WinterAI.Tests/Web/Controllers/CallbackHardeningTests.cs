using System.Net;
using System.Text;
using System.Web;
using Microsoft.Extensions.DependencyInjection;
using WinterAI.Domain.Storage;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Web.Controllers;

/// <summary>
/// /wechat against an attacker who has seen one genuine signed callback URL (in a proxy or CDN access log): no
/// downgrade from encrypted to plaintext, no other body under the same signed query, on one instance or several.
/// </summary>
public sealed class CallbackHardeningTests
{
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private FakeDifyServer dify = null!;

    [SetUp]
    public async Task StartAsync() => dify = await FakeDifyServer.StartAsync();

    [TearDown]
    public async Task StopAsync() => await dify.DisposeAsync();

    private Dictionary<string, string?> Configuration(Action<Dictionary<string, string?>>? change = null)
    {
        var configuration = WinterAIHost.QuickReplies();
        foreach (var (key, value) in Account.Configuration())
        {
            configuration[key] = value;
        }

        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        change?.Invoke(configuration);
        return configuration;
    }

    private static string VictimXml(string content, long msgId) =>
        WeChatWire.TextMessageXml("oVICTIM", WeChatAccount.Account, content, msgId, FakeWeChat.Now());

    /// <summary>The genuine request's URL with <c>encrypt_type</c> and <c>msg_signature</c> dropped: only <c>signature</c>, which does not cover the body, is left.</summary>
    private static string Downgraded(Uri genuine) => Without(genuine, "encrypt_type", "msg_signature");

    private static string Without(Uri url, params string[] parameters)
    {
        var (path, query) = (url.OriginalString.Split('?')[0], HttpUtility.ParseQueryString(url.OriginalString.Split('?')[1]));
        foreach (var parameter in parameters)
        {
            query.Remove(parameter);
        }

        return $"{path}?{query}";
    }

    private static StringContent Xml(string xml) => new(xml, Encoding.UTF8, "text/xml");

    [Test]
    public async Task APlaintextBodyPostedUnderASafeModeUrlIsRefusedAndReadsNothing()
    {
        await using var host = new WinterAIHost(Configuration());
        using var client = host.CreateClient();
        var weChat = new FakeWeChat(client, Account, WeChatMode.Safe);
        var asked = FakeWeChat.Shown(await weChat.SendTextAsync("oVICTIM", "the victim's question"));
        using var genuine = weChat.BuildRequest(VictimXml("another question", FakeWeChat.NewMsgId()));

        using var fetch = await client.PostAsync(Downgraded(genuine.RequestUri!), Xml(VictimXml("1", 112)));
        using var clear = await client.PostAsync(Downgraded(genuine.RequestUri!), Xml(VictimXml("/clear", 113)));

        asked.ShouldBe("echo: the victim's question");
        fetch.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        clear.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await fetch.Content.ReadAsStringAsync()).ShouldNotContain("echo");
        dify.ChatCallCount.ShouldBe(1);
        var store = host.Services.GetRequiredService<IStateStore>();
        var keys = host.Services.GetRequiredService<StoreKeys>();
        (await store.GetAsync(keys.Conversation(Account.AppId, "oVICTIM"))).ShouldNotBeNull();
    }

    [Test]
    public async Task AnEncryptedCallbackIsRefusedByAnAccountInPlainMode()
    {
        await using var host = new WinterAIHost(Configuration(c => c["WeChat:Mode"] = "plain"));
        using var client = host.CreateClient();

        var deliveries = await new FakeWeChat(client, Account, WeChatMode.Safe).SendTextAsync("o-enc", "hi");

        deliveries[0].Status.ShouldBe(HttpStatusCode.Unauthorized);
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task EncryptTypeAesWithoutMsgSignatureIsRefusedInEncryptedMode()
    {
        await using var host = new WinterAIHost(Configuration());
        using var client = host.CreateClient();
        using var genuine = new FakeWeChat(client, Account, WeChatMode.Safe).BuildRequest(VictimXml("hi", 114));
        using var response = await client.PostAsync(Without(genuine.RequestUri!, "msg_signature"), genuine.Content);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task CompatibleModeAnswersTheEncryptedMessageNeverItsPlaintextCopy()
    {
        await using var host = new WinterAIHost(Configuration());
        using var client = host.CreateClient();
        using var request = new FakeWeChat(client, Account, WeChatMode.Compatible).BuildRequest(
            WeChatWire.TextMessageXml("o-real", WeChatAccount.Account, "the real question", 115, FakeWeChat.Now()));
        var body = await request.Content!.ReadAsStringAsync();
        var tampered = body.Replace("o-real", "oVICTIM", StringComparison.Ordinal).Replace("the real question", "1", StringComparison.Ordinal);

        using var response = await client.PostAsync(request.RequestUri, Xml(tampered));
        var reply = WeChatWire.Decrypt(Account.EncodingAesKey, WeChatWire.Element(await response.Content.ReadAsStringAsync(), "Encrypt")).Message;

        tampered.ShouldContain("oVICTIM");
        WeChatWire.Element(reply, "Content").ShouldBe("echo: the real question");
        WeChatWire.Element(reply, "ToUserName").ShouldBe("o-real");
    }

    [Test]
    public async Task ASignedQueryReusedWithAnotherBodyIsARefusedReplay()
    {
        await using var host = new WinterAIHost(Configuration(c => c["WeChat:Mode"] = "plain"));
        using var client = host.CreateClient();

        await ReplayIsRefusedAsync(client, client, 116);
    }

    [Test]
    public async Task AReplayIsRefusedByAnotherInstanceSharingTheStore()
    {
        await using var redis = await TestRedis.StartAsync();
        var configuration = Configuration(c =>
        {
            c["WeChat:Mode"] = "plain";
            c["Redis:Configuration"] = redis.ConnectionString;
        });
        await using var a = new WinterAIHost(configuration);
        await using var b = new WinterAIHost(configuration);
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();

        await ReplayIsRefusedAsync(clientA, clientB, 118);
    }

    /// <summary>A genuine plaintext callback on <paramref name="first"/>; then, on <paramref name="then"/>, its signed query with another body (refused) and with its own body (WeChat's retry: answered).</summary>
    private async Task ReplayIsRefusedAsync(HttpClient first, HttpClient then, long msgId)
    {
        using var genuine = new FakeWeChat(first, Account, WeChatMode.Plaintext).BuildRequest(
            WeChatWire.TextMessageXml("o-sender", WeChatAccount.Account, "genuine", msgId, FakeWeChat.Now()));
        var genuineBody = await genuine.Content!.ReadAsStringAsync();

        using var answered = await first.PostAsync(genuine.RequestUri, Xml(genuineBody));
        using var replay = await then.PostAsync(genuine.RequestUri, Xml(VictimXml("/clear", msgId + 1)));
        using var retry = await then.PostAsync(genuine.RequestUri, Xml(genuineBody));

        answered.StatusCode.ShouldBe(HttpStatusCode.OK);
        replay.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        retry.StatusCode.ShouldBe(HttpStatusCode.OK);
        WeChatWire.Element(await retry.Content.ReadAsStringAsync(), "Content").ShouldBe("echo: genuine");
        dify.ChatCallCount.ShouldBe(1);
    }
}
