using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WinterAI.Domain.Channels.OfficialAccount;
using WinterAI.Domain.Protocol.Platform;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.OfficialAccount;

public sealed class WeChatApiClientTests
{
    private const string OpenId = "oyORnuP8q7ou2gfYjqLzSIWZf0rs";
    private FakeWeChatApi platform = null!;
    private CapturingLoggerProvider logs = null!;
    private ServiceProvider services = null!;

    [SetUp]
    public async Task StartAsync()
    {
        platform = new FakeWeChatApi();
        await platform.StartAsync();
        logs = new CapturingLoggerProvider();
        services = PlatformServices.Create(platform, logs);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await services.DisposeAsync();
        await platform.DisposeAsync();
        logs.Dispose();
    }

    /// <summary>The singleton the app would use; the service provider owns it.</summary>
    private WeChatApiClient Client => services.GetRequiredService<WeChatApiClient>();

    [Test]
    public async Task SendsTextAsTouserMsgtypeAndContentOnly()
    {
        await Client.SendTextAsync(OpenId, "你好，\"世界\"\n第二行", CancellationToken.None);

        platform.Sent.ShouldBe([(OpenId, "你好，\"世界\"\n第二行")]);
        var body = JsonNode.Parse(platform.SentBodies.Single())!.AsObject();
        body.Select(p => p.Key).ShouldBe(["touser", "msgtype", "text"]);
        body["touser"]!.GetValue<string>().ShouldBe(OpenId);
        body["msgtype"]!.GetValue<string>().ShouldBe("text");
        body["text"]!.AsObject().Select(p => p.Key).ShouldBe(["content"]);
    }

    [Test]
    public async Task SendsChineseAsUtf8RatherThanEscapes()
    {
        await Client.SendTextAsync(OpenId, "你好", CancellationToken.None);

        platform.SentBodies.Single().ShouldContain("\"content\":\"你好\"");
    }

    [Test]
    public async Task FetchesOneStableTokenForManyCalls()
    {
        await Client.SendTextAsync(OpenId, "one", CancellationToken.None);
        await Client.TypingAsync(OpenId, CancellationToken.None);
        await Client.SendTextAsync(OpenId, "two", CancellationToken.None);

        platform.TokenFetches.ShouldBe(1);
        var request = JsonNode.Parse(platform.Requests.Single(r => r.Path == "/cgi-bin/stable_token").Body)!;
        request["grant_type"]!.GetValue<string>().ShouldBe("client_credential");
        request["appid"]!.GetValue<string>().ShouldBe(platform.AppId);
        request["secret"]!.GetValue<string>().ShouldBe(platform.AppSecret);
        request["force_refresh"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Test]
    public async Task ShowsTyping()
    {
        await Client.TypingAsync(OpenId, CancellationToken.None);

        platform.Typing.ShouldBe([OpenId]);
        JsonNode.Parse(platform.Requests.Single(r => r.Path == "/cgi-bin/message/custom/typing").Body)!["command"]!.GetValue<string>().ShouldBe("Typing");
    }

    [Test]
    public async Task CreatesTheMenuWithTheDocumentAsGiven()
    {
        const string menu = """{"button":[{"type":"click","name":"帮助","key":"help"},{"name":"更多","sub_button":[{"type":"view","name":"网页版","url":"https://example.com/chat"}]}]}""";

        await Client.CreateMenuAsync(menu, CancellationToken.None);

        platform.Menus.ShouldBe([menu]);
    }

    [TestCase(40001)]
    [TestCase(40014)]
    [TestCase(42001)]
    public async Task ATokenTheCallTurnsDownIsRefreshedOnceAndTheCallRetriedOnce(int errcode)
    {
        platform.FailNextSends(errcode);

        await Client.SendTextAsync(OpenId, "hello", CancellationToken.None);

        platform.SendAttempts.ShouldBe(2);
        platform.Sent.ShouldBe([(OpenId, "hello")]);
        // The platform still hands out the token the call turned down, so only a forced fetch replaces it.
        platform.TokenFetches.ShouldBe(3);
        platform.ForcedTokenFetches.ShouldBe(1);
    }

    [Test]
    public async Task ReplacesTheTokenBeforeThePlatformStopsTakingIt()
    {
        var time = new FakeTimeProvider();
        await using var clocked = new FakeWeChatApi(time: time);
        await clocked.StartAsync();
        await using var elsewhere = PlatformServices.Create(clocked, time: time);
        var api = elsewhere.GetRequiredService<WeChatApiClient>();
        await api.SendTextAsync(OpenId, "first", CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(7200) - AccessTokenCache.RefreshAhead + TimeSpan.FromSeconds(1));
        await api.SendTextAsync(OpenId, "second", CancellationToken.None);
        time.Advance(AccessTokenCache.RefreshAhead);
        await api.SendTextAsync(OpenId, "third", CancellationToken.None);

        clocked.Sent.Select(s => s.Content).ShouldBe(["first", "second", "third"]);
        clocked.SendAttempts.ShouldBe(3);
        clocked.TokenFetches.ShouldBe(2);
        clocked.IssuedTokens.Count.ShouldBe(2);
    }

    [Test]
    public async Task ATokenThePlatformInvalidatedIsReplacedWithoutForcing()
    {
        await Client.SendTextAsync(OpenId, "first", CancellationToken.None);
        platform.InvalidateTokens();

        await Client.SendTextAsync(OpenId, "second", CancellationToken.None);

        platform.SendAttempts.ShouldBe(3);
        platform.Sent.Select(s => s.Content).ShouldBe(["first", "second"]);
        platform.TokenFetches.ShouldBe(2);
        platform.ForcedTokenFetches.ShouldBe(0);
    }

    [Test]
    public async Task AnExpiredTokenIsReplacedAndTheCallRetried()
    {
        await Client.SendTextAsync(OpenId, "first", CancellationToken.None);
        platform.ExpireTokens();

        await Client.SendTextAsync(OpenId, "second", CancellationToken.None);

        platform.Sent.Select(s => s.Content).ShouldBe(["first", "second"]);
        platform.TokenFetches.ShouldBe(2);
    }

    [Test]
    public async Task ATokenTurnedDownTwiceSurfacesAfterOneRetry()
    {
        platform.FailNextSends(40001, count: 5);

        var failure = await Should.ThrowAsync<PlatformApiException>(() => Client.SendTextAsync(OpenId, "hello", CancellationToken.None));

        failure.ErrorCode.ShouldBe(40001);
        failure.IsTokenProblem.ShouldBeTrue();
        platform.SendAttempts.ShouldBe(2);
        platform.Sent.ShouldBeEmpty();
    }

    [TestCase(48001)]
    [TestCase(45015)]
    [TestCase(45047)]
    [TestCase(45009)]
    public async Task OtherErrcodesSurfaceWithTheErrcodeAndNoRetry(int errcode)
    {
        platform.FailNextSends(errcode);

        var failure = await Should.ThrowAsync<PlatformApiException>(() => Client.SendTextAsync(OpenId, "hello", CancellationToken.None));

        failure.ErrorCode.ShouldBe(errcode);
        failure.Message.ShouldContain($"errcode {errcode}");
        platform.SendAttempts.ShouldBe(1);
        platform.TokenFetches.ShouldBe(1);
    }

    [Test]
    public async Task AWrongSecretSurfacesAsTheTokenEndpointsErrcode()
    {
        await using var elsewhere = PlatformServices.Create(platform, change: s => s["WeChat:AppSecret"] = "not-the-secret");

        var failure = await Should.ThrowAsync<PlatformApiException>(() => elsewhere.GetRequiredService<WeChatApiClient>().SendTextAsync(OpenId, "hello", CancellationToken.None));

        failure.ErrorCode.ShouldBe(40125);
        failure.Message.ShouldContain("stable_token");
        platform.SendAttempts.ShouldBe(0);
    }

    [Test]
    public async Task AnUnreachablePlatformIsATransportFailure()
    {
        var gone = new FakeWeChatApi();
        await gone.StartAsync();
        await gone.DisposeAsync();
        await using var elsewhere = PlatformServices.Create(gone);

        var failure = await Should.ThrowAsync<PlatformApiException>(() => elsewhere.GetRequiredService<WeChatApiClient>().SendTextAsync(OpenId, "hello", CancellationToken.None));

        failure.ErrorCode.ShouldBe(PlatformApiException.TransportFailure);
    }

    [Test]
    public async Task NeitherTheAccessTokenNorTheSecretAppearsInErrorsOrLogs()
    {
        var failures = new List<Exception>();
        async Task TryAsync(Func<Task> call)
        {
            try
            {
                await call();
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }

        await Client.SendTextAsync(OpenId, "hello", CancellationToken.None);
        platform.FailNextSends(40001, count: 2);
        await TryAsync(() => Client.SendTextAsync(OpenId, "turned down twice", CancellationToken.None));
        platform.FailNextSends(45047);
        await TryAsync(() => Client.SendTextAsync(OpenId, "quota", CancellationToken.None));
        platform.InvalidateTokens(reissueUntilForced: true);
        await TryAsync(() => Client.TypingAsync(OpenId, CancellationToken.None));
        await using (var wrongSecret = PlatformServices.Create(platform, logs, s => s["WeChat:AppSecret"] = "wrong-" + platform.AppSecret))
        {
            await TryAsync(() => wrongSecret.GetRequiredService<WeChatApiClient>().SendTextAsync(OpenId, "wrong secret", CancellationToken.None));
        }

        await platform.DisposeAsync();
        await TryAsync(() => Client.SendTextAsync(OpenId, "platform gone, token in hand", CancellationToken.None));

        failures.Count.ShouldBe(4);
        failures.ShouldAllBe(f => f is PlatformApiException);
        logs.Lines.ShouldNotBeEmpty();
        var everything = string.Join("\n", failures.Select(f => f.ToString()).Concat(logs.Lines));
        platform.IssuedTokens.Count.ShouldBe(3);
        foreach (var secret in platform.IssuedTokens.Append(platform.AppSecret))
        {
            everything.ShouldNotContain(secret);
        }
    }
}
