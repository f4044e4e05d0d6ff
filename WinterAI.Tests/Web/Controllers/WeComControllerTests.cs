using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WinterAI.Domain;
using WinterAI.Domain.Storage;
using WinterAI.Tests.Fakes;
using WinterAI.Tests.Protocol.Crypto;

namespace WinterAI.Tests.Web.Controllers;

/// <summary>The /wecom callback protocol: both published WeCom vector sets, authentication before anything else, bad input.</summary>
public sealed class WeComControllerTests
{
    private static readonly WeComApp App = WeComApp.Default;
    private FakeDifyServer dify = null!;
    private FakeWeComApi api = null!;
    private WinterAIHost host = null!;
    private HttpClient client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        api = await FakeWeComApi.StartAsync(App.CorpId, App.Secret);
        host = new WinterAIHost(Configuration(App));
        client = host.CreateClient();
    }

    [TearDown]
    public async Task StopAsync()
    {
        client.Dispose();
        await host.DisposeAsync();
        await api.DisposeAsync();
        await dify.DisposeAsync();
    }

    private Dictionary<string, string?> Configuration(WeComApp app)
    {
        var configuration = app.Configuration(api.BaseUrl);
        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        return configuration;
    }

    /// <summary>WinterAI configured with a published vector's app, its clock set to the vector's timestamp (2014/2016).</summary>
    private async Task<VectorHost> HostForAsync(string vectorFile, string agentId)
    {
        var v = CryptoVector.Load(vectorFile);
        var vectorApi = await FakeWeComApi.StartAsync(v.ReceiveId!, "vector-secret");
        var configuration = Configuration(new WeComApp(v.Token!, v.ReceiveId!, agentId, v.EncodingAesKey!, "vector-secret"));
        configuration["WeCom:ApiBaseUrl"] = vectorApi.BaseUrl;
        var clock = ShiftedTimeProvider.At(long.Parse(v.Timestamp!));
        return new VectorHost(new WinterAIHost(configuration, services => services.AddSingleton<TimeProvider>(clock)), vectorApi, v);
    }

    private sealed record VectorHost(WinterAIHost Host, FakeWeComApi Api, CryptoVector Vector) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            await Api.DisposeAsync();
        }
    }

    [TestCase("wecom-sample-get.json", "218")]
    [TestCase("wecom-python-get.json", "1000002")]
    public async Task AnswersEachPublishedUrlVerificationWithItsDecryptedEchostr(string vectorFile, string agentId)
    {
        await using var vectorHost = await HostForAsync(vectorFile, agentId);
        var v = vectorHost.Vector;
        using var vectorClient = vectorHost.Host.CreateClient();

        var response = await vectorClient.GetAsync(
            $"/wecom?msg_signature={v.MsgSignature}&timestamp={v.Timestamp}&nonce={v.Nonce}&echostr={Uri.EscapeDataString(v.Encrypt!)}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe(v.Plaintext);
    }

    [TestCase("wecom-sample-post.json", "218", "mycreate", "hello")]
    [TestCase("wecom-python-post.json", "1000002", "ChenJiaShun", "你好")]
    public async Task AnswersEachPublishedMessageEmptyAndSendsDifysAnswerThroughMessageSend(string vectorFile, string agentId, string user, string content)
    {
        await using var vectorHost = await HostForAsync(vectorFile, agentId);
        var v = vectorHost.Vector;
        using var vectorClient = vectorHost.Host.CreateClient();

        using var response = await vectorClient.PostAsync(
            $"/wecom?msg_signature={v.MsgSignature}&timestamp={v.Timestamp}&nonce={v.Nonce}",
            new StringContent(v.BodyXml, Encoding.UTF8, "text/xml"));
        var sent = await vectorHost.Api.WaitForSendsAsync(1);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBeEmpty();
        dify.ChatCallCount.ShouldBe(1);
        dify.Calls.Single(c => c.IsChat).Query.ShouldBe(content);
        sent.Single().ShouldSatisfyAllConditions(
            s => s.ToUser.ShouldBe(user),
            s => s.AgentId.ShouldBe(long.Parse(agentId)),
            s => s.MsgType.ShouldBe("text"),
            s => s.Content.ShouldBe($"echo: {content}"));
    }

    [Test]
    public async Task AcceptsAnEchostrWhosePlusSignsWereNotPercentEncoded()
    {
        string url;
        do
        {
            url = new FakeWeCom(client, App).VerificationUrl("echo-with-plus");
        }
        while (!url.Contains("%2B", StringComparison.Ordinal));

        var response = await client.GetAsync(url.Replace("%2B", "+", StringComparison.Ordinal));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("echo-with-plus");
    }

    [Test]
    public async Task RefusesAUrlVerificationSignedWithAnotherToken()
    {
        var url = new FakeWeCom(client, App with { Token = "not-the-token" }).VerificationUrl("secret-echo");

        var response = await client.GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("secret-echo");
    }

    [Test]
    public async Task RefusesAUrlVerificationEncryptedForAnotherCorpId()
    {
        var url = new FakeWeCom(client, App).VerificationUrl("secret-echo", encryptFor: "ww_someone_else");

        var response = await client.GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("secret-echo");
    }

    [Test]
    public async Task ForgedSignatureGets401AndNeitherCallsDifyNorChangesState()
    {
        var forged = new FakeWeCom(client, App with { Token = "forged" });
        var xml = forged.TextXml("forger", "hi", 424242);

        var callback = await forged.PostAsync(xml);

        callback.Status.ShouldBe(HttpStatusCode.Unauthorized);
        dify.ChatCallCount.ShouldBe(0);
        api.Attempts.ShouldBeEmpty();
        var store = host.Services.GetRequiredService<IStateStore>();
        var keys = host.Services.GetRequiredService<StoreKeys>();
        var follower = new Follower(App.Account, "forger");
        (await store.GetAsync(keys.Claim(follower, "424242"))).ShouldBeNull();
        (await store.GetAsync(keys.Deliveries(follower, "424242"))).ShouldBeNull();
    }

    [Test]
    public async Task TwoMembersReusingOneMsgIdEachGetTheAnswerToTheirOwnQuestionPushed()
    {
        var sent = await SendWithOneMsgIdAsync(("member-a", "q-A"), ("member-b", "q-B"));

        sent.Select(s => (s.ToUser, s.Content)).ShouldBe([("member-a", "echo: q-A"), ("member-b", "echo: q-B")]);
        dify.Calls.Where(c => c.IsChat).Select(c => (c.User, c.Query)).ShouldBe([($"{App.Account}:member-a", "q-A"), ($"{App.Account}:member-b", "q-B")]);
    }

    [Test]
    public async Task TwoMembersReusingOneMsgIdForACommandEachGetTheReply()
    {
        var sent = await SendWithOneMsgIdAsync(("member-a", "/help"), ("member-b", "/help"));

        sent.Select(s => s.ToUser).ShouldBe(["member-a", "member-b"]);
        sent.ShouldAllBe(s => s.Content!.Contains("/clear"));
        dify.ChatCallCount.ShouldBe(0);
    }

    /// <summary>Each member in turn sends under the same MsgId, once the one before has had its message sent.</summary>
    private async Task<IReadOnlyList<FakeWeComSend>> SendWithOneMsgIdAsync(params (string User, string Content)[] messages)
    {
        var weCom = new FakeWeCom(client, App);
        var msgId = FakeWeCom.NewMsgId();
        for (var i = 0; i < messages.Length; i++)
        {
            (await weCom.SendTextAsync(messages[i].User, messages[i].Content, msgId)).IsReceived.ShouldBeTrue();
            await api.WaitForSendsAsync(i + 1);
        }

        return api.Sent;
    }

    [Test]
    public async Task MessageEncryptedForAnotherCorpIdGets401()
    {
        var weCom = new FakeWeCom(client, App);

        var callback = await weCom.PostAsync(weCom.TextXml("stranger", "hi", FakeWeCom.NewMsgId()), encryptFor: "ww_someone_else");

        callback.Status.ShouldBe(HttpStatusCode.Unauthorized);
        dify.ChatCallCount.ShouldBe(0);
        api.Attempts.ShouldBeEmpty();
    }

    [TestCase("1000003")]
    [TestCase("")]
    public async Task MessageForAnotherAgentOfTheEnterpriseGets401(string agentId)
    {
        var weCom = new FakeWeCom(client, App);

        var callback = await weCom.PostAsync(weCom.TextXml("colleague", "hi", FakeWeCom.NewMsgId(), agentId));

        callback.Status.ShouldBe(HttpStatusCode.Unauthorized);
        dify.ChatCallCount.ShouldBe(0);
        api.Attempts.ShouldBeEmpty();
    }

    [TestCase(-301)]
    [TestCase(301)]
    public async Task StaleTimestampGets401(int secondsOff)
    {
        var weCom = new FakeWeCom(client, App);

        var callback = await weCom.PostAsync(weCom.TextXml("late", "hi", FakeWeCom.NewMsgId()), FakeWeCom.Now() + secondsOff);

        callback.Status.ShouldBe(HttpStatusCode.Unauthorized);
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task StaleUrlVerificationGets401()
    {
        var response = await client.GetAsync(new FakeWeCom(client, App).VerificationUrl("old-echo", FakeWeCom.Now() - 3600));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task AClockSkewOfItsOwnCanBeConfigured()
    {
        var configuration = Configuration(App);
        configuration["WeCom:MaxClockSkew"] = "01:00:00";
        await using var lenient = new WinterAIHost(configuration);
        using var lenientClient = lenient.CreateClient();

        var response = await lenientClient.GetAsync(new FakeWeCom(lenientClient, App).VerificationUrl("echo", FakeWeCom.Now() - 1800));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [TestCase(64 * 1024 + 1)]
    [TestCase(5 * 1024 * 1024)]
    public async Task RefusesBodiesOver64KiBWith413(int size)
    {
        var weCom = new FakeWeCom(client, App);
        using var request = weCom.BuildRequest(weCom.TextXml("big", new string('x', size), FakeWeCom.NewMsgId()));

        var callback = await weCom.SendAsync(request);

        callback.Status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        dify.ChatCallCount.ShouldBe(0);
    }

    [TestCase("<xml><ToUserName>ww</ToUserName>", TestName = "MalformedEnvelopeGets400")]
    [TestCase("<xml><ToUserName>ww</ToUserName><AgentID>1000002</AgentID></xml>", TestName = "EnvelopeWithoutEncryptGets400")]
    public async Task MalformedEnvelopesGet400(string body)
    {
        var weCom = new FakeWeCom(client, App);
        using var request = weCom.BuildRequest(weCom.TextXml("bad", "hi", FakeWeCom.NewMsgId()));
        request.Content = new StringContent(body, Encoding.UTF8, "text/xml");

        var callback = await weCom.SendAsync(request);

        callback.Status.ShouldBe(HttpStatusCode.BadRequest);
        callback.Body.ShouldNotContain("   at ");
        dify.ChatCallCount.ShouldBe(0);
    }

    [TestCase("not base64 at all!", TestName = "SignedEncryptNotBase64Gets400")]
    [TestCase("AAAA", TestName = "SignedEncryptShorterThanABlockGets400")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", TestName = "SignedEncryptWithBadPaddingGets400")]
    public async Task SignedButMalformedCiphertextGets400(string encrypt)
    {
        var timestamp = FakeWeCom.Now().ToString();
        var query = $"msg_signature={WeChatWire.Sign(App.Token, timestamp, "77", encrypt)}&timestamp={timestamp}&nonce=77";
        var body = $"<xml><ToUserName><![CDATA[{App.CorpId}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt><AgentID>{App.AgentId}</AgentID></xml>";

        using var response = await client.PostAsync("/wecom?" + query, new StringContent(body, Encoding.UTF8, "text/xml"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("   at ");
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task SignedAndEncryptedButNotXmlGets400()
    {
        var weCom = new FakeWeCom(client, App);

        var callback = await weCom.PostAsync("this is not xml");

        callback.Status.ShouldBe(HttpStatusCode.BadRequest);
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task ChannelWithoutATokenIsOff()
    {
        await using var off = new WinterAIHost(new Dictionary<string, string?> { ["WeCom:CorpId"] = App.CorpId });
        using var offClient = off.CreateClient();

        (await offClient.GetAsync("/wecom?msg_signature=a&timestamp=1&nonce=2&echostr=x")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await offClient.PostAsync("/wecom", new StringContent("<xml/>"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task WithOnlyWeComConfiguredTheOfficialAccountRouteIsOff()
    {
        (await client.GetAsync("/wechat?signature=a&timestamp=1&nonce=2&echostr=x")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.PostAsync("/wechat", new StringContent("<xml/>"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
