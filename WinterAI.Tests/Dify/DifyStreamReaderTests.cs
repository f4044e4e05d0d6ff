using System.Text;
using WinterAI.Domain.Dify;

namespace WinterAI.Tests.Dify;

public class DifyStreamReaderTests
{
    const string ConversationId = "45701982-8118-4bc5-8e9b-64562b4555f2";
    const string MessageId = "9da23599-e713-473b-982c-4328d4f5c78a";

    static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "Dify", name));

    static Task<DifyStreamResult> ReadAsync(string fixture, int bytesPerRead = 1, List<DifyProgress>? progress = null) =>
        DifyStreamReader.ReadAsync(new TrickleStream(Fixture(fixture), bytesPerRead),
            progress is null ? null : (p, _) =>
            {
                progress.Add(p);
                return ValueTask.CompletedTask;
            },
            CancellationToken.None);

    [Test]
    public async Task ReassemblesFramesAndUtf8CharactersDeliveredOneByteAtATime()
    {
        var result = await ReadAsync("chat-raw-utf8.sse", bytesPerRead: 1);

        result.Text.ShouldBe("你好，冬天 ❄️ 来了 😀！");
        result.Completed.ShouldBeTrue();
        result.ConversationId.ShouldBe(ConversationId);
        result.MessageId.ShouldBe(MessageId);
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(7)]
    [TestCase(4096)]
    public async Task ReadsTheSameAnswerWhateverSizeTheNetworkReadsAre(int bytesPerRead)
    {
        var result = await ReadAsync("chat-raw-utf8.sse", bytesPerRead);

        result.Text.ShouldBe("你好，冬天 ❄️ 来了 😀！");
    }

    [Test]
    public async Task CollectsTheAssistantsMessageFilesOnceEachAndSkipsTheFollowersOwn()
    {
        var result = await ReadAsync("message-file.sse", bytesPerRead: 5);

        result.Text.ShouldBe("画好了");
        result.Completed.ShouldBeTrue();
        result.Files.ShouldBe([
            new DifyAnswerFile("/files/tools/5e2a.png?timestamp=1705395332&nonce=n&sign=s", "image"),
            new DifyAnswerFile("https://files.example.com/report.pdf", "document"),
        ]);
    }

    [Test]
    public async Task DecodesUnicodeEscapedAnswersFromOlderServersIncludingSurrogatePairs()
    {
        var result = await ReadAsync("chat-unicode-escaped.sse");

        result.Text.ShouldBe("你好，冬天 ❄️ 来了 😀！");
        result.Usage.ShouldBe(new DifyUsage(1033, 135, 1168));
    }

    [Test]
    public async Task ReadsUsageFromMessageEndAndIgnoresPricesAndRetrieverResources()
    {
        var result = await ReadAsync("chat-raw-utf8.sse");

        result.Usage.ShouldBe(new DifyUsage(1033, 135, 1168));
    }

    [Test]
    public async Task LeavesUsageEmptyWhenMessageEndHasNone()
    {
        var result = await ReadAsync("agent-chat.sse");

        result.Completed.ShouldBeTrue();
        result.Usage.ShouldBeNull();
    }

    [Test]
    public async Task AppendsAgentMessageChunksAndSkipsThoughtsAndFiles()
    {
        var progress = new List<DifyProgress>();

        var result = await ReadAsync("agent-chat.sse", progress: progress);

        result.Text.ShouldBe("I have created a snowy picture.");
        progress.Select(p => p.Delta).ShouldBe(["I have created ", "a snowy picture."]);
    }

    [Test]
    public async Task SkipsPingsWorkflowNodeTtsAndUnknownEvents()
    {
        var result = await ReadAsync("chatflow-with-other-events.sse", bytesPerRead: 5);

        result.Text.ShouldBe("Hello, world");
        result.Completed.ShouldBeTrue();
        result.Usage.ShouldBe(new DifyUsage(5, 7, 12));
        result.MalformedFrames.ShouldBe(0);
    }

    [Test]
    public async Task ReplacesTheAnswerSoFarOnMessageReplace()
    {
        var progress = new List<DifyProgress>();

        var result = await ReadAsync("message-replace.sse", progress: progress);

        result.Text.ShouldBe("Sorry, I can't answer that.");
        progress.Select(p => (p.AnswerSoFar, p.Delta, p.Replaced)).ShouldBe([
            ("Something a moderation ", "Something a moderation ", false),
            ("Something a moderation rule catches", "rule catches", false),
            ("Sorry, I can't answer that.", "", true),
        ]);
    }

    [Test]
    public async Task ReportsProgressAsTheWholeAnswerSoFar()
    {
        var progress = new List<DifyProgress>();

        await ReadAsync("chat-raw-utf8.sse", progress: progress);

        progress.Select(p => p.AnswerSoFar).ShouldBe(["你好，", "你好，冬天 ❄️ 来了 😀", "你好，冬天 ❄️ 来了 😀！"]);
    }

    [Test]
    public async Task StopsAtAnErrorEventAndReturnsItsStatusCodeAndMessage()
    {
        var result = await ReadAsync("error-event.sse");

        result.Completed.ShouldBeFalse();
        result.Error.ShouldNotBeNull();
        result.Error.Status.ShouldBe(400);
        result.Error.Code.ShouldBe("completion_request_error");
        result.Error.Message.ShouldBe("[openai] Error: Connection error.");
        result.Text.ShouldBe("Half an ");
    }

    [Test]
    public async Task ReturnsAnIncompleteResultWhenTheStreamEndsBeforeMessageEnd()
    {
        var result = await ReadAsync("ended-without-message-end.sse");

        result.Completed.ShouldBeFalse();
        result.Error.ShouldBeNull();
        result.Text.ShouldBe("An answer whose last frame never came");
        result.MalformedFrames.ShouldBe(1);
    }

    [Test]
    public async Task ReadsTheFrameRightAfterAPingAsTheEventItsJsonNames()
    {
        // SseParser keeps "ping" as the event type of the next data frame; the JSON's own name must win.
        var text = "event: ping\n\n"
            + "data: {\"event\":\"message\",\"conversation_id\":\"c1\",\"answer\":\"after ping\"}\n\n"
            + "event: ping\n\n"
            + "data: {\"event\":\"message_end\",\"conversation_id\":\"c1\",\"message_id\":\"m1\"}\n\n";

        var result = await DifyStreamReader.ReadAsync(new TrickleStream(Encoding.UTF8.GetBytes(text)), null, CancellationToken.None);

        result.Text.ShouldBe("after ping");
        result.Completed.ShouldBeTrue();
    }

    [Test]
    public async Task AcceptsCarriageReturnLineFeedsAndCommentLines()
    {
        var text = ": keep-alive comment\r\n\r\n"
            + "data: {\"event\":\"message\",\"conversation_id\":\"c1\",\"answer\":\"a\"}\r\n\r\n"
            + "data: {\"event\":\"message_end\",\"conversation_id\":\"c1\",\"message_id\":\"m1\"}\r\n\r\n";

        var result = await DifyStreamReader.ReadAsync(new TrickleStream(Encoding.UTF8.GetBytes(text)), null, CancellationToken.None);

        result.Text.ShouldBe("a");
        result.MessageId.ShouldBe("m1");
        result.Completed.ShouldBeTrue();
    }

    [Test]
    public async Task StopsReadingAtMessageEnd()
    {
        var stream = new TrickleStream(Fixture("chatflow-with-other-events.sse"), bytesPerRead: 16);

        await DifyStreamReader.ReadAsync(stream, null, CancellationToken.None);

        stream.Position.ShouldBeLessThan(stream.Length, "the tts_message_end after message_end is never read");
    }
}
