using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Web.Admin;

public sealed class AdminControllerTests
{
    private const string AdminKey = "admin-key-for-tests-0123456789";
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private FakeDifyServer dify = null!;

    [SetUp]
    public async Task StartAsync() => dify = await FakeDifyServer.StartAsync();

    [TearDown]
    public async Task StopAsync() => await dify.DisposeAsync();

    private Dictionary<string, string?> Configuration(string? adminKey = AdminKey, string? redis = null)
    {
        var configuration = new Dictionary<string, string?>(WinterAIHost.QuickReplies());
        foreach (var (key, value) in Account.Configuration())
        {
            configuration[key] = value;
        }

        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-admin-test";
        configuration["Admin:ApiKey"] = adminKey;
        configuration["Redis:Configuration"] = redis;
        return configuration;
    }

    private static HttpClient Authorized(WinterAIHost host, string key = AdminKey)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", key);
        return client;
    }

    [Test]
    public async Task RefusesEveryCallWhenNoAdminKeyIsConfigured()
    {
        await using var host = new WinterAIHost(Configuration(adminKey: null));
        using var client = Authorized(host, "");

        using var response = await client.GetAsync("/admin/stats");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync()).ShouldContain("Admin:ApiKey");
    }

    [TestCase(null)]
    [TestCase("wrong-key")]
    [TestCase("admin-key-for-tests-012345678")]
    public async Task RefusesAMissingOrWrongKeyWithProblemDetails(string? key)
    {
        await using var host = new WinterAIHost(Configuration());
        using var client = key is null ? host.CreateClient() : Authorized(host, key);

        using var response = await client.GetAsync("/admin/config");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().ShouldBe(401);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task ShowsAFollowersConversationTurnsAndQuotaAndClearsIt(bool withRedis)
    {
        await using var redis = withRedis ? await TestRedis.StartAsync() : null;
        await using var host = new WinterAIHost(Configuration(redis: redis?.ConnectionString));
        using var client = Authorized(host);
        await new FakeWeChat(host.CreateClient(), Account).SendTextAsync("o-admin", "你好");

        var state = await client.GetFromJsonAsync<JsonElement>("/admin/followers/o-admin");
        using var cleared = await client.DeleteAsync("/admin/followers/o-admin/conversation");
        var after = await client.GetFromJsonAsync<JsonElement>("/admin/followers/o-admin");

        state.GetProperty("conversationId").GetString().ShouldNotBeNullOrEmpty();
        var turn = state.GetProperty("turns")[0];
        turn.GetProperty("question").GetString().ShouldBe("你好");
        turn.GetProperty("answer").GetString().ShouldBe("echo: 你好");
        turn.GetProperty("pagesRead").GetInt64().ShouldBe(1);
        state.GetProperty("quota").GetProperty("thisMinute").GetInt64().ShouldBe(1);
        cleared.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        after.GetProperty("conversationId").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Test]
    public async Task AccountsListEveryChannelWithItsDifyAppAndNeverTheKey()
    {
        dify.Mode = "workflow";
        await using var host = new WinterAIHost(Configuration());
        using var client = Authorized(host);

        using var response = await client.GetAsync("/admin/accounts");
        var body = await response.Content.ReadAsStringAsync();
        var accounts = JsonDocument.Parse(body).RootElement.EnumerateArray().ToList();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.ShouldNotContain("app-admin-test");
        var official = accounts.Single(a => a.GetProperty("channel").GetString() == "official-account");
        official.GetProperty("account").GetString().ShouldBe(Account.AppId);
        official.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        official.GetProperty("route").GetString().ShouldBe("/wechat");
        var app = official.GetProperty("dify");
        app.GetProperty("baseUrl").GetString().ShouldBe(dify.BaseUrl);
        app.GetProperty("apiKeySet").GetBoolean().ShouldBeTrue();
        app.GetProperty("appType").GetString().ShouldBe("workflow");
        app.GetProperty("health").GetString().ShouldBe("ok");
        accounts.Single(a => a.GetProperty("channel").GetString() == "wecom").GetProperty("enabled").GetBoolean().ShouldBeFalse();
        (await host.CreateClient().GetAsync("/admin/accounts")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task DeliveriesAreTaggedWithTheFollowersAccount()
    {
        await using var host = new WinterAIHost(Configuration());
        var meter = host.Services.GetRequiredService<IMeterFactory>().Create(WinterAI.Domain.Turns.DeliveryMetrics.MeterName);
        using var recorder = new WinterAI.Tests.Dify.MetricRecorder(meter);

        await new FakeWeChat(host.CreateClient(), Account).SendTextAsync("o-tagged", "hello");

        recorder.Count("winterai.deliveries", "account", Account.AppId).ShouldBe(1);
        recorder.Count("winterai.deliveries").ShouldBe(1);
    }

    [Test]
    public async Task StatsCountWhatJustHappened()
    {
        // Long enough to measure: the latency is rounded to milliseconds, and a warm connection to the in-process fake
        // (the app's parameters were read first) answers in less.
        dify.Delay = TimeSpan.FromMilliseconds(20);
        await using var host = new WinterAIHost(Configuration());
        using var client = Authorized(host);
        var weChat = new FakeWeChat(host.CreateClient(), Account);
        await weChat.SendTextAsync("o-stats", "one");
        await weChat.SendTextAsync("o-stats", "1");

        var stats = await client.GetFromJsonAsync<JsonElement>("/admin/stats");

        stats.GetProperty("deliveries").GetProperty("Answered_on_delivery_1").GetInt64().ShouldBe(1);
        stats.GetProperty("deliveries").GetProperty("Fetched").GetInt64().ShouldBe(1);
        var difyStats = stats.GetProperty("dify");
        difyStats.GetProperty("turns").GetInt32().ShouldBe(1);
        difyStats.GetProperty("latencyP99Seconds").GetDouble().ShouldBeGreaterThan(0);
        difyStats.GetProperty("circuit").GetString().ShouldBe("closed");
        stats.GetProperty("queues").GetProperty("difyWaiting").GetInt32().ShouldBe(0);
    }

    [Test]
    public async Task ShowsTheEffectiveConfigurationWithEverySecretRedacted()
    {
        await using var redis = await TestRedis.StartAsync(password: "redis-pass-xyz");
        await using var host = new WinterAIHost(Configuration(redis: redis.ConnectionString));
        using var client = Authorized(host);

        using var response = await client.GetAsync("/admin/config");
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var secret in new[] { Account.Token, Account.EncodingAesKey, "app-admin-test", AdminKey, "redis-pass-xyz" })
        {
            body.ShouldNotContain(secret);
        }

        var config = JsonDocument.Parse(body).RootElement;
        config.GetProperty("WeChat").GetProperty("AppId").GetString().ShouldBe(Account.AppId);
        config.GetProperty("WeChat").GetProperty("Token").GetString().ShouldBe("(set, redacted)");
        config.GetProperty("WeChat").GetProperty("ReplyWindow").GetString().ShouldBe("00:00:02");
        config.GetProperty("Dify").GetProperty("MaxRetries").GetInt32().ShouldBe(3);
        config.GetProperty("Redis").GetProperty("Configuration").GetString()!.ShouldContain("password=(redacted)");
    }

    [Test]
    public async Task TheSwaggerDocumentListsEveryAdminEndpointWithTheKeyScheme()
    {
        await using var host = new WinterAIHost(Configuration());
        using var client = host.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/admin/followers/{openId}", "/admin/followers/{openId}/conversation", "/admin/stats", "/admin/config" })
        {
            paths.TryGetProperty(path, out _).ShouldBeTrue(path);
        }

        paths.EnumerateObject().ShouldAllBe(p => p.Name.StartsWith("/admin/"));
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("AdminKey");
        scheme.GetProperty("type").GetString().ShouldBe("apiKey");
        scheme.GetProperty("name").GetString().ShouldBe("X-Admin-Key");
        scheme.GetProperty("in").GetString().ShouldBe("header");
        document.GetProperty("security")[0].TryGetProperty("AdminKey", out _).ShouldBeTrue();
    }

    [Test]
    public async Task ShowsTheSeedMenuAndPublishesItToWeChat()
    {
        await using var platform = new FakeWeChatApi(Account.AppId);
        await platform.StartAsync();
        var configuration = Configuration();
        configuration["WeChat:AppSecret"] = platform.AppSecret;
        configuration["WeChat:ApiBaseUrl"] = platform.BaseUrl;
        await using var host = new WinterAIHost(configuration);
        using var client = Authorized(host);

        var menu = await client.GetFromJsonAsync<JsonElement>("/admin/menu");
        using var published = await client.PostAsync("/admin/menu/publish", null);

        menu.GetProperty("buttons").EnumerateArray().Select(b => b.GetProperty("key").GetString()).ShouldBe(["help", "web", "coffee"]);
        menu.GetProperty("problems").GetArrayLength().ShouldBe(0);
        published.StatusCode.ShouldBe(HttpStatusCode.OK);
        platform.Menus.Count.ShouldBe(1);
        var sent = JsonDocument.Parse(platform.Menus[0]).RootElement.GetProperty("button");
        sent.EnumerateArray().Select(b => (b.GetProperty("type").GetString(), b.GetProperty("name").GetString(), b.GetProperty("key").GetString()))
            .ShouldBe([("click", "帮助", "help"), ("click", "网页版", "web"), ("click", "请喝咖啡", "coffee")]);
    }

    [Test]
    public async Task RefusesToPublishAMenuBeyondWeChatsLimitsAndNamesEachProblem()
    {
        await using var platform = new FakeWeChatApi(Account.AppId);
        await platform.StartAsync();
        var configuration = Configuration();
        configuration["WeChat:AppSecret"] = platform.AppSecret;
        configuration["WeChat:ApiBaseUrl"] = platform.BaseUrl;
        for (var i = 0; i < 4; i++)
        {
            configuration[$"Menu:Buttons:{i}:Name"] = i == 0 ? "一个名字太长的菜单按钮" : $"b{i}";
            configuration[$"Menu:Buttons:{i}:Key"] = $"k{i}";
        }

        configuration["Menu:Buttons:1:Type"] = "view";
        configuration["Menu:Buttons:1:Url"] = "not a url";
        await using var host = new WinterAIHost(configuration);
        using var client = Authorized(host);

        using var response = await client.PostAsync("/admin/menu/publish", null);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problems = problem.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        problems.ShouldContain(p => p.Contains("1 to 3 buttons"));
        problems.ShouldContain(p => p.StartsWith("Menu:Buttons:0:Name"));
        problems.ShouldContain(p => p.StartsWith("Menu:Buttons:1:Url"));
        platform.Menus.ShouldBeEmpty();
    }

    [Test]
    public async Task SimulateReturnsTheSameReplyTheCallbackWould()
    {
        await using var host = new WinterAIHost(Configuration());
        using var client = Authorized(host);

        using var response = await client.PostAsJsonAsync("/admin/simulate", new { openId = "o-sim", content = "模拟一下", toUserName = WeChatAccount.Account });
        var deliveries = await response.Content.ReadFromJsonAsync<JsonElement>();
        var viaCallback = await new FakeWeChat(host.CreateClient(), Account, WeChatMode.Safe).SendTextAsync("o-sim-2", "模拟一下");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        deliveries.GetArrayLength().ShouldBe(1);
        var body = deliveries[0].GetProperty("body").GetString()!;
        WeChatWire.Element(body, "Content").ShouldBe("echo: 模拟一下");
        WeChatWire.Element(body, "ToUserName").ShouldBe("o-sim");
        WeChatWire.Element(body, "MsgType").ShouldBe("text");
        Normalize(body, "o-sim").ShouldBe(Normalize(viaCallback[0].ReplyXml!, "o-sim-2"));
    }

    [TestCase("voice", null, "今天天气", null, null, "echo: 今天天气")]
    [TestCase("event", null, null, "subscribe", null, "你好，我是 AI 助手")]
    [TestCase("event", null, null, "CLICK", "coffee", "谢谢你的支持")]
    [TestCase("text", "/help", null, null, null, "/clear —— 清除上下文")]
    public async Task SimulatesVoiceEventsAndCommands(string type, string? content, string? recognition, string? eventName, string? eventKey, string expected)
    {
        await using var host = new WinterAIHost(Configuration());
        using var client = Authorized(host);

        using var response = await client.PostAsJsonAsync("/admin/simulate", new { openId = "o-sim-kinds", type, content, recognition, @event = eventName, eventKey });
        var deliveries = await response.Content.ReadFromJsonAsync<JsonElement>();

        WeChatWire.Element(deliveries[0].GetProperty("body").GetString()!, "Content").ShouldContain(expected);
    }

    [Test]
    public async Task ReadinessReportsTheStoreAndDifyWithoutSecrets()
    {
        await using var host = new WinterAIHost(Configuration());
        using var client = host.CreateClient();

        using var ready = await client.GetAsync("/readyz");
        var body = await ready.Content.ReadAsStringAsync();
        dify.Behaviour = (_, context) => FakeDifySse.ErrorAsync(context, 500, "boom", "down");
        using var cached = await client.GetAsync("/readyz");

        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.ShouldContain("in-memory");
        body.ShouldNotContain("app-admin-test");
        cached.StatusCode.ShouldBe(HttpStatusCode.OK);
        dify.Probes.Count(c => c.Path.EndsWith("/parameters")).ShouldBe(1);
    }

    [Test]
    public async Task ReadinessNamesOnlyTheKindOfStoreWhileTheAdminStatsNameWhereItIs()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var host = new WinterAIHost(Configuration(redis: redis.ConnectionString));
        using var client = Authorized(host);

        using var ready = await client.GetAsync("/readyz");
        var readiness = await ready.Content.ReadAsStringAsync();
        var store = (await client.GetFromJsonAsync<JsonElement>("/admin/stats")).GetProperty("store");

        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        readiness.ShouldContain("\"store\":\"redis\"");
        readiness.ShouldNotContain(redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        store.GetProperty("kind").GetString().ShouldBe("redis");
        store.GetProperty("target").GetString().ShouldBe($"127.0.0.1:{redis.Port}");
        store.GetProperty("sharedAcrossInstances").GetBoolean().ShouldBeTrue();
    }

    [Test]
    public async Task NeitherTheRedisUserNorItsPasswordReachesTheAdminApiReadinessOrTheLogs()
    {
        const string User = "acl-user-xyz";
        const string Password = "acl-pass-xyz";
        var logs = new CapturingLoggerProvider();
        await using var host = new WinterAIHost(
            Configuration(redis: $"127.0.0.1:1,user={User},password={Password}"),
            services => services.AddSingleton<ILoggerProvider>(logs));
        using var client = Authorized(host);

        await new FakeWeChat(host.CreateClient(), Account).PostOnceAsync(WeChatWire.TextMessageXml("o-leak", Account.OriginalId, "你好", 1, FakeWeChat.Now()));
        using var ready = await client.GetAsync("/readyz");
        var bodies = new[]
        {
            await ready.Content.ReadAsStringAsync(),
            await client.GetStringAsync("/admin/stats"),
            await client.GetStringAsync("/admin/config"),
        };
        await Poll.UntilAsync(
            () => Task.FromResult(logs.Lines.Any(line => line.Contains("127.0.0.1:1", StringComparison.Ordinal))),
            "the unreachable Redis is logged");

        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        foreach (var text in bodies.Concat(logs.Lines))
        {
            text.ShouldNotContain(User);
            text.ShouldNotContain(Password);
        }
    }

    private static string Normalize(string xml, string openId) =>
        System.Text.RegularExpressions.Regex.Replace(xml, "<CreateTime>\\d+</CreateTime>", "").Replace(openId, "{openid}", StringComparison.Ordinal);
}
