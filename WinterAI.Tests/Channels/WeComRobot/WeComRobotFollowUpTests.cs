using System.Text.Json.Nodes;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.WeComRobot;

/// <summary>The robot's stream (webhook mode) with suggested questions after the answer and reasoning kept out of every frame.</summary>
public sealed class WeComRobotFollowUpTests
{
    private FakeDifyServer dify = null!;
    private WinterAIHost host = null!;
    private HttpClient client = null!;
    private FakeWeComRobot robot = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        var configuration = FakeWeComRobot.Configuration();
        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        configuration["Dify:RetryBaseDelay"] = "00:00:00.01";
        host = new WinterAIHost(configuration);
        client = host.CreateClient();
        robot = FakeWeComRobot.For(client);
    }

    [TearDown]
    public async Task StopAsync()
    {
        dify.SuggestionsGate?.TrySetResult();
        client.Dispose();
        await host.DisposeAsync();
        await dify.DisposeAsync();
    }

    private static string Content(JsonObject frame) => frame["stream"]!["content"]!.GetValue<string>();

    private static bool Finished(JsonObject frame) => (bool)frame["stream"]!["finish"]!;

    [Test]
    public async Task TheStreamShowsTheWholeAnswerThenFinishesWithTheSuggestionsAndALetterAsksOne()
    {
        dify.SuggestQuestions(true);
        dify.SuggestionsGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = dify.SuggestionsGate;

        var frames = await robot.AskAndFollowAsync(FakeWeComRobot.Text("lisi", "你好"), () => Task.Delay(10), onFrame: frame =>
        {
            if (Content(frame) == "echo: 你好" && !Finished(frame))
            {
                gate.TrySetResult();
            }
        });
        var chats = dify.ChatCallCount;
        var asked = await robot.AskAndFollowAsync(FakeWeComRobot.Text("lisi", "a"), () => Task.Delay(10));

        frames.ShouldContain(f => Content(f) == "echo: 你好" && !Finished(f), "the whole answer was shown before the suggestions came");
        Finished(frames[^1]).ShouldBeTrue();
        Content(frames[^1]).ShouldBe("echo: 你好\n\n你可能还想问（回复字母即可提问）：\na. 还有别的例子吗？\nb. 能说得更详细一点吗？\nc. 有什么需要注意的？");
        for (var i = 1; i < frames.Count; i++)
        {
            Content(frames[i]).ShouldStartWith(Content(frames[i - 1]));
        }

        Content(asked[^1]).ShouldStartWith("echo: 还有别的例子吗？");
        dify.ChatCallCount.ShouldBe(chats + 1);
    }

    [Test]
    public async Task WithSuggestionsOffTheStreamFinishesWithTheAnswer()
    {
        var frames = await robot.AskAndFollowAsync(FakeWeComRobot.Text("wangwu", "你好"), () => Task.Delay(10));

        Content(frames[^1]).ShouldBe("echo: 你好");
    }

    [Test]
    public async Task NoFrameShowsReasoning()
    {
        dify.Answer = _ => "<think>秘密的推理，写了很久很久很久。</think>\n\n**公开**的回答。";
        dify.ChunkCount = 10;

        var frames = await robot.AskAndFollowAsync(FakeWeComRobot.Text("zhaoliu", "你好"), () => Task.Delay(5));

        frames.ShouldAllBe(f => !Content(f).Contains("秘密") && !Content(f).Contains("think"));
        Content(frames[^1]).ShouldBe("**公开**的回答。");
    }
}
