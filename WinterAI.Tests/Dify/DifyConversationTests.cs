using WinterAI.Domain.Dify;

namespace WinterAI.Tests.Dify;

public class DifyConversationTests
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
    public async Task RetriesOnceWithoutTheConversationIdWhenDifyNoLongerKnowsIt()
    {
        var answer = await host.AskAsync("q", "user-1", conversationId: "7c6f0d0e-0000-4000-8000-000000000000");

        answer.Text.ShouldBe("echo: q");
        answer.ConversationId.ShouldNotBe("7c6f0d0e-0000-4000-8000-000000000000");
        server.Conversations.GetValueOrDefault(answer.ConversationId).ShouldBe("user-1");
        var calls = server.Calls;
        calls.Count.ShouldBe(2);
        calls[0].ConversationId.ShouldBe("7c6f0d0e-0000-4000-8000-000000000000");
        calls[1].ConversationId.ShouldBeNull();
        host.Recorder.Sum("winterai.dify.retries").ShouldBe(0);
    }

    [Test]
    public async Task RetriesAMissingConversationOnlyOnce()
    {
        server.Behaviour = (_, context) => FakeDifySse.ErrorAsync(context, 404, "not_found", "Conversation Not Exists.");

        var ex = await Should.ThrowAsync<DifyException>(() => host.AskAsync("q", conversationId: "gone"));

        ex.Failure.ShouldBe(DifyFailure.Rejected);
        ex.HttpStatus.ShouldBe(404);
        server.ChatCallCount.ShouldBe(2);
    }

    [Test]
    public async Task TreatsAnotherUsersConversationAsMissing()
    {
        var theirs = server.CreateConversation("someone-else");

        var answer = await host.AskAsync("q", "user-1", conversationId: theirs);

        answer.ConversationId.ShouldNotBe(theirs);
        server.ChatCallCount.ShouldBe(2);
    }

    [Test]
    public async Task DeletesAConversationWithTheUserInTheBody()
    {
        var conversation = server.CreateConversation("user-1");

        await host.Client.DeleteConversationAsync(conversation, "user-1", CancellationToken.None);

        server.Conversations.ContainsKey(conversation).ShouldBeFalse();
        var call = server.Calls.ShouldHaveSingleItem();
        call.Method.ShouldBe("DELETE");
        call.Path.ShouldBe($"/v1/conversations/{conversation}");
        call.User.ShouldBe("user-1");
        call.Authorization.ShouldBe($"Bearer {DifyTestHost.ApiKey}");
    }

    [Test]
    public async Task StartsANewConversationAfterDeletingTheOldOne()
    {
        var first = await host.AskAsync("q", "user-1");
        await host.Client.DeleteConversationAsync(first.ConversationId, "user-1", CancellationToken.None);

        var next = await host.AskAsync("again", "user-1", first.ConversationId);

        next.ConversationId.ShouldNotBe(first.ConversationId);
    }

    [Test]
    public async Task CountsDeletingAConversationDifyDoesNotKnowAsDone()
    {
        await host.Client.DeleteConversationAsync("never-existed", "user-1", CancellationToken.None);

        server.Calls.ShouldHaveSingleItem().IsDeleteConversation.ShouldBeTrue();
    }

    [Test]
    public async Task FailsToDeleteWhenDifyRefusesTheKey()
    {
        server.RequiredApiKey = "app-other";

        var ex = await Should.ThrowAsync<DifyException>(() =>
            host.Client.DeleteConversationAsync("c1", "user-1", CancellationToken.None));

        ex.Failure.ShouldBe(DifyFailure.Misconfigured);
        ex.HttpStatus.ShouldBe(401);
    }

    [Test]
    public async Task RetriesADeleteThatHitA500()
    {
        var conversation = server.CreateConversation("user-1");
        server.Behaviour = (call, context) => server.Calls.Count == 1
            ? FakeDifySse.ErrorAsync(context, 500, "internal_server_error", "boom")
            : server.RespondAsDifyAsync(call, context);

        await host.Client.DeleteConversationAsync(conversation, "user-1", CancellationToken.None);

        server.Calls.Count.ShouldBe(2);
        server.Conversations.ContainsKey(conversation).ShouldBeFalse();
    }

    [Test]
    public async Task RefusesToDeleteWithoutAKeyAndWithoutCallingDify()
    {
        using var unconfigured = DifyTestHost.For(server, ("ApiKey", " "));

        var ex = await Should.ThrowAsync<DifyException>(() =>
            unconfigured.Client.DeleteConversationAsync("c1", "user-1", CancellationToken.None));

        ex.Failure.ShouldBe(DifyFailure.NotConfigured);
        server.Calls.ShouldBeEmpty();
    }
}
