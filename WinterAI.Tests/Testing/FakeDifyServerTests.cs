using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace WinterAI.Tests.Testing;

public class FakeDifyServerTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    FakeDifyServer server = null!;
    HttpClient http = null!;

    [SetUp]
    public async Task Start()
    {
        server = await FakeDifyServer.StartAsync();
        http = new HttpClient();
    }

    [TearDown]
    public async Task Stop()
    {
        http.Dispose();
        await server.DisposeAsync();
    }

    Task<HttpResponseMessage> ChatAsync(string query, string user = "u1", string conversationId = "") =>
        http.PostAsync($"{server.BaseUrl}/chat-messages", new StringContent(
            JsonSerializer.Serialize(new { inputs = new { }, query, response_mode = "streaming", user, conversation_id = conversationId }),
            Encoding.UTF8, "application/json"));

    [Test]
    public void ListensOnLoopbackWithABaseUrlEndingInV1()
    {
        server.BaseUrl.ShouldStartWith("http://127.0.0.1:");
        server.BaseUrl.ShouldEndWith("/v1");
    }

    [Test]
    public async Task StreamsAnEchoAsPingMessagesAndMessageEnd()
    {
        using var response = await ChatAsync("hi");
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        body.ShouldStartWith("event: ping\n\n");
        body.Split("\"event\":\"message\"").Length.ShouldBeGreaterThan(2);
        body.ShouldContain("\"event\":\"message_end\"");
        body.ShouldContain("\"total_tokens\":");
    }

    [Test]
    public async Task RecordsEachCallWithItsFields()
    {
        http.DefaultRequestHeaders.Authorization = new("Bearer", "app-k");

        using var _ = await ChatAsync("q1", "user-9");

        var call = server.Calls.ShouldHaveSingleItem();
        call.IsChat.ShouldBeTrue();
        call.Path.ShouldBe("/v1/chat-messages");
        call.Authorization.ShouldBe("Bearer app-k");
        call.Query.ShouldBe("q1");
        call.User.ShouldBe("user-9");
        call.ConversationId.ShouldBeNull();
        call.ResponseMode.ShouldBe("streaming");
        server.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task AnswersAnUnknownConversationWithDifysExact404()
    {
        using var response = await ChatAsync("q", conversationId: "4b3a0000-0000-4000-8000-000000000000");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync())
            .ShouldBe("""{"code":"not_found","message":"Conversation Not Exists.","status":404}""");
    }

    [Test]
    public async Task ForgetsAConversationItDeletes()
    {
        var conversation = server.CreateConversation("u1");
        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"{server.BaseUrl}/conversations/{conversation}")
        {
            Content = JsonContent.Create(new { user = "u1" }),
        };

        using var deleted = await http.SendAsync(delete);
        using var again = await ChatAsync("q", "u1", conversation);

        deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        again.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        server.Conversations.ShouldBeEmpty();
    }

    [Test]
    public async Task HoldsAnswersUntilTheGateOpens()
    {
        server.Gate = new TaskCompletionSource();

        var pending = ChatAsync("q");
        await server.WaitForCallsAsync(1, Patience);
        pending.IsCompleted.ShouldBeFalse();
        server.Gate.SetResult();

        using var response = await pending.WaitAsync(Patience);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Test]
    public async Task LetsAScriptFailSomeCallsAndAnswerTheRestAsDify()
    {
        server.Behaviour = (call, context) => server.ChatCallCount == 1
            ? FakeDifySse.ErrorAsync(context, 500, "internal_server_error", "boom")
            : server.RespondAsDifyAsync(call, context);

        using var first = await ChatAsync("q");
        using var second = await ChatAsync("q");

        first.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Test]
    public async Task FailsWaitingForCallsThatNeverCome()
    {
        var ex = await Should.ThrowAsync<TimeoutException>(() => server.WaitForCallsAsync(1, TimeSpan.FromMilliseconds(50)));

        ex.Message.ShouldContain("0 call(s)");
    }

    [Test]
    public async Task RefusesAWrongKeyWhenOneIsRequired()
    {
        server.RequiredApiKey = "app-right";
        http.DefaultRequestHeaders.Authorization = new("Bearer", "app-wrong");

        using var response = await ChatAsync("q");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task StopsPromptlyWhileAnswersAreHeld()
    {
        server.Gate = new TaskCompletionSource();
        var pending = ChatAsync("q");
        await server.WaitForCallsAsync(1, Patience);

        await server.DisposeAsync().AsTask().WaitAsync(Patience);

        await pending.ContinueWith(static _ => { }, TaskScheduler.Default).WaitAsync(Patience);
    }
}
