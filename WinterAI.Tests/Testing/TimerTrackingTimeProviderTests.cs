namespace WinterAI.Tests.Testing;

public sealed class TimerTrackingTimeProviderTests
{
    private readonly TimerTrackingTimeProvider time = new();

    [Test]
    public void ListsATimerByHowFarAwayItIsUntilItFires()
    {
        var fired = 0;
        using var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(20), Timeout.InfiniteTimeSpan);

        time.PendingTimers.ShouldBe([TimeSpan.FromSeconds(20)]);
        time.Advance(TimeSpan.FromSeconds(19));
        time.PendingTimers.ShouldBe([TimeSpan.FromSeconds(1)]);
        fired.ShouldBe(0);
        time.Advance(TimeSpan.FromSeconds(1));

        fired.ShouldBe(1);
        time.PendingTimers.ShouldBeEmpty();
    }

    [Test]
    public void ListsAPeriodicTimerAtItsNextDueTime()
    {
        var fired = 0;
        using var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));

        time.Advance(TimeSpan.FromSeconds(1));

        fired.ShouldBe(1);
        time.PendingTimers.ShouldBe([TimeSpan.FromSeconds(5)]);
    }

    [Test]
    public async Task ForgetsATimerThatIsDisposedOrCancelled()
    {
        var disposed = time.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        using var cancel = new CancellationTokenSource();
        var delay = Task.Delay(TimeSpan.FromSeconds(7), time, cancel.Token);
        time.PendingTimers.ShouldBe([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(7)]);

        disposed.Dispose();
        await cancel.CancelAsync();

        await Should.ThrowAsync<TaskCanceledException>(delay);
        time.PendingTimers.ShouldBeEmpty();
    }
}
