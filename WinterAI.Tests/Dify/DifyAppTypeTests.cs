using System.Text.Json.Nodes;
using WinterAI.Domain.Dify;

namespace WinterAI.Tests.Dify;

/// <summary>Each of Dify's app types on the wire of a real in-test Dify: routes, bodies, events, answers, failures.</summary>
public sealed class DifyAppTypeTests
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

    Task<DifyAnswer> AskAsync(DifyAppType type, string query, Func<DifyProgress, CancellationToken, ValueTask>? onProgress = null) =>
        host.Client.ChatAsync(new DifyChatRequest(query, "user-1", null, Inputs: new Dictionary<string, string> { ["city"] = "杭州" }, AppType: type), onProgress, CancellationToken.None);

    [TestCase("chat", null)]
    [TestCase("agent-chat", DifyAppType.Agent)]
    [TestCase("advanced-chat", DifyAppType.Chatflow)]
    [TestCase("workflow", DifyAppType.Workflow)]
    [TestCase("completion", DifyAppType.Completion)]
    [TestCase("some-future-mode", null)]
    public async Task InfoNamesTheAppsType(string mode, DifyAppType? expected)
    {
        server.Mode = mode;

        var info = await host.Client.GetInfoAsync(CancellationToken.None);

        info.Mode.ShouldBe(mode);
        info.AppType.ShouldBe(mode == "chat" ? DifyAppType.Chat : expected);
    }

    [TestCase("agent-chat", DifyAppType.Agent)]
    [TestCase("advanced-chat", DifyAppType.Chatflow)]
    public async Task AgentAndChatflowAnswersSkipThoughtsAndNodeEventsAndKeepTheConversation(string mode, DifyAppType type)
    {
        server.Mode = mode;
        var grown = new List<string>();

        var answer = await AskAsync(type, "你好", (p, _) =>
        {
            grown.Add(p.AnswerSoFar);
            return ValueTask.CompletedTask;
        });

        answer.Text.ShouldBe("echo: 你好");
        answer.ConversationId.ShouldNotBeNullOrEmpty();
        answer.MessageId.ShouldNotBeNullOrEmpty();
        grown.Count.ShouldBeGreaterThan(1);
        server.Calls.Single().Path.ShouldEndWith("/chat-messages");
    }

    [Test]
    public async Task AWorkflowGetsTheQuestionInItsQueryInputAndAnswersFromItsTextOutput()
    {
        server.Mode = "workflow";
        server.WorkflowOutputs = answer => new JsonObject { ["text"] = $"[{answer}]", ["other"] = 3 };
        var grown = new List<string>();

        var answer = await AskAsync(DifyAppType.Workflow, "今天天气", (p, _) =>
        {
            grown.Add(p.AnswerSoFar);
            return ValueTask.CompletedTask;
        });

        var call = server.Calls.Single();
        call.Path.ShouldEndWith("/workflows/run");
        call.Inputs["query"].ShouldBe("今天天气");
        call.Inputs["city"].ShouldBe("杭州");
        call.RawBody.ShouldContain("\"response_mode\":\"streaming\"");
        call.RawBody.ShouldNotContain("conversation_id");
        answer.Text.ShouldBe("[echo: 今天天气]", "the configured output wins over the streamed text");
        answer.ConversationId.ShouldBe("");
        grown[^1].ShouldBe("echo: 今天天气", "text_chunk events show the answer growing");
    }

    [Test]
    public async Task TheQueryInputAndAnswerOutputAreConfigurable()
    {
        using var configured = DifyTestHost.For(server, ("WorkflowQueryInput", "question"), ("WorkflowAnswerOutput", "result"));
        server.Mode = "workflow";
        server.Behaviour = async (_, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.WorkflowFinished(new JsonObject { ["result"] = "the result", ["text"] = "not this" }));
        };

        var answer = await configured.Client.ChatAsync(new DifyChatRequest("q", "user-1", null, AppType: DifyAppType.Workflow), null, CancellationToken.None);

        server.Calls.Single().Inputs["question"].ShouldBe("q");
        answer.Text.ShouldBe("the result");
    }

    [Test]
    public async Task AWorkflowWithoutTheOutputFallsBackToItsStreamedTextThenItsOnlyTextOutput()
    {
        server.Mode = "workflow";
        server.WorkflowOutputs = _ => new JsonObject { ["answer_text"] = "from the only output" };

        (await AskAsync(DifyAppType.Workflow, "streamed")).Text.ShouldBe("echo: streamed");

        server.Behaviour = async (_, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.WorkflowFinished(new JsonObject { ["answer_text"] = "from the only output", ["score"] = 1 }));
        };
        (await AskAsync(DifyAppType.Workflow, "not streamed")).Text.ShouldBe("from the only output");
    }

    [Test]
    public async Task AWorkflowWithNeitherTheOutputNorTextIsMisconfiguredNamingTheVariable()
    {
        server.Mode = "workflow";
        server.Behaviour = async (_, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.WorkflowFinished(new JsonObject { ["a"] = 1, ["b"] = 2 }));
        };

        var failure = await Should.ThrowAsync<DifyException>(() => AskAsync(DifyAppType.Workflow, "q"));

        failure.Failure.ShouldBe(DifyFailure.Misconfigured);
        failure.Message.ShouldContain("'text'");
        failure.Message.ShouldContain("a, b");
        failure.Message.ShouldContain("Dify:WorkflowAnswerOutput");
    }

    [Test]
    public async Task AFailedWorkflowIsAStreamFailureWithItsError()
    {
        server.Mode = "workflow";
        server.Behaviour = async (_, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.NodeEvent("workflow_started"));
            await FakeDifySse.SendEventAsync(context, FakeDifySse.WorkflowFinished(new JsonObject(), status: "failed", error: "Variable #llm.text# not found"));
        };

        var failure = await Should.ThrowAsync<DifyException>(() => AskAsync(DifyAppType.Workflow, "q"));

        failure.Failure.ShouldBe(DifyFailure.StreamFailed);
        failure.Message.ShouldContain("Variable #llm.text# not found");
    }

    [Test]
    public async Task ACompletionAppGetsTheQuestionInItsInputsAndHasNoConversation()
    {
        server.Mode = "completion";

        var answer = await AskAsync(DifyAppType.Completion, "写一首诗");

        var call = server.Calls.Single();
        call.Path.ShouldEndWith("/completion-messages");
        call.Inputs["query"].ShouldBe("写一首诗");
        answer.Text.ShouldBe("echo: 写一首诗");
        answer.ConversationId.ShouldBe("");
        answer.MessageId.ShouldNotBeNullOrEmpty("completion answers take feedback");
        server.Conversations.ShouldBeEmpty();
    }

    [TestCase(DifyAppType.Chat, "workflow", "not_chat_app")]
    [TestCase(DifyAppType.Workflow, "chat", "not_workflow_app")]
    [TestCase(DifyAppType.Completion, "advanced-chat", "not_completion_app")]
    public async Task AskingTheWrongRouteIsMisconfiguredWithoutRetries(DifyAppType asked, string mode, string code)
    {
        server.Mode = mode;

        var failure = await Should.ThrowAsync<DifyException>(() => AskAsync(asked, "q"));

        failure.Failure.ShouldBe(DifyFailure.Misconfigured);
        failure.Code.ShouldBe(code);
        server.Calls.Count.ShouldBe(1);
    }

    [TestCase(DifyAppType.Workflow, "/workflows/tasks/task-9/stop")]
    [TestCase(DifyAppType.Completion, "/completion-messages/task-9/stop")]
    [TestCase(DifyAppType.Agent, "/chat-messages/task-9/stop")]
    public async Task StoppingUsesTheAppTypesRoute(DifyAppType type, string path)
    {
        await host.Client.StopAsync("task-9", "user-1", type, CancellationToken.None);

        server.Calls.Single().Path.ShouldEndWith(path);
    }

    [Test]
    public async Task WorkflowAnswersRetryA429LikeChatAnswers()
    {
        server.Mode = "workflow";
        var attempts = 0;
        server.Behaviour = (call, context) => Interlocked.Increment(ref attempts) == 1
            ? FakeDifySse.ErrorAsync(context, 429, "too_many_requests", "slow down", retryAfter: "0")
            : server.RespondAsDifyAsync(call, context);

        (await AskAsync(DifyAppType.Workflow, "q")).Text.ShouldBe("echo: q");
        server.ChatCallCount.ShouldBe(2);
    }

    [Test]
    public async Task AnOutputThatIsNotTextIsShownAsJson()
    {
        server.Mode = "workflow";
        server.Behaviour = async (_, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.WorkflowFinished(new JsonObject { ["text"] = new JsonObject { ["temperature"] = 21 } }));
        };

        (await AskAsync(DifyAppType.Workflow, "q")).Text.ShouldBe("""{"temperature":21}""");
    }
}
