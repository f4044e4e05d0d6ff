using Microsoft.Extensions.Logging.Abstractions;
using WinterAI.Domain;
using WinterAI.Domain.Channels.ChatPage;
using WinterAI.Domain.Storage;

namespace WinterAI.Tests.Channels.ChatPage;

public sealed class ChatStopsTests
{
    private InMemoryStateStore store = null!;
    private ChatStops stops = null!;

    [SetUp]
    public void Create()
    {
        store = new InMemoryStateStore(TimeProvider.System);
        stops = new ChatStops(store, new StoreKeys("winterai:"), NullLogger<ChatStops>.Instance);
    }

    [TearDown]
    public async Task DisposeAsync() => await stops.DisposeAsync();

    [Test]
    public async Task NoFollowerIsKeptOnceTheirPageTurnsAreOver()
    {
        var followers = Enumerable.Range(0, 200).Select(n => new Follower("gh", $"o-{n}")).ToList();

        await Task.WhenAll(followers.Select(follower => Task.Run(async () =>
        {
            using var first = await stops.RegisterAsync(follower, CancellationToken.None);
            using var second = await stops.RegisterAsync(follower, CancellationToken.None);
        })));

        stops.FollowersRunning.ShouldBe(0);
    }

    [Test]
    public async Task AStopReachesAPageTurnThatRegisteredWhileTheFollowersLastOneWasEnding()
    {
        var follower = new Follower("gh", "o-racing");
        // Both sides start together, so that the register lands inside the removal of the emptied entry as often as
        // the machine allows.
        using var start = new Barrier(2);

        for (var round = 0; round < 5000; round++)
        {
            var ending = await stops.RegisterAsync(follower, CancellationToken.None);
            var registering = Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                return stops.RegisterAsync(follower, CancellationToken.None);
            }, TaskCreationOptions.LongRunning).Unwrap();
            start.SignalAndWait();
            ending.Dispose();
            using var started = await registering;

            await stops.StopAsync(follower, CancellationToken.None);

            started.Token.IsCancellationRequested.ShouldBeTrue($"round {round}");
        }

        stops.FollowersRunning.ShouldBe(0);
    }

    [Test]
    public async Task AStopReachesOnlyTheFollowerItIsFor()
    {
        using var mine = await stops.RegisterAsync(new Follower("gh", "o-me"), CancellationToken.None);
        using var theirs = await stops.RegisterAsync(new Follower("gh", "o-them"), CancellationToken.None);

        await stops.StopAsync(new Follower("gh", "o-me"), CancellationToken.None);

        mine.Token.IsCancellationRequested.ShouldBeTrue();
        theirs.Token.IsCancellationRequested.ShouldBeFalse();
    }
}
