using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WinterAI.Domain.Channels.WeCom;
using WinterAI.Domain.Channels.WeComRobot;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.WeComRobot;

/// <summary>
/// A robot answer that outlives its stream window, when <c>response_url</c> will not take it: the robot's WeCom side
/// played by <see cref="FakeWeComRobot"/>, the response_url by <see cref="FakeRobotResponseUrl"/>, the WeCom app's API
/// by <see cref="FakeWeComApi"/>, Dify by a real in-test server held until the stream was cut. The clock jumps past the
/// stream window instead of waiting it out.
/// </summary>
public sealed class WeComRobotFallbackTests
{
    private static readonly WeComApp App = WeComApp.Default;
    private FakeDifyServer dify = null!;
    private FakeWeComApi api = null!;
    private FakeRobotResponseUrl responseUrl = null!;
    private LogCollector logs = null!;
    private ShiftedTimeProvider clock = null!;
    private WinterAIHost? host;
    private HttpClient? client;
    private FakeWeComRobot robot = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        api = await FakeWeComApi.StartAsync(App.CorpId, App.Secret);
        responseUrl = await FakeRobotResponseUrl.StartAsync();
        logs = new LogCollector();
        clock = new ShiftedTimeProvider(DateTimeOffset.UtcNow);
    }

    [TearDown]
    public async Task StopAsync()
    {
        dify.Gate?.TrySetResult();
        client?.Dispose();
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        logs.Dispose();
        await responseUrl.DisposeAsync();
        await api.DisposeAsync();
        await dify.DisposeAsync();
    }

    private void Start(bool withApp = true, Action<Dictionary<string, string?>>? change = null)
    {
        var configuration = FakeWeComRobot.Configuration();
        if (withApp)
        {
            foreach (var (key, value) in App.Configuration(api.BaseUrl))
            {
                configuration[key] = value;
            }
        }

        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        configuration["Dify:RetryBaseDelay"] = "00:00:00.01";
        configuration["WeComRobot:StreamWindow"] = "00:00:01";
        change?.Invoke(configuration);
        host = new WinterAIHost(configuration, services => services.AddSingleton<ILoggerProvider>(logs).AddSingleton<TimeProvider>(clock));
        client = host.CreateClient();
        robot = FakeWeComRobot.For(client);
    }

    /// <summary>Asks while Dify holds the answer, lets the stream window pass, and checks the stream was cut; then lets Dify answer.</summary>
    private async Task AskPastTheStreamWindowAsync(JsonObject question)
    {
        dify.Gate = new TaskCompletionSource();
        var first = await robot.PostAsync(question);
        var streamId = first.Message!["stream"]!["id"]!.GetValue<string>();
        clock.Advance(TimeSpan.FromSeconds(2));

        var cut = await robot.PostAsync(FakeWeComRobot.Refresh(streamId));

        cut.Finished.ShouldBe(true);
        cut.StreamContent.ShouldEndWith(RobotContent.LaterNote);
        dify.Gate.SetResult();
    }

    private Task LoggedAsync(string fragment) =>
        Poll.UntilAsync(() => Task.FromResult(logs.Lines.Any(l => l.Contains(fragment, StringComparison.Ordinal))), $"the log says '{fragment}'");

    private string[] PusherLines() => logs.Lines.Where(l => l.Contains(typeof(RobotPusher).FullName!, StringComparison.Ordinal)).ToArray();

    [TestCase(500, 0)]
    [TestCase(200, 93000)]
    public async Task AnAnswerTheResponseUrlRefusesGoesWholeOnceThroughTheWeComAppsMessageSend(int status, int errcode)
    {
        Start();
        responseUrl.Refuse(status, errcode);

        await AskPastTheStreamWindowAsync(FakeWeComRobot.Text("zhangsan", "a slow one", responseUrl: responseUrl.UrlFor("abc")));
        var sent = await api.WaitForSendsAsync(1);
        await LoggedAsync("sent it through the WeCom app's message/send");

        sent.Count.ShouldBe(1);
        sent[0].ToUser.ShouldBe("zhangsan");
        sent[0].MsgType.ShouldBe("markdown");
        sent[0].AgentId.ShouldBe(long.Parse(App.AgentId, System.Globalization.CultureInfo.InvariantCulture));
        sent[0].Content.ShouldBe("echo: a slow one");
        api.Attempts.Count.ShouldBe(1);
        responseUrl.Calls.Count.ShouldBe(1);
        dify.ChatCallCount.ShouldBe(1);
        PusherLines().ShouldContain(l => l.Contains(errcode == 0 ? $"HTTP {status}" : $"errcode {errcode}", StringComparison.Ordinal));
        PusherLines().ShouldAllBe(l => !l.Contains(responseUrl.BaseUrl, StringComparison.Ordinal) && !l.Contains("a slow one", StringComparison.Ordinal));
    }

    [Test]
    public async Task AnAnswerWhoseMessageHadNoResponseUrlGoesThroughTheWeComApp()
    {
        Start();

        await AskPastTheStreamWindowAsync(FakeWeComRobot.Text("zhangsan", "a slow one", responseUrl: ""));
        var sent = await api.WaitForSendsAsync(1);
        await LoggedAsync("did not reach response_url (the message has none); sent it through the WeCom app's message/send");

        sent.Single().Content.ShouldBe("echo: a slow one");
        responseUrl.Calls.ShouldBeEmpty();
    }

    [Test]
    public async Task AnAnswerLongerThanOneAppMessageArrivesInPartsThatMakeUpTheWholeAnswer()
    {
        Start();
        responseUrl.Refuse(200, 93000);
        var answer = string.Concat(Enumerable.Repeat("长答案的一段。\n\n", 400));
        dify.Answer = _ => answer;

        await AskPastTheStreamWindowAsync(FakeWeComRobot.Text("zhangsan", "tell me everything", responseUrl: responseUrl.UrlFor("abc")));
        await LoggedAsync("sent it through the WeCom app's message/send");

        var sent = api.Sent;
        sent.Count.ShouldBeGreaterThan(1);
        sent.ShouldAllBe(s => Encoding.UTF8.GetByteCount(s.Content!) <= WeComAppMessenger.MarkdownLimitBytes && s.MsgType == "markdown");
        string.Concat(sent.Select(s => s.Content)).ShouldBe(answer);
    }

    [Test]
    public async Task AGroupChatsRefusedAnswerIsNotSentThroughTheAppAndStaysForOne()
    {
        Start();
        responseUrl.Refuse(500, 0);

        await AskPastTheStreamWindowAsync(FakeWeComRobot.Text("zhangsan", "@机器人 a slow one", chatId: "group-1", responseUrl: responseUrl.UrlFor("abc")));
        await LoggedAsync("in a group chat did not reach response_url (HTTP 500)");
        var one = await robot.PostAsync(FakeWeComRobot.Text("zhangsan", "@机器人 1", chatId: "group-1"));

        api.Attempts.ShouldBeEmpty();
        one.StreamContent!.ShouldContain("echo: a slow one");
    }

    [Test]
    public async Task WithoutAWeComAppARefusedAnswerStaysForOneAndTheLogSaysWhy()
    {
        Start(withApp: false);
        responseUrl.Refuse(200, 93000);

        await AskPastTheStreamWindowAsync(FakeWeComRobot.Text("zhangsan", "a slow one", responseUrl: responseUrl.UrlFor("abc")));
        await LoggedAsync("did not reach response_url (errcode 93000) and no WeCom app is configured to send it instead; it stays available through 1.");
        var one = await robot.PostAsync(FakeWeComRobot.Text("zhangsan", "1"));

        api.Attempts.ShouldBeEmpty();
        api.TokenRequests.ShouldBe(0);
        one.StreamContent!.ShouldContain("echo: a slow one");
    }

    [Test]
    public async Task WithTheFallbackSwitchedOffARefusedAnswerStaysForOne()
    {
        Start(change: c => c["WeComRobot:FallbackToWeComApp"] = "false");
        responseUrl.Refuse(500, 0);

        await AskPastTheStreamWindowAsync(FakeWeComRobot.Text("zhangsan", "a slow one", responseUrl: responseUrl.UrlFor("abc")));
        await LoggedAsync("WeComRobot:FallbackToWeComApp is off");

        api.Attempts.ShouldBeEmpty();
    }

    [Test]
    public async Task AnAnswerTheResponseUrlTakesIsNotSentThroughTheApp()
    {
        Start();

        await AskPastTheStreamWindowAsync(FakeWeComRobot.Text("zhangsan", "a slow one", responseUrl: responseUrl.UrlFor("abc")));
        var calls = await responseUrl.WaitForCallsAsync(1);
        await LoggedAsync("A late robot answer went to response_url.");

        JsonNode.Parse(calls.Single())!["markdown"]!["content"]!.GetValue<string>().ShouldBe("echo: a slow one");
        api.Attempts.ShouldBeEmpty();
    }
}
