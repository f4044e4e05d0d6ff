using WinterAI.Domain.Dify;

namespace WinterAI.Tests.Dify;

/// <summary><c>GET /messages/{id}/suggested</c> and <c>POST /messages/{id}/feedbacks</c> on the wire of a real in-test Dify.</summary>
public sealed class DifyFollowUpTests
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

    async Task<string> AnswerAsync(string user) =>
        (await host.Client.ChatAsync(new DifyChatRequest("你好", user, null), null, CancellationToken.None)).MessageId!;

    [Test]
    public async Task SuggestedQuestionsAreReadFromTheDataArrayWithTheUserInTheQuery()
    {
        server.SuggestQuestions(true);
        server.Suggestions = _ => ["第一个？", " ", "第二个？"];
        var messageId = await AnswerAsync("user-1");

        var questions = await host.Client.GetSuggestedQuestionsAsync(messageId, "user-1", CancellationToken.None);

        questions.ShouldBe(["第一个？", "第二个？"]);
        var call = server.Calls.Last();
        call.Method.ShouldBe("GET");
        call.Path.ShouldBe($"/v1/messages/{messageId}/suggested");
        call.Authorization.ShouldBe($"Bearer {DifyTestHost.ApiKey}");
    }

    [Test]
    public async Task SuggestedQuestionsTheAppHasSwitchedOffAreARejectedFailure()
    {
        var messageId = await AnswerAsync("user-1");

        var failure = await Should.ThrowAsync<DifyException>(() => host.Client.GetSuggestedQuestionsAsync(messageId, "user-1", CancellationToken.None));

        failure.HttpStatus.ShouldBe(400);
        failure.Failure.ShouldBe(DifyFailure.Rejected);
    }

    [Test]
    public async Task FeedbackCarriesTheRatingAndTheUser()
    {
        var messageId = await AnswerAsync("user-2");

        await host.Client.FeedbackAsync(messageId, "dislike", "user-2", CancellationToken.None);

        server.Feedbacks.ShouldBe([new FakeDifyFeedback(messageId, "dislike", "user-2")]);
    }

    [Test]
    public async Task FeedbackOnAMessageDifyDoesNotKnowIsA404Failure()
    {
        var failure = await Should.ThrowAsync<DifyException>(() => host.Client.FeedbackAsync("no-such-message", "like", "user-2", CancellationToken.None));

        failure.HttpStatus.ShouldBe(404);
        failure.Code.ShouldBe("not_found");
        server.Feedbacks.ShouldBeEmpty();
    }
}
