using Microsoft.Extensions.Logging.Abstractions;
using WinterAI.Domain;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;

namespace WinterAI.Tests.Turns;

public sealed class AnswerSignalsTests
{
    private readonly FakeTimeProvider time = new();

    [Test]
    public async Task AWakeUpForOneFollowersMessageDoesNotWakeAnotherFollowerWaitingOnTheSameMsgId()
    {
        var store = new InMemoryStateStore(time);
        await using var signals = new AnswerSignals(store, new StoreKeys("winterai:"), time, NullLogger<AnswerSignals>.Instance);
        var deadline = time.GetUtcNow().AddMinutes(1);
        using var stopB = new CancellationTokenSource();
        var aReady = false;
        var bChecks = 0;

        // The clock never moves, so no poll re-checks either waiter: only a wake-up can.
        var waitingA = signals.WaitAsync(new Follower("gh", "oA"), "777", _ => Task.FromResult(Volatile.Read(ref aReady)), deadline, CancellationToken.None);
        var waitingB = signals.WaitAsync(new Follower("gh", "oB"), "777", _ => Task.FromResult(Interlocked.Increment(ref bChecks) < 0), deadline, stopB.Token);
        Volatile.Write(ref aReady, true);
        await signals.PublishAsync(new Follower("gh", "oA"), "777", CancellationToken.None);

        (await waitingA).ShouldBeTrue();
        Volatile.Read(ref bChecks).ShouldBe(1);
        await stopB.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(waitingB);
    }
}
