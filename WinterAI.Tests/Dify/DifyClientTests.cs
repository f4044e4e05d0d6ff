using System.Text.Json;
using WinterAI.Domain.Dify;

namespace WinterAI.Tests.Dify;

public class DifyClientTests
{
    FakeDifyServer server = null!;
    DifyTestHost host = null!;

    [SetUp]
    public async Task StartFakeDify()
    {
        server = await FakeDifyServer.StartAsync();
        host = DifyTestHost.For(server);
    }

    [TearDown]
    public async Task StopFakeDify()
    {
        host.Dispose();
        await server.DisposeAsync();
    }

    [Test]
    public async Task AnswersAQuestionAndReturnsTheNewConversationId()
    {
        var answer = await host.AskAsync("你好 🌨️", "wx:acct:openid-1");

        answer.Text.ShouldBe("echo: 你好 🌨️");
        server.Conversations.GetValueOrDefault(answer.ConversationId).ShouldBe("wx:acct:openid-1");
        answer.MessageId.ShouldNotBeNullOrEmpty();
    }

    [Test]
    public async Task PostsAStreamingChatMessageWithTheBearerKeyAndNoConversationId()
    {
        await host.AskAsync("hello", "user-7");

        var call = server.Calls.ShouldHaveSingleItem();
        call.Method.ShouldBe("POST");
        call.Path.ShouldBe("/v1/chat-messages");
        call.Authorization.ShouldBe($"Bearer {DifyTestHost.ApiKey}");
        call.Query.ShouldBe("hello");
        call.User.ShouldBe("user-7");
        call.ResponseMode.ShouldBe("streaming");
        call.ConversationId.ShouldBeNull();
        call.AutoGenerateName.ShouldBe(true);
        using var body = JsonDocument.Parse(call.RawBody);
        body.RootElement.GetProperty("inputs").ValueKind.ShouldBe(JsonValueKind.Object);
        body.RootElement.GetProperty("inputs").EnumerateObject().ShouldBeEmpty();
        body.RootElement.GetProperty("conversation_id").GetString().ShouldBe("");
    }

    [Test]
    public async Task ContinuesAConversationDifyKnows()
    {
        var first = await host.AskAsync("one");

        var second = await host.AskAsync("two", conversationId: first.ConversationId);

        second.ConversationId.ShouldBe(first.ConversationId);
        server.Calls[1].ConversationId.ShouldBe(first.ConversationId);
        server.ChatCallCount.ShouldBe(2);
    }

    [Test]
    public async Task ReportsUsageFromMessageEnd()
    {
        var answer = await host.AskAsync("four");

        answer.Usage.ShouldBe(new DifyUsage(4, "echo: four".Length, 4 + "echo: four".Length));
    }

    [Test]
    public async Task ReportsProgressChunkByChunkEndingWithTheWholeAnswer()
    {
        server.Answer = _ => "第一段。第二段。第三段。";
        var progress = new List<DifyProgress>();

        var answer = await host.AskAsync("q", onProgress: (p, _) =>
        {
            progress.Add(p);
            return ValueTask.CompletedTask;
        });

        progress.Count.ShouldBeGreaterThan(1);
        string.Concat(progress.Select(p => p.Delta)).ShouldBe(answer.Text);
        progress[^1].AnswerSoFar.ShouldBe("第一段。第二段。第三段。");
    }

    [Test]
    public async Task ReadsFramesAndCharactersSplitByteByByteAcrossNetworkWrites()
    {
        const string text = "冬天 ❄️ 来了 😀 👩‍👩‍👧 ok";
        server.Behaviour = async (_, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            var frames = "event: ping\n\n"
                + $"data: {FakeDifySse.Message(text[..6], "conv-1")}\n\n"
                + $"data: {FakeDifySse.Message(text[6..], "conv-1")}\n\n"
                + $"data: {FakeDifySse.MessageEnd("conv-1", usage: (1, 2))}\n\n";
            await FakeDifySse.SendRawAsync(context, frames, chunkBytes: 1);
        };

        var answer = await host.AskAsync("q");

        answer.Text.ShouldBe(text);
        answer.ConversationId.ShouldBe("conv-1");
        answer.Usage.ShouldBe(new DifyUsage(1, 2, 3));
    }

    [Test]
    public async Task DecodesUnicodeEscapedJsonFromOlderServers()
    {
        server.Behaviour = async (_, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.Message("你好，世界 😀", "conv-1", escapeNonAscii: true));
            await FakeDifySse.SendEventAsync(context, FakeDifySse.MessageEnd("conv-1"));
        };

        var answer = await host.AskAsync("q");

        answer.Text.ShouldBe("你好，世界 😀");
        answer.Usage.ShouldBeNull();
    }

    [Test]
    public async Task AppendsAgentMessagesAndSkipsPingsAndUnknownEvents()
    {
        server.Behaviour = async (_, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendPingAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.OtherEvent("agent_thought", "conv-1"));
            await FakeDifySse.SendEventAsync(context, FakeDifySse.Message("Snow ", "conv-1", eventName: "agent_message"));
            await FakeDifySse.SendPingAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.OtherEvent("a_future_event", "conv-1"));
            await FakeDifySse.SendEventAsync(context, FakeDifySse.Message("falls.", "conv-1", eventName: "agent_message"));
            await FakeDifySse.SendEventAsync(context, FakeDifySse.OtherEvent("workflow_finished", "conv-1"));
            await FakeDifySse.SendEventAsync(context, FakeDifySse.MessageEnd("conv-1"));
        };

        var answer = await host.AskAsync("q");

        answer.Text.ShouldBe("Snow falls.");
    }

    [Test]
    public async Task ReplacesTheAnswerWhenDifySendsMessageReplace()
    {
        server.Behaviour = async (_, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.Message("something moderation blocks", "conv-1"));
            await FakeDifySse.SendEventAsync(context, FakeDifySse.MessageReplace("This answer was withheld.", "conv-1"));
            await FakeDifySse.SendEventAsync(context, FakeDifySse.MessageEnd("conv-1"));
        };
        var replaced = false;

        var answer = await host.AskAsync("q", onProgress: (p, _) =>
        {
            replaced |= p.Replaced;
            return ValueTask.CompletedTask;
        });

        answer.Text.ShouldBe("This answer was withheld.");
        replaced.ShouldBeTrue();
    }

    [Test]
    public async Task TakesTheConversationIdFromMessageEventsWhenMessageEndLacksIt()
    {
        server.Behaviour = async (_, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.Message("a", "conv-from-message"));
            await FakeDifySse.SendEventAsync(context, """{"event":"message_end","message_id":"m9","metadata":{}}""");
        };

        var answer = await host.AskAsync("q");

        answer.ConversationId.ShouldBe("conv-from-message");
        answer.MessageId.ShouldBe("m9");
    }

    [Test]
    public async Task FailsWithStreamFailedOnAnErrorEventAndDoesNotRetryAStartedStream()
    {
        server.Behaviour = async (_, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.Message("Half an ", "conv-1"));
            await FakeDifySse.SendEventAsync(context, FakeDifySse.ErrorEvent(400, "completion_request_error", "[openai] Error: Connection error."));
        };

        var ex = await Should.ThrowAsync<DifyException>(() => host.AskAsync("q"));

        ex.Failure.ShouldBe(DifyFailure.StreamFailed);
        ex.Code.ShouldBe("completion_request_error");
        ex.HttpStatus.ShouldBe(400);
        ex.Message.ShouldContain("Connection error");
        server.ChatCallCount.ShouldBe(1);
    }

    [TestCase("provider_quota_exceeded", 400, DifyFailure.QuotaExceeded)]
    [TestCase("rate_limit_error", 429, DifyFailure.RateLimited)]
    [TestCase("invalid_param", 400, DifyFailure.StreamFailed)]
    public async Task TypesErrorEventsByTheirCode(string code, int status, DifyFailure expected)
    {
        server.Behaviour = async (_, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.ErrorEvent(status, code, "no"));
        };

        var ex = await Should.ThrowAsync<DifyException>(() => host.AskAsync("q"));

        ex.Failure.ShouldBe(expected);
        server.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task KeepsTheTextOfAStreamThatEndsCleanlyWithoutMessageEnd()
    {
        server.Behaviour = async (_, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.Message("all the text there was", "conv-1"));
        };

        var answer = await host.AskAsync("q");

        answer.Text.ShouldBe("all the text there was");
        answer.ConversationId.ShouldBe("conv-1");
        answer.Usage.ShouldBeNull();
        host.Recorder.Count("winterai.dify.duration", "outcome", "incomplete").ShouldBe(1);
    }

    [Test]
    public async Task FailsWithStreamFailedWhenTheStreamEndsWithoutAnyAnswer()
    {
        server.Behaviour = async (_, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendPingAsync(context);
        };

        var ex = await Should.ThrowAsync<DifyException>(() => host.AskAsync("q"));

        ex.Failure.ShouldBe(DifyFailure.StreamFailed);
        server.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task FailsWithStreamFailedWhenTheConnectionBreaksMidStream()
    {
        var chunkArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Behaviour = async (_, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.Message("partial ", "conv-1"));
            await chunkArrived.Task.WaitAsync(context.RequestAborted);
            context.Abort();
        };

        var ex = await Should.ThrowAsync<DifyException>(() => host.AskAsync("q", onProgress: (_, _) =>
        {
            chunkArrived.TrySetResult();
            return ValueTask.CompletedTask;
        }));

        ex.Failure.ShouldBe(DifyFailure.StreamFailed);
        server.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task FailsWithNotConfiguredWithoutAnyHttpCallWhenTheKeyIsEmpty()
    {
        using var unconfigured = DifyTestHost.For(server, ("ApiKey", ""));

        var ex = await Should.ThrowAsync<DifyException>(() => unconfigured.AskAsync("q"));

        ex.Failure.ShouldBe(DifyFailure.NotConfigured);
        ex.Message.ShouldContain("Dify:ApiKey");
        server.Calls.ShouldBeEmpty();
        unconfigured.Recorder.Count("winterai.dify.failures", "failure", "not_configured").ShouldBe(1);
    }

    [Test]
    public async Task RejectsWithoutRetryingWhenDifyRefusesTheKey()
    {
        server.RequiredApiKey = "app-the-right-one";

        var ex = await Should.ThrowAsync<DifyException>(() => host.AskAsync("q"));

        ex.Failure.ShouldBe(DifyFailure.Misconfigured);
        ex.HttpStatus.ShouldBe(401);
        ex.Code.ShouldBe("unauthorized");
        server.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task NeverPutsTheApiKeyIntoExceptionMessagesEvenWhenDifyEchoesIt()
    {
        server.Behaviour = (call, context) =>
            FakeDifySse.ErrorAsync(context, 401, "unauthorized", $"Access token is invalid: {call.Authorization}");

        var ex = await Should.ThrowAsync<DifyException>(() => host.AskAsync("q"));

        ex.ToString().ShouldNotContain(DifyTestHost.ApiKey);
        ex.Message.ShouldContain("Access token is invalid");
    }

    [Test]
    public async Task NeverPutsTheApiKeyIntoStreamErrorMessages()
    {
        server.Behaviour = async (call, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.ErrorEvent(500, "internal", $"key {call.Authorization} failed"));
        };

        var ex = await Should.ThrowAsync<DifyException>(() => host.AskAsync("q"));

        ex.ToString().ShouldNotContain(DifyTestHost.ApiKey);
    }

    [Test]
    public async Task NeverWritesTheApiKeyToTheLogs()
    {
        server.Behaviour = async (call, context) =>
        {
            if (server.ChatCallCount == 1)
            {
                await FakeDifySse.ErrorAsync(context, 500, "internal_server_error", $"{call.Authorization} broke");
                return;
            }

            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.ErrorEvent(400, "invalid_param", $"bad {call.Authorization}"));
        };

        await Should.ThrowAsync<DifyException>(() => host.AskAsync("q", conversationId: "c-1"));
        using var unreachable = DifyTestHost.For("http://127.0.0.1:1/v1", ("MaxRetries", "1"));
        await Should.ThrowAsync<DifyException>(() => unreachable.AskAsync("q"));

        host.Logs.Lines.ShouldNotBeEmpty();
        host.Logs.Lines.ShouldAllBe(line => !line.Contains(DifyTestHost.ApiKey));
        unreachable.Logs.Lines.ShouldNotBeEmpty();
        unreachable.Logs.Lines.ShouldAllBe(line => !line.Contains(DifyTestHost.ApiKey));
    }

    [TestCase(400, "provider_quota_exceeded", DifyFailure.QuotaExceeded)]
    [TestCase(400, "invalid_param", DifyFailure.Rejected)]
    [TestCase(400, "model_currently_not_support", DifyFailure.Rejected)]
    [TestCase(400, "app_unavailable", DifyFailure.Unavailable)]
    [TestCase(400, "provider_not_initialize", DifyFailure.Unavailable)]
    [TestCase(403, "forbidden", DifyFailure.Rejected)]
    [TestCase(400, "not_chat_app", DifyFailure.Misconfigured)]
    [TestCase(400, "not_workflow_app", DifyFailure.Misconfigured)]
    [TestCase(404, "not_found", DifyFailure.Rejected)]
    public async Task TypesHttpErrorsWithoutRetryingThem(int status, string code, DifyFailure expected)
    {
        server.Behaviour = (_, context) => FakeDifySse.ErrorAsync(context, status, code, "nope");

        var ex = await Should.ThrowAsync<DifyException>(() => host.AskAsync("q"));

        ex.Failure.ShouldBe(expected);
        ex.HttpStatus.ShouldBe(status);
        ex.Code.ShouldBe(code);
        server.ChatCallCount.ShouldBe(1);
        host.Recorder.Count("winterai.dify.failures", "failure", DifyErrors.TagValue(expected)).ShouldBe(1);
    }

    [Test]
    public async Task SurfacesTheCallersCancellationAsOperationCanceled()
    {
        server.Gate = new TaskCompletionSource();
        using var cts = new CancellationTokenSource();

        var turn = host.AskAsync("q", ct: cts.Token);
        await server.WaitForCallsAsync(1, TimeSpan.FromSeconds(10));
        await cts.CancelAsync();

        var ex = await Should.ThrowAsync<OperationCanceledException>(() => turn);
        ex.ShouldNotBeOfType<DifyException>();
        host.Recorder.Count("winterai.dify.duration", "outcome", "canceled").ShouldBe(1);
    }

    [Test]
    public async Task SurfacesTheCallersCancellationWhileStreamingAsOperationCanceled()
    {
        var streaming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Behaviour = async (_, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.Message("start", "conv-1"));
            await FakeDifySse.StaySilentAsync(context);
        };
        using var cts = new CancellationTokenSource();

        var turn = host.AskAsync("q", onProgress: (_, _) =>
        {
            streaming.TrySetResult();
            return ValueTask.CompletedTask;
        }, ct: cts.Token);
        await streaming.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => turn);
    }

    [Test]
    public async Task RecordsTheDurationOfASuccessfulTurn()
    {
        await host.AskAsync("q");

        host.Recorder.Count("winterai.dify.duration", "outcome", "success").ShouldBe(1);
        host.Recorder.Sum("winterai.dify.duration").ShouldBeGreaterThan(0);
    }
}
