using Microsoft.Extensions.Options;
using WinterAI.Domain;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;

namespace WinterAI.Tests.Turns;

/// <summary>Conversations kept before keys carried hash tags survive the upgrade: moved on first touch.</summary>
public sealed class ConversationStoreTests
{
    private static readonly Follower Follower = new("gh_account", "o-before");
    private static readonly StoreKeys Keys = new("winterai:");
    private InMemoryStateStore store = null!;
    private ConversationStore conversations = null!;

    [SetUp]
    public void Create()
    {
        store = new InMemoryStateStore(new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        conversations = new ConversationStore(store, Keys, Options.Create(new RedisOptions()));
    }

    [Test]
    public async Task AConversationUnderTheOldKeyIsFoundAndMovedToTheNewOne()
    {
        await store.SetAsync("winterai:gh_account:conv:o-before", "conv-1", TimeSpan.FromDays(7));

        var found = await conversations.GetAsync(Follower, CancellationToken.None);

        found.ShouldBe("conv-1");
        (await store.GetAsync(Keys.Conversation(Follower.Account, Follower.Id))).ShouldBe("conv-1");
        (await store.GetAsync("winterai:gh_account:conv:o-before")).ShouldBeNull();
    }

    [Test]
    public async Task ClearingForgetsAConversationStillUnderTheOldKey()
    {
        await store.SetAsync("winterai:gh_account:conv:o-before", "conv-1", TimeSpan.FromDays(7));

        var forgotten = await conversations.ForgetAsync(Follower, CancellationToken.None);

        forgotten.ShouldBe("conv-1");
        (await conversations.GetAsync(Follower, CancellationToken.None)).ShouldBeNull();
    }

    [Test]
    public async Task TheNewKeyWinsOverALeftoverOldOne()
    {
        await store.SetAsync("winterai:gh_account:conv:o-before", "old", TimeSpan.FromDays(7));
        await conversations.SaveAsync(Follower, "new", CancellationToken.None);

        (await conversations.GetAsync(Follower, CancellationToken.None)).ShouldBe("new");
    }
}
