using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.WeComRobot;

/// <summary>
/// Two real WinterAI processes behind one robot, sharing a real redis-server: WeCom's refresh polls alternate between
/// them, and each poll shows the same growing answer, whichever instance started the stream or runs the turn.
/// </summary>
public sealed class WeComRobotSharedStoreTests
{
    /// <summary>How often WeCom refreshes a stream.</summary>
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);

    [Test]
    public async Task PollsAlternatingBetweenInstancesSeeOneGrowingAnswerAndFinishSoonAfterDify()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var dify = await FakeDifyServer.StartAsync();
        var configuration = FakeWeComRobot.Configuration();
        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        configuration["Redis:Configuration"] = redis.ConnectionString;
        await using var a = await WinterAIProcess.StartAsync(configuration);
        await using var b = await WinterAIProcess.StartAsync(configuration);

        // Dify writes each answer in 6 pieces over ~3 s; the test notes when the first and the last piece went out.
        var firstToken = new ConcurrentDictionary<string, long>();
        var lastToken = new ConcurrentDictionary<string, long>();
        dify.ChunkCount = 6;
        dify.BeforeChunk = async (call, index, ct) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            var now = TimeProvider.System.GetTimestamp();
            firstToken.TryAdd(call.Query!, now);
            lastToken[call.Query!] = now;
        };

        var followers = Enumerable.Range(0, 8).Select(async n =>
        {
            var robot = new FakeWeComRobot(a.Client, FakeWeComRobot.DefaultToken, FakeWeComRobot.DefaultAesKey)
            {
                ClientFor = i => (i + n) % 2 == 0 ? a.Client : b.Client,
            };
            var question = $"question {n}";
            long? firstShown = null;
            long finishedAt = 0;
            var frames = await robot.AskAndFollowAsync(FakeWeComRobot.Text($"member-{n}", question), () => Task.Delay(PollEvery), onFrame: frame =>
            {
                var now = TimeProvider.System.GetTimestamp();
                if (Content(frame).Length > 0)
                {
                    firstShown ??= now;
                }

                finishedAt = now;
            });
            return (Question: question, Frames: frames, FirstShown: firstShown ?? finishedAt, Finished: finishedAt);
        }).ToList();
        var results = await Task.WhenAll(followers);

        foreach (var (question, frames, _, _) in results)
        {
            for (var i = 1; i < frames.Count; i++)
            {
                Content(frames[i]).ShouldStartWith(Content(frames[i - 1]));
            }

            Content(frames[^1]).ShouldBe($"echo: {question}");
            frames.Count(f => Content(f).Length > 0 && !(bool)f["stream"]!["finish"]!).ShouldBeGreaterThan(0, "the answer was seen growing");
        }

        dify.ChatCallCount.ShouldBe(8);
        var toFirstFrame = results.Select(r => Seconds(firstToken[r.Question], r.FirstShown)).Order().ToList();
        var toFinish = results.Select(r => Seconds(lastToken[r.Question], r.Finished)).Order().ToList();
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"8 streams, polls every {PollEvery.TotalSeconds:0} s alternating between two instances: Dify's first token to the first non-empty frame "
            + $"p50 {Percentile(toFirstFrame, 0.5):0.00} s, p99 {Percentile(toFirstFrame, 0.99):0.00} s; Dify's last token to the finish frame "
            + $"p50 {Percentile(toFinish, 0.5):0.00} s, p99 {Percentile(toFinish, 0.99):0.00} s"));
    }

    private static double Seconds(long from, long to) => TimeProvider.System.GetElapsedTime(from, to).TotalSeconds;

    private static double Percentile(IReadOnlyList<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];

    private static string Content(JsonObject frame) => frame["stream"]!["content"]!.GetValue<string>();
}
