using System.Text.Json;
using System.Text.Json.Nodes;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Turns;

/// <summary>
/// The Dify app's inputs through the official account's callback: the form declared by the fake Dify's
/// <c>GET /parameters</c>, sources from <c>Dify:Inputs</c>, values set by the follower with <c>/set</c>.
/// </summary>
public sealed class InputsScenarioTests
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
        dify.Parameters = WithForm(FakeDifyServer.DefaultParameters(imagesEnabled: false));
        host = new WinterAIHost(Configuration());
        client = host.CreateClient();
    }

    [TearDown]
    public async Task StopAsync()
    {
        client.Dispose();
        await host.DisposeAsync();
        await dify.DisposeAsync();
    }

    public static JsonObject WithForm(JsonObject parameters)
    {
        parameters["user_input_form"] = new JsonArray(
            new JsonObject { ["text-input"] = new JsonObject { ["label"] = "公司名称", ["variable"] = "company", ["required"] = true, ["max_length"] = 10, ["default"] = "" } },
            new JsonObject { ["select"] = new JsonObject { ["label"] = "级别", ["variable"] = "level", ["required"] = true, ["default"] = "初级", ["options"] = new JsonArray("初级", "中级", "高级") } },
            new JsonObject { ["number"] = new JsonObject { ["label"] = "年龄", ["variable"] = "age", ["required"] = false } },
            new JsonObject { ["text-input"] = new JsonObject { ["label"] = "用户", ["variable"] = "openid", ["required"] = true } },
            new JsonObject { ["text-input"] = new JsonObject { ["label"] = "渠道", ["variable"] = "via", ["required"] = false } },
            new JsonObject { ["text-input"] = new JsonObject { ["label"] = "来源", ["variable"] = "scene", ["required"] = false } },
            new JsonObject { ["text-input"] = new JsonObject { ["label"] = "品牌", ["variable"] = "brand", ["required"] = false } });
        return parameters;
    }

    public static void MapInputs(IDictionary<string, string?> configuration)
    {
        configuration["Dify:Inputs:openid"] = "user";
        configuration["Dify:Inputs:via"] = "channel";
        configuration["Dify:Inputs:scene"] = "scene";
        configuration["Dify:Inputs:brand"] = "=冬日";
    }

    private Dictionary<string, string?> Configuration()
    {
        var configuration = WinterAIHost.QuickReplies();
        foreach (var (key, value) in Account.Configuration())
        {
            configuration[key] = value;
        }

        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        configuration["Dify:RetryBaseDelay"] = "00:00:00.01";
        MapInputs(configuration);
        return configuration;
    }

    private async Task<string?> SayAsync(string openId, string text) =>
        FakeWeChat.Shown(await new FakeWeChat(client, Account) { Timeout = TimeSpan.FromSeconds(5) }.SendTextAsync(openId, text));

    public static IReadOnlyDictionary<string, string> InputsOf(FakeDifyCall call)
    {
        using var json = JsonDocument.Parse(call.RawBody);
        return json.RootElement.GetProperty("inputs").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    private IReadOnlyList<FakeDifyCall> ChatCalls() => dify.Calls.Where(c => c.Path.EndsWith("/chat-messages", StringComparison.Ordinal)).ToList();

    [Test]
    public async Task AQuestionWhileARequiredInputHasNoValueIsAnsweredWithWhatToSetWithoutAskingDify()
    {
        var reply = await SayAsync("o-missing", "hello");

        reply.ShouldBe(string.Format(Texts.InputsMissing, "- 公司名称：/set company 内容"));
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task TheFollowersValuesTheConfiguredSourcesAndTheFormsDefaultsGoToDifyWithTheQuestion()
    {
        (await SayAsync("o-set", "/set company 星辰科技")).ShouldBe(string.Format(Texts.InputSet, "公司名称", "星辰科技"));

        (await SayAsync("o-set", "hello")).ShouldBe("echo: hello");

        InputsOf(ChatCalls().Single()).ShouldBe(new Dictionary<string, string>
        {
            ["company"] = "星辰科技",
            ["level"] = "初级",
            ["openid"] = "o-set",
            ["via"] = "official-account",
            ["brand"] = "冬日",
        }, ignoreOrder: true);
    }

    [Test]
    public async Task ANameTheAppDoesNotDeclareIsRefusedWithTheNamesThatMayBeSet()
    {
        var reply = await SayAsync("o-unknown", "/set colour blue");

        reply.ShouldBe(string.Format(Texts.InputUnknown, "colour", "- company（公司名称）\n- level（级别）：初级/中级/高级\n- age（年龄）"));
    }

    [Test]
    public async Task AnInputWithAConfiguredSourceCannotBeSetByTheFollower()
    {
        (await SayAsync("o-forge", "/set openid somebody-else")).ShouldBe(string.Format(Texts.InputFixed, "用户"));
        (await SayAsync("o-forge", "/set company 甲")).ShouldNotBeNull();
        await SayAsync("o-forge", "question");

        InputsOf(ChatCalls().Single())["openid"].ShouldBe("o-forge");
    }

    [Test]
    public async Task ValuesAreCheckedAgainstTheForm()
    {
        (await SayAsync("o-check", "/set level 专家")).ShouldBe(string.Format(Texts.InputNotOption, "级别", "初级/中级/高级"));
        (await SayAsync("o-check", "/set age 十八")).ShouldBe(string.Format(Texts.InputNotNumber, "年龄"));
        (await SayAsync("o-check", "/set company 一二三四五六七八九十一")).ShouldBe(string.Format(Texts.InputTooLong, "公司名称", 10));
        (await SayAsync("o-check", "/set level 高级")).ShouldBe(string.Format(Texts.InputSet, "级别", "高级"));
        (await SayAsync("o-check", "/set 公司名称 星辰 科技")).ShouldBe(string.Format(Texts.InputSet, "公司名称", "星辰 科技"));
        (await SayAsync("o-check", "/set age 18")).ShouldBe(string.Format(Texts.InputSet, "年龄", "18"));
    }

    [Test]
    public async Task ValuesLastAcrossTurnsAndClearAndUnsetRemovesThem()
    {
        await SayAsync("o-keep", "/set company 甲公司");
        await SayAsync("o-keep", "first");
        (await SayAsync("o-keep", "/clear")).ShouldBe(Texts.Cleared);
        await SayAsync("o-keep", "second");

        ChatCalls().Select(c => InputsOf(c)["company"]).ShouldBe(["甲公司", "甲公司"]);

        (await SayAsync("o-keep", "/unset company")).ShouldBe(string.Format(Texts.InputUnset, "公司名称"));
        (await SayAsync("o-keep", "third")).ShouldBe(string.Format(Texts.InputsMissing, "- 公司名称：/set company 内容"));
        dify.ChatCallCount.ShouldBe(2);
    }

    [Test]
    public async Task SetAloneAndHelpShowTheFollowersValues()
    {
        await SayAsync("o-list", "/set company 甲公司");

        var expected = string.Format(Texts.InputsList, "- 公司名称 company：甲公司\n- 级别 level（初级/中级/高级）：初级\n- 年龄 age：未设置");
        (await SayAsync("o-list", "/set")).ShouldBe(expected);
        (await SayAsync("o-list", "/help")).ShouldBe(Texts.Help + "\n\n" + expected);
    }

    [Test]
    public async Task TheSceneOfTheQrCodeTheFollowerSubscribedWithIsRememberedForLaterQuestions()
    {
        var weChat = new FakeWeChat(client, Account) { Timeout = TimeSpan.FromSeconds(5) };
        await weChat.DeliverAsync(WeChatWire.EventXml("o-scene", Account.OriginalId, "subscribe", "qrscene_spring-fair", FakeWeChat.Now()));
        await SayAsync("o-scene", "/set company 乙");

        await SayAsync("o-scene", "which booth?");

        InputsOf(ChatCalls().Single())["scene"].ShouldBe("spring-fair");
    }

    [Test]
    public async Task ASlowReadOfTheAppsParametersDoesNotHoldUpTheQuestion()
    {
        // Probes bypass Behaviour, so the slow read is the fake's own.
        dify.ParametersDelay = TimeSpan.FromSeconds(3);

        (await SayAsync("o-slow", "hello")).ShouldBe("echo: hello");

        InputsOf(ChatCalls().Single())["openid"].ShouldBe("o-slow");
    }

    [Test]
    public async Task AnUnknownInputSourceStopsStartUpNamingTheKey()
    {
        var configuration = Configuration();
        configuration["Dify:Inputs:company"] = "companyname";

        var failure = await WinterAIHost.StartupFailureAsync(configuration);

        failure.Message.ShouldContain("Dify:Inputs:company");
        failure.Message.ShouldContain("msgtype");
    }
}
