using System.Text.Json.Nodes;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.WeComRobot;

/// <summary>The robot's long connection: the stream shows the whole answer, then finishes with the suggested questions.</summary>
public sealed class WeComRobotLongConnectionFollowUpTests
{
    private FakeDifyServer dify = null!;
    private FakeWeComRobotSocket weCom = null!;
    private WinterAIHost host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        weCom = await FakeWeComRobotSocket.StartAsync();
        var configuration = FakeWeComRobotSocket.Configuration(weCom.Url);
        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        configuration["Dify:RetryBaseDelay"] = "00:00:00.01";
        host = new WinterAIHost(configuration);
        _ = host.Services;
        await Poll.UntilAsync(() => Task.FromResult(weCom.IsSubscribed), "WinterAI subscribed");
    }

    [TearDown]
    public async Task StopAsync()
    {
        dify.SuggestionsGate?.TrySetResult();
        await host.DisposeAsync();
        await weCom.DisposeAsync();
        await dify.DisposeAsync();
    }

    private static string Content(JsonObject frame) => frame["stream"]!["content"]!.GetValue<string>();

    private static bool Finished(JsonObject frame) => (bool)frame["stream"]!["finish"]!;

    [Test]
    public async Task TheStreamShowsTheWholeAnswerThenFinishesWithTheSuggestions()
    {
        dify.SuggestQuestions(true);
        dify.SuggestionsGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var requestId = await weCom.PushMessageAsync(FakeWeComRobot.Text("zhangsan", "你好"));
        await Poll.UntilAsync(() => Task.FromResult(weCom.RepliesTo(requestId, "aibot_respond_msg").Any(f => Content(f) == "echo: 你好")), "the whole answer is shown");
        var beforeSuggestions = weCom.RepliesTo(requestId, "aibot_respond_msg");
        dify.SuggestionsGate.SetResult();
        await Poll.UntilAsync(() => Task.FromResult(weCom.RepliesTo(requestId, "aibot_respond_msg") is { Count: > 0 } r && Finished(r[^1])), "the stream is finished");
        var frames = weCom.RepliesTo(requestId, "aibot_respond_msg");

        beforeSuggestions.ShouldAllBe(f => !Finished(f));
        Content(frames[^1]).ShouldBe("echo: 你好\n\n你可能还想问（回复字母即可提问）：\na. 还有别的例子吗？\nb. 能说得更详细一点吗？\nc. 有什么需要注意的？");
        frames.Count(Finished).ShouldBe(1);
    }
}
