using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WinterAI.Domain;
using WinterAI.Domain.Channels.ChatPage;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Web.Controllers;

/// <summary>
/// The answer so far lives in the shared store while Dify writes it: another instance reads it growing, and the chat
/// page opened on that other instance shows it before the answer is whole.
/// </summary>
public sealed class ChatLiveAnswerTests
{
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private RedisServer redis = null!;
    private FakeDifyServer dify = null!;
    private TaskCompletionSource secondChunk = null!;

    [SetUp]
    public async Task StartAsync()
    {
        redis = await TestRedis.StartAsync();
        dify = await FakeDifyServer.StartAsync();
        secondChunk = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        dify.ChunkCount = 3;
        dify.Answer = _ => "First paragraph.\n\nSecond paragraph, written later.";
        dify.BeforeChunk = async (_, index, ct) =>
        {
            if (index == 1)
            {
                await secondChunk.Task.WaitAsync(ct);
            }
        };
    }

    [TearDown]
    public async Task StopAsync()
    {
        secondChunk.TrySetResult();
        await dify.DisposeAsync();
        await redis.DisposeAsync();
    }

    private Dictionary<string, string?> Configuration()
    {
        var configuration = WinterAIHost.QuickReplies();
        foreach (var (key, value) in Account.Configuration())
        {
            configuration[key] = value;
        }

        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        configuration["Chat:PublicBaseUrl"] = "https://bot.example.com";
        configuration["Chat:SigningKey"] = ChatControllerTests.SigningKey;
        configuration["Redis:Configuration"] = redis.ConnectionString;
        return configuration;
    }

    [Test]
    public async Task AnAnswerBeingWrittenOnOneInstanceIsReadGrowingOnAnotherAndOnItsChatPage()
    {
        await using var a = new WinterAIHost(Configuration());
        await using var b = new WinterAIHost(Configuration());
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        var follower = new Follower(Account.AppId, "o-live");
        const long msgId = 4242;
        var partials = b.Services.GetRequiredService<PartialAnswers>();
        var page = new ChatPageClient(clientB, b.Services.GetRequiredService<ChatLinkSigner>().Sign(follower));

        var asked = new FakeWeChat(clientA, Account).SendTextAsync(follower.Id, "tell me", msgId);
        await Poll.UntilAsync(async () => await partials.GetAsync(follower, msgId.ToString(), CancellationToken.None) is { Text.Length: > 0 }, "the first part is in the store");
        var whileWriting = await partials.GetAsync(follower, msgId.ToString(), CancellationToken.None);
        var pageWhileWriting = await PendingTurnAsync(page);
        secondChunk.SetResult();
        await asked;
        await Poll.UntilAsync(async () => await partials.GetAsync(follower, msgId.ToString(), CancellationToken.None) is { Finished: true }, "the answer is finished");
        var finished = await partials.GetAsync(follower, msgId.ToString(), CancellationToken.None);

        whileWriting!.Finished.ShouldBeFalse();
        "First paragraph.\n\nSecond paragraph, written later.".ShouldStartWith(whileWriting.Text);
        whileWriting.Text.Length.ShouldBeLessThan("First paragraph.\n\nSecond paragraph, written later.".Length);
        pageWhileWriting.GetProperty("answer").ValueKind.ShouldBe(JsonValueKind.Null);
        pageWhileWriting.GetProperty("partial").GetString().ShouldBe(whileWriting.Text);
        finished.ShouldBe(new PartialAnswer("First paragraph.\n\nSecond paragraph, written later.", true));
        dify.ChatCallCount.ShouldBe(1);
    }

    private static async Task<JsonElement> PendingTurnAsync(ChatPageClient page)
    {
        using var response = await page.SendAsync(HttpMethod.Get, "/chat/history");
        var history = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return history.GetProperty("turns").EnumerateArray().Single();
    }
}
