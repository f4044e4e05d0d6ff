using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
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
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }

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

    private async Task StartSubscribedAsync(Action<Dictionary<string, string?>>? change = null)
    {
        Start(Configuration(change));
        await Poll.UntilAsync(() => Task.FromResult(weCom.IsSubscribed), "WinterAI subscribed");
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
}
