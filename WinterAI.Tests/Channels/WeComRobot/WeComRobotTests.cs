using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using WinterAI.Domain.Channels.WeComRobot;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.WeComRobot;

/// <summary>
/// The WeCom robot in webhook mode, in process: WeCom's side played by <see cref="FakeWeComRobot"/> (encrypted JSON,
/// stream refresh polls), Dify by a real in-test server streaming the answer as the test lets it.
/// </summary>
public sealed class WeComRobotTests
{
    private static readonly MessagesOptions Texts = new();
    private FakeDifyServer dify = null!;
    private WinterAIHost host = null!;
    private HttpClient client = null!;
    private FakeWeComRobot robot = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        Start(Configuration());
    }

    [TearDown]
    public async Task StopAsync()
    {
        dify.Gate?.TrySetResult();
        client.Dispose();
        await host.DisposeAsync();
        await dify.DisposeAsync();
    }

    private Dictionary<string, string?> Configuration(Action<Dictionary<string, string?>>? change = null)
    {
        var configuration = FakeWeComRobot.Configuration();
        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        configuration["Dify:RetryBaseDelay"] = "00:00:00.01";
        change?.Invoke(configuration);
        return configuration;
    }

    private void Start(Dictionary<string, string?> configuration)
    {
        host = new WinterAIHost(configuration);
        client = host.CreateClient();
        robot = FakeWeComRobot.For(client);
    }

    private static string Content(JsonObject frame) => frame["stream"]!["content"]!.GetValue<string>();

    [Test]
    public async Task TheReceiveUrlIsVerifiedWithTheDecryptedEchostr()
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var echo = WeChatWire.Encrypt(FakeWeComRobot.DefaultAesKey, "echo-1234", "");
        var signature = WeChatWire.Sign(FakeWeComRobot.DefaultToken, ts, "12345", echo);

        var response = await client.GetAsync($"/wecom-robot?msg_signature={signature}&timestamp={ts}&nonce=12345&echostr={Uri.EscapeDataString(echo)}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("echo-1234");
    }

    [Test]
    public async Task AQuestionStreamsFromAnEmptyFrameToTheWholeAnswerEachFrameExtendingTheLast()
    {
        var chunkReady = new SemaphoreSlim(0);
        dify.ChunkCount = 4;
        dify.BeforeChunk = (_, _, ct) => chunkReady.WaitAsync(ct);

        var frames = await robot.AskAndFollowAsync(FakeWeComRobot.Text("zhangsan", "streaming question"), async () =>
        {
            chunkReady.Release();
            await Task.Yield();
        });

        Content(frames[0]).ShouldBe("");
        ((bool)frames[0]["stream"]!["finish"]!).ShouldBeFalse();
        for (var i = 1; i < frames.Count; i++)
        {
            Content(frames[i]).ShouldStartWith(Content(frames[i - 1]));
        }

        Content(frames[^1]).ShouldBe("echo: streaming question");
        frames.Count(f => Content(f).Length > 0 && !(bool)f["stream"]!["finish"]!).ShouldBeGreaterThan(0, "the answer was seen growing");
        frames.Select(f => f["stream"]!["id"]!.GetValue<string>()).Distinct().Count().ShouldBe(1);
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task AQuestionDeliveredAgainGetsTheSameStreamAndOneDifyCall()
    {
        var question = FakeWeComRobot.Text("zhangsan", "asked twice");

        var first = await robot.PostAsync(question);
        var again = await robot.PostAsync(question);
        await dify.WaitForCallsAsync(1, Poll.DefaultDeadline);

        again.Message!["stream"]!["id"]!.GetValue<string>().ShouldBe(first.Message!["stream"]!["id"]!.GetValue<string>());
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task HelpIsAFinishedStreamAtOnce()
    {
        var reply = await robot.PostAsync(FakeWeComRobot.Text("zhangsan", "/help"));

        reply.Finished.ShouldBe(true);
        reply.StreamContent.ShouldBe(Texts.Help);
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task EnteringTheChatIsWelcomedWithAText()
    {
        var reply = await robot.PostAsync(FakeWeComRobot.Event("zhangsan", "enter_chat"));

        reply.Message!["msgtype"]!.GetValue<string>().ShouldBe("text");
        reply.Message!["text"]!["content"]!.GetValue<string>().ShouldBe(Texts.Help);
    }

    [Test]
    public async Task ForgedStaleAndMalformedCallbacksAreRefusedWithoutAnyDifyCall()
    {
        var forged = new FakeWeComRobot(client, "not-the-token", FakeWeComRobot.DefaultAesKey);
        var stale = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        using var notJson = robot.BuildRequest("this is not json");
        using var noEncrypt = robot.BuildRequest("{}");
        noEncrypt.Content = new StringContent("{\"encrypt\":", Encoding.UTF8, "application/json");

        var replies = new[]
        {
            await forged.PostAsync(FakeWeComRobot.Text("zhangsan", "forged")),
            await robot.PostAsync(FakeWeComRobot.Text("zhangsan", "stale"), stale),
            await robot.SendAsync(notJson),
            await robot.SendAsync(noEncrypt),
        };

        replies.Select(r => r.Status).ShouldBe([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest]);
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task InAGroupEachMemberHasTheirOwnConversationAndTheQuoteIsPartOfTheQuestion()
    {
        var a = await robot.AskAndFollowAsync(FakeWeComRobot.Text("zhangsan", "@机器人 what about this", chatId: "group-1", quote: "the quoted line"));
        var b = await robot.AskAndFollowAsync(FakeWeComRobot.Text("lisi", "@机器人 and me", chatId: "group-1"));

        var calls = dify.Calls.Where(c => c.IsChat).ToList();
        calls[0].Query.ShouldBe("> the quoted line\n\nwhat about this");
        calls[1].Query.ShouldBe("and me");
        calls[0].User.ShouldNotBe(calls[1].User);
        Content(b[^1]).ShouldBe("echo: and me");
        a.Count.ShouldBeGreaterThan(0);
    }

    [Test]
    public async Task AnAnswerLongerThanAFrameEndsWithAPointerAndStaysWithinTheLimit()
    {
        var answer = string.Concat(Enumerable.Repeat("长答案的一段。", 1500));
        dify.Answer = _ => answer;

        var frames = await robot.AskAndFollowAsync(FakeWeComRobot.Text("zhangsan", "tell me everything"));

        var last = Content(frames[^1]);
        Encoding.UTF8.GetByteCount(last).ShouldBeLessThanOrEqualTo(RobotContent.MaxBytes);
        last.ShouldEndWith(RobotContent.MorePointer);
        answer.ShouldStartWith(last[..^RobotContent.MorePointer.Length]);
    }

    [Test]
    public async Task AnAnswerNotReadyWithinTheStreamWindowFinishesTheStreamAndArrivesWholeAtTheResponseUrl()
    {
        var late = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var responseUrl = await LoopbackWebApp.StartAsync(app => app.Run(async context =>
        {
            late.TrySetResult(await new StreamReader(context.Request.Body).ReadToEndAsync());
            await context.Response.WriteAsync("{\"errcode\":0,\"errmsg\":\"ok\"}");
        }));
        client.Dispose();
        await host.DisposeAsync();
        Start(Configuration(c => c["WeComRobot:StreamWindow"] = "00:00:01"));
        dify.Gate = new TaskCompletionSource();

        var frames = await robot.AskAndFollowAsync(
            FakeWeComRobot.Text("zhangsan", "a slow one", responseUrl: $"{responseUrl.BaseUrl}/cgi-bin/aibot/response?response_code=abc"),
            () => Task.Delay(TimeSpan.FromMilliseconds(200)));
        dify.Gate.SetResult();
        var pushed = JsonNode.Parse(await late.Task.WaitAsync(Poll.DefaultDeadline))!;

        Content(frames[^1]).ShouldEndWith(RobotContent.LaterNote);
        pushed["msgtype"]!.GetValue<string>().ShouldBe("markdown");
        pushed["markdown"]!["content"]!.GetValue<string>().ShouldBe("echo: a slow one");
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task LikeOnAStreamedAnswerReachesDifyForThatMessage()
    {
        var frames = await robot.AskAndFollowAsync(FakeWeComRobot.Text("zhangsan", "rate me"));
        var streamId = frames[0]["stream"]!["id"]!.GetValue<string>();

        var reply = await robot.PostAsync(FakeWeComRobot.Event("zhangsan", "feedback_event", new JsonObject { ["id"] = streamId, ["type"] = 1 }));
        await Poll.UntilAsync(() => Task.FromResult(dify.Calls.Any(c => c.Path.EndsWith("/feedbacks", StringComparison.Ordinal))), "Dify got the feedback");

        reply.Status.ShouldBe(HttpStatusCode.OK);
        var feedback = dify.Calls.Single(c => c.Path.EndsWith("/feedbacks", StringComparison.Ordinal));
        feedback.Path.ShouldContain("/messages/");
        feedback.RawBody.ShouldContain("\"rating\":\"like\"");
    }

    [TestCase("WeComRobot:EncodingAESKey", "too-short", "WeComRobot:EncodingAESKey")]
    [TestCase("WeComRobot:Mode", "websocket", "WeComRobot:BotId")]
    [TestCase("WeComRobot:Mode", "carrier-pigeon", "WeComRobot:Mode")]
    [TestCase("WeComRobot:GroupContext", "everyone", "WeComRobot:GroupContext")]
    [TestCase("WeComRobot:StreamWindow", "00:10:00", "StreamWindow")]
    public async Task RefusesToStartWithABadKeyAndNamesIt(string key, string value, string named)
    {
        var failure = await WinterAIHost.StartupFailureAsync(Configuration(c => c[key] = value));

        failure.Message.ShouldContain(named);
    }
}
