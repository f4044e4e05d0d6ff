using Microsoft.Extensions.DependencyInjection;
using WinterAI.Domain.Storage;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Turns;

/// <summary>
/// A verified service account (<c>WeChat:CustomerServicePush</c>): answers that miss the last delivery are pushed
/// through a fake of WeChat's API, and refused pushes fall back to <c>1</c> with a notice.
/// </summary>
public sealed class PushScenarioTests
{
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private FakeDifyServer dify = null!;
    private FakeWeChatApi platform = null!;
    private WinterAIHost host = null!;
    private FakeWeChat weChat = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        platform = new FakeWeChatApi(Account.AppId);
        await platform.StartAsync();
        host = new WinterAIHost(new Dictionary<string, string?>(Account.Configuration())
        {
            ["WeChat:ReplyWindow"] = "00:00:01",
            ["WeChat:HoldLimit"] = "00:00:05",
            ["WeChat:CustomerServicePush"] = "true",
            ["WeChat:AppSecret"] = platform.AppSecret,
            ["WeChat:ApiBaseUrl"] = platform.BaseUrl,
            ["Dify:BaseUrl"] = dify.BaseUrl,
            ["Dify:ApiKey"] = "app-test-key",
        });
        weChat = new FakeWeChat(host.CreateClient(), Account) { Timeout = TimeSpan.FromSeconds(2) };
    }

    [TearDown]
    public async Task StopAsync()
    {
        dify.Gate?.TrySetResult();
        await host.DisposeAsync();
        await platform.DisposeAsync();
        await dify.DisposeAsync();
    }

    /// <summary>Dify answers only after all three deliveries are over (and after <paramref name="meanwhile"/>).</summary>
    private async Task<IReadOnlyList<WeChatDelivery>> AskSlowlyAsync(string openId, string question, Action? meanwhile = null)
    {
        dify.Gate = new TaskCompletionSource();
        var deliveries = await weChat.SendTextAsync(openId, question);
        meanwhile?.Invoke();
        dify.Gate.SetResult();
        return deliveries;
    }

    [Test]
    public async Task RepliesSuccessOnTheLastDeliveryAndPushesTheAnswerWithTheTypingIndicator()
    {
        var deliveries = await AskSlowlyAsync("o-push", "push it");
        var sent = await platform.WaitForSendsAsync(1, Patience);

        deliveries.Count.ShouldBe(3);
        deliveries[2].IsSilentSuccess.ShouldBeTrue();
        sent.ShouldBe([("o-push", "echo: push it")]);
        platform.Typing.ShouldContain("o-push");
        dify.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task RefreshesARejectedAccessTokenOnceAndStillPushes()
    {
        await AskSlowlyAsync("o-40001", "token trouble", meanwhile: () => platform.InvalidateTokens());
        var sent = await platform.WaitForSendsAsync(1, Patience);

        sent.ShouldBe([("o-40001", "echo: token trouble")]);
        platform.TokenFetches.ShouldBe(2);
    }

    [Test]
    public async Task ARefusedPushFallsBackToFetchAndTheFollowerIsToldWithTheNextReply()
    {
        platform.FailNextSends(45047);

        await AskSlowlyAsync("o-45047", "over quota");
        // The refused page goes back to 1 and the notice is left after the attempt returns: wait for the notice, the
        // last of the two, or a quick `1` can overtake them.
        var store = host.Services.GetRequiredService<IStateStore>();
        var keys = host.Services.GetRequiredService<StoreKeys>();
        await Poll.UntilAsync(async () => await store.GetAsync(keys.Notice(Account.AppId, "o-45047")) is not null, "the refused push fell back to 1");
        var next = FakeWeChat.Shown(await weChat.SendTextAsync("o-45047", "1"));

        platform.Sent.ShouldBeEmpty();
        next.ShouldNotBeNull();
        next.ShouldStartWith("（上一条回答未能直接发送给你，发送 1 即可查看。）");
        next.ShouldEndWith("over quota\n——————\necho: over quota");
        FakeWeChat.Shown(await weChat.SendTextAsync("o-45047", "/help"))!.ShouldNotContain("未能直接发送");
    }
}
