using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WinterAI.Domain;
using WinterAI.Domain.Channels.OfficialAccount;
using WinterAI.Domain.Turns;

namespace WinterAI.Tests.Channels.OfficialAccount;

public sealed class CustomerServicePusherTests
{
    private const string MessageKey = "24681357";
    private FakeWeChatApi platform = null!;
    private ServiceProvider services = null!;
    private Follower follower = null!;

    [SetUp]
    public async Task StartAsync()
    {
        platform = new FakeWeChatApi();
        await platform.StartAsync();
        services = PlatformServices.Create(platform);
        follower = new Follower(platform.AppId, "o-follower");
    }

    [TearDown]
    public async Task StopAsync()
    {
        await services.DisposeAsync();
        await platform.DisposeAsync();
    }

    private CustomerServicePusher Pusher => services.GetRequiredService<CustomerServicePusher>();

    private TurnStore Turns => services.GetRequiredService<TurnStore>();

    private FollowerNotices Notices => services.GetRequiredService<FollowerNotices>();

    private IReadOnlyDictionary<string, long> Metrics => services.GetRequiredService<DeliveryMetrics>().Totals();

    private IReadOnlyList<AnswerPage> Pages(string answer) => services.GetRequiredService<AnswerPaginator>().Paginate(answer);

    private static TurnRecord Answered(string answer) => new(MessageKey, "What is WinterAI?", AskedAtUnixMs: 1, Answer: answer, AnsweredAtUnixMs: 2);

    /// <summary>Paragraphs of about 1.5 KB: each fills most of a page, so the answer takes one page per paragraph.</summary>
    private static string LongAnswer(int paragraphs) =>
        string.Join("\n\n", Enumerable.Range(1, paragraphs).Select(n => $"Part {n}: " + new StringBuilder().Insert(0, $"sentence {n} of the answer. ", 60)));

    [Test]
    public async Task PushesAShortAnswerInOneMessage()
    {
        var pushed = await Pusher.PushAsync(follower, Answered("WinterAI connects WeChat to Dify."), CancellationToken.None);

        pushed.ShouldBeTrue();
        platform.Sent.ShouldBe([(follower.Id, "WinterAI connects WeChat to Dify.")]);
        (await Turns.PagesReadAsync(follower, MessageKey, CancellationToken.None)).ShouldBe(1);
        Metrics["Pushed"].ShouldBe(1);
    }

    [Test]
    public async Task PushesAnAnswerOfAFewPagesWholeWithoutFooters()
    {
        var answer = LongAnswer(3);
        var pages = Pages(answer);

        await Pusher.PushAsync(follower, Answered(answer), CancellationToken.None);

        pages.Count.ShouldBe(3);
        platform.Sent.Select(s => s.Content).ShouldBe(pages.Select(p => p.Body));
        string.Concat(platform.Sent.Select(s => s.Content)).ShouldBe(answer);
        (await Turns.PagesReadAsync(follower, MessageKey, CancellationToken.None)).ShouldBe(3);
    }

    [Test]
    public async Task PushesTheFirstFivePagesOfALongAnswerInOrderAndLeavesTheSixthForOne()
    {
        var answer = LongAnswer(6);
        var pages = Pages(answer);

        var pushed = await Pusher.PushAsync(follower, Answered(answer), CancellationToken.None);

        pages.Count.ShouldBe(6);
        pushed.ShouldBeTrue();
        platform.Sent.Select(s => s.Content).ShouldBe([pages[0].Body, pages[1].Body, pages[2].Body, pages[3].Body, pages[4].Text]);
        platform.Sent.Last().Content.ShouldContain("6/6");
        (await Turns.PagesReadAsync(follower, MessageKey, CancellationToken.None)).ShouldBe(5);
        Metrics["Pushed"].ShouldBe(5);
    }

    [TestCase(45047)]
    [TestCase(48001)]
    [TestCase(45015)]
    public async Task ARefusedPushGivesThePageBackToOneAndLeavesANotice(int errcode)
    {
        platform.FailNextSends(errcode);

        var pushed = await Pusher.PushAsync(follower, Answered(LongAnswer(2)), CancellationToken.None);

        pushed.ShouldBeFalse();
        platform.Sent.ShouldBeEmpty();
        (await Turns.PagesReadAsync(follower, MessageKey, CancellationToken.None)).ShouldBe(0);
        Metrics["PushFallback"].ShouldBe(1);
        Metrics.Keys.ShouldNotContain("Pushed");
        var pushFailed = services.GetRequiredService<IOptionsMonitor<MessagesOptions>>().CurrentValue.PushFailed;
        (await Notices.DeliverWithAsync(follower, "next reply", CancellationToken.None)).ShouldBe($"{pushFailed}\n\nnext reply");
        (await Notices.DeliverWithAsync(follower, "the one after", CancellationToken.None)).ShouldBe("the one after");
    }

    [Test]
    public async Task AnUnreachablePlatformFallsBackToOneLikeARefusal()
    {
        await platform.DisposeAsync();

        var pushed = await Pusher.PushAsync(follower, Answered("short"), CancellationToken.None);

        pushed.ShouldBeFalse();
        (await Turns.PagesReadAsync(follower, MessageKey, CancellationToken.None)).ShouldBe(0);
        (await Notices.DeliverWithAsync(follower, "next reply", CancellationToken.None)).ShouldNotBe("next reply");
    }

    [Test]
    public async Task PushesNothingWhenOneAlreadyHandedOutEveryPage()
    {
        await Turns.TakePageAsync(follower, MessageKey, CancellationToken.None);

        var pushed = await Pusher.PushAsync(follower, Answered("short"), CancellationToken.None);

        pushed.ShouldBeTrue();
        platform.SendAttempts.ShouldBe(0);
        (await Turns.PagesReadAsync(follower, MessageKey, CancellationToken.None)).ShouldBe(1);
    }

    [Test]
    public async Task ShowsTypingAndSwallowsARefusal()
    {
        await Pusher.TypingAsync(follower, CancellationToken.None);
        await platform.DisposeAsync();

        await Should.NotThrowAsync(() => Pusher.TypingAsync(follower, CancellationToken.None));
        platform.Typing.ShouldBe([follower.Id]);
    }

    [Test]
    public async Task HandlesOnlyTheConfiguredAccountWhenPushIsOn()
    {
        await using var pushOff = PlatformServices.Create(platform, change: s => s["WeChat:CustomerServicePush"] = "false");

        var channels = services.GetRequiredService<ChannelDirectory>();
        channels.For(platform.AppId)!.Pusher.ShouldBeSameAs(Pusher);
        channels.For("wx_some_other_account").ShouldBeNull();
        pushOff.GetRequiredService<ChannelDirectory>().For(platform.AppId)!.Pusher.ShouldBeNull();
    }
}
