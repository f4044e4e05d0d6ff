using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WinterAI.Domain;
using WinterAI.Domain.Channels.WeCom;
using WinterAI.Domain.Storage;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.WeCom;

/// <summary>
/// The WeCom outbox's claim on a reply is a lease while the send runs and a lasting mark once WeCom took it: on a fake
/// clock, the real outbox as AddWeCom registers it, WeCom's API played by a real in-test server.
/// </summary>
public sealed class WeComOutboxTests
{
    private static readonly WeComApp App = WeComApp.Default;
    private readonly Follower member = new(App.Account, "zhangsan");
    private FakeTimeProvider time = null!;
    private InMemoryStateStore store = null!;
    private FakeWeComApi api = null!;
    private ServiceProvider services = null!;
    private WeComOutbox outbox = null!;
    private string claimKey = null!;

    [SetUp]
    public async Task ComposeAsync()
    {
        time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        store = new InMemoryStateStore(time);
        api = await FakeWeComApi.StartAsync(App.CorpId, App.Secret);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(App.Configuration(api.BaseUrl));
        builder.Services.AddSingleton<TimeProvider>(time).AddSingleton<IStateStore>(store);
        builder.AddStateStore().AddWeCom();
        services = builder.Services.BuildServiceProvider();
        outbox = services.GetRequiredService<WeComOutbox>();
        claimKey = services.GetRequiredService<StoreKeys>().Replied(member, "msg-1");
    }

    [TearDown]
    public async Task StopAsync()
    {
        await services.DisposeAsync();
        await api.DisposeAsync();
    }

    [Test]
    public async Task AClaimLeftByAnInstanceThatDiedMidSendLapsesWithinOneLease()
    {
        (await store.SetIfAbsentAsync(claimKey, "dead-instance:reply:1", StoreLease.Duration)).ShouldBeTrue();

        await outbox.ReplyAsync(member, "msg-1", "while the dead claim holds", CancellationToken.None);
        time.Advance(StoreLease.Duration);
        await outbox.ReplyAsync(member, "msg-1", "once it lapsed", CancellationToken.None);
        await api.WaitForSendsAsync(1);
        await outbox.StopAsync(CancellationToken.None);

        api.Sent.Select(s => s.Content).ShouldBe(["once it lapsed"]);
        (await store.GetAsync(claimKey)).ShouldBe(WeComOutbox.SentMark);
    }

    [Test]
    public async Task ASentReplyStaysMarkedLongAfterTheLeaseSoLaterDeliveriesSendNothing()
    {
        await outbox.ReplyAsync(member, "msg-1", "the reply", CancellationToken.None);
        await api.WaitForSendsAsync(1);
        await Poll.UntilAsync(async () => await store.GetAsync(claimKey) == WeComOutbox.SentMark, "the claim became the sent mark");

        time.Advance(StoreLease.Duration * 6);
        await outbox.ReplyAsync(member, "msg-1", "the reply again", CancellationToken.None);
        await outbox.StopAsync(CancellationToken.None);

        api.Sent.Select(s => s.Content).ShouldBe(["the reply"]);
    }

    [Test]
    public async Task AReplyWeComRefusedLeavesNoClaimSoTheMessagesNextDeliverySendsIt()
    {
        api.Script(81013);

        await outbox.ReplyAsync(member, "msg-1", "the reply", CancellationToken.None);
        await Poll.UntilAsync(() => Task.FromResult(api.Attempts.Count == 1), "WeCom refused the first send");
        await Poll.UntilAsync(async () => await store.GetAsync(claimKey) is null, "the claim was handed back");
        await outbox.ReplyAsync(member, "msg-1", "the reply", CancellationToken.None);
        await api.WaitForSendsAsync(1);

        api.Attempts.Select(s => s.Accepted).ShouldBe([false, true]);
    }
}
