using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WinterAI.Domain.Channels.WeComRobot;
using WinterAI.Domain.Channels.WeComRobot.LongConnection;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.WeComRobot;

/// <summary>
/// The WeCom robot in long-connection mode, in process: WeCom's WebSocket endpoint played by
/// <see cref="FakeWeComRobotSocket"/>, Dify by <see cref="FakeDifyServer"/>.
/// </summary>
public sealed class WeComRobotLongConnectionTests
{
    private static readonly MessagesOptions Texts = new();
    private FakeDifyServer dify = null!;
    private FakeWeComRobotSocket weCom = null!;
    private readonly List<WinterAIHost> hosts = [];
    private TaskCompletionSource? heldAnswers;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        weCom = await FakeWeComRobotSocket.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        dify.Gate?.TrySetResult();
        heldAnswers?.TrySetResult();
        heldAnswers = null;
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }

        hosts.Clear();
        await weCom.DisposeAsync();
        await dify.DisposeAsync();
    }

    private Dictionary<string, string?> Configuration(Action<Dictionary<string, string?>>? change = null)
    {
        var configuration = FakeWeComRobotSocket.Configuration(weCom.Url);
        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        configuration["Dify:RetryBaseDelay"] = "00:00:00.01";
        change?.Invoke(configuration);
        return configuration;
    }

    private WinterAIHost Start(Dictionary<string, string?> configuration)
    {
        var host = new WinterAIHost(configuration);
        hosts.Add(host);
        _ = host.Services;
        return host;
    }

    private async Task<WinterAIHost> StartSubscribedAsync(Action<Dictionary<string, string?>>? change = null)
    {
        var host = Start(Configuration(change));
        await Poll.UntilAsync(() => Task.FromResult(weCom.IsSubscribed), "WinterAI subscribed");
        return host;
    }

    private async Task<IReadOnlyList<JsonObject>> FinishedRepliesAsync(string requestId, string cmd = "aibot_respond_msg")
    {
        await Poll.UntilAsync(
            () => Task.FromResult(weCom.RepliesTo(requestId, cmd) is { Count: > 0 } r && (cmd != "aibot_respond_msg" || (bool)r[^1]["stream"]!["finish"]!)),
            "the reply was finished",
            TimeSpan.FromSeconds(20));
        return weCom.RepliesTo(requestId, cmd);
    }

    private static string Content(JsonObject frame) => frame["stream"]!["content"]!.GetValue<string>();

    private static int Connections(WinterAIHost host) => host.Services.GetRequiredService<WeComRobotLongConnection>().Connections;

    [Test]
    public async Task SubscribesWithTheBotIdAndSecret()
    {
        await StartSubscribedAsync();

        var subscribe = weCom.Frames.First(f => f.Cmd == "aibot_subscribe");
        subscribe.Body!["bot_id"]!.GetValue<string>().ShouldBe(FakeWeComRobotSocket.DefaultBotId);
        subscribe.Body!["secret"]!.GetValue<string>().ShouldBe(FakeWeComRobotSocket.DefaultSecret);
        subscribe.RequestId.ShouldNotBeNullOrEmpty();
        weCom.Connections.ShouldBe(1);
    }

    [Test]
    public async Task ARefusedSubscriptionIsTriedAgainWithBackOff()
    {
        weCom.RefuseSubscriptionsWith = 40058;
        Start(Configuration());

        // The second subscribe frame, not the second connection: the frame arrives a moment after the connection opens.
        await Poll.UntilAsync(() => Task.FromResult(weCom.Frames.Count(f => f.Cmd == "aibot_subscribe") >= 2), "WinterAI subscribed again", TimeSpan.FromSeconds(10));

        weCom.IsSubscribed.ShouldBeFalse();
        weCom.Connections.ShouldBeGreaterThanOrEqualTo(2);
    }

    [Test]
    public async Task TheReceiveUrlIsOffInLongConnectionMode()
    {
        var host = Start(Configuration());
        using var client = host.CreateClient();

        var response = await client.PostAsync("/wecom-robot", new StringContent("{}"));

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
    }

    [TestCase("WeComRobot:BotId", "", "WeComRobot:BotId")]
    [TestCase("WeComRobot:Secret", "", "WeComRobot:Secret")]
    [TestCase("WeComRobot:WebSocketUrl", "https://openws.work.weixin.qq.com", "WeComRobot:WebSocketUrl")]
    public async Task RefusesToStartWithoutWhatTheLongConnectionNeeds(string key, string value, string named)
    {
        var failure = await WinterAIHost.StartupFailureAsync(Configuration(c => c[key] = value));

        failure.Message.ShouldContain(named);
    }

    [Test]
    public async Task AQuestionStreamsFramesThatOnlyGrowAndFinishWithTheWholeAnswer()
    {
        dify.ChunkCount = 4;
        dify.BeforeChunk = (_, _, ct) => Task.Delay(TimeSpan.FromMilliseconds(700), ct);
        await StartSubscribedAsync();

        var requestId = await weCom.PushMessageAsync(FakeWeComRobot.Text("zhangsan", "streaming question"));
        var frames = await FinishedRepliesAsync(requestId);

        for (var i = 1; i < frames.Count; i++)
        {
            Content(frames[i]).ShouldStartWith(Content(frames[i - 1]));
        }

        Content(frames[^1]).ShouldBe("echo: streaming question");
        frames.Count(f => (bool)f["stream"]!["finish"]!).ShouldBe(1);
        frames.Count(f => Content(f).Length > 0 && !(bool)f["stream"]!["finish"]!).ShouldBeGreaterThan(0, "the answer was seen growing");
        frames.Select(f => f["stream"]!["id"]!.GetValue<string>()).Distinct().Count().ShouldBe(1);
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task TheFinishingFrameCarriesTheAnswersPictureAsAMsgItem()
    {
        var picture = FakeMediaHost.TinyPng();
        dify.Files["/files/tools/chart.png"] = (picture, "image/png");
        dify.AnswerFiles = _ => [("/files/tools/chart.png", "image")];
        await StartSubscribedAsync();

        var requestId = await weCom.PushMessageAsync(FakeWeComRobot.Text("zhangsan", "画图"));
        var frames = await FinishedRepliesAsync(requestId);

        var item = frames[^1]["stream"]!["msg_item"]!.AsArray().Single()!;
        Convert.FromBase64String(item["image"]!["base64"]!.GetValue<string>()).ShouldBe(picture);
        Content(frames[^1]).ShouldBe("echo: 画图");
    }

    [Test]
    public async Task HelpIsOneFinishedFrame()
    {
        await StartSubscribedAsync();

        var requestId = await weCom.PushMessageAsync(FakeWeComRobot.Text("zhangsan", "/help"));
        var frames = await FinishedRepliesAsync(requestId);

        frames.Count.ShouldBe(1);
        Content(frames[0]).ShouldBe(Texts.Help);
        dify.ChatCallCount.ShouldBe(0);
    }

    [Test]
    public async Task EnteringTheChatGetsAWelcome()
    {
        await StartSubscribedAsync();

        var requestId = await weCom.PushEventAsync(FakeWeComRobot.Event("zhangsan", "enter_chat"));
        var welcome = await FinishedRepliesAsync(requestId, "aibot_respond_welcome_msg");

        welcome.Count.ShouldBe(1);
        welcome[0]["msgtype"]!.GetValue<string>().ShouldBe("text");
        welcome[0]["text"]!["content"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
    }

    [Test]
    public async Task TakenOverByAnotherConnectionItWaitsBeforeConnectingAgain()
    {
        await StartSubscribedAsync(c => c["WeComRobot:ReconnectAfterTakeover"] = "00:00:05");

        await weCom.TakeOverAsync();
        await Poll.UntilAsync(() => Task.FromResult(weCom.OpenConnections == 0), "WinterAI let the connection go");
        // Absence can only be seen by waiting: a reconnect with the usual back-off would come within 1 s.
        await Task.Delay(TimeSpan.FromSeconds(2));

        weCom.Connections.ShouldBe(1, "no reconnect right after being taken over");
        await Poll.UntilAsync(() => Task.FromResult(weCom.IsSubscribed && weCom.Connections == 2), "WinterAI connected again after the wait", TimeSpan.FromSeconds(15));
    }

    private const string LeaseKey = "winterai:{wecom-robot-" + FakeWeComRobotSocket.DefaultBotId + "}:robot:connection";

    private Dictionary<string, string?> SharedStore(RedisServer redis) => Configuration(c =>
    {
        c["Redis:Configuration"] = redis.ConnectionString;
        c["Redis:OperationTimeout"] = "00:00:00.5";
    });

    [Test]
    public async Task ALeaseLeftByAHolderThatDiedLapsesAndThenThisInstanceConnects()
    {
        await using var redis = await TestRedis.StartAsync();
        await RedisWire.CommandAsync(redis.Port, ["SET", LeaseKey, "dead-instance:robot-connection:0", "PX", "6000"]);
        var host = Start(SharedStore(redis));
        // Absence can only be seen by waiting: the instance tries the lease every 3 s.
        await Task.Delay(WeComRobotLongConnection.LeaseRetry);

        weCom.Connections.ShouldBe(0, "the lease is held by someone else");
        await Poll.UntilAsync(() => Task.FromResult(weCom.IsSubscribed), "the instance connected once the dead holder's lease ran out", TimeSpan.FromSeconds(15));
        hosts.Remove(host);
        await host.DisposeAsync();
    }

    [Test]
    public async Task AHolderThatLosesItsLeaseLetsTheConnectionGo()
    {
        await using var redis = await TestRedis.StartAsync();
        var host = Start(SharedStore(redis));
        await Poll.UntilAsync(() => Task.FromResult(weCom.IsSubscribed), "the instance subscribed");

        // As after a failover: the key now names another holder.
        await RedisWire.CommandAsync(redis.Port, ["SET", LeaseKey, "other-instance:robot-connection:0", "PX", "60000"]);

        await Poll.UntilAsync(() => Task.FromResult(weCom.OpenConnections == 0), "the instance closed its connection", TimeSpan.FromSeconds(15));
        hosts.Remove(host);
        await host.DisposeAsync();
    }

    [Test]
    public async Task TwoInstancesSharingAStoreHoldOneConnectionAndTheOtherTakesOverWhenTheHolderStops()
    {
        await using var redis = await TestRedis.StartAsync();
        var configuration = SharedStore(redis);
        var a = Start(configuration);
        var b = Start(configuration);
        await Poll.UntilAsync(() => Task.FromResult(weCom.IsSubscribed), "one instance subscribed");
        // Absence can only be seen by waiting: the other instance tries the lease every 3 s; give it two tries.
        await Task.Delay(WeComRobotLongConnection.LeaseRetry * 2);

        weCom.Connections.ShouldBe(1);
        var (holder, other) = Connections(a) == 1 ? (a, b) : (b, a);
        Connections(other).ShouldBe(0);

        hosts.Remove(holder);
        await holder.DisposeAsync();

        await Poll.UntilAsync(() => Task.FromResult(weCom.IsSubscribed && Connections(other) == 1), "the other instance took the connection over", TimeSpan.FromSeconds(15));
        weCom.Connections.ShouldBe(2);
        hosts.Remove(other);
        await other.DisposeAsync();
    }

    private const string Account = "wecom-robot-" + FakeWeComRobotSocket.DefaultBotId;

    private static WeComRobotLongConnection LongConnectionOf(WinterAIHost host) => host.Services.GetRequiredService<WeComRobotLongConnection>();

    /// <summary>Dify writes the first part of each answer, then holds the rest until the test releases it.</summary>
    private TaskCompletionSource HoldAnswersAfterTheFirstPart()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        dify.BeforeChunk = (_, index, ct) => index == 1 ? release.Task.WaitAsync(ct) : Task.CompletedTask;
        heldAnswers = release;
        return release;
    }

    private async Task PartOfTheAnswerStreamedAsync(string requestId) =>
        await Poll.UntilAsync(
            () => Task.FromResult(weCom.RepliesTo(requestId).Any(f => Content(f).Length > 0)),
            "part of the answer was streamed",
            TimeSpan.FromSeconds(20));

    /// <summary>Waits until the instance owes no answer any more: whatever was owed was delivered and can never go out again.</summary>
    private static async Task NothingOwedAsync(WinterAIHost host) =>
        await Poll.UntilAsync(
            async () => (await host.Services.GetRequiredService<RobotOwedAnswers>().OwedAsync(Account, CancellationToken.None)).Count == 0,
            "no answer is owed any more",
            TimeSpan.FromSeconds(30));

    private async Task<JsonObject> OneSentMessageAsync(TimeSpan deadline)
    {
        await Poll.UntilAsync(() => Task.FromResult(weCom.SentMessages.Count > 0), "the answer was sent as a proactive message", deadline);
        return weCom.SentMessages.Single();
    }

    private async Task ConnectedAgainAsync() =>
        await Poll.UntilAsync(() => Task.FromResult(weCom.IsSubscribed && weCom.Connections == 2), "WinterAI connected again", TimeSpan.FromSeconds(20));

    private static string Markdown(JsonObject sent) => sent["markdown"]!["content"]!.GetValue<string>();

    [Test]
    public async Task AnAnswerCutOffByADroppedConnectionArrivesWholeOnceAsAProactiveMessageAfterReconnecting()
    {
        var release = HoldAnswersAfterTheFirstPart();
        var host = await StartSubscribedAsync();

        var requestId = await weCom.PushMessageAsync(FakeWeComRobot.Text("zhangsan", "a question cut off"));
        await PartOfTheAnswerStreamedAsync(requestId);
        weCom.Drop();
        await ConnectedAgainAsync();
        release.SetResult();

        var sent = await OneSentMessageAsync(TimeSpan.FromSeconds(20));
        await NothingOwedAsync(host);

        sent["chatid"]!.GetValue<string>().ShouldBe("zhangsan");
        sent["msgtype"]!.GetValue<string>().ShouldBe("markdown");
        Markdown(sent).ShouldBe("echo: a question cut off");
        weCom.SentMessages.Count.ShouldBe(1);
        weCom.Frames.Where(f => f.Cmd == "aibot_send_msg").ShouldAllBe(f => f.ConnectionNumber == 2);
        weCom.RepliesTo(requestId).ShouldNotContain(f => (bool)f["stream"]!["finish"]!, "the old req_id is not used again");
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task AGroupAnswerCutOffGoesToTheGroupChat()
    {
        var release = HoldAnswersAfterTheFirstPart();
        await StartSubscribedAsync();

        var requestId = await weCom.PushMessageAsync(FakeWeComRobot.Text("zhangsan", "@robot a group question", chatId: "wrGroupChat"));
        await PartOfTheAnswerStreamedAsync(requestId);
        weCom.Drop();
        await ConnectedAgainAsync();
        release.SetResult();

        var sent = await OneSentMessageAsync(TimeSpan.FromSeconds(20));
        sent["chatid"]!.GetValue<string>().ShouldBe("wrGroupChat");
        Markdown(sent).ShouldBe("echo: a group question");
    }

    [Test]
    public async Task AnAnswerFinishedBeforeTheConnectionDroppedIsNotSentAgain()
    {
        var host = await StartSubscribedAsync();
        var connection = LongConnectionOf(host);

        var requestId = await weCom.PushMessageAsync(FakeWeComRobot.Text("zhangsan", "answered in time"));
        await FinishedRepliesAsync(requestId);
        await NothingOwedAsync(host);
        weCom.Drop();
        await ConnectedAgainAsync();
        var passes = connection.OwedPasses;
        await Poll.UntilAsync(() => Task.FromResult(connection.OwedPasses >= passes + 2), "the new session looked at what is owed");

        weCom.SentMessages.ShouldBeEmpty();
        weCom.RepliesTo(requestId).Count(f => (bool)f["stream"]!["finish"]!).ShouldBe(1);
    }

    [Test]
    public async Task AStreamFinishedByItsWindowIsFollowedByTheWholeAnswerAsAProactiveMessage()
    {
        var release = HoldAnswersAfterTheFirstPart();
        var host = await StartSubscribedAsync(c => c["WeComRobot:StreamWindow"] = "00:00:01");

        var requestId = await weCom.PushMessageAsync(FakeWeComRobot.Text("zhangsan", "a slow question"));
        var frames = await FinishedRepliesAsync(requestId);
        Content(frames[^1]).ShouldEndWith(RobotContent.LaterNote);
        release.SetResult();

        var sent = await OneSentMessageAsync(TimeSpan.FromSeconds(20));
        await NothingOwedAsync(host);

        Markdown(sent).ShouldBe("echo: a slow question");
        weCom.SentMessages.Count.ShouldBe(1);
        weCom.Connections.ShouldBe(1);
    }

    [Test]
    public async Task WhenTheHolderIsKilledMidAnswerTheOtherInstanceTakesOverAndSendsTheWholeAnswerOnce()
    {
        await using var redis = await TestRedis.StartAsync();
        var configuration = SharedStore(redis);
        // The first call (on the holder) writes its first part and then hangs until the holder dies; the run again goes through.
        var held = 0;
        dify.BeforeChunk = (_, index, ct) => index == 1 && Interlocked.Exchange(ref held, 1) == 0 ? Task.Delay(Timeout.Infinite, ct) : Task.CompletedTask;
        await using var holder = await WinterAIProcess.StartAsync(configuration);
        await Poll.UntilAsync(() => Task.FromResult(weCom.IsSubscribed), "the process holds the connection", TimeSpan.FromSeconds(20));
        var other = Start(configuration);

        var requestId = await weCom.PushMessageAsync(FakeWeComRobot.Text("zhangsan", "a question whose holder dies"));
        await PartOfTheAnswerStreamedAsync(requestId);
        holder.Kill();

        var sent = await OneSentMessageAsync(TimeSpan.FromSeconds(60));
        await NothingOwedAsync(other);

        Connections(other).ShouldBe(1, "the other instance took the connection over");
        sent["chatid"]!.GetValue<string>().ShouldBe("zhangsan");
        Markdown(sent).ShouldBe("echo: a question whose holder dies");
        weCom.SentMessages.Count.ShouldBe(1);
        weCom.Frames.Where(f => f.Cmd == "aibot_send_msg").ShouldAllBe(f => f.ConnectionNumber == 2);
    }

    [Test]
    public async Task PingsEveryThirtySecondsAndConnectsAgainWhenWeComStopsAnsweringThem()
    {
        weCom.AckPings = false;
        var time = new TimerTrackingTimeProvider(DateTimeOffset.UtcNow);
        var host = new WinterAIHost(Configuration(), s => s.AddSingleton<TimeProvider>(time));
        hosts.Add(host);
        var connection = LongConnectionOf(host);
        await Poll.UntilAsync(() => Task.FromResult(weCom.IsSubscribed && connection.Ticks > 0), "WinterAI subscribed and keeps the connection alive");
        int PingsOn(int number) => weCom.Frames.Count(f => f.Cmd == "ping" && f.ConnectionNumber == number);

        // One second at a time, each once the code waits on the clock again.
        async Task ToSecondAsync(int second, int from)
        {
            for (var s = from; s < second; s++)
            {
                var ticks = connection.Ticks;
                time.Advance(TimeSpan.FromSeconds(1));
                await Poll.UntilAsync(() => Task.FromResult(connection.Ticks > ticks), $"the clock was waited on again after {s + 1} s");
            }
        }

        await ToSecondAsync(29, 0);
        PingsOn(1).ShouldBe(0);
        await ToSecondAsync(30, 29);
        await Poll.UntilAsync(() => Task.FromResult(PingsOn(1) == 1), "a ping after 30 s");
        await ToSecondAsync(59, 30);
        PingsOn(1).ShouldBe(1);
        await ToSecondAsync(60, 59);
        await Poll.UntilAsync(() => Task.FromResult(PingsOn(1) == 2), "a second ping after 60 s");

        // Nothing heard for two intervals and the ack timeout: the connection is given up and made again after 1 s.
        await ToSecondAsync(65, 60);
        weCom.Connections.ShouldBe(1);
        await ToSecondAsync(67, 65);
        await ConnectedAgainAsync();
        PingsOn(1).ShouldBe(2);
    }
}
