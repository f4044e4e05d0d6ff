using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.WeCom;

/// <summary>The WeCom app (push only): suggested questions follow the pushed answer as a message of their own; letters and feedback words work.</summary>
public sealed class WeComFollowUpTests
{
    private static readonly WeComApp App = WeComApp.Default;
    private FakeDifyServer dify = null!;
    private FakeWeComApi api = null!;
    private WinterAIHost host = null!;
    private HttpClient client = null!;
    private FakeWeCom weCom = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        api = await FakeWeComApi.StartAsync(App.CorpId, App.Secret);
        var configuration = App.Configuration(api.BaseUrl);
        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        configuration["Dify:RetryBaseDelay"] = "00:00:00.01";
        host = new WinterAIHost(configuration);
        client = host.CreateClient();
        weCom = new FakeWeCom(client, App);
    }

    [TearDown]
    public async Task StopAsync()
    {
        client.Dispose();
        await host.DisposeAsync();
        await api.DisposeAsync();
        await dify.DisposeAsync();
    }

    private async Task<IReadOnlyList<FakeWeComSend>> SayAsync(string user, string content, int sends)
    {
        var before = api.Sent.Count;
        (await weCom.SendTextAsync(user, content)).IsReceived.ShouldBeTrue();
        return (await api.WaitForSendsAsync(before + sends)).Skip(before).ToList();
    }

    [Test]
    public async Task ThePushedAnswerIsFollowedByTheSuggestionsAndALetterAsksOne()
    {
        dify.SuggestQuestions(true);

        var sent = await SayAsync("zhangsan", "你好", sends: 2);
        var asked = await SayAsync("zhangsan", "c", sends: 1);

        sent[0].Content.ShouldBe("echo: 你好");
        sent[1].Content.ShouldBe("你可能还想问（回复字母即可提问）：\na. 还有别的例子吗？\nb. 能说得更详细一点吗？\nc. 有什么需要注意的？");
        asked[0].Content.ShouldBe("echo: 有什么需要注意的？");
        dify.Calls.Last(c => c.IsChat).Query.ShouldBe("有什么需要注意的？");
    }

    [Test]
    public async Task AFeedbackWordIsAcknowledgedThroughMessageSend()
    {
        await SayAsync("lisi", "你好", sends: 1);

        var ack = await SayAsync("lisi", "👎", sends: 1);

        ack[0].Content.ShouldBe("收到，我会努力改进。");
        dify.Feedbacks.ShouldHaveSingleItem().Rating.ShouldBe("dislike");
    }
}
