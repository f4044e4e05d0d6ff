using Microsoft.Extensions.Options;
using WinterAI.Domain;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;

namespace WinterAI.Tests.Turns;

/// <summary>A follower's input values live as long as the conversation: the same sliding TTL, refreshed when read.</summary>
public sealed class FollowerInputStoreTests
{
    private static readonly Follower Follower = new("gh_account", "o-inputs");
    private static readonly StoreKeys Keys = new("winterai:");
    private static readonly TimeSpan Ttl = TimeSpan.FromDays(7);
    private FakeTimeProvider time = null!;
    private InMemoryStateStore store = null!;
    private FollowerInputStore inputs = null!;

    [SetUp]
    public void Create()
    {
        time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        store = new InMemoryStateStore(time);
        inputs = new FollowerInputStore(store, Keys, Options.Create(new RedisOptions { ConversationTtl = Ttl }));
    }

    private static FollowerInputValues Company(string name) => new(new Dictionary<string, string> { ["company"] = name });

    [Test]
    public async Task ValuesExpireWithTheConversationTtl()
    {
        await inputs.SaveAsync(Follower, Company("甲"), CancellationToken.None);

        time.Advance(Ttl + TimeSpan.FromSeconds(1));

        (await inputs.GetAsync(Follower, CancellationToken.None)).IsEmpty.ShouldBeTrue();
    }

    [Test]
    public async Task ReadingValuesStartsTheirTtlAgain()
    {
        await inputs.SaveAsync(Follower, Company("甲"), CancellationToken.None);
        time.Advance(Ttl - TimeSpan.FromHours(1));
        await inputs.GetAsync(Follower, CancellationToken.None);

        time.Advance(TimeSpan.FromDays(2));

        (await inputs.GetAsync(Follower, CancellationToken.None)).Values["company"].ShouldBe("甲");
    }

    [Test]
    public async Task TheyAreKeptUnderTheFollowersHashTag()
    {
        await inputs.SaveAsync(Follower, Company("甲"), CancellationToken.None);

        Keys.Inputs(Follower.Account, Follower.Id).ShouldBe("winterai:{gh_account:o-inputs}:inputs");
        (await store.GetAsync(Keys.Inputs(Follower.Account, Follower.Id))).ShouldNotBeNull();
    }

    [Test]
    public async Task RememberingAMenuKeyKeepsTheValues()
    {
        await inputs.SaveAsync(Follower, Company("甲"), CancellationToken.None);

        await inputs.RememberAsync(Follower, new MessageContext(MenuKey: "law"), CancellationToken.None);

        var kept = await inputs.GetAsync(Follower, CancellationToken.None);
        kept.Values["company"].ShouldBe("甲");
        kept.MenuKey.ShouldBe("law");
    }

    [Test]
    public async Task NothingLeftMeansNoKey()
    {
        await inputs.SaveAsync(Follower, Company("甲"), CancellationToken.None);

        await inputs.SaveAsync(Follower, FollowerInputValues.Empty, CancellationToken.None);

        (await store.GetAsync(Keys.Inputs(Follower.Account, Follower.Id))).ShouldBeNull();
    }
}
