using System.Net;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using WinterAI.Tests.Fakes;
using WinterAI.Web.Infrastructure;

namespace WinterAI.Tests.Web.Infrastructure;

/// <summary>
/// What reaches a real Kestrel before authentication: nothing of a callback body is read until its query is
/// authenticated, no route parses a form, and a body that stalls or trickles ends in one warning line, not a stack
/// trace and not "success".
/// </summary>
public sealed class CallbackReceiverTests
{
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private static readonly WeComApp App = WeComApp.Default;
    private static readonly TimeSpan ResponseDeadline = TimeSpan.FromSeconds(15);
    private FakeDifyServer dify = null!;

    [SetUp]
    public async Task StartAsync() => dify = await FakeDifyServer.StartAsync();

    [TearDown]
    public async Task StopAsync() => await dify.DisposeAsync();

    private Dictionary<string, string?> Configuration()
    {
        var configuration = new Dictionary<string, string?>(Account.Configuration())
        {
            ["WeChat:Mode"] = "plain",
            ["Dify:BaseUrl"] = dify.BaseUrl,
            ["Dify:ApiKey"] = "app-test-key",
            ["Chat:PublicBaseUrl"] = "https://winterai.example",
            ["Chat:SigningKey"] = new string('k', 32),
        };
        foreach (var (key, value) in App.Configuration("http://127.0.0.1:9"))
        {
            configuration[key] = value;
        }

        return configuration;
    }

    /// <summary>A genuinely signed plaintext callback URL for the account.</summary>
    private static string SignedWeChatUrl()
    {
        using var request = new FakeWeChat(new HttpClient(), Account, WeChatMode.Plaintext).BuildRequest(
            WeChatWire.TextMessageXml("o-slow", WeChatAccount.Account, "hi", FakeWeChat.NewMsgId(), FakeWeChat.Now()));
        return request.RequestUri!.OriginalString;
    }

    private static Dictionary<string, string> Headers(long contentLength, string contentType = "text/xml") => new()
    {
        ["Content-Type"] = contentType,
        ["Content-Length"] = contentLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static readonly string FourKiB = new('x', 4096);

    [TestCase("/wechat?signature=0000000000000000000000000000000000000000&timestamp={now}&nonce=1")]
    [TestCase("/wechat?timestamp=1&nonce=1")]
    [TestCase("/wecom?msg_signature=zz&timestamp={now}&nonce=1")]
    [TestCase("/wecom?msg_signature=0000000000000000000000000000000000000000&timestamp=1&nonce=1")]
    public async Task AnUnauthenticatedCallbackIsRefusedBeforeItsBodyArrives(string url)
    {
        await using var host = await KestrelWinterAI.StartAsync(Configuration());
        await using var request = await RawHttpRequest.OpenAsync(host.Port, "POST", url.Replace("{now}", FakeWeChat.Now().ToString(), StringComparison.Ordinal), Headers(2000));

        await request.SendAsync("<xml><ToUserName>gh</ToUserName>");

        (await request.ReadStatusAsync(ResponseDeadline)).ShouldBe(401);
    }

    [TestCase("POST", "/wechat?signature=0000000000000000000000000000000000000000&timestamp={now}&nonce=1", 401)]
    [TestCase("POST", "/wecom?msg_signature=0000000000000000000000000000000000000000&timestamp={now}&nonce=1", 413)]
    [TestCase("POST", "/chat/ask", 401)]
    [TestCase("POST", "/chat/stop", 401)]
    [TestCase("GET", "/chat/history", 401)]
    [TestCase("GET", "/readyz", 200)]
    public async Task AHugeFormPostIsAnsweredAfterAFewKiBWithoutParsingIt(string method, string url, int status)
    {
        await using var host = await KestrelWinterAI.StartAsync(Configuration());
        await using var request = await RawHttpRequest.OpenAsync(
            host.Port, method, url.Replace("{now}", FakeWeChat.Now().ToString(), StringComparison.Ordinal), Headers(20_000_000, "multipart/form-data; boundary=----winterai"));

        await request.SendAsync("------winterai\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" + FourKiB);

        (await request.ReadStatusAsync(ResponseDeadline)).ShouldBe(status);
    }

    [Test]
    public async Task ASignedCallbackDeclaringABodyOver64KiBIsRefusedWith413BeforeItIsSent()
    {
        await using var host = await KestrelWinterAI.StartAsync(Configuration());
        await using var request = await RawHttpRequest.OpenAsync(host.Port, "POST", SignedWeChatUrl(), Headers(20_000_000, "application/x-www-form-urlencoded"));

        await request.SendAsync("a=" + FourKiB);

        (await request.ReadStatusAsync(ResponseDeadline)).ShouldBe(413);
    }

    [Test]
    public async Task AnAssetRequestedWithAFormContentTypeIsStillServed()
    {
        await using var host = await KestrelWinterAI.StartAsync(Configuration());
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/chat/assets/chat.js")
        {
            Content = new StringContent("garbage", Encoding.UTF8, "multipart/form-data"),
        };

        using var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Test]
    public async Task AnAdminBodyOverTheGlobalLimitGets413NotA500()
    {
        var configuration = Configuration();
        configuration["Admin:ApiKey"] = "admin-key-for-tests-0123456789";
        await using var host = await KestrelWinterAI.StartAsync(configuration);
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", "admin-key-for-tests-0123456789");

        using var response = await client.PostAsync("/admin/simulate", new StringContent($"{{\"openId\":\"o\",\"content\":\"{new string('x', 200_000)}\"}}", Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        host.Logs.Lines.ShouldNotContain(l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    [TestCase(false, TestName = "ASignedCallbackWhoseBodyStallsGets408AndOneWarning")]
    [TestCase(true, TestName = "ASignedChunkedCallbackThatStallsGets408AndOneWarning")]
    public async Task ASignedCallbackWhoseBodyStallsGets408(bool chunked)
    {
        var time = new TimerTrackingTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await KestrelWinterAI.StartAsync(Configuration(), services => services.AddSingleton<TimeProvider>(time));
        var headers = chunked
            ? new Dictionary<string, string> { ["Content-Type"] = "text/xml", ["Transfer-Encoding"] = "chunked" }
            : Headers(500);
        await using var request = await RawHttpRequest.OpenAsync(host.Port, "POST", SignedWeChatUrl(), headers);

        await request.SendAsync(chunked ? "a\r\n<xml><To>x\r\n" : "<xml><To>x");
        await Poll.UntilAsync(() => Task.FromResult(time.PendingTimers.Contains(CallbackReceiver.BodyReadTimeout)), "the body read has started");
        time.Advance(CallbackReceiver.BodyReadTimeout);

        (await request.ReadStatusAsync(ResponseDeadline)).ShouldBe(408);
        OnlyOneWarning(host);
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task ABodyBelowKestrelsMinimumDataRateGets408AndOneWarning()
    {
        await using var host = await KestrelWinterAI.StartAsync(Configuration(), services => services.Configure<KestrelServerOptions>(kestrel =>
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1_000_000, gracePeriod: TimeSpan.FromSeconds(1.5))));
        await using var request = await RawHttpRequest.OpenAsync(host.Port, "POST", SignedWeChatUrl(), Headers(500));

        await request.SendAsync("<xml><To>x");

        (await request.ReadStatusAsync(ResponseDeadline)).ShouldBe(408);
        OnlyOneWarning(host);
        dify.ChatCallCount.ShouldBe(0);
    }

    private static void OnlyOneWarning(KestrelWinterAI host)
    {
        var lines = host.Logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal)).ToList();
        lines.Count(l => l.Contains("WinterAI", StringComparison.Ordinal)).ShouldBe(1, string.Join("\n", lines));
        lines.ShouldNotContain(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal), string.Join("\n", lines));
        lines.ShouldNotContain(l => l.Contains("   at ", StringComparison.Ordinal), string.Join("\n", lines));
    }
}
